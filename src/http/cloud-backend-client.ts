import type { ErrorCode } from '../errors/index.js';
import type { AsyncCircuitBreaker } from '../resilience/index.js';
import type { SseEvent } from '../sse/sse-event.js';
import type { Clock } from '../time/index.js';
import type { StreamCodec } from './client-core.js';
import type {
  CloudBackendClientOptions,
  PostResult,
  RequestOptions,
  SseStream,
} from './client-options.js';
import { ResilientHttpClient } from './resilient-http-client.js';

/**
 * The public, subclassable face of the resilient client (see `ResilientHttpClient` for the retry,
 * breaker and outcome rules): a subclass supplies `buildHeaders()` and, for streams, the optional
 * event rules, and calls the protected `postWithCircuitBreaker` / `streamWithCircuitBreaker`.
 * A thin layer: everything resilient lives in the client it holds. The built-in backends hold a
 * `ResilientHttpClient` directly instead of extending this class.
 */
export abstract class CloudBackendClient {
  /** Backend name, in errors (`backend`) and logs. */
  readonly name: string;
  /** The base URL as given; request paths are appended to it. */
  readonly baseUrl: string;
  /** The breaker guarding every call (shared when an instance was passed in the options). */
  readonly circuitBreaker: AsyncCircuitBreaker;
  // ES-private, so neither JSON.stringify nor util.inspect of a client can reveal the key.
  readonly #client: ResilientHttpClient;
  readonly #apiKey: string | undefined;
  #codec: StreamCodec | undefined;

  /**
   * @param streamRules the wire protocol's stream rules (terminal, keep-alive, in-band error),
   *   e.g. a protocols/ `WireProtocol`; without them the optional methods below are asked.
   * @throws TypeError for a base URL that does not parse.
   */
  constructor(options: CloudBackendClientOptions, streamRules?: StreamCodec) {
    this.#apiKey = options.apiKey;
    this.#codec = streamRules;
    this.#client = new ResilientHttpClient({
      ...options,
      dynamicHeaders: () => this.buildHeaders(),
    });
    this.name = this.#client.name;
    this.baseUrl = this.#client.baseUrl;
    this.circuitBreaker = this.#client.circuitBreaker;
  }

  /** True while the breaker refuses calls. */
  get isCircuitOpen(): boolean {
    return this.#client.isCircuitOpen;
  }

  /** Code of the last recorded failure (for /health); cleared by a success. */
  get lastErrorCode(): ErrorCode | undefined {
    return this.#client.lastErrorCode;
  }

  /** The API key from the options, for `buildHeaders()`. */
  protected get apiKey(): string | undefined {
    return this.#apiKey;
  }

  /** The injected clock, for subclasses that stamp times (e.g. OpenAI's `created`). */
  protected get clock(): Clock {
    return this.#client.clock;
  }

  /**
   * Headers this backend needs on every request (auth, version). Called once per call; returning
   * the same object each time is cheapest (the merged headers are cached by identity), so return a
   * new object, never a mutated one, when they change.
   */
  protected abstract buildHeaders(): Record<string, string>;

  /**
   * Whether `event` ends the stream (OpenAI `[DONE]`, Anthropic `message_stop`). Define it when the
   * protocol has a terminal event: a stream ending without one is then `STREAM_TRUNCATED`.
   */
  protected isTerminalEvent?(event: SseEvent): boolean;

  /** Whether `event` is a keep-alive (Anthropic `ping`) that does not reset the idle timer. */
  protected isKeepAliveEvent?(event: SseEvent): boolean;

  /** The error body carried by an in-band error event, or undefined for a normal event. */
  protected inBandError?(event: SseEvent): unknown;

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
    return this.#client.post<T>(path, body, options);
  }

  /**
   * POSTs `body` and iterates the SSE answer. Lazy: the breaker check and the request happen on
   * the first `next()`. Retried only before the first event reached the consumer; afterwards a
   * failure is thrown from the iterator (`STREAM_TRUNCATED`, `TIMEOUT`, `STREAM_UPSTREAM_ERROR`).
   * Breaking out of the loop closes the upstream request and records nothing. Events are read
   * with `codec` when given (e.g. a protocol's `WireProtocol`), else with the constructor's
   * `streamRules`, else with this class's optional `isTerminalEvent` / `isKeepAliveEvent` /
   * `inBandError` rules.
   */
  protected streamWithCircuitBreaker(
    path: string,
    body: unknown,
    options: RequestOptions = {},
    codec?: StreamCodec,
  ): SseStream {
    return this.#client.stream(path, body, codec ?? (this.#codec ??= this.#streamCodec()), options);
  }

  /** A GET with a timeout but no retry and no breaker, for health probes; resolves for any status. */
  protected getWithTimeout(
    path: string,
    options: RequestOptions & { timeoutMs?: number } = {},
  ): Promise<{ status: number; body: unknown }> {
    return this.#client.get(path, options);
  }

  /** Closes the pool this client created (an injected dispatcher is left alone). */
  close(): Promise<void> {
    return this.#client.close();
  }

  /**
   * The subclass's event rules as a codec. Built on first use, not in the constructor, so rules
   * defined as subclass fields exist by then.
   */
  #streamCodec(): StreamCodec {
    const terminal = this.isTerminalEvent?.bind(this);
    const keepAlive = this.isKeepAliveEvent?.bind(this);
    const inBand = this.inBandError?.bind(this);
    return {
      hasTerminal: terminal !== undefined,
      isTerminal: terminal ?? never,
      isKeepAlive: keepAlive ?? never,
      inBandError: inBand ?? (() => undefined),
    };
  }
}

const never = (): boolean => false;
