import { createRequire } from 'node:module';
import type { Dispatcher, Pool } from 'undici';
import type { ErrorCode } from '../errors/index.js';
import { backendSecrets } from '../errors/index.js';
import { AsyncCircuitBreaker, RetryBudget } from '../resilience/index.js';
import { MAX_SSE_BUFFER_CHARS } from '../sse/sse-reader.js';
import { systemClock } from '../time/index.js';
import type { Clock } from '../time/index.js';
import { DEFAULT_MAX_RESPONSE_BYTES } from './attempt-failure.js';
import type { ClientCore, StreamCodec } from './client-core.js';
import type {
  CloudBackendClientOptions,
  PostResult,
  RequestOptions,
  SseStream,
} from './client-options.js';
import { DeadlineList } from './deadline-list.js';
import { runGet, runPost } from './post-call.js';
import { openStream } from './stream-call.js';

/** Options of `ResilientHttpClient`: those of `CloudBackendClient`, plus per-call headers. */
export interface ResilientHttpClientOptions extends CloudBackendClientOptions {
  /**
   * Headers computed per call (auth that may change), merged over `headers`. Returning the same
   * object each time is cheapest: the merge is cached by identity.
   */
  dynamicHeaders?: (() => Record<string, string>) | undefined;
}

/**
 * The resilient HTTP client every cloud backend holds: one keep-alive undici pool, a circuit
 * breaker, retries with full-jitter backoff, Retry-After hints, a total deadline and a retry
 * budget; streams with first-byte and idle timeouts. It knows no protocol: a stream's terminal,
 * keep-alive and in-band-error rules come in as a `StreamCodec` of plain functions.
 *
 * Outcome rules (one breaker permit per call, retries inside it, one outcome recorded):
 * success after a 2xx JSON body was read, or after a stream's terminal event and end of body;
 * 400/404/413/422 (caller errors) release the permit; 401/403 and exhausted 5xx/429/connection/
 * timeout failures count as failures; a caller abort or a consumer stopping early releases.
 */
export class ResilientHttpClient {
  /** Name, in errors (`backend`) and logs. */
  readonly name: string;
  /** The base URL as given; request paths are appended to it. */
  readonly baseUrl: string;
  /** The breaker guarding every call (shared when an instance was passed in the options). */
  readonly circuitBreaker: AsyncCircuitBreaker;
  // ES-private, so neither JSON.stringify nor util.inspect of a client can reveal the key.
  readonly #core: ClientCore;
  readonly #ownsDispatcher: boolean;
  #lastCode: ErrorCode | undefined;

  /** @throws TypeError for a base URL that does not parse. */
  constructor(options: ResilientHttpClientOptions) {
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
    this.#ownsDispatcher = options.dispatcher === undefined;
    const timeoutMs = options.timeoutMs ?? 60_000;
    this.#core = {
      name: this.name,
      origin: url.origin,
      basePath: url.pathname.replace(/\/+$/, ''),
      dispatcher: options.dispatcher ?? createPool(url.origin, options.connectTimeoutMs ?? 10_000),
      clock,
      apiKey: options.apiKey,
      secrets: backendSecrets(options.apiKey, options.headers),
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
      maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      maxStreamEventChars: options.maxStreamEventChars ?? MAX_SSE_BUFFER_CHARS,
      headers: headerSource(options),
      noteFailure: (failure) => (this.#lastCode = failure.code),
      noteSuccess: () => (this.#lastCode = undefined),
    };
  }

  /** True while the breaker refuses calls. */
  get isCircuitOpen(): boolean {
    return this.circuitBreaker.currentState === 'open';
  }

  /** Code of the last recorded failure (for /health); cleared by a success. */
  get lastErrorCode(): ErrorCode | undefined {
    return this.#lastCode;
  }

  /** The injected clock (e.g. to stamp OpenAI's `created`). */
  get clock(): Clock {
    return this.#core.clock;
  }

  /**
   * POSTs `body` (JSON-stringified once; a string or bytes are sent as they are) to `baseUrl + path` with
   * retries inside one breaker permit. Resolves for a 2xx with the parsed JSON body.
   * @throws CircuitBreakerError (`CIRCUIT_OPEN`) without sending anything while the breaker is open;
   *   LlmFailoverError `TIMEOUT`, `CONNECTION`, `RATE_LIMITED`, `UPSTREAM_SERVER`, `UPSTREAM_AUTH`,
   *   `UPSTREAM_BAD_REQUEST` or `ABORTED`.
   */
  post<T = unknown>(
    path: string,
    body: unknown,
    options: RequestOptions = {},
  ): Promise<PostResult<T>> {
    return runPost<T>(this.#core, path, body, options);
  }

  /**
   * POSTs `body` and iterates the SSE answer, read with `codec`'s rules. Lazy: the breaker check
   * and the request happen on the first `next()`. Retried only before the first event reached the
   * consumer; afterwards a failure is thrown from the iterator (`STREAM_TRUNCATED`, `TIMEOUT`,
   * `STREAM_UPSTREAM_ERROR`). Breaking out of the loop closes the upstream request and records
   * nothing.
   */
  stream(
    path: string,
    body: unknown,
    codec: StreamCodec = PLAIN_SSE,
    options: RequestOptions = {},
  ): SseStream {
    return openStream(this.#core, codec, path, body, options);
  }

  /** A GET with a timeout but no retry and no breaker, for health probes; resolves for any status. */
  get(
    path: string,
    options: RequestOptions & { timeoutMs?: number } = {},
  ): Promise<{ status: number; body: unknown }> {
    return runGet(this.#core, path, options);
  }

  /** Closes the pool this client created (an injected dispatcher is left alone). */
  async close(): Promise<void> {
    if (this.#ownsDispatcher) await this.#core.dispatcher.close();
  }
}

/** SSE with no terminal event, no keep-alives and no in-band errors: ends cleanly at end of body. */
export const PLAIN_SSE: StreamCodec = {
  hasTerminal: false,
  isTerminal: () => false,
  isKeepAlive: () => false,
  inBandError: () => undefined,
};

/** Headers of one request: static, content type, the dynamic ones, then per-call extras. */
function headerSource(options: ResilientHttpClientOptions): ClientCore['headers'] {
  const staticHeaders = { ...options.headers, 'content-type': 'application/json' };
  const dynamic = options.dynamicHeaders;
  let lastOwn: Record<string, string> | undefined;
  let merged: Record<string, string> = staticHeaders;
  return (extra) => {
    if (dynamic !== undefined) {
      const own = dynamic();
      if (own !== lastOwn) {
        lastOwn = own;
        merged = { ...staticHeaders, ...own };
      }
    }
    return extra === undefined ? merged : { ...merged, ...extra };
  };
}

function createPool(origin: string, connectTimeoutMs: number): Dispatcher {
  const PoolClass = loadPool();
  return new PoolClass(origin, { connect: { timeout: connectTimeoutMs } });
}

let loadedPool: typeof Pool | undefined;

/**
 * undici's Pool, loaded by the first client that needs its own (an injected dispatcher needs
 * none), so that importing the package does not load undici (issue 7: core import < 100 ms).
 * Deep paths rather than `require('undici')`: the index loads every dispatcher, the mocks, the
 * caches and the interceptors (~110 files, ~275 ms CPU measured here), the pool and the request
 * API are ~30 files (~100 ms). Like undici's index, this puts the request API (`request()`, used
 * by stream-call) on Dispatcher.prototype: the same functions, so it is harmless if the index
 * loads too. undici is pinned to an exact version (it has no `exports` map), and
 * test/entry-points.test.ts posts and streams through a client without a dispatcher in a fresh
 * process, so a moved path fails a test.
 */
function loadPool(): typeof Pool {
  if (loadedPool === undefined) {
    const require = createRequire(import.meta.url);
    const api = require('undici/lib/api/index.js') as object;
    const dispatcher = require('undici/lib/dispatcher/dispatcher.js') as { prototype: object };
    Object.assign(dispatcher.prototype, api);
    loadedPool = require('undici/lib/dispatcher/pool.js') as typeof Pool;
  }
  return loadedPool;
}

function createBudget(
  option: CloudBackendClientOptions['retryBudget'],
  clock: Clock,
): RetryBudget | undefined {
  if (option === false) return undefined;
  if (option instanceof RetryBudget) return option;
  return new RetryBudget({ ...option, clock: option?.clock ?? clock });
}
