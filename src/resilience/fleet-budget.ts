import type { Clock } from '../time/index.js';
import type { FleetBudgetCounts, RetryBudgetLink } from './circuit-store.js';

// Deposits of 0.2 do not add up exactly in binary floating point.
const EPSILON = 1e-9;

/**
 * A retry budget shared by a fleet: deposits and retries are counted locally and added to the
 * fleet's totals of the current wall-clock window at most once per `syncIntervalMs`, in the
 * background, so no call waits for the store. Within a window the fleet may retry while
 * `retries < floor + deposits` (floor first, then tokens); a new window starts from zero, so
 * tokens do not carry over (a fleet-wide, simpler form of the local budget's one-window carry).
 * Between syncs an instance sees the others' counts up to one interval late.
 */
export class FleetBudget {
  private window: number;
  private fleet: FleetBudgetCounts = { deposits: 0, retries: 0 };
  private pendingDeposits = 0;
  private pendingRetries = 0;
  private lastSyncAt = -Infinity;
  private syncing = false;

  constructor(
    private readonly link: RetryBudgetLink,
    private readonly clock: Clock,
    private readonly ratio: number,
    private readonly floor: number,
    private readonly windowMs: number,
    private readonly syncIntervalMs: number,
  ) {
    this.window = this.currentWindow();
  }

  get available(): number {
    this.roll();
    return Math.max(0, Math.floor(this.allowance() + EPSILON));
  }

  recordFirstAttempt(): void {
    this.roll();
    this.pendingDeposits += this.ratio;
    this.maybeSync();
  }

  tryAcquireRetry(): boolean {
    this.roll();
    if (this.allowance() < 1 - EPSILON) return false;
    this.pendingRetries += 1;
    this.maybeSync();
    return true;
  }

  refundRetry(): void {
    this.pendingRetries -= 1;
  }

  /** Retries left in this window as far as this instance knows. */
  private allowance(): number {
    const deposits = this.fleet.deposits + this.pendingDeposits;
    const retries = this.fleet.retries + this.pendingRetries;
    return this.floor + deposits - retries;
  }

  private currentWindow(): number {
    return Math.floor(this.clock.wallNow() / this.windowMs);
  }

  private roll(): void {
    const window = this.currentWindow();
    if (window === this.window) return;
    // Counts of the window just ended are dropped, unsynced ones too: they bought nothing now.
    this.window = window;
    this.fleet = { deposits: 0, retries: 0 };
    this.pendingDeposits = 0;
    this.pendingRetries = 0;
  }

  private maybeSync(): void {
    const now = this.clock.now();
    if (this.syncing || now - this.lastSyncAt < this.syncIntervalMs) return;
    this.lastSyncAt = now;
    const window = this.window;
    const sent = { deposits: this.pendingDeposits, retries: this.pendingRetries };
    let answer: ReturnType<RetryBudgetLink['sync']>;
    try {
      answer = this.link.sync(window, this.windowMs, sent);
    } catch {
      return;
    }
    if (!(answer instanceof Promise)) {
      this.absorb(window, sent, answer);
      return;
    }
    this.syncing = true;
    void answer
      .then(
        (counts) => this.absorb(window, sent, counts),
        () => undefined,
      )
      .finally(() => (this.syncing = false));
  }

  /** The fleet's totals include what was sent: keep only what was counted since. */
  private absorb(window: number, sent: FleetBudgetCounts, counts: FleetBudgetCounts | undefined) {
    if (counts === undefined || window !== this.window) return;
    this.fleet = counts;
    this.pendingDeposits -= sent.deposits;
    this.pendingRetries -= sent.retries;
  }
}
