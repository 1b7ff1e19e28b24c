import { expect, it } from 'vitest';
import { AsyncCircuitBreaker, RetryBudget } from '../../src/resilience/index.js';
import type { CircuitPermit } from '../../src/resilience/index.js';
import type { StateStore } from '../../src/state/index.js';
import { ManualClock } from '../../src/testing/index.js';

/** A fresh store per member (Redis: one client each, as three gateways would have). */
export interface StoreFixture {
  members(count: number, clock: ManualClock): Promise<StateStore[]>;
  /** Resolves once `condition` holds (stores that deliver asynchronously); bounded. */
  until(condition: () => boolean): Promise<void>;
}

/** Resolves once every command a store has sent has been answered (a later one on its connection). */
async function settle(stores: StateStore[]): Promise<void> {
  for (const store of stores) await store.linkBudget('settle').sync(0, 1000, NONE);
}
const NONE = { deposits: 0, retries: 0 };

function breakers(stores: StateStore[], clock: ManualClock, name: string): AsyncCircuitBreaker[] {
  return stores.map(
    (store) => new AsyncCircuitBreaker({ name, failMax: 3, resetTimeoutMs: 1000, clock, store }),
  );
}

function fail(breaker: AsyncCircuitBreaker): void {
  breaker.check().failure();
}

/** The behaviour every StateStore owes its breakers and budgets, for memory and Redis alike. */
export function storeContract(fixture: StoreFixture): void {
  it('failures spread over three breakers of a name trip all three at failMax in total', async () => {
    const clock = new ManualClock();
    const [a, b, c] = breakers(await fixture.members(3, clock), clock, 'trip-total');
    fail(a!);
    fail(b!);
    await fixture.until(() => a!.failCounter === 1 && b!.failCounter === 1);
    fail(c!);
    await fixture.until(() => [a, b, c].every((x) => x!.currentState === 'open'));
    expect([a, b, c].map((x) => x!.currentState)).toEqual(['open', 'open', 'open']);
    expect(b!.retryAfterMs).toBeGreaterThan(900);
  });

  it('after the open period exactly one breaker of the fleet gets the probe, and its success closes all', async () => {
    const clock = new ManualClock();
    const all = breakers(await fixture.members(3, clock), clock, 'one-probe');
    all[0]!.trip();
    await fixture.until(() => all.every((x) => x.currentState === 'open'));
    await clock.advance(1000);
    const asked = await Promise.allSettled(all.flatMap((x) => [x.acquire(), x.acquire()]));
    const granted = asked.filter(
      (r): r is PromiseFulfilledResult<CircuitPermit> => r.status === 'fulfilled',
    );
    expect(granted).toHaveLength(1);
    expect(granted[0]!.value.isProbe).toBe(true);
    granted[0]!.value.success();
    await fixture.until(() => all.every((x) => x.currentState === 'closed'));
    expect(all.map((x) => x.currentState)).toEqual(['closed', 'closed', 'closed']);
  });

  it('a failed probe re-opens every breaker of the fleet for a new period', async () => {
    const clock = new ManualClock();
    const all = breakers(await fixture.members(2, clock), clock, 'probe-fails');
    all[1]!.trip();
    await fixture.until(() => all[0]!.currentState === 'open');
    await clock.advance(1000);
    const permit = await all[0]!.acquire();
    permit.failure();
    await fixture.until(() => all[1]!.currentState === 'open');
    expect(all[1]!.retryAfterMs).toBeGreaterThan(900);
  });

  it('an abandoned probe frees the fleet probe for the next caller', async () => {
    const clock = new ManualClock();
    const all = breakers(await fixture.members(2, clock), clock, 'probe-released');
    all[0]!.trip();
    await fixture.until(() => all[1]!.currentState === 'open');
    await clock.advance(1000);
    const probe = await all[0]!.acquire();
    await expect(all[1]!.acquire()).rejects.toMatchObject({ code: 'CIRCUIT_OPEN' });
    probe.release();
    // The loser waits for a verdict until its claim would have expired: then it may ask again.
    await clock.advance(all[1]!.probeTimeoutMs);
    const next = await all[1]!.acquire();
    expect(next.isProbe).toBe(true);
  });

  it('retry budgets of a name share one allowance: the fleet retries at most floor + ratio x calls', async () => {
    const clock = new ManualClock();
    const stores = await fixture.members(3, clock);
    const budgets = stores.map(
      (store) =>
        new RetryBudget({
          name: 'shared-budget',
          ratio: 0.5,
          minRetriesPerWindow: 2,
          windowMs: 60_000,
          syncIntervalMs: 0,
          clock,
          store,
        }),
    );
    // Two first attempts each: deposits of 3 tokens fleet-wide, plus the floor of 2.
    for (const budget of budgets) {
      budget.recordFirstAttempt();
      budget.recordFirstAttempt();
    }
    let granted = 0;
    for (let round = 0; round < 20; round++) {
      for (const budget of budgets) {
        budget.recordFirstAttempt(); // syncs (interval 0) without depositing much: 0.5 each
        await settle(stores);
        if (budget.tryAcquireRetry()) granted++;
        await settle(stores);
      }
    }
    // 66 first attempts x 0.5 + floor 2 = 35 at most; each instance alone would allow 2 + 11 each.
    expect(granted).toBeLessThanOrEqual(35);
    expect(granted).toBeGreaterThanOrEqual(34);
  });
}
