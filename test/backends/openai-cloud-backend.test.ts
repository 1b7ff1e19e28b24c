import { afterEach, describe, expect, it } from 'vitest';
import { createOpenAIBackend, MockUpstreamServer } from '../../src/backends/index.js';
import { defaultMaxTokensField } from '../../src/backends/openai-cloud-backend.js';
import { ManualClock } from '../../src/time/manual-clock.js';
import { collect, collectFailure, rawSseServer } from './backend-test-helpers.js';
import type { Json } from './backend-test-helpers.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(options: { apiKey?: string } = {}) {
  const server = await MockUpstreamServer.start();
  const backend = createOpenAIBackend({
    name: 'local',
    baseUrl: server.openaiBaseUrl,
    maxRetries: 0,
    clock: new ManualClock(),
    ...options,
  });
  cleanups.push(
    () => server.close(),
    () => backend.close(),
  );
  return { server, backend };
}

const openAIRequest = (text: string, extra: Record<string, unknown> = {}) => ({
  model: 'gpt-caller',
  messages: [{ role: 'user', content: text }],
  ...extra,
});

const anthropicRequest = (text: string, extra: Record<string, unknown> = {}) => ({
  model: 'claude-caller',
  max_tokens: 64,
  system: 'be brief',
  messages: [{ role: 'user', content: text }],
  ...extra,
});

const TOOLS_ANTHROPIC = [
  { name: 'get_weather', description: 'w', input_schema: { type: 'object', properties: {} } },
  { name: 'get_time', description: 't', input_schema: { type: 'object', properties: {} } },
];

const dataOf = (events: { data: string }[]): Json[] =>
  events.filter((e) => e.data !== '[DONE]').map((e): Json => JSON.parse(e.data));

describe('OpenAICloudBackend, OpenAI caller (pass-through)', () => {
  it('sends unknown fields unchanged and keeps the caller model unless a route renames it', async () => {
    const { server, backend } = await setup();
    const body = openAIRequest('hi', {
      seed: 42,
      metadata: { trace: 'x' },
      vendor_extension: { nested: [1, { a: null }] },
    });
    const first = await backend.chat('openai', body);
    await backend.chat('openai', body, { model: 'local-model' });
    expect(server.requests[0]!.body).toEqual(body);
    expect(server.requests[1]!.body).toEqual({ ...body, model: 'local-model' });
    expect(body.model).toBe('gpt-caller');
    expect(first.body.choices).toEqual([
      expect.objectContaining({ message: expect.objectContaining({ content: 'echo: hi' }) }),
    ]);
    expect(first).toMatchObject({ attempts: 1, notes: [] });
  });

  it('sends Authorization: Bearer only when it has a key', async () => {
    const keyed = await setup({ apiKey: 'sk-local-secret-1' });
    const keyless = await setup();
    await keyed.backend.chat('openai', openAIRequest('a'));
    await keyless.backend.chat('openai', openAIRequest('a'));
    expect(keyed.server.requests[0]!.headers.authorization).toBe('Bearer sk-local-secret-1');
    expect(keyless.server.requests[0]!.headers.authorization).toBeUndefined();
    expect(keyless.server.requests[0]!.headers['x-api-key']).toBeUndefined();
  });

  it('forwards the upstream event data strings verbatim and ends with [DONE]', async () => {
    const transcript =
      'data: {"id": "c1", "choices": [{"index": 0, "delta": {"role": "assistant"}}]}\n\n' +
      'data: {"id": "c1",  "choices": [{"index": 0, "delta": {"content": "hé"}, "x": 1}]}\n\n' +
      'data: [DONE]\n\n';
    const raw = rawSseServer(transcript);
    const { url, close } = await raw.started;
    const backend = createOpenAIBackend({ name: 'raw', baseUrl: `${url}/v1`, maxRetries: 0 });
    cleanups.push(close, () => backend.close());
    const stream = backend.chatStream('openai', openAIRequest('x', { stream: true, top_k: 3 }));
    const events = await collect(stream);
    expect(events.map((e) => e.data)).toEqual([
      '{"id": "c1", "choices": [{"index": 0, "delta": {"role": "assistant"}}]}',
      '{"id": "c1",  "choices": [{"index": 0, "delta": {"content": "hé"}, "x": 1}]}',
      '[DONE]',
    ]);
    expect(raw.bodies[0]).toEqual(openAIRequest('x', { stream: true, top_k: 3 }));
    expect(stream.attempts).toBe(1);
  });

  it('asks for a stream even when the caller body omitted stream: true', async () => {
    const { server, backend } = await setup();
    const events = await collect(backend.chatStream('openai', openAIRequest('a b')));
    expect(events.at(-1)!.data).toBe('[DONE]');
    expect((server.requests[0]!.body as Json).stream).toBe(true);
  });

  it('throws STREAM_UPSTREAM_ERROR when the first event is an in-band error', async () => {
    const { server, backend } = await setup();
    server.script({ errorFirstEvent: true });
    const { error, seen } = await collectFailure(
      backend.chatStream('openai', openAIRequest('x', { stream: true })),
    );
    expect(error.code).toBe('STREAM_UPSTREAM_ERROR');
    expect(seen).toEqual([]);
  });

  it('probes GET {baseUrl}/models', async () => {
    const { server, backend } = await setup();
    expect(await backend.probe()).toBe(true);
    expect(server.requests[0]).toMatchObject({ method: 'GET', path: '/v1/models' });
    server.script({ status: 503 });
    expect(await backend.probe()).toBe(false);
  });

  it('reports a refused connection as an unhealthy probe', async () => {
    const { server, backend } = await setup();
    await server.close();
    expect(await backend.probe()).toBe(false);
  });

  it('aborts the upstream request when the consumer stops early', async () => {
    const { server, backend } = await setup();
    server.script({ stallMs: 60_000, stallAfterChunks: 2 });
    const stream = backend.chatStream('openai', openAIRequest('a b c', { stream: true }));
    let seen = 0;
    for await (const _event of stream) if (++seen === 2) break;
    await server.waitForClientDisconnects(1);
    expect(server.clientDisconnects).toBe(1);
  });
});

describe('OpenAICloudBackend, Anthropic caller (translated)', () => {
  it('translates the request and answers an Anthropic message', async () => {
    const { server, backend } = await setup();
    const result = await backend.chat('anthropic', anthropicRequest('hello'), { model: 'qwen' });
    const sent = server.requests[0]!.body as Json;
    expect(sent.model).toBe('qwen');
    expect(sent.messages).toEqual([
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'hello' },
    ]);
    expect(sent.max_tokens ?? sent.max_completion_tokens).toBe(64);
    expect(sent.stream).toBeUndefined();
    expect(result.body).toMatchObject({
      type: 'message',
      role: 'assistant',
      content: [{ type: 'text', text: 'echo: hello' }],
      stop_reason: 'end_turn',
      usage: { input_tokens: 2, output_tokens: 3 },
    });
  });

  it('translates tool calls in a non-streaming answer', async () => {
    const { backend } = await setup();
    const result = await backend.chat(
      'anthropic',
      anthropicRequest('call tool x', { tools: TOOLS_ANTHROPIC }),
    );
    const body = result.body as Json;
    expect(body.stop_reason).toBe('tool_use');
    expect(body.content.slice(1)).toEqual([
      {
        type: 'tool_use',
        id: 'call_mock_1_0',
        name: 'get_weather',
        input: { text: 'call tool x', index: 0 },
      },
      {
        type: 'tool_use',
        id: 'call_mock_1_1',
        name: 'get_time',
        input: { text: 'call tool x', index: 1 },
      },
    ]);
  });

  it('streams the Anthropic event sequence with real usage, asking the upstream for it', async () => {
    const { server, backend } = await setup();
    const events = await collect(
      backend.chatStream('anthropic', anthropicRequest('one two', { stream: true })),
    );
    const sent = server.requests[0]!.body as Json;
    expect(sent.stream).toBe(true);
    expect(sent.stream_options).toEqual({ include_usage: true });
    expect(events[0]!.event).toBe('message_start');
    expect(events.at(-1)!.event).toBe('message_stop');
    for (const e of events) expect(JSON.parse(e.data).type).toBe(e.event);
    const data = dataOf(events);
    const text = data
      .filter((d) => d.type === 'content_block_delta')
      .map((d) => String(d.delta.text))
      .join('');
    expect(text).toBe('echo: one two');
    const delta = data.find((d) => d.type === 'message_delta');
    expect(delta.delta.stop_reason).toBe('end_turn');
    expect(delta.usage.output_tokens).toBe(4);
  });

  it('streams tool calls as tool_use blocks with input_json_delta pieces', async () => {
    const { backend } = await setup();
    const events = await collect(
      backend.chatStream('anthropic', anthropicRequest('call tool y', { tools: TOOLS_ANTHROPIC })),
    );
    const data = dataOf(events);
    const starts = data.filter((d) => d.type === 'content_block_start');
    expect(starts.map((d) => String(d.content_block.type))).toEqual([
      'text',
      'tool_use',
      'tool_use',
    ]);
    expect(starts[2].content_block).toMatchObject({ id: 'call_mock_1_1', name: 'get_time' });
    const args = data
      .filter((d) => d.type === 'content_block_delta' && d.index === starts[1].index)
      .map((d) => String(d.delta.partial_json))
      .join('');
    expect(JSON.parse(args)).toEqual({ text: 'call tool y', index: 0 });
    expect(data.find((d) => d.type === 'message_delta').delta.stop_reason).toBe('tool_use');
  });

  it('throws on a cut upstream stream and never yields message_stop', async () => {
    const { server, backend } = await setup();
    server.script({ cutAfterChunks: 3 });
    const { error, seen } = await collectFailure(
      backend.chatStream('anthropic', anthropicRequest('a b c d e f')),
    );
    expect(error.code).toBe('STREAM_TRUNCATED');
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.some((e) => e.event === 'message_stop')).toBe(false);
  });

  it('rejects an invalid Anthropic request with INVALID_REQUEST before sending anything', async () => {
    const { server, backend } = await setup();
    expect(() => backend.chatStream('anthropic', { model: 'x', messages: 'nope' })).toThrow(
      expect.objectContaining({ code: 'INVALID_REQUEST' }),
    );
    await expect(backend.chat('anthropic', { model: 'x' })).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
    });
    expect(server.requests).toHaveLength(0);
  });
});

describe('OpenAICloudBackend, Anthropic history sent to a strict upstream', () => {
  it('sends only fields OpenAI servers know: no is_error or reasoning_signature on messages, and says so', async () => {
    const { server, backend } = await setup();
    const history = [
      { role: 'user', content: 'run it' },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'Try the tool.', signature: 'sig-1' },
          { type: 'tool_use', id: 'toolu_1', name: 'run', input: { cmd: 'ls' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_1', content: 'denied', is_error: true },
        ],
      },
    ];
    const result = await backend.chat('anthropic', anthropicRequest('x', { messages: history }));
    const sent = (server.requests[0]!.body as Json).messages as Json[];
    expect(sent.slice(2)).toEqual([
      {
        role: 'assistant',
        content: null,
        reasoning_content: 'Try the tool.',
        tool_calls: [
          { id: 'toolu_1', type: 'function', function: { name: 'run', arguments: '{"cmd":"ls"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'toolu_1', content: 'denied' },
    ]);
    expect(result.notes).toContain(
      'is_error dropped from 1 tool result(s): OpenAI has no error flag',
    );
  });
});

describe('OpenAICloudBackend max tokens field', () => {
  it('sends max_completion_tokens to api.openai.com (its reasoning models refuse max_tokens), max_tokens elsewhere', () => {
    expect(defaultMaxTokensField('https://api.openai.com/v1')).toBe('max_completion_tokens');
    expect(defaultMaxTokensField('https://api.groq.com/openai/v1')).toBe('max_tokens');
    expect(defaultMaxTokensField('http://127.0.0.1:8080/v1')).toBe('max_tokens');
    expect(defaultMaxTokensField('not a url')).toBe('max_tokens');
  });

  it('carries an Anthropic caller max_tokens in the configured field', async () => {
    const server = await MockUpstreamServer.start();
    const backend = createOpenAIBackend({
      name: 'o',
      baseUrl: server.openaiBaseUrl,
      maxRetries: 0,
      maxTokensField: 'max_completion_tokens',
    });
    cleanups.push(
      () => server.close(),
      () => backend.close(),
    );
    await backend.chat('anthropic', anthropicRequest('x'));
    const sent = server.requests[0]!.body as Json;
    expect(sent.max_completion_tokens).toBe(64);
    expect(sent).not.toHaveProperty('max_tokens');
  });
});

describe('OpenAICloudBackend with a quirky local server', () => {
  it('translates chunks with tool_calls: [], no ids, no role chunk and no usage for an Anthropic caller', async () => {
    const chunk = (delta: object, finish: string | null = null) =>
      `data: ${JSON.stringify({ choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    const transcript =
      chunk({ content: 'Hel', tool_calls: [] }) +
      chunk({ content: 'lo', tool_calls: [] }) +
      chunk({ tool_calls: [] }, 'stop') +
      'data: [DONE]\n\n';
    const raw = rawSseServer(transcript);
    const { url, close } = await raw.started;
    const backend = createOpenAIBackend({ name: 'llama', baseUrl: `${url}/v1`, maxRetries: 0 });
    cleanups.push(close, () => backend.close());
    const events = await collect(backend.chatStream('anthropic', anthropicRequest('x')));
    const types = events.map((e) => e.event);
    expect(types[0]).toBe('message_start');
    expect(types.at(-1)).toBe('message_stop');
    expect(types.filter((t) => t === 'content_block_start')).toHaveLength(1);
    const data = dataOf(events);
    const text = data
      .filter((d) => d.type === 'content_block_delta')
      .map((d) => String(d.delta.text))
      .join('');
    expect(text).toBe('Hello');
    expect(data.find((d) => d.type === 'message_delta').delta.stop_reason).toBe('end_turn');
  });

  it('treats a stream that ends without [DONE] as truncated', async () => {
    const raw = rawSseServer(
      'data: {"choices":[{"index":0,"delta":{"content":"a"},"finish_reason":"stop"}]}\n\n',
    );
    const { url, close } = await raw.started;
    const backend = createOpenAIBackend({ name: 'llama', baseUrl: `${url}/v1`, maxRetries: 0 });
    cleanups.push(close, () => backend.close());
    const { error, seen } = await collectFailure(
      backend.chatStream('anthropic', anthropicRequest('x')),
    );
    expect(error.code).toBe('STREAM_TRUNCATED');
    expect(seen.some((e) => e.event === 'message_stop')).toBe(false);
  });
});

describe('OpenAICloudBackend with a quirky local server, non-streaming', () => {
  it('fills tool call ids a local server left out, so an Anthropic caller gets tool_use ids', async () => {
    const answer = {
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: null,
            tool_calls: [{ type: 'function', function: { name: 'f', arguments: '{"a":1}' } }],
          },
          finish_reason: 'tool_calls',
        },
      ],
    };
    const raw = rawSseServer(JSON.stringify(answer), 'application/json');
    const { url, close } = await raw.started;
    const backend = createOpenAIBackend({ name: 'mlx', baseUrl: `${url}/v1`, maxRetries: 0 });
    cleanups.push(close, () => backend.close());
    const result = await backend.chat('anthropic', anthropicRequest('x'));
    const blocks = (result.body as Json).content;
    const toolUse = blocks.find((b: Json) => b.type === 'tool_use');
    expect(toolUse).toMatchObject({ name: 'f', input: { a: 1 } });
    expect(toolUse.id).toMatch(/^call_[0-9a-f]{16}_0$/);
    expect((result.body as Json).stop_reason).toBe('tool_use');
  });
});
