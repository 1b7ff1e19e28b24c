import { CloudBackendClient } from '../http/index.js';
import type { CloudBackendClientOptions, RequestOptions, SseStream } from '../http/index.js';
import type { Protocol } from '../protocols/protocol.js';
import type { WireProtocol } from '../protocols/wire-protocol.js';
import type { SseEvent } from '../sse/sse-event.js';
import type { Translated } from '../translate/index.js';
import type {
  ChatBackend,
  ChatCallOptions,
  ChatResult,
  ChatStream,
  JsonResult,
} from './chat-backend.js';
import { chatStreamOf } from './chat-stream-of.js';
import { probeModels } from './probe-models.js';
import { asObject, passThroughBody, requestOptions } from './request-body.js';

type Body = Record<string, unknown>;

/** Where a protocol backend posts and probes. */
export interface ProtocolBackendPaths {
  /** Chat path under the base URL (`/chat/completions`, `/v1/messages`). */
  chat: string;
  /** Health probe path under the base URL. */
  health: string;
  /** Health probe timeout, ms. */
  probeTimeoutMs: number;
}

/**
 * What the OpenAI and Anthropic backends share: a caller of the backend's own protocol is passed
 * through (only `model` and `stream` changed), a caller of the other protocol is translated on the
 * way up and on the way back. Subclasses say only what differs: auth headers, stream events, and
 * the four translation hooks.
 */
export abstract class ProtocolBackend extends CloudBackendClient implements ChatBackend {
  /** The upstream's wire protocol. */
  readonly protocol: Protocol;

  constructor(
    options: CloudBackendClientOptions,
    private readonly paths: ProtocolBackendPaths,
    /** The upstream's wire rules: the client learns the terminal event etc. from them. */
    protected readonly wire: WireProtocol,
  ) {
    super(options, wire);
    this.protocol = wire.protocol;
  }

  /** A request of the other protocol -> this one (validated; the route's model applied). */
  protected abstract translateRequest(body: Body, model: string | undefined): Translated<Body>;
  /** The upstream's answer -> the caller's protocol. */
  protected abstract translateAnswer(answer: unknown): Body;
  /** The body to stream a translated request with (e.g. asking for usage). */
  protected abstract streamRequest(translated: Body): Body;
  /** The upstream's stream -> wire-ready events in the caller's protocol. */
  protected abstract translateStream(
    upstream: SseStream,
    callerBody: Body,
    sent: Body,
  ): AsyncIterable<SseEvent>;

  /** POSTs a request of this backend's protocol as is and resolves with the parsed body. */
  async chatCompletion(request: Body, options?: RequestOptions): Promise<unknown> {
    return (await this.postWithCircuitBreaker(this.paths.chat, request, options)).body;
  }

  /**
   * Answers `body` (a request in `protocol`) without streaming, in `protocol`: passed through
   * when it is this backend's protocol, else translated both ways (notes say what changed).
   * @throws LlmFailoverError from the client (see CloudBackendClient), or INVALID_REQUEST /
   *   TRANSLATION_UNSUPPORTED before any request when the other protocol's request cannot be
   *   translated.
   */
  async chat(protocol: Protocol, body: Body, options: ChatCallOptions = {}): Promise<ChatResult> {
    const call = requestOptions(options);
    if (protocol === this.protocol) {
      const request = passThroughBody(body, options.model, false);
      const res = await this.postWithCircuitBreaker(this.paths.chat, request, call);
      return { body: asObject(res.body), attempts: res.attempts, notes: [] };
    }
    const { value, notes } = this.translateRequest(body, options.model);
    delete value.stream;
    const res = await this.postWithCircuitBreaker(this.paths.chat, value, call);
    return { body: this.translateAnswer(res.body), attempts: res.attempts, notes };
  }

  /**
   * Streams the answer to `body` as wire-ready events in `protocol`, ending with its terminal
   * event only after a clean upstream end; failures are thrown from the iterator.
   * @throws LlmFailoverError INVALID_REQUEST / TRANSLATION_UNSUPPORTED (e.g. `n: 2` towards
   *   Anthropic) synchronously, before any request, when the other protocol's request cannot be
   *   translated.
   */
  chatStream(protocol: Protocol, body: Body, options: ChatCallOptions = {}): ChatStream {
    const call = requestOptions(options);
    if (protocol === this.protocol) {
      const request = passThroughBody(body, options.model, true);
      const upstream = this.streamWithCircuitBreaker(this.paths.chat, request, call);
      return chatStreamOf(upstream, upstream, []);
    }
    const { value, notes } = this.translateRequest(body, options.model);
    const request = this.streamRequest(value);
    const upstream = this.streamWithCircuitBreaker(this.paths.chat, request, call);
    return chatStreamOf(upstream, this.translateStream(upstream, body, request), notes);
  }

  /**
   * POSTs `body` as is (only a route's `model` applied) to `path` under the API root: the chat
   * path without its `/messages` or `/chat/completions` (so `/v1` for Anthropic base URLs
   * without it). Same client, retries and breaker as chat.
   * @throws as `chat()` for a pass-through request.
   */
  async postJson(path: string, body: Body, options: ChatCallOptions = {}): Promise<JsonResult> {
    const root = this.paths.chat.replace(/\/(messages|chat\/completions)$/, '');
    const request = passThroughBody(body, options.model, body.stream === true);
    const res = await this.postWithCircuitBreaker(root + path, request, requestOptions(options));
    return { body: asObject(res.body), attempts: res.attempts };
  }

  /** `GET {baseUrl}{health path}` with a short timeout: true for a 2xx. */
  probe(signal?: AbortSignal): Promise<boolean> {
    return probeModels(
      (path, opts) => this.getWithTimeout(path, opts),
      this.paths.health,
      this.paths.probeTimeoutMs,
      signal,
    );
  }
}
