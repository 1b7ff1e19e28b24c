import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAnthropicBackend, createOpenAIBackend } from '../../src/backends/index.js';
import type { AnthropicCloudBackend, OpenAICloudBackend } from '../../src/backends/index.js';
import { ManualClock } from '../../src/time/manual-clock.js';
import { ScriptedServer } from '../support/scripted-server.js';
import { serveBackend } from './backend-test-helpers.js';
import type { Json } from './backend-test-helpers.js';

/*
 * Loopback, end to end: the official SDK -> a node:http front serving a backend's translated
 * answer -> the backend -> a scripted upstream of the OTHER protocol answering with a hand-written
 * transcript. The SDKs must assemble exactly what the upstream said (ids, names, arguments, stop
 * reasons, token counts), and the upstream must receive the caller's images and tools translated.
 */

const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==';

let upstream: ScriptedServer;
let anthropicBackend: AnthropicCloudBackend;
let openAIBackend: OpenAICloudBackend;
let openai: OpenAI;
let anthropic: Anthropic;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  upstream = await ScriptedServer.start();
  const common = { maxRetries: 0, clock: new ManualClock(), apiKey: 'upstream-key' };
  anthropicBackend = createAnthropicBackend({ name: 'a', baseUrl: upstream.url, ...common });
  openAIBackend = createOpenAIBackend({ name: 'o', baseUrl: `${upstream.url}/v1`, ...common });
  const openAIFront = await serveBackend((body) =>
    body.stream === true
      ? anthropicBackend.chatStream('openai', body)
      : anthropicBackend.chat('openai', body),
  );
  const anthropicFront = await serveBackend((body) =>
    body.stream === true
      ? openAIBackend.chatStream('anthropic', body)
      : openAIBackend.chat('anthropic', body),
  );
  closers.push(openAIFront.close, anthropicFront.close);
  openai = new OpenAI({ baseURL: `${openAIFront.url}/v1`, apiKey: 'caller', maxRetries: 0 });
  anthropic = new Anthropic({ baseURL: anthropicFront.url, apiKey: 'caller', maxRetries: 0 });
});

afterAll(async () => {
  for (const close of closers) await close();
  await anthropicBackend.close();
  await openAIBackend.close();
  await upstream.close();
});

let requestsBefore = 0;
beforeEach(() => {
  requestsBefore = upstream.requests.length;
});

/** The JSON body of the one upstream request the current test made. */
function sentUpstream(): { path: string; body: Json } {
  expect(upstream.requests.length).toBe(requestsBefore + 1);
  const request = upstream.requests.at(-1)!;
  return { path: request.path, body: JSON.parse(request.body) };
}

const anthropicSse = (events: Json[]) => ({
  type: 'sse' as const,
  events: events.map((e) => ({ event: String(e.type), data: JSON.stringify(e) })),
});
const openAISse = (chunks: Json[]) => ({
  type: 'sse' as const,
  events: [...chunks.map((c) => ({ data: JSON.stringify(c) })), { data: '[DONE]' }],
});

// ---- OpenAI caller, Anthropic upstream ------------------------------------------------------

const openAITools: OpenAI.ChatCompletionTool[] = [
  { type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } },
  { type: 'function', function: { name: 'get_time', parameters: { type: 'object' } } },
];
const openAIMessages: OpenAI.ChatCompletionMessageParam[] = [
  { role: 'system', content: 'Be brief.' },
  {
    role: 'user',
    content: [
      { type: 'text', text: 'Weather and time where this photo was taken?' },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } },
    ],
  },
];

const block = (index: number, content_block: Json) => ({
  type: 'content_block_start',
  index,
  content_block,
});
const delta = (index: number, d: Json) => ({ type: 'content_block_delta', index, delta: d });
const json = (index: number, partial_json: string) =>
  delta(index, { type: 'input_json_delta', partial_json });

/** Text, then two tool_use blocks whose input arrives in pieces; cache counters set. */
function anthropicToolStream(stopReason = 'tool_use', stopSequence: string | null = null): Json[] {
  return [
    {
      type: 'message_start',
      message: {
        id: 'msg_01Up',
        type: 'message',
        role: 'assistant',
        model: 'claude-upstream',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: {
          input_tokens: 25,
          output_tokens: 1,
          cache_read_input_tokens: 100,
          cache_creation_input_tokens: 7,
        },
      },
    },
    block(0, { type: 'text', text: '' }),
    { type: 'ping' },
    delta(0, { type: 'text_delta', text: "I'll check " }),
    delta(0, { type: 'text_delta', text: 'both.' }),
    { type: 'content_block_stop', index: 0 },
    block(1, { type: 'tool_use', id: 'toolu_01A', name: 'get_weather', input: {} }),
    json(1, '{"city":'),
    json(1, ' "Paris", "days": [1,'),
    json(1, '2]}'),
    { type: 'content_block_stop', index: 1 },
    block(2, { type: 'tool_use', id: 'toolu_01B', name: 'get_time', input: {} }),
    json(2, '{"tz":"Europe/Paris"}'),
    { type: 'content_block_stop', index: 2 },
    {
      type: 'message_delta',
      delta: { stop_reason: stopReason, stop_sequence: stopSequence },
      usage: { output_tokens: 61 },
    },
    { type: 'message_stop' },
  ];
}

const EXPECTED_OPENAI_CALLS = [
  ['toolu_01A', 'get_weather', '{"city": "Paris", "days": [1,2]}'],
  ['toolu_01B', 'get_time', '{"tz":"Europe/Paris"}'],
];
const EXPECTED_OPENAI_USAGE = {
  prompt_tokens: 132,
  completion_tokens: 61,
  total_tokens: 193,
  // 7 cache_creation_input_tokens upstream: counted in the prompt, named as the openai SDK does.
  prompt_tokens_details: { cached_tokens: 100, cache_write_tokens: 7 },
};

const callsOf = (message: OpenAI.ChatCompletionMessage) =>
  (message.tool_calls ?? []).map((c) =>
    c.type === 'function' ? [c.id, c.function.name, c.function.arguments] : [c.type],
  );

function expectAnthropicRequestFromOpenAI(stream: boolean): void {
  const { path, body } = sentUpstream();
  expect(path).toBe('/v1/messages');
  expect(body.system).toBe('Be brief.');
  expect(body.max_tokens).toBe(4096);
  expect(body.messages).toEqual([
    {
      role: 'user',
      content: [
        { type: 'text', text: 'Weather and time where this photo was taken?' },
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } },
      ],
    },
  ]);
  expect(body.tools).toEqual([
    { name: 'get_weather', input_schema: { type: 'object' } },
    { name: 'get_time', input_schema: { type: 'object' } },
  ]);
  expect(body.tool_choice).toEqual({ type: 'any' });
  expect(body.stream === true).toBe(stream);
}

describe('the openai SDK reading an Anthropic upstream through AnthropicCloudBackend', () => {
  it('stream helper: exact text, both parallel tool calls, tool_calls, usage with cached tokens; image and tools reach the upstream', async () => {
    upstream.script(anthropicSse(anthropicToolStream()));
    const final = await openai.chat.completions
      .stream({
        model: 'claude-x',
        messages: openAIMessages,
        tools: openAITools,
        tool_choice: 'required',
        stream_options: { include_usage: true },
      })
      .finalChatCompletion();
    expect(final.id).toBe('chatcmpl-msg_01Up');
    const choice = final.choices[0]!;
    expect(choice.message.content).toBe("I'll check both.");
    expect(callsOf(choice.message)).toEqual(EXPECTED_OPENAI_CALLS);
    expect(choice.finish_reason).toBe('tool_calls');
    expect(final.usage).toEqual(EXPECTED_OPENAI_USAGE);
    expectAnthropicRequestFromOpenAI(true);
  });

  it('non-streaming: the same answer as a chat.completion', async () => {
    upstream.script({
      type: 'json',
      body: {
        id: 'msg_01Up',
        type: 'message',
        role: 'assistant',
        model: 'claude-upstream',
        content: [
          { type: 'text', text: "I'll check " },
          { type: 'text', text: 'both.' },
          { type: 'tool_use', id: 'toolu_01A', name: 'get_weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'toolu_01B', name: 'get_time', input: {} },
        ],
        stop_reason: 'tool_use',
        stop_sequence: null,
        usage: {
          input_tokens: 25,
          output_tokens: 61,
          cache_read_input_tokens: 100,
          cache_creation_input_tokens: 7,
        },
      },
    });
    const completion = await openai.chat.completions.create({
      model: 'claude-x',
      messages: openAIMessages,
      tools: openAITools,
      tool_choice: 'required',
    });
    expect(completion.id).toBe('chatcmpl-msg_01Up');
    const choice = completion.choices[0]!;
    expect(choice.message.content).toBe("I'll check both.");
    expect(callsOf(choice.message)).toEqual([
      ['toolu_01A', 'get_weather', '{"city":"Paris"}'],
      ['toolu_01B', 'get_time', '{}'],
    ]);
    expect(choice.finish_reason).toBe('tool_calls');
    expect(completion.usage).toEqual(EXPECTED_OPENAI_USAGE);
    expectAnthropicRequestFromOpenAI(false);
  });

  it.each([
    ['end_turn', 'stop'],
    ['max_tokens', 'length'],
    ['refusal', 'content_filter'],
    ['stop_sequence', 'stop'],
  ])('stream helper: stop_reason %s arrives as finish_reason %s', async (stop, finish) => {
    const events = anthropicToolStream(stop, stop === 'stop_sequence' ? '###' : null);
    upstream.script(anthropicSse(events.filter((_, i) => i < 6 || i > 13)));
    const final = await openai.chat.completions
      .stream({ model: 'c', messages: [{ role: 'user', content: 'x' }] })
      .finalChatCompletion();
    expect(final.choices[0]!.finish_reason).toBe(finish);
    expect(final.choices[0]!.message.content).toBe("I'll check both.");
  });
});

// ---- Anthropic caller, OpenAI upstream ------------------------------------------------------

const anthropicTools: Anthropic.Tool[] = [
  { name: 'get_weather', input_schema: { type: 'object' } },
  { name: 'get_time', input_schema: { type: 'object' } },
];
const anthropicMessages: Anthropic.MessageParam[] = [
  {
    role: 'user',
    content: [
      { type: 'text', text: 'Weather and time where this photo was taken?' },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } },
    ],
  },
];

const openAIChunk = (d: Json, finish: string | null = null) => ({
  id: 'chatcmpl-Up9',
  object: 'chat.completion.chunk',
  created: 1_700_000_000,
  model: 'local-upstream',
  choices: [{ index: 0, delta: d, finish_reason: finish }],
});
const call = (index: number, args: string, head?: { id: string; name: string }) => ({
  tool_calls: [
    head
      ? { index, id: head.id, type: 'function', function: { name: head.name, arguments: args } }
      : { index, function: { arguments: args } },
  ],
});
const USAGE = {
  prompt_tokens: 140,
  completion_tokens: 52,
  total_tokens: 192,
  prompt_tokens_details: { cached_tokens: 40 },
};

/** Role, reasoning, text, two interleaved parallel tool calls, finish, then the usage chunk. */
function openAIToolStream(): Json[] {
  return [
    openAIChunk({ role: 'assistant', content: '' }),
    openAIChunk({ reasoning_content: 'Two lookups ' }),
    openAIChunk({ reasoning_content: 'needed.' }),
    openAIChunk({ content: 'Let me ' }),
    openAIChunk({ content: 'look.' }),
    openAIChunk(call(0, '', { id: 'call_A', name: 'get_weather' })),
    openAIChunk(call(0, '{"city":')),
    openAIChunk(call(1, '{"tz":', { id: 'call_B', name: 'get_time' })),
    openAIChunk(call(0, '"Paris"}')),
    openAIChunk(call(1, '"Europe/Paris"}')),
    openAIChunk({}, 'tool_calls'),
    { ...openAIChunk({}), choices: [], usage: USAGE },
  ];
}

function expectOpenAIRequestFromAnthropic(stream: boolean): void {
  const { path, body } = sentUpstream();
  expect(path).toBe('/v1/chat/completions');
  expect(body.messages).toEqual([
    { role: 'system', content: 'Be brief.' },
    {
      role: 'user',
      content: [
        { type: 'text', text: 'Weather and time where this photo was taken?' },
        { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } },
      ],
    },
  ]);
  expect(body.tools).toEqual([
    { type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } },
    { type: 'function', function: { name: 'get_time', parameters: { type: 'object' } } },
  ]);
  expect(body.tool_choice).toBe('required');
  expect(body.max_tokens).toBe(300);
  if (stream) expect(body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  else expect(body).not.toHaveProperty('stream');
}

const anthropicRequest = {
  model: 'local',
  max_tokens: 300,
  system: 'Be brief.',
  messages: anthropicMessages,
  tools: anthropicTools,
  tool_choice: { type: 'any' },
} as const;

describe('the Anthropic SDK reading an OpenAI upstream through OpenAICloudBackend', () => {
  it('MessageStream: thinking, exact text, two tool_use blocks with parsed inputs, tool_use, upstream token counts; image and tools reach the upstream', async () => {
    upstream.script(openAISse(openAIToolStream()));
    const message = await anthropic.messages.stream(anthropicRequest).finalMessage();
    expect(message.id).toBe('msg_chatcmpl-Up9');
    expect(message.content).toEqual([
      { type: 'thinking', thinking: 'Two lookups needed.', signature: '' },
      { type: 'text', text: 'Let me look.' },
      { type: 'tool_use', id: 'call_A', name: 'get_weather', input: { city: 'Paris' } },
      { type: 'tool_use', id: 'call_B', name: 'get_time', input: { tz: 'Europe/Paris' } },
    ]);
    expect(message.stop_reason).toBe('tool_use');
    expect(message.usage).toMatchObject({
      input_tokens: 100,
      output_tokens: 52,
      cache_read_input_tokens: 40,
    });
    expectOpenAIRequestFromAnthropic(true);
  });

  it('non-streaming: the same answer as a message', async () => {
    upstream.script({
      type: 'json',
      body: {
        id: 'chatcmpl-Up9',
        object: 'chat.completion',
        created: 1_700_000_000,
        model: 'local-upstream',
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: 'Let me look.',
              tool_calls: [
                {
                  id: 'call_A',
                  type: 'function',
                  function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
                },
                {
                  id: 'call_B',
                  type: 'function',
                  function: { name: 'get_time', arguments: '{"tz":"Europe/Paris"}' },
                },
              ],
            },
            finish_reason: 'tool_calls',
          },
        ],
        usage: USAGE,
      },
    });
    const message = await anthropic.messages.create(anthropicRequest);
    expect(message.id).toBe('msg_chatcmpl-Up9');
    expect(message.content).toEqual([
      { type: 'text', text: 'Let me look.' },
      { type: 'tool_use', id: 'call_A', name: 'get_weather', input: { city: 'Paris' } },
      { type: 'tool_use', id: 'call_B', name: 'get_time', input: { tz: 'Europe/Paris' } },
    ]);
    expect(message.stop_reason).toBe('tool_use');
    expect(message.usage).toMatchObject({
      input_tokens: 100,
      output_tokens: 52,
      cache_read_input_tokens: 40,
    });
    expectOpenAIRequestFromAnthropic(false);
  });

  it.each([
    ['stop', {}, 'end_turn', null],
    ['length', {}, 'max_tokens', null],
    ['content_filter', {}, 'refusal', null],
    ['stop', { stop_reason: '###' }, 'stop_sequence', '###'],
  ])(
    'MessageStream: finish_reason %s %j arrives as stop_reason %s',
    async (finish, extra, stop, sequence) => {
      const last = openAIChunk({}, finish);
      Object.assign(last.choices[0]!, extra);
      upstream.script(openAISse([openAIChunk({ content: 'ok' }), last]));
      const message = await anthropic.messages
        .stream({ model: 'c', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] })
        .finalMessage();
      expect(message).toMatchObject({ stop_reason: stop, stop_sequence: sequence });
      expect(message.content).toEqual([{ type: 'text', text: 'ok' }]);
    },
  );
});
