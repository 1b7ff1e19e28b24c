import { describe, expect, it } from 'vitest';
import type { ChatBackend } from '../../src/backends/chat-backend.js';
import { BackendRouter } from '../../src/routing/index.js';
import { ManualClock } from '../../src/time/manual-clock.js';
import { FakeBackend } from './fake-backend.js';

function setup(): { clock: ManualClock; local: FakeBackend; router: BackendRouter } {
  const clock = new ManualClock();
  const local = new FakeBackend('local', [{ answer: 'x' }], clock);
  const backends = new Map<string, ChatBackend>([[local.name, local]]);
  const router = new BackendRouter({
    backends,
    routes: [{ match: '*', targets: [{ backend: 'local' }] }],
    clock,
    healthProbeIntervalMs: 10_000,
    probeBackends: ['local'],
  });
  return { clock, local, router };
}

const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('background health probes', () => {
  it('opens the breaker of a backend whose probe fails, before any traffic', async () => {
    const { local, router } = setup();
    local.probeResult = false;
    router.startHealthProbes();
    await settle();
    expect(local.probes).toBe(1);
    expect(local.circuitBreaker.currentState).toBe('open');
    // /health says why the breaker is open although no request failed.
    expect(router.backendStatus()[0]).toMatchObject({ state: 'open', probe: 'failed' });
    await router.close();
  });

  it('closes the breaker again when a later probe passes', async () => {
    const { clock, local, router } = setup();
    local.probeResult = new Error('ECONNREFUSED');
    router.startHealthProbes();
    await settle();
    expect(local.circuitBreaker.currentState).toBe('open');
    local.probeResult = true;
    await clock.advance(10_000);
    await settle();
    expect(local.probes).toBe(2);
    expect(local.circuitBreaker.currentState).toBe('closed');
    expect(router.backendStatus()[0]).toMatchObject({ state: 'closed', probe: 'ok' });
    await router.close();
  });

  it('leaves a breaker that failing requests opened to its own half-open trial, though the probe passes', async () => {
    const { clock, local, router } = setup();
    // /models answers, chats fail: the probe must not undo what the traffic found out.
    local.circuitBreaker.failure();
    local.circuitBreaker.failure();
    expect(local.circuitBreaker.currentState).toBe('open');
    router.startHealthProbes();
    await settle();
    expect(local.probes).toBe(1);
    expect(local.circuitBreaker.currentState).toBe('open');
    expect(router.backendStatus()[0]).toMatchObject({ state: 'open', probe: 'ok' });
    // After a failed probe the breaker is the probe's: the next good probe closes it.
    local.probeResult = false;
    await clock.advance(10_000);
    await settle();
    local.probeResult = true;
    await clock.advance(10_000);
    await settle();
    expect(local.probes).toBe(3);
    expect(local.circuitBreaker.currentState).toBe('closed');
    await router.close();
  });

  it('probes every interval and stops when the router closes', async () => {
    const { clock, local, router } = setup();
    router.startHealthProbes();
    await settle();
    await clock.advance(10_000);
    await settle();
    await clock.advance(10_000);
    await settle();
    expect(local.probes).toBe(3);
    await router.close();
    await clock.advance(30_000);
    expect(local.probes).toBe(3);
    expect(clock.pendingTimers).toBe(0);
  });

  it('never runs a second probe of a backend while one slower than the interval is in flight', async () => {
    const clock = new ManualClock();
    const local = new FakeBackend('local', [{ answer: 'x' }], clock);
    let inFlight = 0;
    let most = 0;
    local.probe = (signal?: AbortSignal): Promise<boolean> => {
      local.probes++;
      most = Math.max(most, ++inFlight);
      return new Promise((resolve) =>
        signal?.addEventListener('abort', () => {
          inFlight--;
          resolve(false);
        }),
      );
    };
    const router = new BackendRouter({
      backends: new Map<string, ChatBackend>([[local.name, local]]),
      routes: [{ match: '*', targets: [{ backend: 'local' }] }],
      clock,
      healthProbeIntervalMs: 10_000,
      healthProbeTimeoutMs: 25_000,
      probeBackends: ['local'],
    });
    router.startHealthProbes();
    await clock.advance(20_000);
    expect(local.probes).toBe(1);
    await clock.advance(5_000); // the first probe times out; the tick it held back runs now
    await settle();
    expect(local.probes).toBe(2);
    expect(most).toBe(1);
    await router.close();
  });

  it('starts only once however often startHealthProbes is called', async () => {
    const { local, router } = setup();
    router.startHealthProbes();
    router.startHealthProbes();
    await settle();
    expect(local.probes).toBe(1);
    await router.close();
  });

  it('refuses a probe backend that is not configured', () => {
    const make = (): BackendRouter =>
      new BackendRouter({
        backends: new Map(),
        routes: [],
        healthProbeIntervalMs: 1000,
        probeBackends: ['nope'],
      });
    expect(make).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
  });
});
