import { CloudBackendClient } from '../http/index.js';
import type { CloudBackendClientOptions, RequestOptions } from '../http/index.js';
import { parseAnthropicMessage, parseOpenAIChatRequest } from '../protocols/index.js';
import type { Protocol } from '../protocols/protocol.js';
import type { SseEvent } from '../sse/sse-event.js';
import {
  anthropicResponseToOpenAI,
  anthropicStreamToOpenAI,
  openAIRequestToAnthropic,
} from '../translate/index.js';
import type { ChatBackend, ChatCallOptions, ChatResult, ChatStream } from './chat-backend.js';
import { chatStreamOf } from './chat-stream-of.js';
import { probeModels } from './probe-models.js';
import { asObject, passThroughBody, requestOptions } from './request-body.js';
import { anthropicEventType, anthropicEventsOf, encodeOpenAIChunks } from './wire-codec.js';

/** Options of an Anthropic Messages backend. */
export interface AnthropicBackendOptions extends CloudBackendClientOptions {
  /** `max_tokens` for OpenAI callers that give none (Anthropic requires it). Default 4096. */
  defaultMaxTokens?: number;
  /** `anthropic-version` header. Default `2023-06-01`. */
  anthropicVersion?: string;
  /** Health probe path under the base URL. Default `/v1/models` (`/models` when the base URL ends in `/v1`). */
  healthPath?: string;
  /** Health probe timeout, ms. Default 2000. */
  probeTimeoutMs?: number;
}

/**
 * A backend speaking Anthropic Messages (`POST {baseUrl}/v1/messages`, `x-api-key` and
 * `anthropic-version: 2023-06-01`). Answers Anthropic callers by pass-through and OpenAI callers by
 * translating the request, the response and the stream.
 */
export class AnthropicCloudBackend extends CloudBackendClient implements ChatBackend {
  readonly protocol = 'anthropic' as const;
  private readonly messagesPath: string;
  private readonly healthPath: string;
  private readonly probeTimeoutMs: number;
  private readonly version: string;
  private readonly defaultMaxTokens: number | undefined;
  // ES-private: JSON.stringify or util.inspect of a backend must not reveal the key.
  #authHeaders: Record<string, string> | undefined;

  constructor(options: AnthropicBackendOptions) {
    super(options);
    // The SDK's base URL has no /v1; accept one anyway rather than posting to /v1/v1/messages.
    const prefix = /\/v1\/?$/.test(options.baseUrl) ? '' : '/v1';
    this.messagesPath = `${prefix}/messages`;
    this.healthPath = options.healthPath ?? `${prefix}/models`;
    this.probeTimeoutMs = options.probeTimeoutMs ?? 2_000;
    this.version = options.anthropicVersion ?? '2023-06-01';
    this.defaultMaxTokens = options.defaultMaxTokens;
  }

  protected buildHeaders(): Record<string, string> {
    if (this.#authHeaders === undefined) {
      const headers: Record<string, string> = { 'anthropic-version': this.version };
      if (this.apiKey !== undefined && this.apiKey !== '') headers['x-api-key'] = this.apiKey;
      this.#authHeaders = headers;
    }
    return this.#authHeaders;
  }

  /** OpenAI's `created` (epoch seconds): Anthropic messages carry no timestamp. */
  private createdNow(): number {
    return Math.floor(this.clock.wallNow() / 1000);
  }

  protected override isTerminalEvent(event: SseEvent): boolean {
    return anthropicEventType(event) === 'message_stop';
  }

  protected override isKeepAliveEvent(event: SseEvent): boolean {
    return anthropicEventType(event) === 'ping';
  }

  protected override inBandError(event: SseEvent): unknown {
    if (anthropicEventType(event) !== 'error') return undefined;
    try {
      return JSON.parse(event.data) as unknown;
    } catch {
      return { type: 'error', error: { type: 'api_error', message: event.data } };
    }
  }

  /** POSTs an Anthropic request as is and resolves with the parsed `message` body. */
  async chatCompletion(
    request: Record<string, unknown>,
    options?: RequestOptions,
  ): Promise<unknown> {
    return (await this.postWithCircuitBreaker(this.messagesPath, request, options)).body;
  }

  /**
   * Answers `body` (a request in `protocol`) without streaming, in `protocol`: passed through
   * when it is this backend's protocol, else translated both ways (notes say what changed).
   * @throws LlmFailoverError from the client (see CloudBackendClient), or INVALID_REQUEST /
   *   TRANSLATION_UNSUPPORTED before any request when a OpenAI caller's request cannot be translated.
   */
  async chat(
    protocol: Protocol,
    body: Record<string, unknown>,
    options: ChatCallOptions = {},
  ): Promise<ChatResult> {
    const call = requestOptions(options);
    if (protocol === 'anthropic') {
      const request = passThroughBody(body, options.model, false);
      const res = await this.postWithCircuitBreaker(this.messagesPath, request, call);
      return { body: asObject(res.body), attempts: res.attempts, notes: [] };
    }
    const { value, notes } = this.translateRequest(body, options.model);
    delete value.stream;
    const res = await this.postWithCircuitBreaker(this.messagesPath, value, call);
    const answer = anthropicResponseToOpenAI(parseAnthropicMessage(res.body), {
      created: this.createdNow(),
    });
    return { body: answer, attempts: res.attempts, notes };
  }

  /**
   * Streams the answer to `body` as wire-ready events in `protocol`, ending with its terminal
   * event only after a clean upstream end; failures are thrown from the iterator.
   * @throws LlmFailoverError INVALID_REQUEST / TRANSLATION_UNSUPPORTED (e.g. `n: 2`) synchronously,
   *   before any request, when an OpenAI caller's request cannot be translated.
   */
  chatStream(
    protocol: Protocol,
    body: Record<string, unknown>,
    options: ChatCallOptions = {},
  ): ChatStream {
    const call = requestOptions(options);
    if (protocol === 'anthropic') {
      const request = passThroughBody(body, options.model, true);
      const upstream = this.streamWithCircuitBreaker(this.messagesPath, request, call);
      return chatStreamOf(upstream, upstream, []);
    }
    const { value, notes } = this.translateRequest(body, options.model);
    const upstream = this.streamWithCircuitBreaker(
      this.messagesPath,
      { ...value, stream: true },
      call,
    );
    const chunks = anthropicStreamToOpenAI(anthropicEventsOf(upstream, this.name), {
      includeUsage: wantsUsage(body),
      created: this.createdNow(),
    });
    return chatStreamOf(upstream, encodeOpenAIChunks(chunks), notes);
  }

  /** `GET {baseUrl}/v1/models` with a short timeout: true for a 2xx. */
  probe(signal?: AbortSignal): Promise<boolean> {
    return probeModels(
      (path, opts) => this.getWithTimeout(path, opts),
      this.healthPath,
      this.probeTimeoutMs,
      signal,
    );
  }

  private translateRequest(body: Record<string, unknown>, model: string | undefined) {
    const options =
      this.defaultMaxTokens === undefined ? {} : { defaultMaxTokens: this.defaultMaxTokens };
    const translated = openAIRequestToAnthropic(parseOpenAIChatRequest(body), options);
    if (model !== undefined) translated.value.model = model;
    return translated;
  }
}

/** The OpenAI caller's `stream_options.include_usage`. */
function wantsUsage(body: Record<string, unknown>): boolean {
  const options = body.stream_options;
  return typeof options === 'object' && options !== null && 'include_usage' in options
    ? options.include_usage === true
    : false;
}
