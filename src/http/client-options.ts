import type { Dispatcher } from 'undici';
import type {
  AsyncCircuitBreaker,
  CircuitBreakerOptions,
  RetryBudget,
  RetryBudgetOptions,
} from '../resilience/index.js';
import type { SseBatch } from '../sse/sse-batch.js';
import type { SseEvent } from '../sse/sse-event.js';
import type { CancelSignal, Clock, RandomSource } from '../time/index.js';

/**
 * Options of `CloudBackendClient`. Every optional field also accepts `undefined` (= its default), so
 * values such as `process.env.KEY` can be passed as they are.
 */
export interface CloudBackendClientOptions {
  /** Base URL; paths are appended (`http://h/v1` + `/chat/completions`). */
  baseUrl: string;
  /** The upstream's key; used by `buildHeaders()` and redacted from every error. */
  apiKey?: string | undefined;
  /** Backend name, in errors and as the breaker's default name. Default: the base URL's host. */
  name?: string | undefined;
  /** Retries after the first attempt. Default 3. */
  maxRetries?: number | undefined;
  /** First retry's backoff ceiling (full jitter), ms. Default 500. */
  backoffBaseMs?: number | undefined;
  /** Largest backoff ceiling, ms. Default 8000. */
  backoffCapMs?: number | undefined;
  /**
   * Total deadline of a non-streaming call, all attempts and waits included; for a stream, the
   * deadline until its first event. Default 60_000.
   */
  timeoutMs?: number | undefined;
  /**
   * TCP (+TLS handshake) connect timeout of the pool the client creates; a failed connect is a
   * retryable `TIMEOUT`. Ignored when `dispatcher` is given (configure that one yourself).
   * Default 10_000.
   */
  connectTimeoutMs?: number | undefined;
  /**
   * Per stream attempt: time until the first content event (headers included; keep-alives and,
   * when the codec has `isContent`, role-only chunks do not count). Default timeoutMs.
   */
  firstByteTimeoutMs?: number | undefined;
  /** Longest silence between stream progress events (keep-alives do not count). Default 30_000. */
  idleTimeoutMs?: number | undefined;
  /**
   * Largest 2xx body of a non-streaming answer, in bytes; past it reading stops, the upstream
   * request is closed and the call fails with `UPSTREAM_RESPONSE_TOO_LARGE` (not retried, no
   * breaker failure). Default 33_554_432 (32 MiB).
   */
  maxResponseBytes?: number | undefined;
  /**
   * Largest single event (or line) of a stream, in characters of the decoded text; past it the
   * stream fails with `UPSTREAM_RESPONSE_TOO_LARGE` (not retried, no breaker failure). Default
   * 16_777_216 (16 Mi).
   */
  maxStreamEventChars?: number | undefined;
  /** Breaker options, or a breaker instance to share. Default: a breaker named after the client. */
  circuitBreaker?: CircuitBreakerOptions | AsyncCircuitBreaker | undefined;
  /** Retry budget options or instance; `false` for none. Default: `new RetryBudget()`. */
  retryBudget?: RetryBudgetOptions | RetryBudget | false | undefined;
  /** Time source. Default `systemClock`. */
  clock?: Clock | undefined;
  /** Random source for backoff jitter. Default `Math.random`. */
  random?: RandomSource | undefined;
  /** undici dispatcher to send through (not closed by `close()`). Default: a keep-alive Pool. */
  dispatcher?: Dispatcher | undefined;
  /** Extra static headers sent with every request. */
  headers?: Record<string, string> | undefined;
}

/** Per-call options. */
export interface RequestOptions {
  /** Aborts the call and its upstream request at once; neither success nor failure is recorded. */
  signal?: CancelSignal | undefined;
  /** Extra headers for this call only. */
  headers?: Record<string, string> | undefined;
}

/** A successful (2xx) non-streaming answer. */
export interface PostResult<T = unknown> {
  status: number;
  /** Response headers (lower-case names; repeated headers as undici reports them). */
  headers: Record<string, string>;
  /** The parsed JSON body. */
  body: T;
  /**
   * The body's bytes as received, when `body` was parsed from exactly their text (valid UTF-8, no
   * byte-order mark): a pass-through can send them on instead of stringifying `body` again.
   */
  bytes?: Buffer;
  /** Attempts sent upstream, retries included. */
  attempts: number;
}

/**
 * A lazily started stream of parsed SSE events: the request starts on the first `next()`.
 * Iterable once, either event by event or, cheaper, by `batches()` (one per upstream read).
 */
export interface SseStream extends AsyncIterable<SseEvent> {
  /** Attempts sent upstream so far (final once the first event has been yielded). */
  readonly attempts: number;
  /** The events one upstream read at a time, with their wire text (the upstream's own). */
  batches(): AsyncIterable<SseBatch>;
}
