import { ResilientHttpClient } from '../http/index.js';
import type { CloudBackendClientOptions } from '../http/index.js';
import type { ErrorCode } from '../errors/index.js';
import {
  DEFAULT_FORWARDED_HEADERS,
  openAIChatWire,
  parseOpenAIChatResponse,
} from '../protocols/index.js';
import type { AsyncCircuitBreaker } from '../resilience/index.js';
import { anthropicRequestToOpenAI, openAIResponseToAnthropic } from '../translate/index.js';
import { fillMissingToolCallIds } from './local-server-quirks.js';
import type {
  ChatBackend,
  ChatCallOptions,
  ChatResult,
  ChatStream,
  JsonResult,
} from './chat-backend.js';
import type { ParsedChatRequest } from './parsed-chat-request.js';
import { probeModels } from './probe-models.js';
import {
  noTranslation,
  protocolChat,
  protocolChatStream,
  protocolPostJson,
} from './protocol-chat.js';
import type { ProtocolAdapter } from './protocol-chat.js';
import { withForwardedHeaders } from './request-body.js';
import { openAIToAnthropicEvents } from './chat-stream-of.js';

import type { Protocol } from '../protocols/protocol.js';

type Body = Record<string, unknown>;

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
  /** Caller headers to forward. Default `openai-beta` (see forwardedHeaders). */
  forwardHeaders?: readonly string[] | undefined;
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

/**
 * A backend speaking OpenAI Chat Completions (`POST {baseUrl}/chat/completions`, Bearer auth when
 * a key is set, none for keyless local servers). Answers OpenAI callers by pass-through and
 * Anthropic callers by translating the request, the response and the stream. Holds a
 * `ResilientHttpClient` for every upstream call.
 */
export class OpenAICloudBackend implements ChatBackend {
  readonly protocol = 'openai' as const;
  /** Backend name, in errors and logs. */
  readonly name: string;
  /** The base URL as given. */
  readonly baseUrl: string;
  readonly circuitBreaker: AsyncCircuitBreaker;
  // ES-private: JSON.stringify or util.inspect of a backend must not reveal the key.
  readonly #client: ResilientHttpClient;
  readonly #adapter: ProtocolAdapter;
  readonly #healthPath: string;
  readonly #probeTimeoutMs: number;
  /** The caller's headers this backend forwards (lower case). */
  readonly #forward: readonly string[];

  /** @throws TypeError for a base URL that does not parse. */
  constructor(options: OpenAIBackendOptions) {
    const key = options.apiKey;
    // The key never changes: the header object is built once, as a static header.
    const auth: Record<string, string> =
      key === undefined || key === '' ? {} : { authorization: `Bearer ${key}` };
    this.#client = new ResilientHttpClient({
      ...options,
      headers: { ...options.headers, ...auth },
    });
    this.name = this.#client.name;
    this.baseUrl = this.#client.baseUrl;
    this.circuitBreaker = this.#client.circuitBreaker;
    this.#healthPath = options.healthPath ?? '/models';
    this.#probeTimeoutMs = options.probeTimeoutMs ?? 2_000;
    this.#forward = options.forwardHeaders ?? DEFAULT_FORWARDED_HEADERS.openai;
    const maxTokensField = options.maxTokensField ?? defaultMaxTokensField(options.baseUrl);
    this.#adapter = openAIAdapter(this.name, maxTokensField);
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

  /** The call's options with the caller's headers this backend forwards. */
  #call(options: ChatCallOptions | undefined): ChatCallOptions | undefined {
    return withForwardedHeaders(options, this.#forward);
  }

  /** `GET {baseUrl}/models` (or `healthPath`) with a short timeout: true for a 2xx. */
  probe(signal?: AbortSignal): Promise<boolean> {
    return probeModels(
      (path, opts) => this.#client.get(path, opts),
      this.#healthPath,
      this.#probeTimeoutMs,
      signal,
    );
  }

  /** Closes the pool the client created (an injected dispatcher is left alone). */
  close(): Promise<void> {
    return this.#client.close();
  }
}

/** The OpenAI side of the shared chat calls: Anthropic callers translated both ways. */
function openAIAdapter(
  name: string,
  maxTokensField: 'max_tokens' | 'max_completion_tokens',
): ProtocolAdapter {
  return {
    protocol: 'openai',
    chatPath: '/chat/completions',
    codec: openAIChatWire,
    translateRequest(request: ParsedChatRequest, model: string | undefined) {
      if (request.protocol !== 'anthropic') throw noTranslation(request.protocol, 'openai');
      // Real upstreams judge the request: no llm-failover-only message fields (strict servers 400).
      const translated = anthropicRequestToOpenAI(request.parsed, {
        roundTripFields: false,
        openAIMaxTokensField: maxTokensField,
      });
      if (model !== undefined) translated.value.model = model;
      return translated;
    },
    translateAnswer(answer: unknown): Body {
      return openAIResponseToAnthropic(parseOpenAIChatResponse(fillMissingToolCallIds(answer)));
    },
    streamRequest(translated: Body): Body {
      // Anthropic callers expect real usage in message_delta: ask for the usage chunk.
      const options = translated.stream_options as Body | null | undefined;
      return { ...translated, stream: true, stream_options: { ...options, include_usage: true } };
    },
    translateStream(upstream, _caller, sent) {
      // Batched: each upstream read is parsed, translated and framed in one synchronous pass.
      return openAIToAnthropicEvents(upstream, name, { model: String(sent.model) });
    },
  };
}
