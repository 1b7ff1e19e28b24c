import { describe, expect, it } from 'vitest';
import { RETRYABLE_STATUSES, RetryBudget, decideRetry } from '../../src/resilience/index.js';
import { ManualClock } from '../../src/time/manual-clock.js';

const half = { random: (): number => 0.5 };
const base = {
  retriesSoFar: 0,
  maxRetries: 3,
  retryable: true,
  remainingMs: Infinity,
  backoff: half,
};

describe('RETRYABLE_STATUSES', () => {
  it('holds exactly 408 409 429 500 502 503 504 529', () => {
    expect([...RETRYABLE_STATUSES].sort()).toEqual([408, 409, 429, 500, 502, 503, 504, 529]);
    for (const status of [400, 401, 403, 404, 413, 422, 501])
      expect(RETRYABLE_STATUSES.has(status)).toBe(false);
  });
});

describe('decideRetry', () => {
  it('retries after the jittered backoff of the retry index', () => {
    expect(decideRetry(base)).toEqual({ retry: true, delayMs: 250 });
    expect(decideRetry({ ...base, retriesSoFar: 2 })).toEqual({ retry: true, delayMs: 1_000 });
  });

  it('never retries earlier than the server asked', () => {
    expect(decideRetry({ ...base, retryAfterMs: 2_000 })).toEqual({ retry: true, delayMs: 2_000 });
    expect(decideRetry({ ...base, retryAfterMs: 150 })).toEqual({ retry: true, delayMs: 250 });
  });

  it('gives up on a non-retryable failure, keeping the hint', () => {
    expect(decideRetry({ ...base, retryable: false })).toEqual({
      retry: false,
      reason: 'not-retryable',
    });
    expect(decideRetry({ ...base, retryable: false, retryAfterMs: 5 })).toEqual({
      retry: false,
      reason: 'not-retryable',
      retryAfterMs: 5,
    });
  });

  it('gives up after maxRetries retries', () => {
    expect(decideRetry({ ...base, retriesSoFar: 3 })).toEqual({
      retry: false,
      reason: 'max-retries',
    });
    expect(decideRetry({ ...base, maxRetries: 0 })).toEqual({
      retry: false,
      reason: 'max-retries',
    });
  });

  it('gives up at once with the hint when the wait would pass the deadline', () => {
    expect(decideRetry({ ...base, retryAfterMs: 120_000, remainingMs: 60_000 })).toEqual({
      retry: false,
      reason: 'deadline',
      retryAfterMs: 120_000,
    });
  });

  it('gives up when the wait would end exactly at the deadline, or it already passed', () => {
    expect(decideRetry({ ...base, remainingMs: 250 })).toEqual({
      retry: false,
      reason: 'deadline',
    });
    expect(decideRetry({ ...base, remainingMs: 0 })).toMatchObject({ reason: 'deadline' });
    expect(decideRetry({ ...base, remainingMs: 251 })).toEqual({ retry: true, delayMs: 250 });
  });

  it('consults the budget last and gives up with reason budget once it is spent', () => {
    const budget = new RetryBudget({ ratio: 0, minRetriesPerWindow: 1, clock: new ManualClock() });
    expect(decideRetry({ ...base, retryable: false, budget })).toMatchObject({
      reason: 'not-retryable',
    });
    expect(decideRetry({ ...base, remainingMs: 1, budget })).toMatchObject({ reason: 'deadline' });
    expect(decideRetry({ ...base, budget })).toEqual({ retry: true, delayMs: 250 });
    expect(decideRetry({ ...base, budget, retryAfterMs: 9 })).toEqual({
      retry: false,
      reason: 'budget',
      retryAfterMs: 9,
    });
  });
});

describe('decideRetry with an unusable hint', () => {
  it('treats a NaN or negative hint as no hint', () => {
    for (const hint of [Number.NaN, -100]) {
      expect(decideRetry({ ...base, retryAfterMs: hint })).toEqual({ retry: true, delayMs: 250 });
      expect(decideRetry({ ...base, retryable: false, retryAfterMs: hint })).toEqual({
        retry: false,
        reason: 'not-retryable',
      });
    }
  });
});
