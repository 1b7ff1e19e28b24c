import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CircuitBreakerError } from '../../src/resilience/index.js';
import { MAX_SSE_BUFFER_CHARS, encodeSseEvent, parseSse } from '../../src/sse/index.js';
import type { SseBatch, SseEvent } from '../../src/sse/index.js';
import { ManualClock } from '../../src/time/manual-clock.js';
import { ScriptedServer, gate } from '../support/scripted-server.js';
import {
  PlainStreamClient,
  collect,
  fireDueTimers,
  testClient,
  transcript,
} from './test-client.js';
import type { TestClient } from './test-client.js';

describe('CloudBackendClient.streamWithCircuitBreaker', () => {
  let server: ScriptedServer;
  let clock: ManualClock;
  let client: TestClient;
  let stopTimers: (() => void) | undefined;

  beforeEach(async () => {
    server = await ScriptedServer.start();
    clock = new ManualClock();
    client = testClient(`${server.url}/v1`, clock, { idleTimeoutMs: 5_000, timeoutMs: 20_000 });
  });
  afterEach(async () => {
    stopTimers?.();
    stopTimers = undefined;
    await client.close();
    await server.close();
  });

  it('delivers 5 events and the terminal event, then records a success', async () => {
    client.circuitBreaker.failure(); // a success must reset this
    server.script({ type: 'sse', events: transcript(5) });
    const stream = client.stream('/chat/completions', { stream: true });
    const { events, error } = await collect(stream);
    expect(error).toBeUndefined();
    expect(events.map((e) => e.data)).toEqual([...transcript(5).map((e) => e.data)]);
    expect(stream.attempts).toBe(1);
    expect(client.circuitBreaker.failCounter).toBe(0);
  });

  it('is lazy: nothing is sent before the first next()', async () => {
    server.script({ type: 'sse', events: transcript(1) });
    const stream = client.stream('/x', {});
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(server.requests).toHaveLength(0);
    await collect(stream);
    expect(server.requests).toHaveLength(1);
  });

  it('throws after 2 events when the socket is cut: 1 request, 1 failure', async () => {
    server.script({ type: 'sse', events: transcript(5), cutAfter: 2 });
    const stream = client.stream('/x', {});
    const { events, error } = await collect(stream);
    expect(events).toHaveLength(2);
    expect(error).toMatchObject({ code: 'STREAM_TRUNCATED', attempts: 1, backend: 'test' });
    expect(server.requests).toHaveLength(1);
    expect(client.circuitBreaker.failCounter).toBe(1);
    expect(client.lastErrorCode).toBe('STREAM_TRUNCATED');
  });

  it('throws STREAM_TRUNCATED when the body ends cleanly without the terminal event', async () => {
    server.script({ type: 'sse', events: transcript(3).slice(0, 3) });
    const { events, error } = await collect(client.stream('/x', {}));
    expect(events).toHaveLength(3);
    expect(error).toMatchObject({ code: 'STREAM_TRUNCATED' });
    expect(client.circuitBreaker.failCounter).toBe(1);
  });

  it('is not a success when the connection breaks after the terminal event, before the body ended', async () => {
    server.script({ type: 'sse', events: transcript(2), cutAfter: 3 });
    const { events, error } = await collect(client.stream('/x', {}));
    expect(events.map((e) => e.data)).toEqual(['{"n":0}', '{"n":1}', '[DONE]']);
    expect(error).toMatchObject({ code: 'STREAM_TRUNCATED', attempts: 1 });
    expect(client.circuitBreaker.failCounter).toBe(1);
    expect(server.requests).toHaveLength(1);
  });

  it('ends at the end of the body when the subclass defines no terminal event', async () => {
    const plain = new PlainStreamClient({ baseUrl: server.url, clock });
    server.script({ type: 'sse', events: [{ data: 'a' }, { data: 'b' }] });
    const { events, error } = await collect(plain.stream('/x', {}));
    expect(error).toBeUndefined();
    expect(events.map((e) => e.data)).toEqual(['a', 'b']);
    await plain.close();
  });

  it('closes the upstream connection and records nothing when the consumer breaks after 1 event', async () => {
    client.circuitBreaker.failure(); // a success would reset this, a failure raise it
    const hold = gate();
    server.script({ type: 'sse', events: [...transcript(2).slice(0, 2), { wait: hold.promise }] });
    for await (const event of client.stream('/x', {})) {
      expect(event.data).toBe('{"n":0}');
      break;
    }
    await server.waitForClientClose(1);
    expect(server.closedByClient).toBe(1);
    expect(client.circuitBreaker.failCounter).toBe(1);
    expect(client.lastErrorCode).toBeUndefined();
    expect(clock.pendingTimers).toBe(0);
    hold.open();
  });

  it('retries a 503 and a reset before the first event, invisibly to the consumer', async () => {
    stopTimers = fireDueTimers(clock);
    server.script(
      { type: 'json', status: 503 },
      { type: 'reset' },
      { type: 'sse', events: transcript(2) },
    );
    const stream = client.stream('/x', {});
    const { events, error } = await collect(stream);
    expect(error).toBeUndefined();
    expect(events).toHaveLength(3);
    expect(stream.attempts).toBe(3);
    expect(server.requests).toHaveLength(3);
    expect(server.closedByClient).toBe(0); // the server's own reset is not the client's close
  });

  it('does not retry a 503 with retry-after-ms: 1500 before 1500 ms of clock time', async () => {
    server.script(
      { type: 'json', status: 503, headers: { 'retry-after-ms': '1500' } },
      { type: 'sse', events: transcript(1) },
    );
    const stream = client.stream('/x', {});
    const done = collect(stream);
    await server.waitForRequests(1);
    for (let i = 0; i < 10_000 && !clock.pendingDelays().includes(1_500); i++)
      await new Promise<void>((resolve) => setImmediate(resolve));
    await clock.advance(1_499);
    expect(server.requests).toHaveLength(1);
    await clock.advance(1);
    expect((await done).error).toBeUndefined();
    expect(stream.attempts).toBe(2);
  });

  it('gives up at once with RATE_LIMITED and the hint when Retry-After passes the deadline', async () => {
    server.script({ type: 'json', status: 429, headers: { 'retry-after': '120' } });
    const { events, error } = await collect(client.stream('/x', {}));
    expect(events).toHaveLength(0);
    expect(error).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 120_000, attempts: 1 });
    expect(server.requests).toHaveLength(1);
    expect(clock.now()).toBe(0);
  });

  it('fails on an endless error body after reading its first part, without waiting for its end', async () => {
    server.script({
      type: 'sse',
      status: 400,
      events: [{ raw: 'x'.repeat(100_000) }],
      stallAfter: 1,
    });
    const { error } = await collect(client.stream('/x', {}));
    expect(error).toMatchObject({ code: 'UPSTREAM_BAD_REQUEST', status: 400, attempts: 1 });
    expect((error as { upstreamBody: unknown }).upstreamBody).toHaveLength(16_384);
  });

  it('fails with a non-retryable UPSTREAM_RESPONSE_TOO_LARGE on a line longer than the SSE buffer limit, after the events before it, without a breaker failure', async () => {
    stopTimers = fireDueTimers(clock); // a retry, were one decided, would run on its own
    server.script({
      type: 'sse',
      // One line with no end that outgrows the parser's limit, then silence: without the limit
      // the client would buffer it until the idle timeout, holding the whole line in memory.
      events: [{ data: '{"n":0}' }, { raw: `data: ${'x'.repeat(MAX_SSE_BUFFER_CHARS)}` }],
      stallAfter: 2,
    });
    const { events, error } = await collect(client.stream('/x', {}));
    expect(events.map((e) => e.data)).toEqual(['{"n":0}']);
    expect(error).toMatchObject({ code: 'UPSTREAM_RESPONSE_TOO_LARGE', attempts: 1 });
    expect((error as Error).message).toContain(`${MAX_SSE_BUFFER_CHARS} characters`);
    // The backend answered; its answer is too big: that is no sign of an unhealthy backend.
    expect(client.circuitBreaker.failCounter).toBe(0);
  });

  it('does not retry an endless first line: the same upstream would send it again', async () => {
    stopTimers = fireDueTimers(clock);
    server.script({
      type: 'sse',
      events: [{ raw: `data: ${'x'.repeat(MAX_SSE_BUFFER_CHARS)}` }],
      stallAfter: 1,
    });
    const { events, error } = await collect(client.stream('/x', {}));
    expect(events).toHaveLength(0);
    expect(error).toMatchObject({ code: 'UPSTREAM_RESPONSE_TOO_LARGE', attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it('hands out batches whose text is exactly their events, also when an event is split across reads', async () => {
    server.script({
      type: 'sse',
      events: [
        { raw: ': keep-alive\n\ndata: {"n":0}\n\ndata: {"n"' },
        { raw: ':1}\r\n\r\nevent: x\ndata: {"n":2}\n\n' },
        { data: '[DONE]' },
      ],
    });
    const batches: SseBatch[] = [];
    for await (const batch of client.stream('/x', {}).batches()) batches.push(batch);
    expect(batches.flatMap((b) => b.events.map((e) => e.data))).toEqual([
      '{"n":0}',
      '{"n":1}',
      '{"n":2}',
      '[DONE]',
    ]);
    // However the reads fell, each batch's text is well-formed on its own: a writer can
    // forward it, and a stream failing after it still ends on an event boundary.
    for (const batch of batches) expect(await parseText(batch.text)).toEqual(batch.events);
  });

  it('retries a stream cut before its first event', async () => {
    stopTimers = fireDueTimers(clock);
    server.script(
      { type: 'sse', events: transcript(2), cutAfter: 0 },
      { type: 'sse', events: transcript(2) },
    );
    const stream = client.stream('/x', {});
    expect((await collect(stream)).events).toHaveLength(3);
    expect(stream.attempts).toBe(2);
  });

  it('fails with TIMEOUT when the stream stalls longer than idleTimeoutMs; keep-alives do not reset it', async () => {
    const ping = gate();
    server.script({
      type: 'sse',
      events: [{ data: '{"n":0}' }, { wait: ping.promise }, { event: 'ping', data: '{}' }],
      stallAfter: 2,
    });
    const seen: string[] = [];
    const done = (async () => {
      try {
        for await (const event of client.stream('/x', {})) seen.push(event.event ?? event.data);
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    await clock.waitForTimers(1);
    while (seen.length < 1) await new Promise<void>((resolve) => setImmediate(resolve));
    await clock.advance(4_000);
    ping.open();
    while (seen.length < 2) await new Promise<void>((resolve) => setImmediate(resolve));
    expect(seen).toEqual(['{"n":0}', 'ping']);
    await clock.advance(999);
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(clock.pendingTimers).toBe(1);
    await clock.advance(1);
    expect(await done).toMatchObject({ code: 'TIMEOUT', attempts: 1 });
    expect(clock.now()).toBe(5_000);
    expect(client.circuitBreaker.failCounter).toBe(1);
    await server.waitForClientClose(1);
  });

  it('progress events reset the idle timer', async () => {
    const next = gate();
    server.script({
      type: 'sse',
      events: [{ data: '{"n":0}' }, { wait: next.promise }, ...transcript(1)],
    });
    const seen: string[] = [];
    const done = (async () => {
      for await (const event of client.stream('/x', {})) seen.push(event.data);
    })();
    while (seen.length < 1) await new Promise<void>((resolve) => setImmediate(resolve));
    await clock.advance(4_000);
    next.open();
    while (seen.length < 2) await new Promise<void>((resolve) => setImmediate(resolve));
    await clock.advance(4_000); // 8 s since the first event, 4 s since the last: fine
    await done;
    expect(seen).toEqual(['{"n":0}', '{"n":0}', '[DONE]']);
  });

  it('does not time out while the consumer itself is slow to take the next event', async () => {
    server.script({ type: 'sse', events: transcript(2) });
    const iterator = client.stream('/x', {})[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toEqual({ data: '{"n":0}' });
    await clock.advance(12_000); // idle timeout is 5 s, but we are the ones not reading
    const rest: string[] = [];
    for (let r = await iterator.next(); r.done !== true; r = await iterator.next())
      rest.push(r.value.data);
    expect(rest).toEqual(['{"n":1}', '[DONE]']);
    expect(client.circuitBreaker.failCounter).toBe(0);
  });

  it('fails with TIMEOUT when no first event arrives within firstByteTimeoutMs and the deadline', async () => {
    server.setFallback({ type: 'stall' });
    const quick = testClient(`${server.url}/v1`, clock, {
      timeoutMs: 3_000,
      firstByteTimeoutMs: 2_000,
      maxRetries: 3,
    });
    const done = collect(quick.stream('/x', {}));
    await server.waitForRequests(1);
    await clock.advance(2_000); // attempt 1 times out; retry after 0 ms backoff with 1 s left
    await clock.advance(0);
    await server.waitForRequests(2);
    await clock.advance(1_000); // attempt 2 is cut by the deadline
    const { error } = await done;
    expect(error).toMatchObject({ code: 'TIMEOUT', attempts: 2 });
    expect(quick.circuitBreaker.failCounter).toBe(1);
    await quick.close();
  });

  it('throws STREAM_UPSTREAM_ERROR for an in-band error after events, without retry', async () => {
    const hold = gate();
    server.script({
      type: 'sse',
      events: [
        { data: '{"n":0}' },
        { event: 'error', data: '{"error":{"type":"overloaded_error"}}' },
        { wait: hold.promise },
      ],
    });
    const { events, error } = await collect(client.stream('/x', {}));
    expect(events).toHaveLength(1);
    expect(error).toMatchObject({
      code: 'STREAM_UPSTREAM_ERROR',
      upstreamBody: { error: { type: 'overloaded_error' } },
      attempts: 1,
    });
    expect(server.requests).toHaveLength(1);
    expect(client.circuitBreaker.failCounter).toBe(1);
    await server.waitForClientClose(1);
    hold.open();
  });

  it('retries an in-band error that arrives before any event', async () => {
    stopTimers = fireDueTimers(clock);
    server.script(
      { type: 'sse', events: [{ event: 'error', data: '{"e":1}' }] },
      { type: 'sse', events: transcript(1) },
    );
    const stream = client.stream('/x', {});
    expect((await collect(stream)).error).toBeUndefined();
    expect(stream.attempts).toBe(2);
  });

  it('a caller abort mid-stream throws ABORTED, closes upstream and records nothing', async () => {
    const hold = gate();
    server.script({ type: 'sse', events: [{ data: '{"n":0}' }, { wait: hold.promise }] });
    client.circuitBreaker.failure(); // a success would reset this, a failure raise it
    const controller = new AbortController();
    const stream = client.stream('/x', {}, { signal: controller.signal });
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    const pending = iterator.next();
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED' });
    await server.waitForClientClose(1);
    expect(client.circuitBreaker.failCounter).toBe(1);
    expect(clock.pendingTimers).toBe(0);
    hold.open();
  });

  it('delivers no further event after a caller abort, even one already received', async () => {
    const hold = gate();
    const three = transcript(3).slice(0, 3).map(encodeSseEvent).join('');
    server.script({ type: 'sse', events: [{ raw: three }, { wait: hold.promise }] });
    const controller = new AbortController();
    const iterator = client.stream('/x', {}, { signal: controller.signal })[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toEqual({ data: '{"n":0}' });
    controller.abort(); // events 1 and 2 arrived in the same chunk and are already parsed
    await expect(iterator.next()).rejects.toMatchObject({ code: 'ABORTED', attempts: 1 });
    await server.waitForClientClose(1);
    expect(client.circuitBreaker.failCounter).toBe(0);
    hold.open();
  });

  it('throws CircuitBreakerError from the first next() while open, sending nothing', async () => {
    client.circuitBreaker.trip();
    const { error } = await collect(client.stream('/x', {}));
    expect(error).toBeInstanceOf(CircuitBreakerError);
    expect(server.requests).toHaveLength(0);
  });

  it('treats a consumer that stops right after the terminal event as a success', async () => {
    client.circuitBreaker.failure();
    server.script({ type: 'sse', events: transcript(1) });
    for await (const event of client.stream('/x', {})) if (event.data === '[DONE]') break;
    expect(client.circuitBreaker.failCounter).toBe(0);
  });
});

async function parseText(text: string): Promise<SseEvent[]> {
  const events: SseEvent[] = [];
  async function* once(): AsyncGenerator<string> {
    yield await Promise.resolve(text);
  }
  for await (const event of parseSse(once())) events.push(event);
  return events;
}
