import { describe, expect, it } from 'vitest';
import { AsyncCircuitBreaker } from '../../src/resilience/index.js';
import type { CircuitStateStore, CircuitStoreLink } from '../../src/resilience/index.js';
import { MemoryStateStore } from '../../src/state/index.js';
import { ManualClock } from '../../src/testing/index.js';
import { storeContract } from './store-contract.js';

describe('MemoryStateStore', () => {
  storeContract({
    members: (count, clock) => {
      const store = new MemoryStateStore(clock);
      return Promise.resolve(Array.from({ length: count }, () => store));
    },
    until: async (condition) => {
      for (let i = 0; i < 100 && !condition(); i++) await new Promise((r) => setImmediate(r));
    },
  });

  it('a closed breaker whose calls succeed never calls its store', () => {
    const calls: string[] = [];
    const inner = new MemoryStateStore();
    const counting: CircuitStateStore = {
      link(name, circuit) {
        const link = inner.link(name, circuit);
        return Object.fromEntries(
          Object.entries(link).map(([key, fn]) => [
            key,
            (...args: unknown[]) => {
              calls.push(key);
              return (fn as (...a: unknown[]) => unknown)(...args);
            },
          ]),
        ) as unknown as CircuitStoreLink;
      },
    };
    const breaker = new AsyncCircuitBreaker({ name: 'quiet', store: counting });
    for (let i = 0; i < 1000; i++) breaker.check().success();
    expect(calls).toEqual([]);
    breaker.check().failure();
    breaker.check().success();
    expect(calls).toEqual(['addFailure', 'clearFailures']);
  });

  it('a breaker alone on the memory store trips, probes and closes as one with no store', async () => {
    const clock = new ManualClock();
    const options = { name: 'same', failMax: 2, resetTimeoutMs: 500, clock };
    const alone = new AsyncCircuitBreaker(options);
    const linked = new AsyncCircuitBreaker({ ...options, store: new MemoryStateStore(clock) });
    const trace = (b: AsyncCircuitBreaker): string[] => {
      const seen: string[] = [];
      b.onStateChange((c) => seen.push(`${c.from}>${c.to}`));
      return seen;
    };
    const [t1, t2] = [trace(alone), trace(linked)];
    for (const b of [alone, linked]) {
      b.check().failure();
      b.check().failure();
    }
    await clock.advance(500);
    const probes = await Promise.all([alone.acquire(), linked.acquire()]);
    expect(() => alone.check()).toThrow();
    expect(() => linked.check()).toThrow();
    for (const p of probes) p.success();
    expect(t2).toEqual(t1);
    expect(t1).toEqual(['closed>open', 'open>half-open', 'half-open>closed']);
  });

  it('verdicts reach the other members of the channel, not the one that published', () => {
    const store = new MemoryStateStore();
    const seen: string[] = [];
    const a = store.joinVerdicts((name, v) => seen.push(`a:${name}=${v}`));
    const b = store.joinVerdicts((name, v) => seen.push(`b:${name}=${v}`));
    a.publish('local', 'failed');
    b.leave();
    a.publish('local', 'ok');
    expect(seen).toEqual(['b:local=failed']);
  });
});
