import { LlmFailoverError } from '../errors/index.js';
import { systemClock } from '../time/index.js';
import type { Clock } from '../time/index.js';

/** Options of `RetryBudget`. */
export interface RetryBudgetOptions {
  /** Retry tokens each first attempt deposits. Default 0.2 (retries <= ~20% of calls). */
  ratio?: number | undefined;
  /** Retries always allowed per window, so a quiet backend can still retry. Default 10. */
  minRetriesPerWindow?: number | undefined;
  /** Window length in ms for the floor and for token expiry. Default 10_000. */
  windowMs?: number | undefined;
  /** Time source. Default `systemClock`. */
  clock?: Clock | undefined;
}

// Deposits of 0.2 do not add up exactly in binary floating point.
const EPSILON = 1e-9;

/**
 * A per-backend token bucket that stops retry storms: each first attempt deposits `ratio`
 * tokens, each retry withdraws one, and each fixed window also grants `minRetriesPerWindow`
 * retries. Tokens older than one window expire, so a long healthy spell cannot bank an unbounded
 * storm. Hence N calls that all fail within a window make at most `ratio * N + floor` retries
 * (plus whatever the previous window's first attempts deposited).
 */
export class RetryBudget {
  /** Retry tokens each first attempt deposits. */
  readonly ratio: number;
  /** Retries always allowed per window. */
  readonly minRetriesPerWindow: number;
  /** Window length, in ms. */
  readonly windowMs: number;
  private readonly clock: Clock;
  private tokens = 0;
  private depositedThisWindow = 0;
  private floorLeft: number;
  private windowStart: number;

  /** @throws LlmFailoverError `INVALID_CONFIG` for negative ratio/floor or a non-positive window. */
  constructor(options: RetryBudgetOptions = {}) {
    this.ratio = options.ratio ?? 0.2;
    this.minRetriesPerWindow = options.minRetriesPerWindow ?? 10;
    this.windowMs = options.windowMs ?? 10_000;
    this.clock = options.clock ?? systemClock;
    if (!(this.ratio >= 0) || !(this.minRetriesPerWindow >= 0) || !(this.windowMs > 0))
      throw new LlmFailoverError(
        'INVALID_CONFIG',
        'Retry budget: ratio and minRetriesPerWindow must be >= 0 and windowMs > 0',
      );
    this.floorLeft = this.minRetriesPerWindow;
    this.windowStart = this.clock.now();
  }

  /** Retries that could be taken right now (tokens plus what is left of the floor). */
  get available(): number {
    this.roll();
    return Math.floor(this.tokens + EPSILON) + Math.floor(this.floorLeft);
  }

  /** Call once per call, for its first attempt only. */
  recordFirstAttempt(): void {
    this.roll();
    this.tokens += this.ratio;
    this.depositedThisWindow += this.ratio;
  }

  /** Takes one retry token; false when the budget is spent (do not retry). */
  tryAcquireRetry(): boolean {
    this.roll();
    if (this.tokens >= 1 - EPSILON) {
      this.tokens -= 1;
      return true;
    }
    if (this.floorLeft >= 1) {
      this.floorLeft -= 1;
      return true;
    }
    return false;
  }

  /** Gives back a token taken by `tryAcquireRetry` whose retry was never sent (e.g. aborted wait). */
  refundRetry(): void {
    this.tokens += 1;
  }

  private roll(): void {
    const elapsed = this.clock.now() - this.windowStart;
    if (elapsed < this.windowMs) return;
    const windows = Math.floor(elapsed / this.windowMs);
    // Keep at most what the window just ended deposited; anything older expires.
    this.tokens = windows === 1 ? Math.min(this.tokens, this.depositedThisWindow) : 0;
    this.depositedThisWindow = 0;
    this.floorLeft = this.minRetriesPerWindow;
    this.windowStart += windows * this.windowMs;
  }
}
