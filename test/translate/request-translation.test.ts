import { describe, expect, it } from 'vitest';
import { LlmFailoverError } from '../../src/errors/index.js';
import {
  anthropicMessagesRequestSchema,
  parseAnthropicMessagesRequest,
  parseOpenAIChatRequest,
} from '../../src/protocols/index.js';
import type { OpenAIChatRequest } from '../../src/protocols/index.js';
import { anthropicRequestToOpenAI, openAIRequestToAnthropic } from '../../src/translate/index.js';

const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==';

/** The acceptance request: two system messages, a data-URL image, two tools, two parallel tool calls and their results. */
const acceptanceRequest = {
  model: 'gpt-4o',
  messages: [
    { role: 'system', content: 'You are a travel assistant.' },
    { role: 'system', content: 'Answer in one sentence.' },
    {
      role: 'user',
      content: [
        { type: 'text', text: 'Where is this, and what is the weather and time there?' },
        { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } },
      ],
    },
    {
      role: 'assistant',
      content: null,
      tool_calls: [
        {
          id: 'call_w',
          type: 'function',
          function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
        },
        {
          id: 'call_t',
          type: 'function',
          function: { name: 'get_time', arguments: '{"tz":"Europe/Paris"}' },
        },
      ],
    },
    { role: 'tool', tool_call_id: 'call_w', content: 'Sunny, 21C' },
    { role: 'tool', tool_call_id: 'call_t', content: '14:05' },
  ],
  tools: [
    {
      type: 'function',
      function: {
        name: 'get_weather',
        description: 'Weather',
        parameters: { type: 'object', properties: { city: { type: 'string' } } },
      },
    },
    {
      type: 'function',
      function: {
        name: 'get_time',
        description: 'Local time',
        parameters: { type: 'object', properties: { tz: { type: 'string' } } },
      },
    },
  ],
  parallel_tool_calls: true,
};

/** A conversation reduced to what must survive: roles, text, images, tool calls and results. */
function conversation(req: OpenAIChatRequest) {
  const system = req.messages.filter((m) => m.role === 'system' || m.role === 'developer');
  return {
    system: system.map((m) => (typeof m.content === 'string' ? m.content : '')).join('\n\n'),
    messages: req.messages
      .filter((m) => m.role !== 'system' && m.role !== 'developer')
      .map((m) => ({
        role: m.role,
        content: m.content ?? null,
        tool_calls: (m.tool_calls ?? []).map((c) => ({
          id: c.id,
          name: c.function.name,
          args: JSON.parse(c.function.arguments) as unknown,
        })),
        tool_call_id: m.tool_call_id,
      })),
  };
}

function thrownBy(fn: () => unknown): LlmFailoverError {
  try {
    fn();
  } catch (err) {
    if (err instanceof LlmFailoverError) return err;
    throw err;
  }
  throw new Error('expected a throw');
}

describe('openAIRequestToAnthropic', () => {
  it('turns the acceptance request into a valid Anthropic request: one system, alternating roles, same tool ids, one user turn of two tool results, a base64 image', () => {
    const { value, notes } = openAIRequestToAnthropic(parseOpenAIChatRequest(acceptanceRequest));
    expect(anthropicMessagesRequestSchema().safeParse(value).success).toBe(true);
    expect(notes).toEqual([]);
    expect(value.system).toBe('You are a travel assistant.\n\nAnswer in one sentence.');
    expect(value.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    const [user, assistant, results] = value.messages;
    expect(user?.content).toContainEqual({
      type: 'image',
      source: { type: 'base64', media_type: 'image/png', data: PNG },
    });
    expect(assistant?.content).toEqual([
      { type: 'tool_use', id: 'call_w', name: 'get_weather', input: { city: 'Paris' } },
      { type: 'tool_use', id: 'call_t', name: 'get_time', input: { tz: 'Europe/Paris' } },
    ]);
    expect(results?.content).toEqual([
      { type: 'tool_result', tool_use_id: 'call_w', content: 'Sunny, 21C' },
      { type: 'tool_result', tool_use_id: 'call_t', content: '14:05' },
    ]);
    expect(value.tools?.map((t) => t.name)).toEqual(['get_weather', 'get_time']);
  });

  it('gives the same conversation back when the Anthropic request is translated back', () => {
    const original = parseOpenAIChatRequest(acceptanceRequest);
    const there = openAIRequestToAnthropic(original).value;
    const back = anthropicRequestToOpenAI(parseAnthropicMessagesRequest(there)).value;
    expect(conversation(back)).toEqual(conversation(original));
    expect(back.tools).toEqual(original.tools);
  });

  it('refuses n: 2 with a 400 TRANSLATION_UNSUPPORTED naming the field', () => {
    const err = thrownBy(() =>
      openAIRequestToAnthropic(parseOpenAIChatRequest({ ...acceptanceRequest, n: 2 })),
    );
    expect(err).toMatchObject({ code: 'TRANSLATION_UNSUPPORTED', status: 400, path: 'n' });
    expect(err.message).toContain('n > 1');
  });

  it('clamps temperature 1.7 to 1 and says so', () => {
    const { value, notes } = openAIRequestToAnthropic(
      parseOpenAIChatRequest({ ...acceptanceRequest, temperature: 1.7 }),
    );
    expect(value.temperature).toBe(1);
    expect(notes).toEqual(['temperature 1.7 clamped to 1']);
  });

  it('keeps temperature 0 (and 1) unchanged, without a note', () => {
    for (const temperature of [0, 1, 0.3]) {
      const { value, notes } = openAIRequestToAnthropic(
        parseOpenAIChatRequest({ ...acceptanceRequest, temperature }),
      );
      expect(value.temperature).toBe(temperature);
      expect(notes).toEqual([]);
    }
  });

  it('uses the configured default max_tokens when the caller gives none', () => {
    const { value } = openAIRequestToAnthropic(parseOpenAIChatRequest(acceptanceRequest), {
      defaultMaxTokens: 1234,
    });
    expect(value.max_tokens).toBe(1234);
  });

  it('turns parallel_tool_calls: false without a tool_choice into auto with parallel use disabled', () => {
    const { value } = openAIRequestToAnthropic(
      parseOpenAIChatRequest({ ...acceptanceRequest, parallel_tool_calls: false }),
    );
    expect(value.tool_choice).toEqual({ type: 'auto', disable_parallel_tool_use: true });
  });

  it('names the path of tool-call arguments that are not JSON, without echoing them', () => {
    const messages = structuredClone(acceptanceRequest.messages);
    messages[3]!.tool_calls![1]!.function.arguments = '{"tz": SECRET-ish';
    const err = thrownBy(() =>
      openAIRequestToAnthropic(parseOpenAIChatRequest({ ...acceptanceRequest, messages })),
    );
    expect(err).toMatchObject({
      code: 'INVALID_REQUEST',
      status: 400,
      path: 'messages.3.tool_calls.1.function.arguments',
    });
    expect(err.message).not.toContain('SECRET');
  });

  it('refuses tool-call arguments that are JSON but not an object', () => {
    const messages = structuredClone(acceptanceRequest.messages);
    messages[3]!.tool_calls![0]!.function.arguments = '[1,2]';
    const err = thrownBy(() =>
      openAIRequestToAnthropic(parseOpenAIChatRequest({ ...acceptanceRequest, messages })),
    );
    expect(err).toMatchObject({
      code: 'INVALID_REQUEST',
      path: 'messages.3.tool_calls.0.function.arguments',
    });
  });

  it('drops reasoning_content without a signature, with a note, since Anthropic would reject the block', () => {
    const req = parseOpenAIChatRequest({
      model: 'm',
      messages: [
        { role: 'user', content: 'q' },
        { role: 'assistant', content: 'a', reasoning_content: 'thought' },
      ],
    });
    const { value, notes } = openAIRequestToAnthropic(req);
    expect(value.messages[1]).toEqual({ role: 'assistant', content: 'a' });
    expect(notes).toEqual([
      'messages.1.reasoning_content dropped: Anthropic needs its thinking signature',
    ]);
  });

  it('puts tool results before other content of the same user turn', () => {
    const req = parseOpenAIChatRequest({
      model: 'm',
      messages: [
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }],
        },
        { role: 'user', content: 'also this' },
        { role: 'tool', tool_call_id: 'c1', content: 'r' },
      ],
    });
    const { value } = openAIRequestToAnthropic(req);
    expect(value.messages[1]?.content).toEqual([
      { type: 'tool_result', tool_use_id: 'c1', content: 'r' },
      { type: 'text', text: 'also this' },
    ]);
  });

  it('drops a non-function tool and a tool_choice it cannot express, with notes', () => {
    const base = { model: 'm', messages: [{ role: 'user', content: 'x' }] };
    const custom = openAIRequestToAnthropic(
      parseOpenAIChatRequest({ ...base, tools: [{ type: 'custom', custom: { name: 'c' } }] }),
    );
    expect(custom.value.tools).toBeUndefined();
    expect(custom.notes).toEqual(['tools.0 dropped: a "custom" tool has no Anthropic equivalent']);
    const allowed = openAIRequestToAnthropic(
      parseOpenAIChatRequest({
        ...base,
        tools: acceptanceRequest.tools,
        tool_choice: { type: 'allowed_tools', allowed_tools: {} },
      }),
    );
    expect(allowed.value.tools).toHaveLength(acceptanceRequest.tools.length);
    expect(allowed.value.tool_choice).toBeUndefined();
    expect(allowed.notes).toEqual([
      'tool_choice "allowed_tools" dropped: it names no tool that was sent',
    ]);
  });

  it('skips empty system messages instead of joining blank lines', () => {
    const { value } = openAIRequestToAnthropic(
      parseOpenAIChatRequest({
        model: 'm',
        messages: [
          { role: 'system', content: '' },
          { role: 'developer', content: 'Rules.' },
          { role: 'system', content: null },
          { role: 'user', content: 'x' },
        ],
      }),
    );
    expect(value.system).toBe('Rules.');
    const none = openAIRequestToAnthropic(
      parseOpenAIChatRequest({
        model: 'm',
        messages: [
          { role: 'system', content: '' },
          { role: 'user', content: 'x' },
        ],
      }),
    );
    expect(none.value).not.toHaveProperty('system');
  });

  it('leaves out an assistant message that said nothing, which Anthropic would refuse', () => {
    const { value, notes } = openAIRequestToAnthropic(
      parseOpenAIChatRequest({
        model: 'm',
        messages: [
          { role: 'user', content: 'a' },
          { role: 'assistant', content: '' },
          { role: 'user', content: 'b' },
        ],
      }),
    );
    expect(value.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'a' },
          { type: 'text', text: 'b' },
        ],
      },
    ]);
    expect(notes).toEqual(['messages.1 left out: an empty assistant message']);
  });

  it('notes a strict tool schema it cannot carry over', () => {
    const { value, notes } = openAIRequestToAnthropic(
      parseOpenAIChatRequest({
        model: 'm',
        messages: [{ role: 'user', content: 'x' }],
        tools: [
          {
            type: 'function',
            function: { name: 'f', strict: true, parameters: { type: 'object' } },
          },
        ],
      }),
    );
    expect(value.tools).toEqual([{ name: 'f', input_schema: { type: 'object' } }]);
    expect(notes).toEqual(['tools.0.function.strict dropped: no strict mode']);
  });

  it('forwards Anthropic-only extensions (top_k, thinking) and notes fields it drops', () => {
    const { value, notes } = openAIRequestToAnthropic(
      parseOpenAIChatRequest({
        model: 'm',
        messages: [{ role: 'user', content: 'x' }],
        top_k: 5,
        thinking: { type: 'enabled', budget_tokens: 1024 },
        frequency_penalty: 0.5,
        reasoning_effort: 'low',
      }),
    );
    expect(value.top_k).toBe(5);
    expect(value.thinking).toEqual({ type: 'enabled', budget_tokens: 1024 });
    expect(value).not.toHaveProperty('frequency_penalty');
    expect(notes).toEqual([
      'dropped (no Anthropic equivalent): frequency_penalty, reasoning_effort',
    ]);
  });

  it('drops a field named like an Object.prototype member with a note instead of refusing it', () => {
    const body: unknown = JSON.parse(
      '{"model":"m","messages":[{"role":"user","content":"x"}],"toString":1,"constructor":2}',
    );
    const { notes } = openAIRequestToAnthropic(parseOpenAIChatRequest(body));
    expect(notes).toEqual(['dropped (no Anthropic equivalent): toString, constructor']);
  });
});

describe('anthropicRequestToOpenAI', () => {
  const base = { model: 'claude', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] };

  it('asks a streaming OpenAI upstream for usage', () => {
    const { value } = anthropicRequestToOpenAI(
      parseAnthropicMessagesRequest({ ...base, stream: true }),
    );
    expect(value.stream).toBe(true);
    expect(value.stream_options).toEqual({ include_usage: true });
  });

  it('sends max_tokens by default and max_completion_tokens when asked', () => {
    const req = parseAnthropicMessagesRequest(base);
    expect(anthropicRequestToOpenAI(req).value).toMatchObject({ max_tokens: 100 });
    const newer = anthropicRequestToOpenAI(req, {
      openAIMaxTokensField: 'max_completion_tokens',
    }).value;
    expect(newer.max_completion_tokens).toBe(100);
    expect(newer).not.toHaveProperty('max_tokens');
  });

  it('does not set stream fields on a non-streaming request', () => {
    const { value } = anthropicRequestToOpenAI(parseAnthropicMessagesRequest(base));
    expect(value).not.toHaveProperty('stream');
    expect(value).not.toHaveProperty('stream_options');
  });

  it('notes what it drops: enabled thinking, redacted thinking, unknown fields', () => {
    const { value, notes } = anthropicRequestToOpenAI(
      parseAnthropicMessagesRequest({
        ...base,
        thinking: { type: 'enabled', budget_tokens: 2048 },
        betas_extra: true,
        service_tier: 'auto',
        messages: [
          { role: 'user', content: 'hi' },
          {
            role: 'assistant',
            content: [
              { type: 'redacted_thinking', data: 'xx' },
              { type: 'text', text: 'ok' },
            ],
          },
        ],
      }),
    );
    expect(value.messages[1]).toEqual({ role: 'assistant', content: 'ok' });
    expect(notes).toEqual([
      'dropped (no OpenAI equivalent): betas_extra, thinking',
      'messages.1.content.0 dropped: redacted thinking has no OpenAI equivalent',
      'final assistant turn (prefill) sent as an ordinary assistant message',
    ]);
  });

  it('keeps consecutive same-role Anthropic turns as separate OpenAI messages', () => {
    const { value } = anthropicRequestToOpenAI(
      parseAnthropicMessagesRequest({
        ...base,
        messages: [
          { role: 'user', content: 'a' },
          { role: 'user', content: 'b' },
        ],
      }),
    );
    expect(value.messages).toEqual([
      { role: 'user', content: 'a' },
      { role: 'user', content: 'b' },
    ]);
  });

  it('drops mcp_servers, which only Anthropic can run, with a note', () => {
    const { value, notes } = anthropicRequestToOpenAI(
      parseAnthropicMessagesRequest({ ...base, mcp_servers: [{ url: 'x' }] }),
    );
    expect(value).not.toHaveProperty('mcp_servers');
    expect(notes).toEqual(['dropped (no OpenAI equivalent): mcp_servers']);
  });

  it('turns a mid-conversation system message into an OpenAI system message in place', () => {
    const { value, notes } = anthropicRequestToOpenAI(
      parseAnthropicMessagesRequest({
        ...base,
        system: [{ type: 'text', text: 'S', cache_control: { type: 'ephemeral' } }],
        messages: [
          { role: 'user', content: 'a' },
          { role: 'assistant', content: 'b' },
          { role: 'system', content: [{ type: 'text', text: 'reminder' }] },
          { role: 'system', content: 'plain' },
          { role: 'user', content: 'c' },
          { role: 'critic', content: 'd' },
        ],
      }),
    );
    expect(value.messages).toEqual([
      { role: 'system', content: [{ type: 'text', text: 'S' }] },
      { role: 'user', content: 'a' },
      { role: 'assistant', content: 'b' },
      { role: 'system', content: [{ type: 'text', text: 'reminder' }] },
      { role: 'system', content: 'plain' },
      { role: 'user', content: 'c' },
    ]);
    expect(notes).toEqual(['messages.5 dropped: role "critic" has no OpenAI equivalent']);
  });

  it('drops server tools and a tool_choice naming one, keeping the client tools', () => {
    const fn = { name: 'f', input_schema: { type: 'object' } };
    const { value, notes } = anthropicRequestToOpenAI(
      parseAnthropicMessagesRequest({
        ...base,
        tools: [fn, { type: 'web_search_20250305', name: 'web_search' }],
        tool_choice: { type: 'tool', name: 'web_search' },
      }),
    );
    expect(value.tools).toEqual([
      { type: 'function', function: { name: 'f', parameters: { type: 'object' } } },
    ]);
    expect(value.tool_choice).toBeUndefined();
    expect(notes).toEqual([
      'server tools dropped (no OpenAI equivalent): tools.1 (web_search_20250305)',
      'tool_choice dropped: it names no tool that was sent',
    ]);
  });

  it('drops a field named like an Object.prototype member with a note instead of refusing it', () => {
    const body = { ...base, ...(JSON.parse('{"constructor":1}') as object) };
    const { notes } = anthropicRequestToOpenAI(parseAnthropicMessagesRequest(body));
    expect(notes).toEqual(['dropped (no OpenAI equivalent): constructor']);
  });
});
