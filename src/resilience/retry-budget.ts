import { LlmFailoverError } from '../errors/index.js';
import { systemClock } from '../time/index.js';
import type { Clock } from '../time/index.js';
import type { RetryBudgetStore } from './circuit-store.js';
import { FleetBudget } from './fleet-budget.js';

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
  /**
   * Where budgets of the same `name` share their counts (a fleet of gateways). Windows then
   * follow the wall clock so instances agree on them, and tokens do not carry over to the next
   * window. Default: none, this budget alone.
   */
  store?: RetryBudgetStore | undefined;
  /** Name under which the budget is shared (the backend's). Required with `store`. */
  name?: string | undefined;
  /** Shared budgets: least time between two syncs with the store, in ms. Default 100. */
  syncIntervalMs?: number | undefined;
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
  private readonly fleet: FleetBudget | undefined;

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
    this.fleet = fleetBudget(this, options);
  }

  /** Retries that could be taken right now (tokens plus what is left of the floor). */
  get available(): number {
    if (this.fleet !== undefined) return this.fleet.available;
    this.roll();
    return Math.floor(this.tokens + EPSILON) + Math.floor(this.floorLeft);
  }

  /** Call once per call, for its first attempt only. */
  recordFirstAttempt(): void {
    if (this.fleet !== undefined) return this.fleet.recordFirstAttempt();
    this.roll();
    this.tokens += this.ratio;
    this.depositedThisWindow += this.ratio;
  }

  /** Takes one retry token; false when the budget is spent (do not retry). */
  tryAcquireRetry(): boolean {
    if (this.fleet !== undefined) return this.fleet.tryAcquireRetry();
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
    if (this.fleet !== undefined) return this.fleet.refundRetry();
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

function fleetBudget(budget: RetryBudget, options: RetryBudgetOptions): FleetBudget | undefined {
  if (options.store === undefined) return undefined;
  if (options.name === undefined || options.name === '')
    throw new LlmFailoverError('INVALID_CONFIG', 'Retry budget: a shared budget needs a name');
  const syncIntervalMs = options.syncIntervalMs ?? 100;
  if (!(syncIntervalMs >= 0))
    throw new LlmFailoverError('INVALID_CONFIG', 'Retry budget: syncIntervalMs must be >= 0');
  return new FleetBudget(
    options.store.linkBudget(options.name),
    options.clock ?? systemClock,
    budget.ratio,
    budget.minRetriesPerWindow,
    budget.windowMs,
    syncIntervalMs,
  );
}
