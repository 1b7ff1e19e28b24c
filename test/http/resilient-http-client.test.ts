import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CloudBackendClient, ResilientHttpClient } from '../../src/http/index.js';
import type { StreamCodec } from '../../src/http/index.js';
import { CircuitBreakerError } from '../../src/resilience/index.js';
import type { SseEvent } from '../../src/sse/index.js';
import { ManualClock } from '../../src/time/manual-clock.js';
import { ScriptedServer } from '../support/scripted-server.js';
import { collect, fireDueTimers, transcript } from './test-client.js';

/** A `[DONE]`-terminated codec with `event: error` in-band errors, as plain functions. */
const DONE_CODEC: StreamCodec = {
  hasTerminal: true,
  isTerminal: (event: SseEvent) => event.data === '[DONE]',
  isKeepAlive: (event: SseEvent) => event.event === 'ping',
  inBandError: (event: SseEvent) =>
    event.event === 'error' ? (JSON.parse(event.data) as unknown) : undefined,
};

describe('ResilientHttpClient, used directly (no subclass)', () => {
  const KEY = 'sk-direct-0123456789abcdef';
  let server: ScriptedServer;
  let clock: ManualClock;
  let client: ResilientHttpClient;
  let stopTimers: (() => void) | undefined;

  beforeEach(async () => {
    server = await ScriptedServer.start();
    clock = new ManualClock();
    client = new ResilientHttpClient({
      baseUrl: `${server.url}/v1`,
      name: 'direct',
      apiKey: KEY,
      clock,
      random: () => 0,
      headers: { 'x-static': 's' },
      dynamicHeaders: () => ({ authorization: `Bearer ${KEY}` }),
      circuitBreaker: { failMax: 2, resetTimeoutMs: 10_000 },
    });
  });
  afterEach(async () => {
    stopTimers?.();
    stopTimers = undefined;
    await client.close();
    await server.close();
  });

  it('posts JSON with static, dynamic and per-call headers and resolves with the parsed body', async () => {
    server.script({ type: 'json', body: { id: 'r1' } });
    const result = await client.post('/chat/completions', { a: 1 }, { headers: { 'x-call': 'c' } });
    expect(result).toMatchObject({ status: 200, body: { id: 'r1' }, attempts: 1 });
    expect(server.requests[0]).toMatchObject({
      method: 'POST',
      path: '/v1/chat/completions',
      body: '{"a":1}',
      headers: {
        'content-type': 'application/json',
        'x-static': 's',
        'x-call': 'c',
        authorization: `Bearer ${KEY}`,
      },
    });
  });

  it('retries a 503 and answers from the second attempt with one breaker success', async () => {
    stopTimers = fireDueTimers(clock);
    client.circuitBreaker.failure();
    server.script({ type: 'json', status: 503 }, { type: 'json', body: { ok: 2 } });
    const result = await client.post('/x', {});
    expect(result).toMatchObject({ body: { ok: 2 }, attempts: 2 });
    expect(server.requests).toHaveLength(2);
    expect(client.circuitBreaker.failCounter).toBe(0);
    expect(client.lastErrorCode).toBeUndefined();
  });

  it('opens its breaker after two failed calls and then refuses without a request', async () => {
    server.setFallback({ type: 'json', status: 401 });
    await expect(client.post('/x', {})).rejects.toMatchObject({ code: 'UPSTREAM_AUTH' });
    await expect(client.post('/x', {})).rejects.toMatchObject({ code: 'UPSTREAM_AUTH' });
    expect(client.isCircuitOpen).toBe(true);
    expect(client.lastErrorCode).toBe('UPSTREAM_AUTH');
    await expect(client.post('/x', {})).rejects.toBeInstanceOf(CircuitBreakerError);
    expect(server.requests).toHaveLength(2);
  });

  it('streams with the codec it is given: terminal event ends it as a success', async () => {
    client.circuitBreaker.failure();
    server.script({ type: 'sse', events: transcript(3) });
    const stream = client.stream('/chat/completions', { stream: true }, DONE_CODEC);
    const { events, error } = await collect(stream);
    expect(error).toBeUndefined();
    expect(events.map((e) => e.data)).toEqual(transcript(3).map((e) => e.data));
    expect(stream.attempts).toBe(1);
    expect(client.circuitBreaker.failCounter).toBe(0);
  });

  it('with a terminal rule, a body ending without the terminal event is STREAM_TRUNCATED', async () => {
    server.script({ type: 'sse', events: transcript(3).slice(0, 3) });
    const { events, error } = await collect(client.stream('/x', {}, DONE_CODEC));
    expect(events).toHaveLength(3);
    expect(error).toMatchObject({ code: 'STREAM_TRUNCATED', backend: 'direct' });
  });

  it('without a codec (plain SSE) the same body is a clean end', async () => {
    server.script({ type: 'sse', events: transcript(3).slice(0, 3) });
    const { events, error } = await collect(client.stream('/x', {}));
    expect(events).toHaveLength(3);
    expect(error).toBeUndefined();
  });

  it("fails the stream on the codec's in-band error before any event reaches the consumer", async () => {
    server.script(
      {
        type: 'sse',
        events: [{ event: 'error', data: '{"error":{"type":"overloaded_error"}}' }],
      },
      { type: 'sse', events: transcript(1) },
    );
    stopTimers = fireDueTimers(clock);
    const { events, error } = await collect(client.stream('/x', {}, DONE_CODEC));
    // Nothing had been yielded: the in-band failure is retried and the second attempt answers.
    expect(error).toBeUndefined();
    expect(events.map((e) => e.data)).toEqual(transcript(1).map((e) => e.data));
    expect(server.requests).toHaveLength(2);
  });

  it('GETs with a timeout and resolves for any status, without retry', async () => {
    server.script({ type: 'json', status: 500, body: { down: true } });
    await expect(client.get('/models', { timeoutMs: 1_000 })).resolves.toEqual({
      status: 500,
      body: { down: true },
    });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]).toMatchObject({ method: 'GET', path: '/v1/models' });
  });

  it('never reveals its key through JSON or its enumerable fields', () => {
    expect(JSON.stringify(client)).not.toContain(KEY);
    expect(Object.values(client).join(' ')).not.toContain(KEY);
  });
});

describe('CloudBackendClient over a ResilientHttpClient', () => {
  class CodecClient extends CloudBackendClient {
    protected buildHeaders(): Record<string, string> {
      return {};
    }
    /** With a codec passed in, or with no rules of its own (plain SSE). */
    open(codec?: StreamCodec): AsyncIterable<SseEvent> {
      return this.streamWithCircuitBreaker('/x', {}, {}, codec);
    }
  }
  class FieldRuleClient extends CloudBackendClient {
    protected buildHeaders(): Record<string, string> {
      return {};
    }
    // A rule defined as a field exists only after the base constructor: read lazily, it counts.
    protected override isTerminalEvent = (event: SseEvent): boolean => event.data === '[DONE]';
    open(): AsyncIterable<SseEvent> {
      return this.streamWithCircuitBreaker('/x', {});
    }
  }
  let server: ScriptedServer;
  beforeEach(async () => {
    server = await ScriptedServer.start();
  });
  afterEach(async () => {
    await server.close();
  });

  it('reads a stream with the codec a subclass passes, else with its own (absent) rules', async () => {
    const client = new CodecClient({ baseUrl: server.url, maxRetries: 0 });
    const cut = { type: 'sse' as const, events: transcript(2).slice(0, 2) };
    server.script(cut, cut);
    expect((await collect(client.open(DONE_CODEC))).error).toMatchObject({
      code: 'STREAM_TRUNCATED',
    });
    expect((await collect(client.open())).error).toBeUndefined();
    await client.close();
  });

  it('honours a terminal rule defined as a subclass field', async () => {
    const client = new FieldRuleClient({ baseUrl: server.url, maxRetries: 0 });
    server.script({ type: 'sse', events: transcript(2).slice(0, 2) });
    expect((await collect(client.open())).error).toMatchObject({ code: 'STREAM_TRUNCATED' });
    await client.close();
  });
});
