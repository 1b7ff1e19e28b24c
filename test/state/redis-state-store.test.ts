import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AsyncCircuitBreaker } from '../../src/resilience/index.js';
import { parseConfig } from '../../src/config/index.js';
import { RedisStateStore } from '../../src/state/index.js';
import type { StateStore } from '../../src/state/index.js';
import { ManualClock } from '../../src/testing/index.js';
import { startTestRedis, until } from '../support/redis-server.js';
import type { TestRedis } from '../support/redis-server.js';
import { storeContract } from './store-contract.js';

let redis: TestRedis;
const open: StateStore[] = [];
let prefixSeq = 0;

beforeAll(async () => {
  redis = await startTestRedis();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});
afterAll(async () => {
  await redis.kill();
});

async function connected(clock: ManualClock, prefix: string): Promise<RedisStateStore> {
  const store = await RedisStateStore.connect({ url: redis.url, keyPrefix: prefix, clock });
  open.push(store);
  await until(() => store.status().shared, 5000, 'redis connection');
  return store;
}

describe('RedisStateStore', () => {
  storeContract({
    members: async (count, clock) => {
      const prefix = `t${++prefixSeq}:`;
      return Promise.all(Array.from({ length: count }, () => connected(clock, prefix)));
    },
    until: (condition) => until(condition, 5000, 'fleet state'),
  });

  it('keeps serving on local state while redis is down, says so once, and converges when it returns', async () => {
    const clock = new ManualClock();
    const warnings: string[] = [];
    const logger = { warn: (_: object, m: string) => warnings.push(m), info: () => undefined };
    const a = await RedisStateStore.connect({ url: redis.url, keyPrefix: 'down:', clock, logger });
    const b = await RedisStateStore.connect({ url: redis.url, keyPrefix: 'down:', clock });
    open.push(a, b);
    await until(() => a.status().shared && b.status().shared, 5000, 'both connected');
    const options = { name: 'x', failMax: 2, resetTimeoutMs: 1000, clock };
    const ba = new AsyncCircuitBreaker({ ...options, store: a });
    const bb = new AsyncCircuitBreaker({ ...options, store: b });
    await redis.kill();
    await until(() => !a.status().shared, 5000, 'outage noticed');
    expect(a.status()).toMatchObject({ kind: 'redis', shared: false });
    expect(a.status().detail).toMatch(/unreachable since .*serving on local state/);
    // Calls go on: permits are granted at once, failures counted locally.
    for (let i = 0; i < 50; i++) ba.check().success();
    ba.check().failure();
    ba.check().failure();
    expect(ba.currentState).toBe('open');
    expect(bb.currentState).toBe('closed');
    expect(warnings).toEqual(['redis unreachable: serving on local state until it returns']);
    await redis.start();
    await until(() => a.status().shared && b.status().shared, 10_000, 'reconnected');
    await until(() => bb.currentState === 'open', 5000, 'open breaker shared after the outage');
    expect(warnings).toHaveLength(1);
    expect(JSON.stringify(a.status())).not.toContain(String(redis.port));
  });

  it('a response stored through one instance is read and deleted through another', async () => {
    const clock = new ManualClock();
    const [a, b] = [await connected(clock, 'resp:'), await connected(clock, 'resp:')];
    const value = { response: { id: 'resp_1', object: 'response' }, items: [{ role: 'user' }] };
    await a.responseStore().put('resp_1', value, 60_000);
    expect(await b.responseStore().get('resp_1')).toEqual(value);
    expect(await b.responseStore().delete('resp_1')).toBe(true);
    expect(await a.responseStore().get('resp_1')).toBeUndefined();
    expect(await a.responseStore().delete('resp_1')).toBe(false);
  });

  it('never shows the URL password: not in logs, status or config errors', async () => {
    const lines: string[] = [];
    const logger = {
      warn: (facts: object, m: string) => lines.push(JSON.stringify(facts) + m),
      info: (facts: object, m: string) => lines.push(JSON.stringify(facts) + m),
    };
    const url = `redis://:s3cret-pw@127.0.0.1:${redis.port}`;
    const store = await RedisStateStore.connect({
      url,
      keyPrefix: 'pw:',
      clock: new ManualClock(),
      logger,
    });
    open.push(store);
    await until(() => lines.length > 0, 5000, 'a log line');
    await redis.kill();
    await until(() => !store.status().shared, 5000, 'outage noticed');
    await redis.start();
    expect(lines.join('\n')).toContain(`127.0.0.1:${redis.port}`);
    expect(lines.join('\n')).not.toContain('s3cret');
    expect(JSON.stringify(store.status())).not.toContain('s3cret');
    const bad = `state: { redis: { url: 'redis//:s3cret-pw@host' } }\nbackends: { m: { type: mock } }`;
    expect(() => parseConfig(bad, { env: {} })).toThrow(/state\.redis\.url/);
    try {
      parseConfig(bad, { env: {} });
    } catch (error) {
      expect(String((error as Error).message)).not.toContain('s3cret');
    }
  });
});
