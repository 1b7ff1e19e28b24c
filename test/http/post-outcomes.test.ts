import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isLlmFailoverError } from '../../src/errors/index.js';
import { CircuitBreakerError } from '../../src/resilience/index.js';
import { ManualClock } from '../../src/time/manual-clock.js';
import { ScriptedServer, gate } from '../support/scripted-server.js';
import { fireDueTimers, testClient } from './test-client.js';
import type { TestClient } from './test-client.js';

describe('CloudBackendClient outcomes and circuit breaker', () => {
  let server: ScriptedServer;
  let clock: ManualClock;
  let client: TestClient;
  let stopTimers: (() => void) | undefined;

  beforeEach(async () => {
    server = await ScriptedServer.start();
    clock = new ManualClock();
    client = testClient(`${server.url}/v1`, clock, {
      // A cap above the 120 s Retry-After used below (the default caps it at 60 s).
      circuitBreaker: { failMax: 3, resetTimeoutMs: 10_000, maxRetryAfterMs: 300_000 },
    });
  });
  afterEach(async () => {
    stopTimers?.();
    stopTimers = undefined;
    await client.close();
    await server.close();
  });

  it('rejects a 400 at once after 1 request, leaving failCounter unchanged', async () => {
    server.script({ type: 'json', status: 400, body: { error: { message: 'bad field' } } });
    const error = await client.post('/x', {}).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'UPSTREAM_BAD_REQUEST',
      status: 400,
      attempts: 1,
      upstreamBody: { error: { message: 'bad field' } },
    });
    expect(server.requests).toHaveLength(1);
    expect(client.circuitBreaker.failCounter).toBe(0);
    expect(client.lastErrorCode).toBeUndefined();
  });

  it.each([404, 413, 422])(
    'treats %i as the caller’s error: no retry, no breaker failure',
    async (status) => {
      server.script({ type: 'json', status });
      await expect(client.post('/x', {})).rejects.toMatchObject({
        code: 'UPSTREAM_BAD_REQUEST',
        status,
      });
      expect(server.requests).toHaveLength(1);
      expect(client.circuitBreaker.failCounter).toBe(0);
    },
  );

  it.each([401, 403])('counts %i as a breaker failure after 1 request', async (status) => {
    server.script({ type: 'json', status });
    await expect(client.post('/x', {})).rejects.toMatchObject({
      code: 'UPSTREAM_AUTH',
      status,
      attempts: 1,
    });
    expect(server.requests).toHaveLength(1);
    expect(client.circuitBreaker.failCounter).toBe(1);
  });

  it('sends exactly 4 requests on an always-500 upstream, then records one breaker failure', async () => {
    stopTimers = fireDueTimers(clock);
    server.setFallback({ type: 'json', status: 500, text: 'boom' });
    const error = await client.post('/x', {}).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'UPSTREAM_SERVER',
      status: 500,
      attempts: 4,
      upstreamBody: 'boom',
    });
    expect(server.requests).toHaveLength(4);
    expect(client.circuitBreaker.failCounter).toBe(1);
  });

  it('after failMax failed calls the next call throws CircuitBreakerError and sends nothing', async () => {
    server.setFallback({ type: 'json', status: 401 });
    for (let i = 0; i < 3; i++)
      await expect(client.post('/x', {})).rejects.toMatchObject({ code: 'UPSTREAM_AUTH' });
    expect(client.isCircuitOpen).toBe(true);
    const error = await client.post('/x', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CircuitBreakerError);
    expect(error).toMatchObject({ code: 'CIRCUIT_OPEN', retryAfterMs: 10_000 });
    expect(server.requests).toHaveLength(3);
  });

  it('stays open for the Retry-After of the failure that tripped it when longer than resetTimeoutMs', async () => {
    server.setFallback({ type: 'json', status: 503, headers: { 'retry-after': '120' } });
    for (let i = 0; i < 3; i++)
      await expect(client.post('/x', {})).rejects.toMatchObject({ retryAfterMs: 120_000 });
    expect(server.requests).toHaveLength(3); // each gave up at once: 120 s > the 60 s deadline
    await expect(client.post('/x', {})).rejects.toMatchObject({
      code: 'CIRCUIT_OPEN',
      retryAfterMs: 120_000,
    });
    await clock.advance(119_999);
    expect(client.isCircuitOpen).toBe(true);
    await clock.advance(1);
    expect(client.circuitBreaker.currentState).toBe('half-open');
  });

  it('lets exactly 1 of 50 concurrent half-open calls through; its success closes the breaker', async () => {
    client.circuitBreaker.trip();
    await clock.advance(10_000);
    expect(client.circuitBreaker.currentState).toBe('half-open');
    const hold = gate();
    server.script({ type: 'json', body: { probe: true }, wait: hold.promise });
    const calls = Array.from({ length: 50 }, () => client.post('/x', {}).catch((e: unknown) => e));
    // The 49 settle while the probe is still held upstream: nobody waited for it.
    const others = await Promise.all(calls.slice(1));
    expect(others.every((r) => r instanceof CircuitBreakerError)).toBe(true);
    expect(others).toHaveLength(49);
    hold.open();
    await expect(calls[0]).resolves.toMatchObject({ body: { probe: true }, attempts: 1 });
    expect(server.requests).toHaveLength(1);
    expect(client.circuitBreaker.currentState).toBe('closed');
  });

  it('aborting the half-open probe lets the next caller become the probe', async () => {
    client.circuitBreaker.trip();
    await clock.advance(10_000);
    server.script({ type: 'stall' }, { type: 'json', body: { second: true } });
    const controller = new AbortController();
    const first = client.post('/x', {}, { signal: controller.signal }).catch((e: unknown) => e);
    await server.waitForRequests(1);
    await expect(client.post('/x', {})).rejects.toBeInstanceOf(CircuitBreakerError);
    controller.abort();
    expect(await first).toMatchObject({ code: 'ABORTED' });
    expect(client.circuitBreaker.currentState).toBe('half-open');
    await expect(client.post('/x', {})).resolves.toMatchObject({ body: { second: true } });
    expect(client.circuitBreaker.currentState).toBe('closed');
  });

  it('keeps the breakers of two clients independent', async () => {
    const other = testClient(`${server.url}/v1`, clock, { circuitBreaker: { failMax: 1 } });
    server.script({ type: 'json', status: 401 });
    await expect(other.post('/x', {})).rejects.toMatchObject({ code: 'UPSTREAM_AUTH' });
    expect(other.isCircuitOpen).toBe(true);
    expect(client.isCircuitOpen).toBe(false);
    await expect(client.post('/x', {})).resolves.toMatchObject({ status: 200 });
    expect(other.circuitBreaker).not.toBe(client.circuitBreaker);
    await other.close();
  });

  it('keeps 200 concurrent calls on an always-503 upstream within the retry budget', async () => {
    stopTimers = fireDueTimers(clock);
    server.setFallback({ type: 'json', status: 503 });
    const many = testClient(`${server.url}/v1`, clock, { circuitBreaker: { failMax: 1_000 } });
    const results = await Promise.all(
      Array.from({ length: 200 }, () => many.post('/x', {}).catch((e: unknown) => e)),
    );
    expect(results.every((r) => isLlmFailoverError(r, 'UPSTREAM_SERVER'))).toBe(true);
    expect(results.some((r) => (r as Error).message.includes('retry budget'))).toBe(true);
    expect(server.requests.length).toBeLessThanOrEqual(1.25 * 200 + 10);
    expect(server.requests.length).toBeGreaterThanOrEqual(200);
    await many.close();
  });

  it('records a success, clearing lastErrorCode', async () => {
    server.script({ type: 'json', status: 401 }, { type: 'json', body: {} });
    await expect(client.post('/x', {})).rejects.toMatchObject({ code: 'UPSTREAM_AUTH' });
    expect(client.lastErrorCode).toBe('UPSTREAM_AUTH');
    await client.post('/x', {});
    expect(client.lastErrorCode).toBeUndefined();
    expect(client.circuitBreaker.failCounter).toBe(0);
  });
});
