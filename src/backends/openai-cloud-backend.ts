import type { CloudBackendClientOptions, SseStream } from '../http/index.js';
import {
  anthropicMessagesWire,
  openAIChatWire,
  parseAnthropicMessagesRequest,
  parseOpenAIChatResponse,
} from '../protocols/index.js';
import type { SseEvent } from '../sse/sse-event.js';
import {
  anthropicRequestToOpenAI,
  openAIResponseToAnthropic,
  openAIStreamToAnthropic,
} from '../translate/index.js';
import type { Translated } from '../translate/index.js';
import { fillMissingToolCallIds } from './local-server-quirks.js';
import { ProtocolBackend } from './protocol-backend.js';

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
 * Anthropic callers by translating the request, the response and the stream.
 */
export class OpenAICloudBackend extends ProtocolBackend {
  private readonly maxTokensField: 'max_tokens' | 'max_completion_tokens';
  // ES-private: JSON.stringify or util.inspect of a backend must not reveal the key.
  #authHeaders: Record<string, string> | undefined;

  constructor(options: OpenAIBackendOptions) {
    super(
      options,
      {
        chat: '/chat/completions',
        health: options.healthPath ?? '/models',
        probeTimeoutMs: options.probeTimeoutMs ?? 2_000,
      },
      openAIChatWire,
    );
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

  protected translateRequest(body: Body, model: string | undefined): Translated<Body> {
    // Real upstreams judge the request: no llm-failover-only message fields (strict servers 400).
    const translated = anthropicRequestToOpenAI(parseAnthropicMessagesRequest(body), {
      roundTripFields: false,
      openAIMaxTokensField: this.maxTokensField,
    });
    if (model !== undefined) translated.value.model = model;
    return translated;
  }

  protected translateAnswer(answer: unknown): Body {
    return openAIResponseToAnthropic(parseOpenAIChatResponse(fillMissingToolCallIds(answer)));
  }

  protected streamRequest(translated: Body): Body {
    // Anthropic callers expect real usage in message_delta: ask for the usage chunk.
    const options = translated.stream_options as Body | null | undefined;
    return { ...translated, stream: true, stream_options: { ...options, include_usage: true } };
  }

  protected translateStream(
    upstream: SseStream,
    _caller: Body,
    sent: Body,
  ): AsyncIterable<SseEvent> {
    const events = openAIStreamToAnthropic(openAIChatWire.decodeStream(upstream, this.name), {
      model: String(sent.model),
    });
    return anthropicMessagesWire.encodeStream(events);
  }
}
