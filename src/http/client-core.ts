import type { EventEmitter } from 'node:events';
import type { Dispatcher } from 'undici';
import type { AsyncCircuitBreaker, BackoffOptions, RetryBudget } from '../resilience/index.js';
import type { SseEvent } from '../sse/sse-event.js';
import type { CancelSignal, Clock, TimerHandle } from '../time/index.js';
import type { AttemptFailure } from './attempt-failure.js';
import type { DeadlineList, Expirable } from './deadline-list.js';

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
  /** The key and every static header value: redacted from whatever upstream text we pass on. */
  readonly secrets: readonly string[];
  readonly maxRetries: number;
  readonly backoff: BackoffOptions;
  readonly budget: RetryBudget | undefined;
  readonly breaker: AsyncCircuitBreaker;
  readonly timeoutMs: number;
  /** Times out non-streaming calls (`timeoutMs`); undefined when timeoutMs is Infinity. */
  readonly deadlines: DeadlineList | undefined;
  readonly firstByteTimeoutMs: number;
  readonly idleTimeoutMs: number;
  /** Largest 2xx body of a non-streaming answer, bytes. */
  readonly maxResponseBytes: number;
  /** Largest stream event or line, characters. */
  readonly maxStreamEventChars: number;
  /** Headers of one request: static, content type, dynamic (auth), then per-call extras. */
  headers(extra: Record<string, string> | undefined): Record<string, string>;
  /** Notes a recorded breaker failure (for `lastErrorCode`). */
  noteFailure(failure: AttemptFailure): void;
  /** Notes a recorded success. */
  noteSuccess(): void;
}

/**
 * How the client reads one protocol's stream, as plain functions: the protocol module gives it,
 * the client holds no protocol knowledge of its own.
 */
export interface StreamCodec {
  /** Whether `event` ends the stream (OpenAI `[DONE]`, Anthropic `message_stop`). */
  isTerminal(event: SseEvent): boolean;
  /** Whether `event` is a keep-alive (Anthropic `ping`) that does not reset the idle timer. */
  isKeepAlive(event: SseEvent): boolean;
  /**
   * Whether `event` carries content (text, a tool call, a finish). Optional: with it, the
   * first-byte timer runs until the first content event, so an upstream that sends only
   * keep-alives or role-only chunks times out (and the router fails over) instead of being
   * waited on; without it, any event that is not a keep-alive stops the first-byte timer.
   */
  isContent?(event: SseEvent): boolean;
  /** The error body carried by an in-band error event, or undefined for a normal event. */
  inBandError(event: SseEvent): unknown;
  /** True when the protocol has a terminal event (so ending without it is a truncation). */
  readonly hasTerminal: boolean;
}

/** The name stream-call.ts knows the codec by. */
export type StreamHooks = StreamCodec;

/** Abort reason our own timers use; flags, not this object, tell a timeout from a caller abort. */
export class AttemptTimeout extends Error {
  constructor(what: string) {
    super(`${what} timed out`);
    this.name = 'TimeoutError';
  }
}

type Listener = () => void;

/**
 * A one-shot abort source in the EventEmitter form undici accepts for `signal`
 * (lib/api/abort-signal.js and api-request.js call `on`/`once`/`removeListener`, read `aborted`
 * and `reason`). We use it instead of an AbortController because an AbortSignal's EventTarget
 * listener bookkeeping measured ~8 µs per request on loopback, about 10% of a whole call.
 */
export class AbortSource {
  aborted = false;
  reason: unknown = undefined;
  private listeners: Listener[] = [];

  on(_event: 'abort', listener: Listener): this {
    this.listeners.push(listener);
    return this;
  }

  once(event: 'abort', listener: Listener): this {
    return this.on(event, listener);
  }

  removeListener(_event: 'abort', listener: Listener): this {
    const index = this.listeners.indexOf(listener);
    if (index !== -1) this.listeners.splice(index, 1);
    return this;
  }

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const listeners = this.listeners;
    this.listeners = [];
    for (const listener of listeners) listener();
  }
}

/**
 * One abort source for an attempt (or a whole non-streaming call), aborted by the caller's
 * signal or by our single timer.
 */
export class AttemptGuard implements Expirable {
  readonly source = new AbortSource();
  // Expirable: links for the client's DeadlineList (non-streaming calls).
  dueAt = Infinity;
  prev: Expirable | undefined = undefined;
  next: Expirable | undefined = undefined;
  timedOut = false;
  /** Set while the consumer holds a yielded event: the timer then re-arms instead of firing. */
  inYield = false;
  private timer: TimerHandle | undefined;
  private readonly onCallerAbort: (() => void) | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly callerSignal: CancelSignal | undefined,
    timeoutMs: number,
    private readonly what: string,
  ) {
    if (callerSignal !== undefined) {
      const source = this.source;
      this.onCallerAbort = () => source.abort(callerSignal.reason);
      callerSignal.addEventListener('abort', this.onCallerAbort, { once: true });
    }
    this.arm(timeoutMs);
  }

  /** The signal to hand to undici's `request()`. */
  get signal(): EventEmitter {
    return this.source as unknown as EventEmitter;
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

  // bind, not an arrow field: under tsx/esbuild keepNames every arrow created per call also pays
  // a defineProperty('name'), measurable on the per-call hot path.
  private readonly fire = this.onTimer.bind(this);

  private onTimer(): void {
    // A slow consumer is not a silent upstream: measure only while we are waiting for bytes.
    if (this.inYield) {
      this.timer?.refresh();
      return;
    }
    this.expire();
  }

  /** Times the attempt out now: aborts the upstream request with a TIMEOUT. */
  expire(): void {
    this.timedOut = true;
    this.source.abort(new AttemptTimeout(this.what));
  }
}
