import type { ErrorCode } from '../errors/index.js';
import type { ResilientHttpClient } from '../http/index.js';
import type { Protocol } from '../protocols/protocol.js';
import type { AsyncCircuitBreaker } from '../resilience/index.js';
import type {
  ChatBackend,
  ChatCallOptions,
  ChatResult,
  ChatStream,
  JsonResult,
} from './chat-backend.js';
import { probeModels } from './probe-models.js';
import { protocolChat, protocolChatStream, protocolPostJson } from './protocol-chat.js';
import type { ProtocolAdapter } from './protocol-chat.js';
import { withForwardedHeaders } from './request-body.js';
import type { CancelSignal } from '../time/index.js';

type Body = Record<string, unknown>;

/** Where and how long an AdapterBackend probes, and which caller headers it forwards. */
export interface AdapterBackendSettings {
  /** Health probe path under the base URL. */
  healthPath: string;
  /** Health probe timeout, ms. */
  probeTimeoutMs: number;
  /** The caller's headers to forward (lower case). */
  forwardHeaders: readonly string[];
}

/**
 * A ChatBackend made of two held parts: a `ResilientHttpClient` for every upstream call and a
 * `ProtocolAdapter` for what the upstream's protocol adds. The OpenAI and Anthropic backends are
 * this with their own auth headers and adapter (one level, a concrete class: nothing here calls
 * back into a subclass).
 */
export class AdapterBackend implements ChatBackend {
  readonly protocol: Protocol;
  /** Backend name, in errors and logs. */
  readonly name: string;
  /** The base URL as given. */
  readonly baseUrl: string;
  readonly circuitBreaker: AsyncCircuitBreaker;
  // ES-private: JSON.stringify or util.inspect of a backend must not reveal the key.
  readonly #client: ResilientHttpClient;
  readonly #adapter: ProtocolAdapter;
  readonly #settings: AdapterBackendSettings;

  protected constructor(
    client: ResilientHttpClient,
    adapter: ProtocolAdapter,
    settings: AdapterBackendSettings,
  ) {
    this.#client = client;
    this.#adapter = adapter;
    this.#settings = settings;
    this.protocol = adapter.protocol;
    this.name = client.name;
    this.baseUrl = client.baseUrl;
    this.circuitBreaker = client.circuitBreaker;
  }

  /** True while the breaker refuses calls. */
  get isCircuitOpen(): boolean {
    return this.#client.isCircuitOpen;
  }

  /** Code of the last recorded failure (for /health); cleared by a success. */
  get lastErrorCode(): ErrorCode | undefined {
    return this.#client.lastErrorCode;
  }

  /** See ChatBackend.chat and protocolChat. */
  chat(protocol: Protocol, body: Body, options?: ChatCallOptions): Promise<ChatResult> {
    return protocolChat(this.#client, this.#adapter, protocol, body, this.#call(options));
  }

  /** See ChatBackend.chatStream and protocolChatStream. */
  chatStream(protocol: Protocol, body: Body, options?: ChatCallOptions): ChatStream {
    return protocolChatStream(this.#client, this.#adapter, protocol, body, this.#call(options));
  }

  /** See ChatBackend.postJson and protocolPostJson (count_tokens, embeddings). */
  postJson(path: string, body: Body, options?: ChatCallOptions): Promise<JsonResult> {
    return protocolPostJson(this.#client, this.#adapter, path, body, this.#call(options));
  }

  /** `GET {baseUrl}{healthPath}` with a short timeout: true for a 2xx. */
  probe(signal?: CancelSignal): Promise<boolean> {
    return probeModels(
      (path, opts) => this.#client.get(path, opts),
      this.#settings.healthPath,
      this.#settings.probeTimeoutMs,
      signal,
    );
  }

  /** Closes the pool the client created (an injected dispatcher is left alone). */
  close(): Promise<void> {
    return this.#client.close();
  }

  /** The call's options with the caller's headers this backend forwards. */
  #call(options: ChatCallOptions | undefined): ChatCallOptions | undefined {
    return withForwardedHeaders(options, this.#settings.forwardHeaders);
  }
}
