import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ChatBackend } from '../../src/backends/chat-backend.js';
import { AsyncCircuitBreaker } from '../../src/resilience/index.js';
import { BackendRouter } from '../../src/routing/index.js';
import { RedisStateStore } from '../../src/state/index.js';
import { ManualClock } from '../../src/testing/index.js';
import { FakeBackend } from '../routing/fake-backend.js';
import { startTestRedis, until } from '../support/redis-server.js';
import type { TestRedis } from '../support/redis-server.js';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis.kill();
});

async function instance(clock: ManualClock) {
  const store = await RedisStateStore.connect({ url: redis.url, keyPrefix: 'probes:', clock });
  const local = new FakeBackend('local', [], clock);
  // The composition root links the breaker to the store; here by hand.
  (local as { circuitBreaker: AsyncCircuitBreaker }).circuitBreaker = new AsyncCircuitBreaker({
    name: 'local',
    failMax: 2,
    resetTimeoutMs: 1000,
    clock,
    store,
  });
  const router = new BackendRouter({
    backends: new Map<string, ChatBackend>([['local', local]]),
    routes: [{ match: '*', targets: [{ backend: 'local' }] }],
    clock,
    healthProbeIntervalMs: 10_000,
    probeBackends: ['local'],
    stateStore: store,
  });
  return { store, local, router };
}

it('one instance of the fleet probes a backend per interval and every instance uses its verdict', async () => {
  const clock = new ManualClock();
  const fleet = [await instance(clock), await instance(clock)];
  await until(() => fleet.every((i) => i.store.status().shared), 5000, 'connected');
  for (const i of fleet) i.local.probeResult = false;
  for (const i of fleet) i.router.startHealthProbes();
  const probes = (): number => fleet.reduce((n, i) => n + i.local.probes, 0);
  await until(
    () => fleet.every((i) => i.router.backendStatus()[0]?.probe === 'failed'),
    5000,
    'verdict shared',
  );
  expect(probes()).toBe(1);
  expect(fleet.map((i) => i.local.circuitBreaker.currentState)).toEqual(['open', 'open']);

  for (const i of fleet) i.local.probeResult = true;
  await clock.advance(10_000);
  await until(
    () => fleet.every((i) => i.router.backendStatus()[0]?.probe === 'ok'),
    5000,
    'ok shared',
  );
  await until(
    () => fleet.every((i) => i.local.circuitBreaker.currentState === 'closed'),
    5000,
    'closed',
  );
  expect(probes()).toBe(2);
  // The instance that had the turn keeps it: the same one probed twice.
  expect(fleet.map((i) => i.local.probes).sort()).toEqual([0, 2]);
  for (const i of fleet) {
    await i.router.close();
    await i.store.close();
  }
});
