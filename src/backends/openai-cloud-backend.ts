import { CloudBackendClient } from '../http/index.js';
import type { CloudBackendClientOptions, RequestOptions } from '../http/index.js';
import { parseAnthropicMessagesRequest, parseOpenAIChatResponse } from '../protocols/index.js';
import type { Protocol } from '../protocols/protocol.js';
import type { SseEvent } from '../sse/sse-event.js';
import {
  anthropicRequestToOpenAI,
  openAIResponseToAnthropic,
  openAIStreamToAnthropic,
} from '../translate/index.js';
import type { ChatBackend, ChatCallOptions, ChatResult, ChatStream } from './chat-backend.js';
import { chatStreamOf } from './chat-stream-of.js';
import { fillMissingToolCallIds } from './local-server-quirks.js';
import { probeModels } from './probe-models.js';
import { asObject, passThroughBody, requestOptions } from './request-body.js';
import {
  OPENAI_DONE,
  encodeAnthropicEvents,
  openAIChunksOf,
  openAIInBandError,
} from './wire-codec.js';

/** Options of an OpenAI-protocol backend (OpenAI, OpenAI-compatible clouds, local servers). */
export interface OpenAIBackendOptions extends CloudBackendClientOptions {
  /**
   * Accepted for symmetry with the Anthropic backend; unused here (requests translated towards
   * OpenAI always carry the Anthropic caller's `max_tokens`).
   */
  defaultMaxTokens?: number;
  /** Health probe path under the base URL. Default `/models`. */
  healthPath?: string;
  /** Health probe timeout, ms. Default 2000. */
  probeTimeoutMs?: number;
  /**
   * Which field carries an Anthropic caller's `max_tokens`. Default `max_completion_tokens` for
   * api.openai.com (its reasoning models refuse `max_tokens`), else `max_tokens`, which every
   * OpenAI-compatible and local server reads.
   */
  maxTokensField?: 'max_tokens' | 'max_completion_tokens';
}

/** The default {@link OpenAIBackendOptions.maxTokensField} for a base URL. */
export function defaultMaxTokensField(baseUrl: string): 'max_tokens' | 'max_completion_tokens' {
  return URL.canParse(baseUrl) && new URL(baseUrl).hostname === 'api.openai.com'
    ? 'max_completion_tokens'
    : 'max_tokens';
}

const CHAT_PATH = '/chat/completions';

/**
 * A backend speaking OpenAI Chat Completions (`POST {baseUrl}/chat/completions`, Bearer auth when
 * a key is set, none for keyless local servers). Answers OpenAI callers by pass-through and
 * Anthropic callers by translating the request, the response and the stream.
 */
export class OpenAICloudBackend extends CloudBackendClient implements ChatBackend {
  readonly protocol = 'openai' as const;
  private readonly healthPath: string;
  private readonly probeTimeoutMs: number;
  private readonly maxTokensField: 'max_tokens' | 'max_completion_tokens';
  // ES-private: JSON.stringify or util.inspect of a backend must not reveal the key.
  #authHeaders: Record<string, string> | undefined;

  constructor(options: OpenAIBackendOptions) {
    super(options);
    this.healthPath = options.healthPath ?? '/models';
    this.probeTimeoutMs = options.probeTimeoutMs ?? 2_000;
    this.maxTokensField = options.maxTokensField ?? defaultMaxTokensField(options.baseUrl);
  }

  protected buildHeaders(): Record<string, string> {
    // The key never changes: build the header object once.
    this.#authHeaders ??=
      this.apiKey === undefined || this.apiKey === ''
        ? {}
        : { authorization: `Bearer ${this.apiKey}` };
    return this.#authHeaders;
  }

  protected override isTerminalEvent(event: SseEvent): boolean {
    return event.data === OPENAI_DONE;
  }

  protected override inBandError(event: SseEvent): unknown {
    return openAIInBandError(event);
  }

  /** POSTs an OpenAI request as is and resolves with the parsed `chat.completion` body. */
  async chatCompletion(
    request: Record<string, unknown>,
    options?: RequestOptions,
  ): Promise<unknown> {
    return (await this.postWithCircuitBreaker(CHAT_PATH, request, options)).body;
  }

  /**
   * Answers `body` (a request in `protocol`) without streaming, in `protocol`: passed through
   * when it is this backend's protocol, else translated both ways (notes say what changed).
   * @throws LlmFailoverError from the client (see CloudBackendClient), or INVALID_REQUEST /
   *   TRANSLATION_UNSUPPORTED before any request when a Anthropic caller's request cannot be translated.
   */
  async chat(
    protocol: Protocol,
    body: Record<string, unknown>,
    options: ChatCallOptions = {},
  ): Promise<ChatResult> {
    const call = requestOptions(options);
    if (protocol === 'openai') {
      const res = await this.postWithCircuitBreaker(
        CHAT_PATH,
        passThroughBody(body, options.model, false),
        call,
      );
      return { body: asObject(res.body), attempts: res.attempts, notes: [] };
    }
    const { value, notes } = this.translateRequest(body, options.model);
    delete value.stream;
    const res = await this.postWithCircuitBreaker(CHAT_PATH, value, call);
    const answer = openAIResponseToAnthropic(
      parseOpenAIChatResponse(fillMissingToolCallIds(res.body)),
    );
    return { body: answer, attempts: res.attempts, notes };
  }

  /**
   * Streams the answer to `body` as wire-ready events in `protocol`, ending with its terminal
   * event only after a clean upstream end; failures are thrown from the iterator.
   * @throws LlmFailoverError INVALID_REQUEST / TRANSLATION_UNSUPPORTED synchronously, before any
   *   request, when an Anthropic caller's request cannot be translated.
   */
  chatStream(
    protocol: Protocol,
    body: Record<string, unknown>,
    options: ChatCallOptions = {},
  ): ChatStream {
    const call = requestOptions(options);
    if (protocol === 'openai') {
      const upstream = this.streamWithCircuitBreaker(
        CHAT_PATH,
        passThroughBody(body, options.model, true),
        call,
      );
      return chatStreamOf(upstream, upstream, []);
    }
    const { value, notes } = this.translateRequest(body, options.model);
    // Anthropic callers expect real usage in message_delta: ask for the usage chunk.
    const request = {
      ...value,
      stream: true,
      stream_options: { ...value.stream_options, include_usage: true },
    };
    const upstream = this.streamWithCircuitBreaker(CHAT_PATH, request, call);
    const events = openAIStreamToAnthropic(openAIChunksOf(upstream, this.name), {
      model: request.model,
    });
    return chatStreamOf(upstream, encodeAnthropicEvents(events), notes);
  }

  /** `GET {baseUrl}/models` with a short timeout: true for a 2xx. */
  probe(signal?: AbortSignal): Promise<boolean> {
    return probeModels(
      (path, opts) => this.getWithTimeout(path, opts),
      this.healthPath,
      this.probeTimeoutMs,
      signal,
    );
  }

  private translateRequest(body: Record<string, unknown>, model: string | undefined) {
    // Real upstreams judge the request: no llm-failover-only message fields (strict servers 400).
    const translated = anthropicRequestToOpenAI(parseAnthropicMessagesRequest(body), {
      roundTripFields: false,
      openAIMaxTokensField: this.maxTokensField,
    });
    if (model !== undefined) translated.value.model = model;
    return translated;
  }
}
