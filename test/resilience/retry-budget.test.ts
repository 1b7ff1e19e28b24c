import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RetryBudget, decideRetry } from '../../src/resilience/index.js';
import { isLlmFailoverError } from '../../src/errors/index.js';
import { ManualClock } from '../../src/time/manual-clock.js';

describe('RetryBudget', () => {
  it('grants the floor of retries per window without any traffic', () => {
    const budget = new RetryBudget({ clock: new ManualClock() });
    let granted = 0;
    for (let i = 0; i < 50; i++) if (budget.tryAcquireRetry()) granted++;
    expect(granted).toBe(10);
  });

  it('deposits ratio tokens per first attempt: 5 first attempts buy one retry', () => {
    const budget = new RetryBudget({ minRetriesPerWindow: 0, clock: new ManualClock() });
    for (let i = 0; i < 4; i++) budget.recordFirstAttempt();
    expect(budget.tryAcquireRetry()).toBe(false);
    budget.recordFirstAttempt();
    expect(budget.available).toBe(1);
    expect(budget.tryAcquireRetry()).toBe(true);
    expect(budget.tryAcquireRetry()).toBe(false);
  });

  it('refills the floor in each new window', async () => {
    const clock = new ManualClock();
    const budget = new RetryBudget({ minRetriesPerWindow: 2, windowMs: 1_000, clock });
    const drain = (): number => {
      let n = 0;
      while (n < 100 && budget.tryAcquireRetry()) n++;
      return n;
    };
    expect(drain()).toBe(2);
    await clock.advance(999);
    expect(drain()).toBe(0);
    await clock.advance(1);
    expect(drain()).toBe(2);
    await clock.advance(5_500);
    expect(drain()).toBe(2);
  });

  it('expires tokens older than one window so a healthy spell cannot bank a storm', async () => {
    const clock = new ManualClock();
    const budget = new RetryBudget({ minRetriesPerWindow: 0, windowMs: 1_000, clock });
    for (let i = 0; i < 100; i++) budget.recordFirstAttempt();
    expect(budget.available).toBe(20);
    await clock.advance(1_000);
    expect(budget.available).toBe(20);
    await clock.advance(1_000);
    expect(budget.available).toBe(0);
  });

  it('takes back a refunded retry token', () => {
    const budget = new RetryBudget({ minRetriesPerWindow: 1, clock: new ManualClock() });
    expect(budget.tryAcquireRetry()).toBe(true);
    expect(budget.tryAcquireRetry()).toBe(false);
    budget.refundRetry();
    expect(budget.tryAcquireRetry()).toBe(true);
  });

  it('rejects invalid options with INVALID_CONFIG', () => {
    for (const options of [{ ratio: -1 }, { minRetriesPerWindow: -1 }, { windowMs: 0 }]) {
      let err: unknown;
      try {
        new RetryBudget(options);
      } catch (e) {
        err = e;
      }
      expect(isLlmFailoverError(err, 'INVALID_CONFIG')).toBe(true);
    }
  });

  it('keeps 200 concurrent always-failing calls with maxRetries 3 within 1.25 * 200 + 10 requests', async () => {
    const clock = new ManualClock();
    const budget = new RetryBudget({ clock });
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    let requests = 0;
    const call = async (): Promise<string> => {
      budget.recordFirstAttempt();
      for (let retries = 0; ; retries++) {
        requests++; // the attempt fails (always 503)
        const decision = decideRetry({
          retriesSoFar: retries,
          maxRetries: 3,
          retryable: true,
          remainingMs: Infinity,
          backoff: { random },
          budget,
        });
        if (!decision.retry) return decision.reason;
        await clock.sleep(decision.delayMs);
      }
    };
    const calls = Array.from({ length: 200 }, () => call());
    // Bounded: each advance fires the sleeps due; 3 retries back off at most 3.5 s in total.
    for (let i = 0; i < 100 && clock.pendingTimers > 0; i++) await clock.advance(100);
    const reasons = await Promise.all(calls);
    expect(requests).toBeLessThanOrEqual(1.25 * 200 + 10);
    expect(requests).toBe(200 + 40 + 10);
    // The budget, not maxRetries, ends every call: 50 retries shared by 200 failing calls.
    expect(reasons.every((r) => r === 'budget')).toBe(true);
  });
});

describe('RetryBudget bound under any interleaving', () => {
  it('grants at most ratio * first attempts + floor retries within one window', () => {
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { maxLength: 600, size: 'max' }),
        fc.constantFrom(0.1, 0.2, 0.5),
        fc.integer({ min: 0, max: 20 }),
        (ops, ratio, floor) => {
          const budget = new RetryBudget({
            ratio,
            minRetriesPerWindow: floor,
            clock: new ManualClock(),
          });
          let firstAttempts = 0;
          let retries = 0;
          for (const isFirst of ops) {
            if (isFirst) {
              budget.recordFirstAttempt();
              firstAttempts++;
            } else if (budget.tryAcquireRetry()) retries++;
          }
          expect(retries).toBeLessThanOrEqual(Math.floor(ratio * firstAttempts + 1e-9) + floor);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('grants at most two windows of floor when a storm straddles a window boundary', async () => {
    const clock = new ManualClock();
    const budget = new RetryBudget({ windowMs: 1_000, clock });
    await clock.advance(900);
    for (let i = 0; i < 200; i++) budget.recordFirstAttempt();
    let retries = 0;
    for (let step = 0; step < 4; step++) {
      for (let i = 0; i < 200; i++) if (budget.tryAcquireRetry()) retries++;
      await clock.advance(100);
    }
    expect(retries).toBe(40 + 10 + 10);
  });
});
