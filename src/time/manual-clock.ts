import { abortReason } from './abort.js';
import type { Clock, TimerHandle } from './clock.js';
import type { CancelSignal } from './cancel-signal.js';

interface PendingTimer {
  id: number;
  dueAt: number;
  delay: number;
  fire: () => void;
  active: boolean;
}

/**
 * A clock that moves only when told to, for exact tests: `advance(ms)` fires every timer and
 * sleep due by then, in order. `waitForTimers(n)` lets a test wait until the code under test has
 * started waiting, without sleeping in real time.
 */
export class ManualClock implements Clock {
  private current: number;
  private wall: number;
  private nextId = 1;
  private readonly timers = new Map<number, PendingTimer>();
  private readonly waiters: { count: number; resolve: () => void }[] = [];

  constructor(start = 0, wallStart = Date.UTC(2026, 0, 1)) {
    this.current = start;
    this.wall = wallStart;
  }

  now(): number {
    return this.current;
  }

  wallNow(): number {
    return this.wall + this.current;
  }

  /** How many sleeps and timers are waiting to fire. */
  get pendingTimers(): number {
    return this.timers.size;
  }

  /** Delays (ms from now) of the pending timers, soonest first. */
  pendingDelays(): number[] {
    return [...this.timers.values()].map((t) => t.dueAt - this.current).sort((a, b) => a - b);
  }

  sleep(ms: number, signal?: CancelSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        handle.clear();
        reject(abortReason(signal as CancelSignal));
      };
      const handle = this.setTimer(ms, () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  setTimer(ms: number, callback: () => void): TimerHandle {
    const delay = Math.max(0, ms);
    const timer: PendingTimer = {
      id: this.nextId++,
      dueAt: this.current + delay,
      delay,
      fire: callback,
      active: true,
    };
    this.timers.set(timer.id, timer);
    this.notifyWaiters();
    return {
      refresh: () => {
        if (!timer.active) {
          timer.active = true;
          this.timers.set(timer.id, timer);
        }
        timer.dueAt = this.current + timer.delay;
      },
      clear: () => {
        timer.active = false;
        this.timers.delete(timer.id);
      },
    };
  }

  /**
   * Moves time forward by `ms`, firing due timers in order of due time. Awaits a macrotask turn
   * after each firing so promise chains (and loopback I/O they start) can react before the next.
   */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      const next = this.soonest();
      if (next === undefined || next.dueAt > target) break;
      this.current = Math.max(this.current, next.dueAt);
      next.active = false;
      this.timers.delete(next.id);
      next.fire();
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    this.current = target;
  }

  /** Resolves once at least `count` timers or sleeps are pending (real I/O may run meanwhile). */
  waitForTimers(count = 1): Promise<void> {
    if (this.timers.size >= count) return Promise.resolve();
    return new Promise<void>((resolve) => this.waiters.push({ count, resolve }));
  }

  private soonest(): PendingTimer | undefined {
    let best: PendingTimer | undefined;
    for (const t of this.timers.values()) {
      if (best === undefined || t.dueAt < best.dueAt || (t.dueAt === best.dueAt && t.id < best.id))
        best = t;
    }
    return best;
  }

  private notifyWaiters(): void {
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const w = this.waiters[i];
      if (w !== undefined && this.timers.size >= w.count) {
        this.waiters.splice(i, 1);
        w.resolve();
      }
    }
  }
}
