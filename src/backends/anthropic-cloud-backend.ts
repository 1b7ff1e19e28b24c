import type { ErrorCode } from '../errors/index.js';
import { ResilientHttpClient } from '../http/index.js';
import type { CloudBackendClientOptions } from '../http/index.js';
import {
  DEFAULT_FORWARDED_HEADERS,
  anthropicMessagesWire,
  parseAnthropicMessage,
} from '../protocols/index.js';
import type { Protocol } from '../protocols/protocol.js';
import type { AsyncCircuitBreaker } from '../resilience/index.js';
import type { Clock } from '../time/index.js';
import { anthropicResponseToOpenAI, openAIRequestToAnthropic } from '../translate/index.js';
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
import { anthropicToOpenAIEvents } from './chat-stream-of.js';

type Body = Record<string, unknown>;

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
  /** Caller headers to forward. Default `anthropic-beta`, `anthropic-version` (see forwardedHeaders). */
  forwardHeaders?: readonly string[] | undefined;
}

/**
 * A backend speaking Anthropic Messages (`POST {baseUrl}/v1/messages`, `x-api-key` and
 * `anthropic-version: 2023-06-01`). Answers Anthropic callers by pass-through and OpenAI callers by
 * translating the request, the response and the stream. Holds a `ResilientHttpClient` for every
 * upstream call.
 */
export class AnthropicCloudBackend implements ChatBackend {
  readonly protocol = 'anthropic' as const;
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
  constructor(options: AnthropicBackendOptions) {
    // The SDK's base URL has no /v1; accept one anyway rather than posting to /v1/v1/messages.
    const prefix = /\/v1\/?$/.test(options.baseUrl) ? '' : '/v1';
    // Built once, as static headers: the key and version never change.
    const auth: Record<string, string> = {
      'anthropic-version': options.anthropicVersion ?? '2023-06-01',
    };
    if (options.apiKey !== undefined && options.apiKey !== '') auth['x-api-key'] = options.apiKey;
    this.#client = new ResilientHttpClient({
      ...options,
      headers: { ...options.headers, ...auth },
    });
    this.name = this.#client.name;
    this.baseUrl = this.#client.baseUrl;
    this.circuitBreaker = this.#client.circuitBreaker;
    this.#healthPath = options.healthPath ?? `${prefix}/models`;
    this.#probeTimeoutMs = options.probeTimeoutMs ?? 2_000;
    this.#forward = options.forwardHeaders ?? DEFAULT_FORWARDED_HEADERS.anthropic;
    this.#adapter = anthropicAdapter(
      this.name,
      `${prefix}/messages`,
      this.#client.clock,
      options.defaultMaxTokens,
    );
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

  /** `GET {baseUrl}/v1/models` (or `healthPath`) with a short timeout: true for a 2xx. */
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

/** The Anthropic side of the shared chat calls: OpenAI callers translated both ways. */
function anthropicAdapter(
  name: string,
  chatPath: string,
  clock: Clock,
  defaultMaxTokens: number | undefined,
): ProtocolAdapter {
  /** OpenAI's `created` (epoch seconds): Anthropic messages carry no timestamp. */
  const createdNow = (): number => Math.floor(clock.wallNow() / 1000);
  const translateOptions = defaultMaxTokens === undefined ? {} : { defaultMaxTokens };
  return {
    protocol: 'anthropic',
    chatPath,
    codec: anthropicMessagesWire,
    translateRequest(request: ParsedChatRequest, model: string | undefined) {
      if (request.protocol !== 'openai') throw noTranslation(request.protocol, 'anthropic');
      const translated = openAIRequestToAnthropic(request.parsed, translateOptions);
      if (model !== undefined) translated.value.model = model;
      return translated;
    },
    translateAnswer(answer: unknown): Body {
      return anthropicResponseToOpenAI(parseAnthropicMessage(answer), { created: createdNow() });
    },
    streamRequest(translated: Body): Body {
      return { ...translated, stream: true };
    },
    translateStream(upstream, caller) {
      // Batched: each upstream read is parsed, translated and framed in one synchronous pass.
      return anthropicToOpenAIEvents(upstream, name, {
        includeUsage:
          caller.protocol === 'openai' && caller.parsed.stream_options?.include_usage === true,
        created: createdNow(),
      });
    },
  };
}
