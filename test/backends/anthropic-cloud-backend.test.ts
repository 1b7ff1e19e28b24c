import { afterEach, describe, expect, it } from 'vitest';
import { createAnthropicBackend, MockUpstreamServer } from '../../src/backends/index.js';
import { ManualClock } from '../../src/time/manual-clock.js';
import { collect, collectFailure, rawSseServer } from './backend-test-helpers.js';
import type { Json } from './backend-test-helpers.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(
  options: { apiKey?: string; defaultMaxTokens?: number; baseUrl?: string } = {},
) {
  const server = await MockUpstreamServer.start();
  const backend = createAnthropicBackend({
    name: 'claude',
    baseUrl: server.anthropicBaseUrl,
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

const anthropicRequest = (text: string, extra: Record<string, unknown> = {}) => ({
  model: 'claude-caller',
  max_tokens: 64,
  messages: [
    { role: 'user', content: [{ type: 'text', text, cache_control: { type: 'ephemeral' } }] },
  ],
  ...extra,
});

const openAIRequest = (text: string, extra: Record<string, unknown> = {}) => ({
  model: 'gpt-caller',
  messages: [
    { role: 'system', content: 'one' },
    { role: 'user', content: text },
  ],
  ...extra,
});

const TOOLS_OPENAI = [
  { type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } },
  { type: 'function', function: { name: 'get_time', parameters: { type: 'object' } } },
];

const chunksOf = (events: { data: string }[]): Json[] =>
  events.filter((e) => e.data !== '[DONE]').map((e): Json => JSON.parse(e.data));

describe('AnthropicCloudBackend, Anthropic caller (pass-through)', () => {
  it('sends x-api-key and anthropic-version, and the body with unknown fields untouched', async () => {
    const { server, backend } = await setup({ apiKey: 'sk-ant-secret-123' });
    const body = anthropicRequest('hi', { metadata: { user_id: 'u1' }, vendor: { a: [1] } });
    const result = await backend.chat('anthropic', body, { model: 'claude-real' });
    const req = server.requests[0]!;
    expect(req.path).toBe('/v1/messages');
    expect(req.headers['x-api-key']).toBe('sk-ant-secret-123');
    expect(req.headers['anthropic-version']).toBe('2023-06-01');
    expect(req.headers.authorization).toBeUndefined();
    expect(req.body).toEqual({ ...body, model: 'claude-real' });
    expect(result.body).toMatchObject({
      type: 'message',
      content: [{ type: 'text', text: 'echo: hi' }],
    });
  });

  it('sends each backend key only to its own upstream', async () => {
    const a = await setup({ apiKey: 'key-for-upstream-a' });
    const b = await setup({ apiKey: 'key-for-upstream-b' });
    await a.backend.chat('anthropic', anthropicRequest('x'));
    await b.backend.chat('anthropic', anthropicRequest('x'));
    expect(a.server.requests.map((r) => r.headers['x-api-key'])).toEqual(['key-for-upstream-a']);
    expect(b.server.requests.map((r) => r.headers['x-api-key'])).toEqual(['key-for-upstream-b']);
  });

  it('accepts a base URL that already ends in /v1', async () => {
    const server = await MockUpstreamServer.start();
    const backend = createAnthropicBackend({
      name: 'c',
      baseUrl: `${server.url}/v1`,
      maxRetries: 0,
    });
    cleanups.push(
      () => server.close(),
      () => backend.close(),
    );
    await backend.chat('anthropic', anthropicRequest('x'));
    expect(server.requests[0]!.path).toBe('/v1/messages');
  });

  it('streams the named events verbatim, ending with message_stop', async () => {
    const transcript =
      'event: message_start\ndata: {"type": "message_start", "message": {"id": "m", "type": "message", "role": "assistant", "model": "c", "content": [], "stop_reason": null, "usage": {"input_tokens": 1, "output_tokens": 1}}}\n\n' +
      'event: ping\ndata: {"type": "ping"}\n\n' +
      'event: message_stop\ndata: {"type": "message_stop"}\n\n';
    const raw = rawSseServer(transcript);
    const { url, close } = await raw.started;
    const backend = createAnthropicBackend({ name: 'raw', baseUrl: url, maxRetries: 0 });
    cleanups.push(close, () => backend.close());
    const events = await collect(backend.chatStream('anthropic', anthropicRequest('x')));
    expect(events.map((e) => e.event)).toEqual(['message_start', 'ping', 'message_stop']);
    expect(events[1]!.data).toBe('{"type": "ping"}');
    expect(raw.bodies[0]).toEqual({ ...anthropicRequest('x'), stream: true });
  });

  it('throws STREAM_UPSTREAM_ERROR on an in-band error event', async () => {
    const { server, backend } = await setup();
    server.script({ errorFirstEvent: true });
    const { error, seen } = await collectFailure(
      backend.chatStream('anthropic', anthropicRequest('x')),
    );
    expect(error.code).toBe('STREAM_UPSTREAM_ERROR');
    expect(seen).toEqual([]);
  });

  it('throws STREAM_TRUNCATED when the stream is cut before message_stop', async () => {
    const { server, backend } = await setup();
    server.script({ cutAfterChunks: 4 });
    const { error, seen } = await collectFailure(
      backend.chatStream('anthropic', anthropicRequest('a b c')),
    );
    expect(error.code).toBe('STREAM_TRUNCATED');
    expect(seen).toHaveLength(4);
  });

  it('probes GET {baseUrl}/v1/models with its auth headers', async () => {
    const { server, backend } = await setup({ apiKey: 'sk-ant-probe-key' });
    expect(await backend.probe()).toBe(true);
    expect(server.requests[0]).toMatchObject({ method: 'GET', path: '/v1/models' });
    expect(server.requests[0]!.headers['x-api-key']).toBe('sk-ant-probe-key');
  });
});

describe('AnthropicCloudBackend, OpenAI caller (translated)', () => {
  it('translates request and response, with the default max_tokens and the route model', async () => {
    const { server, backend } = await setup({ defaultMaxTokens: 321 });
    const result = await backend.chat('openai', openAIRequest('hello', { stop: 'END' }), {
      model: 'claude-route',
    });
    const sent = server.requests[0]!.body as Json;
    expect(sent).toMatchObject({
      model: 'claude-route',
      max_tokens: 321,
      system: 'one',
      stop_sequences: ['END'],
      messages: [{ role: 'user', content: 'hello' }],
    });
    expect(result.body).toMatchObject({
      object: 'chat.completion',
      choices: [
        { index: 0, message: { role: 'assistant', content: 'echo: hello' }, finish_reason: 'stop' },
      ],
      usage: { prompt_tokens: 2, completion_tokens: 3, total_tokens: 5 },
    });
  });

  it('stamps OpenAI `created` from the injected clock, in the answer and in every chunk', async () => {
    const { backend } = await setup();
    const expected = Math.floor(new ManualClock().wallNow() / 1000);
    const result = await backend.chat('openai', openAIRequest('when'));
    expect(result.body.created).toBe(expected);
    const events = await collect(
      backend.chatStream('openai', openAIRequest('when', { stream: true })),
    );
    const created = new Set(chunksOf(events).map((c): unknown => c.created));
    expect([...created]).toEqual([expected]);
  });

  it('sends temperature 1.7 as 1 and reports the clamp in the notes', async () => {
    const { server, backend } = await setup();
    const result = await backend.chat('openai', openAIRequest('x', { temperature: 1.7 }));
    expect((server.requests[0]!.body as Json).temperature).toBe(1);
    expect(result.notes.join(' ')).toContain('1.7');
    const stream = backend.chatStream(
      'openai',
      openAIRequest('x', { temperature: 1.7, stream: true }),
    );
    expect(stream.notes.join(' ')).toContain('clamped');
    await collect(stream);
    expect((server.requests[1]!.body as Json).temperature).toBe(1);
  });

  it('refuses n: 2 with TRANSLATION_UNSUPPORTED before sending any request', async () => {
    const { server, backend } = await setup();
    expect(() => backend.chatStream('openai', openAIRequest('x', { n: 2, stream: true }))).toThrow(
      expect.objectContaining({ code: 'TRANSLATION_UNSUPPORTED', status: 400 }),
    );
    await expect(backend.chat('openai', openAIRequest('x', { n: 2 }))).rejects.toMatchObject({
      code: 'TRANSLATION_UNSUPPORTED',
    });
    expect(server.requests).toHaveLength(0);
  });

  it('translates tool calls in a non-streaming answer', async () => {
    const { backend } = await setup();
    const result = await backend.chat(
      'openai',
      openAIRequest('call tool z', { tools: TOOLS_OPENAI }),
    );
    const choice = (result.body as Json).choices[0];
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.tool_calls).toEqual([
      {
        id: 'toolu_mock_1_0',
        type: 'function',
        function: { name: 'get_weather', arguments: '{"text":"call tool z","index":0}' },
      },
      {
        id: 'toolu_mock_1_1',
        type: 'function',
        function: { name: 'get_time', arguments: '{"text":"call tool z","index":1}' },
      },
    ]);
  });

  it('streams OpenAI chunks: role first, text, tool calls, finish, usage when asked, then [DONE]', async () => {
    const { backend } = await setup();
    const events = await collect(
      backend.chatStream(
        'openai',
        openAIRequest('call tool w', {
          tools: TOOLS_OPENAI,
          stream: true,
          stream_options: { include_usage: true },
        }),
      ),
    );
    expect(events.at(-1)).toEqual({ data: '[DONE]' });
    expect(events.every((e) => e.event === undefined)).toBe(true);
    const chunks = chunksOf(events);
    expect(chunks[0].choices[0].delta.role).toBe('assistant');
    const text = chunks.map((c) => String(c.choices[0]?.delta?.content ?? '')).join('');
    expect(text).toBe('echo: call tool w');
    const calls = new Map<number, { id?: string; name?: string; args: string }>();
    for (const c of chunks) {
      for (const t of c.choices[0]?.delta?.tool_calls ?? []) {
        const call = calls.get(t.index) ?? { args: '' };
        if (t.id) call.id = t.id;
        if (t.function?.name) call.name = t.function.name;
        call.args += t.function?.arguments ?? '';
        calls.set(t.index, call);
      }
    }
    expect([...calls.values()]).toEqual([
      { id: 'toolu_mock_1_0', name: 'get_weather', args: '{"text":"call tool w","index":0}' },
      { id: 'toolu_mock_1_1', name: 'get_time', args: '{"text":"call tool w","index":1}' },
    ]);
    expect(chunks.find((c) => c.choices[0]?.finish_reason).choices[0].finish_reason).toBe(
      'tool_calls',
    );
    expect(chunks.at(-1).choices).toEqual([]);
    expect(chunks.at(-1).usage.completion_tokens).toBeGreaterThan(0);
  });

  it('leaves out the usage chunk unless the caller asked for it', async () => {
    const { backend } = await setup();
    const events = await collect(
      backend.chatStream('openai', openAIRequest('x', { stream: true })),
    );
    expect(chunksOf(events).some((c) => c.usage !== undefined && c.usage !== null)).toBe(false);
  });

  it('throws on a cut upstream stream and never yields [DONE]', async () => {
    const { server, backend } = await setup();
    server.script({ cutAfterChunks: 5 });
    const { error, seen } = await collectFailure(
      backend.chatStream('openai', openAIRequest('a b c d')),
    );
    expect(error.code).toBe('STREAM_TRUNCATED');
    expect(seen.some((e) => e.data === '[DONE]')).toBe(false);
  });
});

describe('AnthropicCloudBackend with unnamed events', () => {
  it('reads event types from the data when a proxy drops the event: lines', async () => {
    const events = [
      {
        type: 'message_start',
        message: {
          id: 'msg_1',
          type: 'message',
          role: 'assistant',
          model: 'c',
          content: [],
          stop_reason: null,
          usage: { input_tokens: 3, output_tokens: 1 },
        },
      },
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'ping' },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'ok' } },
      { type: 'content_block_stop', index: 0 },
      {
        type: 'message_delta',
        delta: { stop_reason: 'end_turn', stop_sequence: null },
        usage: { output_tokens: 2 },
      },
      { type: 'message_stop' },
    ];
    const raw = rawSseServer(events.map((e) => `data: ${JSON.stringify(e)}\n\n`).join(''));
    const { url, close } = await raw.started;
    const backend = createAnthropicBackend({ name: 'proxy', baseUrl: url, maxRetries: 0 });
    cleanups.push(close, () => backend.close());
    const out = await collect(backend.chatStream('openai', openAIRequest('x')));
    expect(out.at(-1)!.data).toBe('[DONE]');
    const text = chunksOf(out)
      .map((c) => String(c.choices[0]?.delta?.content ?? ''))
      .join('');
    expect(text).toBe('ok');
  });
});

describe('AnthropicCloudBackend early stop', () => {
  it('closes the upstream request when an OpenAI caller stops reading a translated stream', async () => {
    const { server, backend } = await setup();
    server.script({ stallMs: 60_000, stallAfterChunks: 4 });
    const stream = backend.chatStream('openai', openAIRequest('a b c', { stream: true }));
    for await (const event of stream) {
      if (event.data.includes('"content"')) break;
    }
    await server.waitForClientDisconnects(1);
    expect(server.clientDisconnects).toBe(1);
    expect(backend.circuitBreaker.failCounter).toBe(0);
  });
});
