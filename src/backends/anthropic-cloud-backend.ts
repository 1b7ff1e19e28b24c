import { ResilientHttpClient } from '../http/index.js';
import { AdapterBackend } from './adapter-backend.js';
import type { CloudBackendClientOptions } from '../http/index.js';
import {
  DEFAULT_FORWARDED_HEADERS,
  anthropicMessagesWire,
  parseAnthropicMessage,
} from '../protocols/index.js';
import type { Clock } from '../time/index.js';
import { anthropicResponseToOpenAI, openAIRequestToAnthropic } from '../translate/index.js';
import type { ParsedChatRequest } from './parsed-chat-request.js';
import { noTranslation } from './protocol-chat.js';
import type { CallerTranslation, ProtocolAdapter } from './protocol-chat.js';
import { anthropicToOpenAIEvents } from './chat-stream-of.js';
import { responsesCallersOfAnthropic } from './responses-callers.js';

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
export class AnthropicCloudBackend extends AdapterBackend {
  declare readonly protocol: 'anthropic';

  /** @throws TypeError for a base URL that does not parse. */
  constructor(options: AnthropicBackendOptions) {
    // The SDK's base URL has no /v1; accept one anyway rather than posting to /v1/v1/messages.
    const prefix = /\/v1\/?$/.test(options.baseUrl) ? '' : '/v1';
    // Built once, as static headers: the key and version never change.
    const auth: Record<string, string> = {
      'anthropic-version': options.anthropicVersion ?? '2023-06-01',
    };
    if (options.apiKey !== undefined && options.apiKey !== '') auth['x-api-key'] = options.apiKey;
    const client = new ResilientHttpClient({
      ...options,
      headers: { ...options.headers, ...auth },
    });
    const adapter = anthropicAdapter(
      client.name,
      `${prefix}/messages`,
      client.clock,
      options.defaultMaxTokens,
    );
    super(client, adapter, {
      healthPath: options.healthPath ?? `${prefix}/models`,
      probeTimeoutMs: options.probeTimeoutMs ?? 2_000,
      forwardHeaders: options.forwardHeaders ?? DEFAULT_FORWARDED_HEADERS.anthropic,
    });
  }
}

/** The Anthropic side of the shared chat calls: other protocols' callers translated both ways. */
function anthropicAdapter(
  name: string,
  chatPath: string,
  clock: Clock,
  defaultMaxTokens: number | undefined,
): ProtocolAdapter {
  return {
    protocol: 'anthropic',
    chatPath,
    codec: anthropicMessagesWire,
    callers: {
      openai: openAICallers(name, clock, defaultMaxTokens),
      'openai-responses': responsesCallersOfAnthropic(name, clock, defaultMaxTokens),
    },
  };
}

/** OpenAI Chat callers of a Messages upstream. */
function openAICallers(
  name: string,
  clock: Clock,
  defaultMaxTokens: number | undefined,
): CallerTranslation {
  /** OpenAI's `created` (epoch seconds): Anthropic messages carry no timestamp. */
  const createdNow = (): number => Math.floor(clock.wallNow() / 1000);
  const translateOptions = defaultMaxTokens === undefined ? {} : { defaultMaxTokens };
  return {
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
