import { afterEach, describe, expect, it } from 'vitest';
import { request } from 'undici';
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { MockUpstreamServer } from '../../../src/backends/mock/index.js';
import { post, sse } from './mock-http.js';
import { ManualClock } from '../../../src/time/manual-clock.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire JSON is probed field by field
type Json = any;

let server: MockUpstreamServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: Parameters<typeof MockUpstreamServer.start>[0] = {}) {
  server = await MockUpstreamServer.start(options);
  return server;
}

const openAIBody = (text: string, extra: Record<string, unknown> = {}) => ({
  model: 'gpt-test',
  messages: [
    { role: 'system', content: 'be brief' },
    { role: 'user', content: text },
  ],
  ...extra,
});

const anthropicBody = (text: string, extra: Record<string, unknown> = {}) => ({
  model: 'claude-test',
  max_tokens: 100,
  messages: [{ role: 'user', content: [{ type: 'text', text }] }],
  ...extra,
});

const TOOLS_OPENAI = [
  { type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } },
  { type: 'function', function: { name: 'get_time', parameters: { type: 'object' } } },
];
const TOOLS_ANTHROPIC = [
  { name: 'get_weather', input_schema: { type: 'object' } },
  { name: 'get_time', input_schema: { type: 'object' } },
];

describe('MockUpstreamServer happy paths', () => {
  it('answers an OpenAI chat completion with an echo of the last user text and records the request', async () => {
    const s = await start();
    const res = await post(
      `${s.openaiBaseUrl}/chat/completions`,
      openAIBody('hello there', { seed: 7 }),
      {
        authorization: 'Bearer k',
      },
    );
    const body = (await res.body.json()) as Json;
    expect(res.statusCode).toBe(200);
    expect(body.object).toBe('chat.completion');
    expect(body.model).toBe('gpt-test');
    expect(body.choices[0].message).toMatchObject({
      role: 'assistant',
      content: 'echo: hello there',
    });
    expect(body.choices[0].finish_reason).toBe('stop');
    expect(body.usage).toEqual({ prompt_tokens: 3, completion_tokens: 5, total_tokens: 8 });
    expect(s.requests).toHaveLength(1);
    expect(s.requests[0]).toMatchObject({ method: 'POST', path: '/v1/chat/completions' });
    expect((s.requests[0]!.body as Json).seed).toBe(7);
    expect(s.requests[0]!.headers.authorization).toBe('Bearer k');
  });

  it('streams OpenAI chunks: role first, text pieces, finish, usage when asked, then [DONE]', async () => {
    const s = await start();
    const res = await post(
      `${s.openaiBaseUrl}/chat/completions`,
      openAIBody('one two three', { stream: true, stream_options: { include_usage: true } }),
    );
    expect(res.headers['content-type']).toContain('text/event-stream');
    const events = sse(await res.body.text());
    expect(events.at(-1)!.data).toBe('[DONE]');
    const chunks = events.slice(0, -1).map((e): Json => JSON.parse(e.data));
    expect(chunks[0].choices[0].delta.role).toBe('assistant');
    const text = chunks.map((c): Json => c.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe('echo: one two three');
    expect(chunks.filter((c) => c.choices[0]?.delta.content).length).toBeGreaterThanOrEqual(4);
    expect(chunks.at(-2).choices[0].finish_reason).toBe('stop');
    expect(chunks.at(-1).choices).toEqual([]);
    expect(chunks.at(-1).usage.prompt_tokens).toBe(4);
  });

  it('leaves out the usage chunk unless stream_options.include_usage is set', async () => {
    const s = await start();
    const res = await post(
      `${s.openaiBaseUrl}/chat/completions`,
      openAIBody('hi', { stream: true }),
    );
    const events = sse(await res.body.text());
    expect(events.some((e) => e.data.includes('"usage"'))).toBe(false);
  });

  it('streams the exact Anthropic event sequence ending with message_stop', async () => {
    const s = await start();
    const res = await post(`${s.url}/v1/messages`, anthropicBody('a b', { stream: true }));
    const events = sse(await res.body.text());
    expect(events.map((e) => e.event)).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    for (const e of events) expect(JSON.parse(e.data).type).toBe(e.event);
  });

  it('answers with tool calls in both protocols when the text starts with "call tool" and tools are given', async () => {
    const s = await start();
    const o = await post(
      `${s.openaiBaseUrl}/chat/completions`,
      openAIBody('call tool please', { tools: TOOLS_OPENAI }),
    );
    const ob = (await o.body.json()) as Json;
    expect(ob.choices[0].finish_reason).toBe('tool_calls');
    expect(ob.choices[0].message.tool_calls.map((c: Json) => String(c.function.name))).toEqual([
      'get_weather',
      'get_time',
    ]);
    expect(JSON.parse(ob.choices[0].message.tool_calls[1].function.arguments)).toEqual({
      text: 'call tool please',
      index: 1,
    });
    const a = await post(
      `${s.url}/v1/messages`,
      anthropicBody('call tool please', { tools: TOOLS_ANTHROPIC }),
    );
    const ab = (await a.body.json()) as Json;
    expect(ab.stop_reason).toBe('tool_use');
    expect(ab.content.map((b: Json) => String(b.type))).toEqual(['text', 'tool_use', 'tool_use']);
    expect(ab.content[2].input).toEqual({ text: 'call tool please', index: 1 });
  });

  it('counts but does not keep requests when recordRequests is off', async () => {
    const s = await start({ recordRequests: false });
    const res = await post(`${s.openaiBaseUrl}/chat/completions`, openAIBody('x'));
    await res.body.dump();
    await s.waitForRequests(1);
    expect(s.requestCount).toBe(1);
    expect(s.requests).toEqual([]);
  });

  it('lists models on /v1/models and /models', async () => {
    const s = await start();
    for (const path of ['/v1/models', '/models']) {
      const res = await request(`${s.url}${path}`);
      expect(res.statusCode).toBe(200);
      expect(((await res.body.json()) as Json).data[0].id).toBe('mock-model');
    }
  });

  it('answers an unknown path with 404', async () => {
    const s = await start();
    const res = await request(`${s.url}/nope`);
    expect(res.statusCode).toBe(404);
    await res.body.dump();
  });
});

describe('MockUpstreamServer faults', () => {
  it('answers a scripted status with Retry-After and a protocol-shaped error body, one fault per request', async () => {
    const s = await start({ faults: [{ status: 429, retryAfterSeconds: 2 }] });
    s.script({ status: 529 });
    const first = await post(`${s.openaiBaseUrl}/chat/completions`, openAIBody('x'));
    expect(first.statusCode).toBe(429);
    expect(first.headers['retry-after']).toBe('2');
    expect(((await first.body.json()) as Json).error.type).toBe('rate_limit_error');
    const second = await post(`${s.url}/v1/messages`, anthropicBody('x'));
    expect(second.statusCode).toBe(529);
    expect(await second.body.json()).toMatchObject({
      type: 'error',
      error: { type: 'overloaded_error' },
    });
    const third = await post(`${s.url}/v1/messages`, anthropicBody('x'));
    expect(third.statusCode).toBe(200);
    await third.body.dump();
  });

  it('takes a fault from the x-mock-fault header without consuming the script', async () => {
    const s = await start({ faults: [{ status: 500 }] });
    const res = await post(`${s.openaiBaseUrl}/chat/completions`, openAIBody('x'), {
      'x-mock-fault': JSON.stringify({ status: 503 }),
    });
    expect(res.statusCode).toBe(503);
    await res.body.dump();
    expect(s.pendingFaults).toBe(1);
  });

  it('rejects an invalid x-mock-fault header with 400', async () => {
    const s = await start();
    const res = await post(`${s.openaiBaseUrl}/chat/completions`, openAIBody('x'), {
      'x-mock-fault': '{"stallMs":"long"}',
    });
    expect(res.statusCode).toBe(400);
    expect(((await res.body.json()) as Json).error.message).toContain('stallMs');
  });

  it('sends an in-band error as the first event of a 200 stream', async () => {
    const s = await start({ faults: [{ errorFirstEvent: true }, { errorFirstEvent: true }] });
    const o = await post(`${s.openaiBaseUrl}/chat/completions`, openAIBody('x', { stream: true }));
    expect(o.statusCode).toBe(200);
    const oe = sse(await o.body.text());
    expect(oe).toHaveLength(1);
    expect(JSON.parse(oe[0]!.data).error.type).toBe('server_error');
    const a = await post(`${s.url}/v1/messages`, anthropicBody('x', { stream: true }));
    const ae = sse(await a.body.text());
    expect(ae.map((e) => e.event)).toEqual(['error']);
  });

  it('cuts a stream after N events: the client sees N events and a broken body', async () => {
    const s = await start({ faults: [{ cutAfterChunks: 3 }] });
    const res = await post(
      `${s.openaiBaseUrl}/chat/completions`,
      openAIBody('a b c d e', { stream: true }),
    );
    let received = '';
    await expect(
      (async () => {
        for await (const chunk of res.body) received += String(chunk);
      })(),
    ).rejects.toThrow();
    expect(sse(received)).toHaveLength(3);
    expect(received).not.toContain('[DONE]');
  });

  it('cuts a JSON answer half-way', async () => {
    const s = await start({ faults: [{ cutAfterChunks: 0 }] });
    const res = await post(`${s.openaiBaseUrl}/chat/completions`, openAIBody('x'));
    expect(res.statusCode).toBe(200);
    await expect(res.body.text()).rejects.toThrow();
  });

  it('resets the connection before any byte', async () => {
    const s = await start({ faults: [{ resetConnection: true }] });
    await expect(post(`${s.openaiBaseUrl}/chat/completions`, openAIBody('x'))).rejects.toThrow();
    expect(s.requests).toHaveLength(1);
  });

  it('writes a malformed event after the first one', async () => {
    const s = await start({ faults: [{ malformedSse: true }] });
    const res = await post(`${s.url}/v1/messages`, anthropicBody('x', { stream: true }));
    const events = sse(await res.body.text());
    expect(() => void JSON.parse(events[1]!.data)).toThrow();
    expect(events.at(-1)!.event).toBe('message_stop');
  });

  it('stalls mid-stream on the injected clock and resumes when it advances', async () => {
    const clock = new ManualClock();
    const s = await start({ clock, faults: [{ stallMs: 5_000, stallAfterChunks: 2 }] });
    const res = await post(
      `${s.openaiBaseUrl}/chat/completions`,
      openAIBody('a b', { stream: true }),
    );
    const it = res.body[Symbol.asyncIterator]();
    let received = '';
    while (sse(received).length < 2) received += String((await it.next()).value);
    await clock.waitForTimers(1);
    expect(clock.pendingDelays()).toEqual([5_000]);
    expect(sse(received)).toHaveLength(2);
    await clock.advance(5_000);
    for (let r = await it.next(); r.done !== true; r = await it.next()) received += String(r.value);
    expect(sse(received).at(-1)!.data).toBe('[DONE]');
  });

  it('waits latencyMs on the injected clock before answering', async () => {
    const clock = new ManualClock();
    const s = await start({ clock, faults: [{ latencyMs: 750 }] });
    const pending = post(`${s.url}/v1/messages`, anthropicBody('x'));
    await clock.waitForTimers(1);
    expect(clock.pendingDelays()).toEqual([750]);
    await clock.advance(750);
    const res = await pending;
    expect(res.statusCode).toBe(200);
    await res.body.dump();
  });

  it('sends stream headers at once and the first event only after firstByteDelayMs', async () => {
    const clock = new ManualClock();
    const s = await start({ clock, faults: [{ firstByteDelayMs: 300 }] });
    const res = await post(`${s.url}/v1/messages`, anthropicBody('x', { stream: true }));
    expect(res.statusCode).toBe(200);
    await clock.waitForTimers(1);
    expect(clock.pendingDelays()).toEqual([300]);
    const text = res.body.text();
    await clock.advance(300);
    expect(sse(await text).at(-1)!.event).toBe('message_stop');
  });

  it('stalls a JSON answer after its headers', async () => {
    const clock = new ManualClock();
    const s = await start({ clock, faults: [{ stallMs: 2_000 }] });
    const res = await post(`${s.openaiBaseUrl}/chat/completions`, openAIBody('x'));
    expect(res.statusCode).toBe(200);
    await clock.waitForTimers(1);
    const body = res.body.json();
    await clock.advance(2_000);
    expect(((await body) as Json).choices[0].message.content).toBe('echo: x');
  });

  it('counts a client that goes away during a stall', async () => {
    const clock = new ManualClock();
    const s = await start({ clock, faults: [{ stallMs: 60_000 }] });
    const res = await post(
      `${s.openaiBaseUrl}/chat/completions`,
      openAIBody('x', { stream: true }),
    );
    await clock.waitForTimers(1);
    res.body.destroy();
    await s.waitForClientDisconnects(1);
    expect(s.clientDisconnects).toBe(1);
    expect(clock.pendingTimers).toBe(0);
  });
});

describe('MockUpstreamServer with the official SDKs', () => {
  it('is assembled by the openai SDK stream helper, tool calls included', async () => {
    const s = await start();
    const client = new OpenAI({ baseURL: s.openaiBaseUrl, apiKey: 'k', maxRetries: 0 });
    const stream = client.chat.completions.stream({
      model: 'gpt-test',
      messages: [{ role: 'user', content: 'call tool now' }],
      tools: TOOLS_OPENAI as Json,
      stream_options: { include_usage: true },
    });
    const final = await stream.finalChatCompletion();
    expect(final.choices[0]!.message.content).toBe('echo: call tool now');
    expect(final.choices[0]!.message.tool_calls!.map((c: Json): Json => c.id)).toEqual([
      'call_mock_1_0',
      'call_mock_1_1',
    ]);
    expect(final.choices[0]!.finish_reason).toBe('tool_calls');
    expect(final.usage!.completion_tokens).toBeGreaterThan(0);
  });

  it('is assembled by the Anthropic SDK MessageStream, tool inputs parsed', async () => {
    const s = await start();
    const client = new Anthropic({ baseURL: s.anthropicBaseUrl, apiKey: 'k', maxRetries: 0 });
    const final = await client.messages
      .stream({
        model: 'claude-test',
        max_tokens: 50,
        messages: [{ role: 'user', content: 'call tool now' }],
        tools: TOOLS_ANTHROPIC as Json,
      })
      .finalMessage();
    expect(final.content.map((b) => b.type)).toEqual(['text', 'tool_use', 'tool_use']);
    expect((final.content[1] as Json).input).toEqual({ text: 'call tool now', index: 0 });
    expect(final.stop_reason).toBe('tool_use');
    expect(final.usage.input_tokens).toBe(4);
  });
});
