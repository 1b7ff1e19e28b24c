import type { CancelSignal } from './cancel-signal.js';
/** A restartable one-shot timer, cheap to refresh on every stream event. */
export interface TimerHandle {
  /** Restart the countdown from now with the original delay. */
  refresh(): void;
  /** Cancel; the callback will not run. Idempotent. */
  clear(): void;
}

/**
 * The only source of time in llm-failover. Inject a `ManualClock` in tests so nothing sleeps
 * and nothing depends on machine speed.
 */
export interface Clock {
  /** Monotonic milliseconds (arbitrary origin): for deadlines, timeouts and breaker periods. */
  now(): number;
  /** Wall-clock epoch milliseconds: only for HTTP dates such as `Retry-After: <date>`. */
  wallNow(): number;
  /**
   * Resolves after `ms`. Rejects with the signal's reason (an AbortError) as soon as `signal`
   * aborts, and frees its timer.
   */
  sleep(ms: number, signal?: CancelSignal): Promise<void>;
  /** Runs `callback` once after `ms` unless cleared. Does not keep the process alive. */
  setTimer(ms: number, callback: () => void): TimerHandle;
}

/** A source of uniform random numbers in [0, 1), injectable for exact backoff tests. */
export type RandomSource = () => number;
