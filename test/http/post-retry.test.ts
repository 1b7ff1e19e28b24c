import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isLlmFailoverError } from '../../src/errors/index.js';
import { ManualClock } from '../../src/time/manual-clock.js';
import { ScriptedServer } from '../support/scripted-server.js';
import { fireDueTimers, testClient } from './test-client.js';
import type { TestClient } from './test-client.js';

describe('CloudBackendClient.postWithCircuitBreaker retries', () => {
  let server: ScriptedServer;
  let clock: ManualClock;
  let client: TestClient;
  let stopTimers: (() => void) | undefined;

  beforeEach(async () => {
    server = await ScriptedServer.start();
    clock = new ManualClock();
    client = testClient(`${server.url}/v1`, clock);
  });
  afterEach(async () => {
    stopTimers?.();
    stopTimers = undefined;
    await client.close();
    await server.close();
  });

  it('resolves with the 200 body after 503, 503, 200 and reports 3 attempts', async () => {
    stopTimers = fireDueTimers(clock);
    server.script(
      { type: 'json', status: 503 },
      { type: 'json', status: 503 },
      { type: 'json', body: { id: 'ok' } },
    );
    const result = await client.post('/chat/completions', { model: 'm' });
    expect(result).toMatchObject({ status: 200, body: { id: 'ok' }, attempts: 3 });
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /v1/chat/completions',
      'POST /v1/chat/completions',
      'POST /v1/chat/completions',
    ]);
    expect(server.requests.every((r) => r.body === '{"model":"m"}')).toBe(true);
  });

  it('does not send the retry of a 429 with Retry-After: 2 before 2000 ms of clock time', async () => {
    server.script(
      { type: 'json', status: 429, headers: { 'retry-after': '2' } },
      { type: 'json', body: { ok: 1 } },
    );
    const call = client.post('/x', {});
    await clock.waitForTimers(2); // the call's deadline + the Retry-After wait
    expect(clock.pendingDelays()).toEqual([2000, 60_000]);
    await clock.advance(1999);
    expect(server.requests).toHaveLength(1);
    await clock.advance(1);
    await expect(call).resolves.toMatchObject({ attempts: 2 });
    expect(server.requests).toHaveLength(2);
  });

  it('honours retry-after-ms: 150 over the backoff', async () => {
    server.script(
      { type: 'json', status: 429, headers: { 'retry-after-ms': '150' } },
      { type: 'json', body: { ok: 1 } },
    );
    const call = client.post('/x', {});
    await clock.waitForTimers(2);
    await clock.advance(149);
    expect(server.requests).toHaveLength(1);
    await clock.advance(1);
    await expect(call).resolves.toMatchObject({ attempts: 2 });
  });

  it('honours Retry-After as an HTTP date', async () => {
    const at = new Date(clock.wallNow() + 3_000).toUTCString();
    server.script(
      { type: 'json', status: 503, headers: { 'retry-after': at } },
      { type: 'json', body: { ok: 1 } },
    );
    const call = client.post('/x', {});
    await clock.waitForTimers(2);
    expect(clock.pendingDelays()[0]).toBe(3_000);
    await clock.advance(2_999);
    expect(server.requests).toHaveLength(1);
    await clock.advance(1);
    await expect(call).resolves.toMatchObject({ attempts: 2 });
  });

  it('rejects with ABORTED and sends nothing when the signal is already aborted', async () => {
    const error = await client
      .post('/x', {}, { signal: AbortSignal.abort() })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ABORTED', attempts: 0 });
    expect(server.requests).toHaveLength(0);
  });

  it('gives up at once with RATE_LIMITED and the hint when Retry-After: 120 passes a 60 s deadline', async () => {
    server.script({ type: 'json', status: 429, headers: { 'retry-after': '120' } });
    const error = await client.post('/x', {}).catch((e: unknown) => e);
    expect(isLlmFailoverError(error, 'RATE_LIMITED')).toBe(true);
    expect(error).toMatchObject({
      retryAfterMs: 120_000,
      attempts: 1,
      status: 429,
      backend: 'test',
    });
    expect(server.requests).toHaveLength(1);
    expect(clock.now()).toBe(0);
  });

  it('retries a 400 when the upstream says x-should-retry: true, and not a 503 saying false', async () => {
    stopTimers = fireDueTimers(clock);
    server.script(
      { type: 'json', status: 400, headers: { 'x-should-retry': 'true' } },
      { type: 'json', body: { ok: 1 } },
    );
    await expect(client.post('/x', {})).resolves.toMatchObject({ attempts: 2 });
    server.script({ type: 'json', status: 503, headers: { 'x-should-retry': 'false' } });
    const error = await client.post('/x', {}).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'UPSTREAM_SERVER', attempts: 1 });
    expect(server.requests).toHaveLength(3);
  });

  it('fails a hanging call with TIMEOUT exactly at timeoutMs, recording one failure', async () => {
    server.script({ type: 'stall' });
    const call = client.post('/x', {}).catch((e: unknown) => e);
    await server.waitForRequests(1);
    await clock.advance(59_999);
    await clock.advance(1);
    const error = await call;
    expect(error).toMatchObject({ code: 'TIMEOUT', attempts: 1 });
    expect(clock.now()).toBe(60_000);
    expect(client.circuitBreaker.failCounter).toBe(1);
    expect(client.lastErrorCode).toBe('TIMEOUT');
    await server.waitForClientClose(1); // the hung request was closed, not leaked
  });

  it('counts backoff waits against the deadline and gives up when the next wait would pass it', async () => {
    const short = testClient(`${server.url}/v1`, clock, { timeoutMs: 2_000, random: () => 0.99 });
    server.setFallback({ type: 'json', status: 500 });
    const call = short.post('/x', {}).catch((e: unknown) => e);
    // backoffs 495 and 990 ms fit in 2 s; the third (1980 ms) would not fit in the 515 ms left.
    for (let i = 0; i < 2; i++) {
      await clock.waitForTimers(2);
      await clock.advance(clock.pendingDelays()[0]!);
    }
    const error = await call;
    expect(error).toMatchObject({ code: 'UPSTREAM_SERVER', attempts: 3, status: 500 });
    expect((error as Error).message).toContain('deadline');
    expect(clock.now()).toBe(1485);
    expect(server.requests).toHaveLength(3);
    await short.close();
  });

  it('reports CONNECTION after the retries when the connection is refused, with one failure', async () => {
    const port = new URL(server.url).port;
    await server.close();
    stopTimers = fireDueTimers(clock);
    const refused = testClient(`http://127.0.0.1:${port}/v1`, clock);
    const error = await refused.post('/x', {}).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CONNECTION', attempts: 4, backend: 'test' });
    expect(refused.circuitBreaker.failCounter).toBe(1);
    expect(refused.lastErrorCode).toBe('CONNECTION');
    await refused.close();
    server = await ScriptedServer.start(); // for afterEach
  });

  it('aborting during a Retry-After wait rejects with ABORTED at once and records nothing', async () => {
    server.script({ type: 'json', status: 503, headers: { 'retry-after': '10' } });
    const controller = new AbortController();
    const call = client.post('/x', {}, { signal: controller.signal }).catch((e: unknown) => e);
    await clock.waitForTimers(2);
    controller.abort();
    expect(await call).toMatchObject({ code: 'ABORTED', attempts: 1 });
    expect(client.circuitBreaker.failCounter).toBe(0);
    expect(server.requests).toHaveLength(1);
    expect(clock.pendingDelays()).toEqual([60_000]); // only the client's shared deadline timer
    await clock.advance(60_000);
    expect(clock.pendingTimers).toBe(0); // which found nothing to time out and went idle
  });

  it('aborting an in-flight request closes it upstream and records nothing', async () => {
    server.script({ type: 'stall' });
    client.circuitBreaker.failure(); // a success would reset this, a failure raise it
    const controller = new AbortController();
    const call = client.post('/x', {}, { signal: controller.signal }).catch((e: unknown) => e);
    await server.waitForRequests(1);
    controller.abort();
    expect(await call).toMatchObject({ code: 'ABORTED' });
    await server.waitForClientClose(1);
    expect(client.circuitBreaker.failCounter).toBe(1);
    expect(client.circuitBreaker.currentState).toBe('closed');
  });

  it('joins the base path, sends static, auth and per-call headers', async () => {
    const keyed = testClient(`${server.url}/v1/`, clock, {
      apiKey: 'sk-test-1234567890',
      headers: { 'x-static': 's' },
    });
    await keyed.post('/chat/completions', { a: 1 }, { headers: { 'x-call': 'c' } });
    const seen = server.requests[0]!;
    expect(seen.path).toBe('/v1/chat/completions');
    expect(seen.headers).toMatchObject({
      authorization: 'Bearer sk-test-1234567890',
      'x-static': 's',
      'x-call': 'c',
      'content-type': 'application/json',
    });
    await keyed.close();
  });

  it('getWithTimeout returns any status without retry or breaker, and times out', async () => {
    server.script({ type: 'json', status: 503, body: { down: true } }, { type: 'stall' });
    await expect(client.get('/models')).resolves.toEqual({ status: 503, body: { down: true } });
    const hanging = client.get('/models', { timeoutMs: 1000 }).catch((e: unknown) => e);
    await server.waitForRequests(2);
    await clock.advance(1000);
    expect(await hanging).toMatchObject({ code: 'TIMEOUT' });
    expect(client.circuitBreaker.failCounter).toBe(0);
  });
});
