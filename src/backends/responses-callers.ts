import { LlmFailoverError } from '../errors/index.js';
import type { OpenAIResponsesRequest } from '../protocols/index.js';
import type { Clock } from '../time/index.js';
import {
  anthropicResponseToResponses,
  chatResponseToResponses,
  responsesRequestToAnthropic,
  responsesRequestToChat,
  responsesToolNameOf,
} from '../translate/index.js';
import { fillMissingToolCallIds } from './local-server-quirks.js';
import { asObject } from './request-body.js';
import type { ParsedChatRequest } from './parsed-chat-request.js';
import { noTranslation } from './protocol-chat.js';
import type { CallerTranslation } from './protocol-chat.js';
import { anthropicToResponsesEvents, chatToResponsesEvents } from './responses-stream-of.js';

type Body = Record<string, unknown>;

// How Chat and Messages backends serve Responses callers: the Responses codec against the Chat
// hub, composed with the Messages codec for Anthropic upstreams (docs/protocol-design.md).

/** The caller's Responses request, or TRANSLATION_UNSUPPORTED for another protocol's. */
function responsesRequest(request: ParsedChatRequest, to: string): OpenAIResponsesRequest {
  if (request.protocol !== 'openai-responses') {
    throw noTranslation(request.protocol, to === 'openai' ? 'openai' : 'anthropic');
  }
  const parsed = request.parsed;
  // The gateway expands ids it stored before routing; one still here is unknown to it, and only
  // a Responses upstream could know it.
  const previous = parsed.previous_response_id;
  if (typeof previous === 'string' && previous !== '') throw unknownPreviousResponse(previous);
  return parsed;
}

/**
 * 400 naming a `previous_response_id` that cannot be served on a translated route: the gateway
 * does not hold it (never stored here, expired, or stored with `store: false`).
 */
export function unknownPreviousResponse(id: string): LlmFailoverError {
  return new LlmFailoverError(
    'INVALID_REQUEST',
    `previous_response_id: no stored response ${JSON.stringify(id.slice(0, 200))} (unknown, expired, or stored with store: false); send the whole conversation in input instead`,
    { status: 400, path: 'previous_response_id' },
  );
}

/** Epoch seconds now, for `created_at` where the upstream gives none. */
const epochSeconds = (clock: Clock): number => Math.floor(clock.wallNow() / 1000);

/** Responses callers of a Chat upstream. */
export function responsesCallersOfChat(
  name: string,
  maxTokensField: 'max_tokens' | 'max_completion_tokens',
  streamRequest: (translated: Body) => Body,
): CallerTranslation {
  return {
    translateRequest(request, model) {
      const parsed = responsesRequest(request, 'openai');
      // Real upstreams judge the request: no llm-failover-only message fields (strict servers 400).
      const translated = responsesRequestToChat(parsed, {
        roundTripFields: false,
        openAIMaxTokensField: maxTokensField,
      });
      if (model !== undefined) translated.value.model = model;
      return translated;
    },
    translateAnswer(answer, caller) {
      const request = caller.parsed as OpenAIResponsesRequest;
      // The translator validates the completion itself.
      return chatResponseToResponses(asObject(fillMissingToolCallIds(answer)), request);
    },
    streamRequest,
    translateStream(upstream, caller) {
      const request = caller.parsed as OpenAIResponsesRequest;
      return chatToResponsesEvents(upstream, name, request, {
        toolName: responsesToolNameOf(request),
      });
    },
  };
}

/** Responses callers of an Anthropic Messages upstream. */
export function responsesCallersOfAnthropic(
  name: string,
  clock: Clock,
  defaultMaxTokens: number | undefined,
): CallerTranslation {
  const options = defaultMaxTokens === undefined ? {} : { defaultMaxTokens };
  return {
    translateRequest(request, model) {
      const parsed = responsesRequest(request, 'anthropic');
      const translated = responsesRequestToAnthropic(parsed, options);
      const value = translated.value as unknown as Body;
      if (model !== undefined) value.model = model;
      return { value, notes: translated.notes };
    },
    translateAnswer(answer, caller) {
      const request = caller.parsed as OpenAIResponsesRequest;
      // The translator validates the message itself.
      return anthropicResponseToResponses(asObject(answer), request);
    },
    streamRequest: (translated) => ({ ...translated, stream: true }),
    translateStream(upstream, caller) {
      const request = caller.parsed as OpenAIResponsesRequest;
      return anthropicToResponsesEvents(upstream, name, request, {
        createdAt: epochSeconds(clock),
        toolName: responsesToolNameOf(request),
      });
    },
  };
}
