import { ResilientHttpClient } from '../http/index.js';
import { AdapterBackend } from './adapter-backend.js';
import type { CloudBackendClientOptions } from '../http/index.js';
import {
  DEFAULT_FORWARDED_HEADERS,
  openAIChatWire,
  parseOpenAIChatResponse,
} from '../protocols/index.js';
import { anthropicRequestToOpenAI, openAIResponseToAnthropic } from '../translate/index.js';
import { fillMissingToolCallIds } from './local-server-quirks.js';
import type { ParsedChatRequest } from './parsed-chat-request.js';
import { noTranslation } from './protocol-chat.js';
import type { CallerTranslation, ProtocolAdapter } from './protocol-chat.js';
import { openAIToAnthropicEvents } from './chat-stream-of.js';
import { responsesCallersOfChat } from './responses-callers.js';

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

/**
 * The HTTP client of an OpenAI backend (either API): Bearer auth when a key is set, none for
 * keyless local servers. The key never changes: the header is built once, as a static header.
 */
export function bearerClient(options: OpenAIBackendOptions): ResilientHttpClient {
  const key = options.apiKey;
  const auth: Record<string, string> =
    key === undefined || key === '' ? {} : { authorization: `Bearer ${key}` };
  return new ResilientHttpClient({ ...options, headers: { ...options.headers, ...auth } });
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
export class OpenAICloudBackend extends AdapterBackend {
  declare readonly protocol: 'openai';

  /** @throws TypeError for a base URL that does not parse. */
  constructor(options: OpenAIBackendOptions) {
    const client = bearerClient(options);
    const maxTokensField = options.maxTokensField ?? defaultMaxTokensField(options.baseUrl);
    super(client, openAIAdapter(client.name, maxTokensField), {
      healthPath: options.healthPath ?? '/models',
      probeTimeoutMs: options.probeTimeoutMs ?? 2_000,
      forwardHeaders: options.forwardHeaders ?? DEFAULT_FORWARDED_HEADERS.openai,
    });
  }
}

/** The OpenAI Chat side of the shared chat calls: other protocols' callers translated both ways. */
function openAIAdapter(
  name: string,
  maxTokensField: 'max_tokens' | 'max_completion_tokens',
): ProtocolAdapter {
  return {
    protocol: 'openai',
    chatPath: '/chat/completions',
    codec: openAIChatWire,
    callers: {
      anthropic: anthropicCallers(name, maxTokensField),
      'openai-responses': responsesCallersOfChat(name, maxTokensField, withUsageChunk),
    },
  };
}

/** Anthropic Messages callers of a Chat upstream. */
function anthropicCallers(
  name: string,
  maxTokensField: 'max_tokens' | 'max_completion_tokens',
): CallerTranslation {
  return {
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
    streamRequest: withUsageChunk,
    translateStream(upstream, _caller, sent) {
      // Batched: each upstream read is parsed, translated and framed in one synchronous pass.
      return openAIToAnthropicEvents(upstream, name, { model: String(sent.model) });
    },
  };
}

/** A Chat stream request that asks for the usage chunk (translated callers expect real usage). */
export function withUsageChunk(translated: Body): Body {
  const options = translated.stream_options as Body | null | undefined;
  return { ...translated, stream: true, stream_options: { ...options, include_usage: true } };
}
