import type { Clock } from '../time/index.js';

/** A point in (monotonic) time a call must finish by. */
export class Deadline {
  /** Clock time at which the deadline passes; Infinity for none. */
  readonly expiresAt: number;
  private readonly clock: Clock;

  /**
   * @param timeoutMs ms from now; Infinity (or NaN) means no deadline, 0 or less means already
   * expired.
   */
  constructor(timeoutMs: number, clock: Clock) {
    this.clock = clock;
    this.expiresAt = Number.isNaN(timeoutMs) ? Infinity : clock.now() + timeoutMs;
  }

  /** Ms left, never negative; Infinity when there is no deadline. */
  remainingMs(): number {
    return Math.max(0, this.expiresAt - this.clock.now());
  }

  /** True once the deadline has passed. */
  get expired(): boolean {
    return this.clock.now() >= this.expiresAt;
  }
}
