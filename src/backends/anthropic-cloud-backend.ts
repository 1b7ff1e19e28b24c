import type { CloudBackendClientOptions, SseStream } from '../http/index.js';
import {
  anthropicMessagesWire,
  openAIChatWire,
  parseAnthropicMessage,
  parseOpenAIChatRequest,
} from '../protocols/index.js';
import type { SseEvent } from '../sse/sse-event.js';
import {
  anthropicResponseToOpenAI,
  anthropicStreamToOpenAI,
  openAIRequestToAnthropic,
} from '../translate/index.js';
import type { Translated } from '../translate/index.js';
import { ProtocolBackend } from './protocol-backend.js';
import type { ProtocolBackendPaths } from './protocol-backend.js';

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
}

function anthropicPaths(options: AnthropicBackendOptions): ProtocolBackendPaths {
  // The SDK's base URL has no /v1; accept one anyway rather than posting to /v1/v1/messages.
  const prefix = /\/v1\/?$/.test(options.baseUrl) ? '' : '/v1';
  return {
    chat: `${prefix}/messages`,
    health: options.healthPath ?? `${prefix}/models`,
    probeTimeoutMs: options.probeTimeoutMs ?? 2_000,
  };
}

/**
 * A backend speaking Anthropic Messages (`POST {baseUrl}/v1/messages`, `x-api-key` and
 * `anthropic-version: 2023-06-01`). Answers Anthropic callers by pass-through and OpenAI callers by
 * translating the request, the response and the stream.
 */
export class AnthropicCloudBackend extends ProtocolBackend {
  private readonly version: string;
  private readonly defaultMaxTokens: number | undefined;
  // ES-private: JSON.stringify or util.inspect of a backend must not reveal the key.
  #authHeaders: Record<string, string> | undefined;

  constructor(options: AnthropicBackendOptions) {
    super(options, anthropicPaths(options), anthropicMessagesWire);
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

  protected translateRequest(body: Body, model: string | undefined): Translated<Body> {
    const options =
      this.defaultMaxTokens === undefined ? {} : { defaultMaxTokens: this.defaultMaxTokens };
    const translated = openAIRequestToAnthropic(parseOpenAIChatRequest(body), options);
    if (model !== undefined) translated.value.model = model;
    return translated;
  }

  protected translateAnswer(answer: unknown): Body {
    return anthropicResponseToOpenAI(parseAnthropicMessage(answer), { created: this.createdNow() });
  }

  protected streamRequest(translated: Body): Body {
    return { ...translated, stream: true };
  }

  protected translateStream(upstream: SseStream, caller: Body): AsyncIterable<SseEvent> {
    const chunks = anthropicStreamToOpenAI(
      anthropicMessagesWire.decodeStream(upstream, this.name),
      {
        includeUsage: wantsUsage(caller),
        created: this.createdNow(),
      },
    );
    return openAIChatWire.encodeStream(chunks);
  }
}

/** The OpenAI caller's `stream_options.include_usage`. */
function wantsUsage(body: Record<string, unknown>): boolean {
  const options = body.stream_options;
  return typeof options === 'object' && options !== null && 'include_usage' in options
    ? options.include_usage === true
    : false;
}
