import { Pool } from 'undici';
import type { Dispatcher } from 'undici';
import type { ErrorCode } from '../errors/index.js';
import { AsyncCircuitBreaker, RetryBudget } from '../resilience/index.js';
import type { SseEvent } from '../sse/sse-event.js';
import { systemClock } from '../time/index.js';
import type { Clock } from '../time/index.js';
import type { ClientCore, StreamHooks } from './client-core.js';
import type {
  CloudBackendClientOptions,
  PostResult,
  RequestOptions,
  SseStream,
} from './client-options.js';
import { DeadlineList } from './deadline-list.js';
import { runGet, runPost } from './post-call.js';
import { openStream } from './stream-call.js';

/**
 * Base of every cloud (HTTP) backend: one keep-alive undici pool, a circuit breaker, retries with
 * full-jitter backoff, Retry-After hints, a total deadline and a retry budget; streams with
 * first-byte and idle timeouts. Subclasses add auth headers and the protocol.
 *
 * Outcome rules (one breaker permit per call, retries inside it, one outcome recorded):
 * success after a 2xx JSON body was read, or after a stream's terminal event and end of body;
 * 400/404/413/422 (caller errors) release the permit; 401/403 and exhausted 5xx/429/connection/
 * timeout failures count as failures; a caller abort or a consumer stopping early releases.
 */
export abstract class CloudBackendClient {
  /** Backend name, in errors (`backend`) and logs. */
  readonly name: string;
  /** The base URL as given; request paths are appended to it. */
  readonly baseUrl: string;
  /** The breaker guarding every call (shared when an instance was passed in the options). */
  readonly circuitBreaker: AsyncCircuitBreaker;
  // ES-private, so neither JSON.stringify nor util.inspect of a client can reveal the key.
  readonly #core: ClientCore;
  private readonly hooks: StreamHooks;
  private readonly ownsDispatcher: boolean;
  private lastCode: ErrorCode | undefined;

  /**
   * @param streamRules the wire protocol's stream rules (terminal, keep-alive, in-band error),
   *   e.g. a protocols/ `WireProtocol`; without them the overridable methods below are asked.
   * @throws TypeError for a base URL that does not parse.
   */
  constructor(options: CloudBackendClientOptions, streamRules?: StreamHooks) {
    const url = new URL(options.baseUrl);
    this.baseUrl = options.baseUrl;
    this.name = options.name ?? url.host;
    const clock = options.clock ?? systemClock;
    this.circuitBreaker =
      options.circuitBreaker instanceof AsyncCircuitBreaker
        ? options.circuitBreaker
        : // Defaults after the spread, with ??: an explicit `name: undefined` must not unname it,
          // nor `clock: undefined` put it on the system clock while the client runs on another.
          new AsyncCircuitBreaker({
            ...options.circuitBreaker,
            name: options.circuitBreaker?.name ?? this.name,
            clock: options.circuitBreaker?.clock ?? clock,
          });
    this.ownsDispatcher = options.dispatcher === undefined;
    const timeoutMs = options.timeoutMs ?? 60_000;
    const staticHeaders = { ...options.headers, 'content-type': 'application/json' };
    let lastOwn: Record<string, string> | undefined;
    let merged: Record<string, string> = staticHeaders;
    this.#core = {
      name: this.name,
      origin: url.origin,
      basePath: url.pathname.replace(/\/+$/, ''),
      dispatcher: options.dispatcher ?? createPool(url.origin, options.connectTimeoutMs ?? 10_000),
      clock,
      apiKey: options.apiKey,
      maxRetries: options.maxRetries ?? 3,
      backoff: {
        baseMs: options.backoffBaseMs ?? 500,
        capMs: options.backoffCapMs ?? 8_000,
        ...(options.random === undefined ? {} : { random: options.random }),
      },
      budget: createBudget(options.retryBudget, clock),
      breaker: this.circuitBreaker,
      timeoutMs,
      deadlines: timeoutMs === Infinity ? undefined : new DeadlineList(clock, timeoutMs),
      firstByteTimeoutMs: options.firstByteTimeoutMs ?? timeoutMs,
      idleTimeoutMs: options.idleTimeoutMs ?? 30_000,
      headers: (extra) => {
        // Subclasses usually return the same object every time: merge only when it changes.
        const own = this.buildHeaders();
        if (own !== lastOwn) {
          lastOwn = own;
          merged = { ...staticHeaders, ...own };
        }
        return extra === undefined ? merged : { ...merged, ...extra };
      },
      noteFailure: (failure) => (this.lastCode = failure.code),
      noteSuccess: () => (this.lastCode = undefined),
    };
    this.hooks = streamRules ?? {
      isTerminal: (event) => this.isTerminalEvent(event),
      isKeepAlive: (event) => this.isKeepAliveEvent(event),
      inBandError: (event) => this.inBandError(event),
      // A subclass that overrides isTerminalEvent has a terminal event: ending without it truncates.
      hasTerminal: this.isTerminalEvent !== CloudBackendClient.prototype.isTerminalEvent,
    };
  }

  /** True while the breaker refuses calls. */
  get isCircuitOpen(): boolean {
    return this.circuitBreaker.currentState === 'open';
  }

  /** The API key from the options, for `buildHeaders()`. */
  protected get apiKey(): string | undefined {
    return this.#core.apiKey;
  }

  /** The injected clock, for subclasses that stamp times (e.g. OpenAI's `created`). */
  protected get clock(): Clock {
    return this.#core.clock;
  }

  /** Code of the last recorded failure (for /health); cleared by a success. */
  get lastErrorCode(): ErrorCode | undefined {
    return this.lastCode;
  }

  /**
   * Headers this backend needs on every request (auth, version). Called once per call; returning
   * the same object each time is cheapest (the merged headers are cached by identity), so return a
   * new object, never a mutated one, when they change.
   */
  protected abstract buildHeaders(): Record<string, string>;

  /** The backend's chat call, in its own protocol. */
  abstract chatCompletion(
    request: Record<string, unknown>,
    options?: RequestOptions,
  ): Promise<unknown>;

  /**
   * POSTs `body` (JSON-stringified once; a string is sent as is) to `baseUrl + path` with
   * retries inside one breaker permit. Resolves for a 2xx with the parsed JSON body.
   * @throws CircuitBreakerError (`CIRCUIT_OPEN`) without sending anything while the breaker is open;
   *   LlmFailoverError `TIMEOUT`, `CONNECTION`, `RATE_LIMITED`, `UPSTREAM_SERVER`, `UPSTREAM_AUTH`,
   *   `UPSTREAM_BAD_REQUEST` or `ABORTED`.
   */
  protected postWithCircuitBreaker<T = unknown>(
    path: string,
    body: unknown,
    options: RequestOptions = {},
  ): Promise<PostResult<T>> {
    return runPost<T>(this.#core, path, body, options);
  }

  /**
   * POSTs `body` and iterates the SSE answer. Lazy: the breaker check and the request happen on
   * the first `next()`. Retried only before the first event reached the consumer; afterwards a
   * failure is thrown from the iterator (`STREAM_TRUNCATED`, `TIMEOUT`, `STREAM_UPSTREAM_ERROR`).
   * Breaking out of the loop closes the upstream request and records nothing.
   */
  protected streamWithCircuitBreaker(
    path: string,
    body: unknown,
    options: RequestOptions = {},
  ): SseStream {
    return openStream(this.#core, this.hooks, path, body, options);
  }

  /** A GET with a timeout but no retry and no breaker, for health probes; resolves for any status. */
  protected getWithTimeout(
    path: string,
    options: RequestOptions & { timeoutMs?: number } = {},
  ): Promise<{ status: number; body: unknown }> {
    return runGet(this.#core, path, options);
  }

  /** Whether `event` ends the stream (OpenAI `[DONE]`, Anthropic `message_stop`). Default: none. */
  protected isTerminalEvent(_event: SseEvent): boolean {
    return false;
  }

  /** Whether `event` is a keep-alive (Anthropic `ping`) that does not reset the idle timer. */
  protected isKeepAliveEvent(_event: SseEvent): boolean {
    return false;
  }

  /** The error body carried by an in-band error event, or undefined for a normal event. */
  protected inBandError(_event: SseEvent): unknown {
    return undefined;
  }

  /** Closes the pool this client created (an injected dispatcher is left alone). */
  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.#core.dispatcher.close();
  }
}

function createPool(origin: string, connectTimeoutMs: number): Dispatcher {
  return new Pool(origin, { connect: { timeout: connectTimeoutMs } });
}

function createBudget(
  option: CloudBackendClientOptions['retryBudget'],
  clock: ClientCore['clock'],
): RetryBudget | undefined {
  if (option === false) return undefined;
  if (option instanceof RetryBudget) return option;
  return new RetryBudget({ ...option, clock: option?.clock ?? clock });
}
