import type { Dispatcher } from 'undici';
import type { AsyncCircuitBreaker, BackoffOptions, RetryBudget } from '../resilience/index.js';
import type { SseEvent } from '../sse/sse-event.js';
import type { Clock, TimerHandle } from '../time/index.js';
import type { AttemptFailure } from './attempt-failure.js';

/** Everything a call needs of its client, resolved once in the constructor. */
export interface ClientCore {
  readonly name: string;
  /** `http://host:port` of the base URL. */
  readonly origin: string;
  /** The base URL's path without a trailing slash (`/v1`), prefixed to every request path. */
  readonly basePath: string;
  readonly dispatcher: Dispatcher;
  readonly clock: Clock;
  readonly apiKey: string | undefined;
  readonly maxRetries: number;
  readonly backoff: BackoffOptions;
  readonly budget: RetryBudget | undefined;
  readonly breaker: AsyncCircuitBreaker;
  readonly timeoutMs: number;
  readonly firstByteTimeoutMs: number;
  readonly idleTimeoutMs: number;
  /** Headers of one request: static, the subclass's (auth), content type, then per-call extras. */
  headers(extra: Record<string, string> | undefined): Record<string, string>;
  /** Notes a recorded breaker failure (for `lastErrorCode`). */
  noteFailure(failure: AttemptFailure): void;
  /** Notes a recorded success. */
  noteSuccess(): void;
}

/** The subclass's view of a stream's events. */
export interface StreamHooks {
  isTerminal(event: SseEvent): boolean;
  isKeepAlive(event: SseEvent): boolean;
  inBandError(event: SseEvent): unknown;
  /** True when the subclass defines a terminal event (so ending without it is a truncation). */
  readonly hasTerminal: boolean;
}

/** Abort reason our own timers use; flags, not this object, tell a timeout from a caller abort. */
export class AttemptTimeout extends Error {
  constructor(what: string) {
    super(`${what} timed out`);
    this.name = 'TimeoutError';
  }
}

/**
 * One AbortController for an attempt (or a whole non-streaming call), aborted by the caller's
 * signal or by our single timer. Linking by listener instead of `AbortSignal.any` keeps the hot
 * path to one small allocation.
 */
export class AttemptGuard {
  readonly controller = new AbortController();
  timedOut = false;
  /** Set while the consumer holds a yielded event: the timer then re-arms instead of firing. */
  inYield = false;
  private timer: TimerHandle | undefined;
  private readonly onCallerAbort: (() => void) | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly callerSignal: AbortSignal | undefined,
    timeoutMs: number,
    private readonly what: string,
  ) {
    if (callerSignal !== undefined) {
      const controller = this.controller;
      this.onCallerAbort = () => controller.abort(callerSignal.reason);
      callerSignal.addEventListener('abort', this.onCallerAbort, { once: true });
    }
    this.arm(timeoutMs);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** True when the caller (not our timer) aborted. */
  get callerAborted(): boolean {
    return !this.timedOut && this.callerSignal?.aborted === true;
  }

  /** Replaces the timer with a new one of `ms` (Infinity: none). */
  arm(ms: number): void {
    this.timer?.clear();
    this.timer = ms === Infinity ? undefined : this.clock.setTimer(ms, this.fire);
  }

  /** Restarts the current timer's countdown. */
  refresh(): void {
    this.timer?.refresh();
  }

  dispose(): void {
    this.timer?.clear();
    if (this.onCallerAbort !== undefined)
      this.callerSignal?.removeEventListener('abort', this.onCallerAbort);
  }

  private readonly fire = (): void => {
    // A slow consumer is not a silent upstream: measure only while we are waiting for bytes.
    if (this.inYield) {
      this.timer?.refresh();
      return;
    }
    this.timedOut = true;
    this.controller.abort(new AttemptTimeout(this.what));
  };
}
