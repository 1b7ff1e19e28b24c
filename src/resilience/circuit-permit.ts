/**
 * The right to make one call, returned by `check()`. Report exactly one outcome: `success()`,
 * `failure(retryAfterMs?)`, or `release()` when the call was abandoned (caller abort, consumer
 * stopped early) and says nothing about the backend. Every call after the first is ignored, and
 * so is a permit issued before the breaker last changed state.
 */
export interface CircuitPermit {
  /** True for the single call admitted in half-open: its outcome closes or re-opens the breaker. */
  readonly isProbe: boolean;
  /** The call succeeded: resets the failure count (closes the breaker for a probe). */
  success(): void;
  /** The backend failed the call; `retryAfterMs` is its hint, which may lengthen the open period. */
  failure(retryAfterMs?: number): void;
  /** The call was abandoned: records nothing, frees the probe slot. */
  release(): void;
}

/** Outcomes a permit reports; numbers keep the hot path free of string compares. */
export const SUCCESS = 0;
export const FAILURE = 1;
export const RELEASE = 2;
export type Outcome = typeof SUCCESS | typeof FAILURE | typeof RELEASE;
/** The breaker's callback receiving a permit's one outcome. */
export type Settle = (permit: Permit, outcome: Outcome, retryAfterMs: number | undefined) => void;

/** The breaker's permit: settles once, reporting to the breaker that issued it. */
export class Permit implements CircuitPermit {
  readonly isProbe: boolean;
  private settled = false;

  /** @param probeSlot 0 for an ordinary permit, else the id of the probe slot it was given. */
  constructor(
    private readonly settle: Settle,
    readonly generation: number,
    readonly probeSlot: number,
  ) {
    this.isProbe = probeSlot !== 0;
  }

  success(): void {
    this.report(SUCCESS, undefined);
  }

  failure(retryAfterMs?: number): void {
    this.report(FAILURE, retryAfterMs);
  }

  release(): void {
    this.report(RELEASE, undefined);
  }

  private report(outcome: Outcome, retryAfterMs: number | undefined): void {
    if (this.settled) return;
    this.settled = true;
    this.settle(this, outcome, retryAfterMs);
  }
}
