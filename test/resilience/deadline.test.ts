import { describe, expect, it } from 'vitest';
import { Deadline } from '../../src/resilience/index.js';
import { ManualClock } from '../../src/time/manual-clock.js';

describe('Deadline', () => {
  it('counts down on the injected clock and expires exactly at expiresAt', async () => {
    const clock = new ManualClock(500);
    const deadline = new Deadline(1_000, clock);
    expect(deadline.expiresAt).toBe(1_500);
    expect(deadline.remainingMs()).toBe(1_000);
    expect(deadline.expired).toBe(false);
    await clock.advance(999);
    expect(deadline.remainingMs()).toBe(1);
    expect(deadline.expired).toBe(false);
    await clock.advance(1);
    expect(deadline.expired).toBe(true);
    await clock.advance(50);
    expect(deadline.remainingMs()).toBe(0);
  });

  it('never expires for an infinite timeout', async () => {
    const clock = new ManualClock();
    for (const timeout of [Infinity, Number.NaN]) {
      const deadline = new Deadline(timeout, clock);
      await clock.advance(1e9);
      expect(deadline.remainingMs()).toBe(Infinity);
      expect(deadline.expired).toBe(false);
    }
  });

  it('is already expired for a zero timeout', () => {
    const deadline = new Deadline(0, new ManualClock());
    expect(deadline.expired).toBe(true);
    expect(deadline.remainingMs()).toBe(0);
  });
});
