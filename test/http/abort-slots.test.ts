import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CircuitBreakerError, RetryBudget } from '../../src/resilience/index.js';
import { ManualClock } from '../../src/time/manual-clock.js';
import { ScriptedServer, gate } from '../support/scripted-server.js';
import { collect, testClient, transcript } from './test-client.js';
import type { TestClient } from './test-client.js';

/** Waits (bounded, in event-loop turns, not time) until a timer of `delay` ms is pending. */
async function untilPending(clock: ManualClock, delay: number): Promise<void> {
  for (let i = 0; i < 10_000 && !clock.pendingDelays().includes(delay); i++)
    await new Promise<void>((resolve) => setImmediate(resolve));
}

// An abort (or a consumer stopping early) must give back everything the call held: the
// half-open probe slot, the retry token of a retry that was never sent, and the socket.
describe('CloudBackendClient aborts free every slot', () => {
  let server: ScriptedServer;
  let clock: ManualClock;
  let budget: RetryBudget;
  let client: TestClient;

  beforeEach(async () => {
    server = await ScriptedServer.start();
    clock = new ManualClock();
    budget = new RetryBudget({ ratio: 0, minRetriesPerWindow: 1, clock });
    client = testClient(`${server.url}/v1`, clock, {
      retryBudget: budget,
      circuitBreaker: { resetTimeoutMs: 1_000 },
    });
    client.circuitBreaker.trip();
    await clock.advance(1_000); // half-open: the next call is the probe
  });
  afterEach(async () => {
    await client.close();
    await server.close();
  });

  it('a POST probe aborted during its Retry-After wait frees the probe slot and refunds the retry token', async () => {
    server.script({ type: 'json', status: 503, headers: { 'retry-after': '5' } });
    const controller = new AbortController();
    const call = client.post('/x', {}, { signal: controller.signal }).catch((e: unknown) => e);
    await clock.waitForTimers(2); // deadline + the 5 s wait: the token is taken
    expect(budget.available).toBe(0);
    await expect(client.post('/x', {})).rejects.toBeInstanceOf(CircuitBreakerError);
    controller.abort();
    expect(await call).toMatchObject({ code: 'ABORTED', attempts: 1 });
    expect(budget.available).toBe(1);
    expect(client.circuitBreaker.currentState).toBe('half-open');
    expect(client.circuitBreaker.failCounter).toBe(0);
    await expect(client.post('/x', {})).resolves.toMatchObject({ status: 200 });
    expect(client.circuitBreaker.currentState).toBe('closed');
    expect(server.requests).toHaveLength(2);
  });

  it('a stream probe aborted during its Retry-After wait frees the probe slot and refunds the retry token', async () => {
    server.script(
      { type: 'json', status: 503, headers: { 'retry-after': '5' } },
      { type: 'sse', events: transcript(1) },
    );
    const controller = new AbortController();
    const first = collect(client.stream('/x', {}, { signal: controller.signal }));
    await untilPending(clock, 5_000);
    expect(clock.pendingDelays()).toEqual([5_000]); // the first-byte timer went with attempt 1
    expect(budget.available).toBe(0);
    controller.abort();
    expect((await first).error).toMatchObject({ code: 'ABORTED', attempts: 1 });
    expect(budget.available).toBe(1);
    expect(clock.pendingTimers).toBe(0);
    const second = await collect(client.stream('/x', {}));
    expect(second.error).toBeUndefined();
    expect(client.circuitBreaker.currentState).toBe('closed');
  });

  it('a stream probe whose consumer breaks after 1 event closes the upstream and frees the slot', async () => {
    const hold = gate();
    server.script(
      { type: 'sse', events: [{ data: '{"n":0}' }, { wait: hold.promise }, ...transcript(1)] },
      { type: 'json', body: { second: true } },
    );
    for await (const event of client.stream('/x', {})) {
      expect(event.data).toBe('{"n":0}');
      break;
    }
    await server.waitForClientClose(1);
    expect(client.circuitBreaker.currentState).toBe('half-open');
    expect(client.circuitBreaker.failCounter).toBe(0);
    await expect(client.post('/x', {})).resolves.toMatchObject({ body: { second: true } });
    expect(client.circuitBreaker.currentState).toBe('closed');
    hold.open();
  });

  it('a stream probe aborted before any response closes the socket and frees the slot', async () => {
    server.script({ type: 'stall' }, { type: 'sse', events: transcript(1) });
    const controller = new AbortController();
    const first = collect(client.stream('/x', {}, { signal: controller.signal }));
    await server.waitForRequests(1);
    controller.abort();
    expect((await first).error).toMatchObject({ code: 'ABORTED', attempts: 1 });
    await server.waitForClientClose(1);
    expect(clock.pendingTimers).toBe(0);
    expect((await collect(client.stream('/x', {}))).error).toBeUndefined();
    expect(client.circuitBreaker.currentState).toBe('closed');
  });
});
