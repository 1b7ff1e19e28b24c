import { describe, expect, it } from 'vitest';
import { DeadlineList } from '../../src/http/deadline-list.js';
import type { Expirable } from '../../src/http/deadline-list.js';
import { ManualClock } from '../../src/time/manual-clock.js';

function call(name: string, expired: string[]): Expirable {
  return {
    dueAt: 0,
    prev: undefined,
    next: undefined,
    expire: () => expired.push(`${name}@`),
  };
}

describe('DeadlineList', () => {
  it('times out each call at its own deadline with one timer, skipping removed calls', async () => {
    const clock = new ManualClock();
    const list = new DeadlineList(clock, 100);
    const expired: string[] = [];
    const [a, b, c] = [call('a', expired), call('b', expired), call('c', expired)];
    list.add(a);
    await clock.advance(10);
    list.add(b);
    await clock.advance(10);
    list.add(c);
    expect(clock.pendingTimers).toBe(1);
    list.remove(b);
    list.remove(b); // idempotent
    await clock.advance(79);
    expect(expired).toEqual([]);
    await clock.advance(1);
    expect(expired).toEqual(['a@']);
    expect(clock.pendingDelays()).toEqual([20]); // re-armed for c, not b
    await clock.advance(20);
    expect(expired).toEqual(['a@', 'c@']);
    expect(clock.pendingTimers).toBe(0);
  });

  it('re-arms lazily when the oldest call finished before the timer fired', async () => {
    const clock = new ManualClock();
    const list = new DeadlineList(clock, 100);
    const expired: string[] = [];
    const a = call('a', expired);
    const b = call('b', expired);
    list.add(a);
    await clock.advance(50);
    list.add(b);
    list.remove(a);
    await clock.advance(50);
    expect(expired).toEqual([]);
    expect(clock.pendingDelays()).toEqual([50]);
    await clock.advance(50);
    expect(expired).toEqual(['b@']);
  });

  it('arms a new timer for a call added after the list went idle', async () => {
    const clock = new ManualClock();
    const list = new DeadlineList(clock, 100);
    const expired: string[] = [];
    const a = call('a', expired);
    list.add(a);
    list.remove(a);
    await clock.advance(100);
    expect(clock.pendingTimers).toBe(0);
    list.add(call('b', expired));
    await clock.advance(100);
    expect(expired).toEqual(['b@']);
  });
});
