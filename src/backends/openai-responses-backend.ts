import { AdapterBackend } from './adapter-backend.js';
import { DEFAULT_FORWARDED_HEADERS, openAIResponsesWire } from '../protocols/index.js';
import {
  anthropicRequestToResponses,
  chatRequestToResponses,
  responsesResponseToAnthropic,
  responsesResponseToChat,
} from '../translate/index.js';
import { bearerClient } from './openai-cloud-backend.js';
import type { OpenAIBackendOptions } from './openai-cloud-backend.js';
import type { ParsedChatRequest } from './parsed-chat-request.js';
import { noTranslation } from './protocol-chat.js';
import type { CallerTranslation, ProtocolAdapter } from './protocol-chat.js';
import { asObject } from './request-body.js';
import { responsesToAnthropicEvents, responsesToChatEvents } from './responses-stream-of.js';

type Body = Record<string, unknown>;

/**
 * A backend speaking the OpenAI Responses API (`POST {baseUrl}/responses`, Bearer auth when a key
 * is set): api.openai.com, or an OpenAI-compatible server that has it. Answers Responses callers
 * by pass-through (bytes, only `model` and `stream` changed), Chat Completions and Messages
 * callers by translating through the Chat hub. Holds a `ResilientHttpClient` for every call.
 */
export class OpenAIResponsesBackend extends AdapterBackend {
  declare readonly protocol: 'openai-responses';

  /** @throws TypeError for a base URL that does not parse. */
  constructor(options: OpenAIBackendOptions) {
    const client = bearerClient(options);
    super(client, responsesAdapter(client.name), {
      healthPath: options.healthPath ?? '/models',
      probeTimeoutMs: options.probeTimeoutMs ?? 2_000,
      forwardHeaders: options.forwardHeaders ?? DEFAULT_FORWARDED_HEADERS['openai-responses'],
    });
  }
}

/** The Responses side of the shared chat calls: Chat and Messages callers translated both ways. */
function responsesAdapter(name: string): ProtocolAdapter {
  return {
    protocol: 'openai-responses',
    chatPath: '/responses',
    codec: openAIResponsesWire,
    callers: { openai: chatCallers(name), anthropic: anthropicCallers(name) },
  };
}

/** A translated request as sent: never stored upstream (the caller's protocol has no ids for it). */
function unstored(translated: Body, model: string | undefined): Body {
  if (model !== undefined) translated.model = model;
  translated.store = false;
  return translated;
}

const streaming = (translated: Body): Body => ({ ...translated, stream: true });

/** Chat Completions callers of a Responses upstream. */
function chatCallers(name: string): CallerTranslation {
  return {
    translateRequest(request: ParsedChatRequest, model: string | undefined) {
      if (request.protocol !== 'openai') throw noTranslation(request.protocol, 'openai-responses');
      const translated = chatRequestToResponses(request.parsed);
      return { value: unstored(translated.value, model), notes: translated.notes };
    },
    translateAnswer(answer: unknown): Body {
      return responsesResponseToChat(asObject(answer));
    },
    streamRequest: streaming,
    translateStream(upstream, caller) {
      return responsesToChatEvents(upstream, name, {
        includeUsage:
          caller.protocol === 'openai' && caller.parsed.stream_options?.include_usage === true,
      });
    },
  };
}

/** Anthropic Messages callers of a Responses upstream. */
function anthropicCallers(name: string): CallerTranslation {
  return {
    translateRequest(request: ParsedChatRequest, model: string | undefined) {
      if (request.protocol !== 'anthropic') {
        throw noTranslation(request.protocol, 'openai-responses');
      }
      const translated = anthropicRequestToResponses(request.parsed);
      return { value: unstored(translated.value, model), notes: translated.notes };
    },
    translateAnswer(answer: unknown): Body {
      return responsesResponseToAnthropic(asObject(answer));
    },
    streamRequest: streaming,
    translateStream(upstream, _caller, sent) {
      return responsesToAnthropicEvents(upstream, name, { model: String(sent.model) });
    },
  };
}
