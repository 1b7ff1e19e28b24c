import { LlmFailoverError, isLlmFailoverError } from '../errors/index.js';
import type {
  AnthropicMessage,
  AnthropicMessagesRequest,
} from '../protocols/anthropic-messages/index.js';
import { parseAnthropicMessage } from '../protocols/anthropic-messages/index.js';
import { parseOpenAIChatRequest, parseOpenAIChatResponse } from '../protocols/openai-chat/index.js';
import { anthropicRequestToOpenAI } from './anthropic-request-to-openai.js';
import { anthropicResponseToOpenAI } from './anthropic-response-to-openai.js';
import { chatRequestToResponses } from './chat-request-to-responses.js';
import { chatResponseToResponses } from './chat-response-to-responses.js';
import { openAIRequestToAnthropic } from './openai-request-to-anthropic.js';
import { openAIResponseToAnthropic } from './openai-response-to-anthropic.js';
import type { MessageSource } from './responses-input-to-chat.js';
import { responsesRequestToChatWithSources } from './responses-request-to-chat.js';
import { responsesResponseToChat } from './responses-response-to-chat.js';
import type { OpenAIResponsesRequest } from '../protocols/openai-responses/index.js';
import type { Translated, TranslateOptions } from './translated.js';

// Responses <-> Messages goes through the hub (Chat Completions): each step's notes are kept, in
// order, and an error of the second step names the caller's field, not the hub's.

/** Hub fields -> the Responses fields they came from. */
const RESPONSES_FIELDS: Record<string, string> = {
  response_format: 'text.format',
  max_tokens: 'max_output_tokens',
  max_completion_tokens: 'max_output_tokens',
  reasoning_effort: 'reasoning.effort',
  user: 'user',
};

/** Hub fields -> the Messages fields they came from. */
const ANTHROPIC_FIELDS: Record<string, string> = { stop: 'stop_sequences' };

/** A hub path (`messages.3.tool_calls.0.function.arguments`) -> the caller's path. */
function responsesPath(path: string, sources: readonly MessageSource[]): string {
  const [head, index, ...rest] = path.split('.');
  if (head !== 'messages' || index === undefined) {
    const mapped = RESPONSES_FIELDS[head ?? ''];
    return mapped === undefined
      ? path
      : [mapped, index, ...rest].filter((p) => p !== undefined).join('.');
  }
  const source = sources[Number(index)];
  if (source === undefined) return path;
  if (rest[0] === 'tool_calls' && rest[1] !== undefined) {
    const call = source.toolCalls?.[Number(rest[1])];
    if (call !== undefined)
      return rest[2] === 'function' ? [call, ...rest.slice(3)].join('.') : call;
  }
  return [source.path, ...rest].join('.');
}

/** Re-throws `err` with its path (and the path in its message) rewritten by `rename`. */
function renamed(err: unknown, rename: (path: string) => string): unknown {
  if (!isLlmFailoverError(err) || typeof err.path !== 'string') return err;
  const path = rename(err.path);
  if (path === err.path) return err;
  const message = err.message.replace(err.path, path);
  return new LlmFailoverError(err.code, message, { status: err.status ?? 400, path, cause: err });
}

/**
 * OpenAI Responses request -> Anthropic Messages request (pure): responsesRequestToChat then
 * openAIRequestToAnthropic, notes of both in order. Errors name the Responses field.
 * @throws LlmFailoverError TRANSLATION_UNSUPPORTED / INVALID_REQUEST (400), as the two steps do.
 */
export function responsesRequestToAnthropic(
  req: OpenAIResponsesRequest,
  options: TranslateOptions = {},
): Translated<AnthropicMessagesRequest> {
  // The hub keeps our round-trip fields: the thinking signature must reach Anthropic.
  const hub = responsesRequestToChatWithSources(req, { ...options, roundTripFields: true });
  try {
    const anthropic = openAIRequestToAnthropic(parseOpenAIChatRequest(hub.value), options);
    return { value: anthropic.value, notes: [...hub.notes, ...anthropic.notes] };
  } catch (err) {
    throw renamed(err, (path) => responsesPath(path, hub.sources));
  }
}

/**
 * Anthropic Messages request -> OpenAI Responses request (pure): anthropicRequestToOpenAI then
 * chatRequestToResponses, notes of both in order.
 * @throws LlmFailoverError TRANSLATION_UNSUPPORTED (400), as the two steps do.
 */
export function anthropicRequestToResponses(
  req: AnthropicMessagesRequest,
  options: TranslateOptions = {},
): Translated<Record<string, unknown>> {
  const hub = anthropicRequestToOpenAI(req, { ...options, roundTripFields: true });
  try {
    const responses = chatRequestToResponses(hub.value, options);
    return { value: responses.value, notes: [...hub.notes, ...responses.notes] };
  } catch (err) {
    throw renamed(err, (path) => ANTHROPIC_FIELDS[path] ?? path);
  }
}

/**
 * Anthropic message -> OpenAI Responses `response` (pure): anthropicResponseToOpenAI then
 * chatResponseToResponses. A thinking signature becomes the reasoning item's encrypted_content
 * when the request includes `reasoning.encrypted_content`.
 */
export function anthropicResponseToResponses(
  res: Record<string, unknown>,
  request: OpenAIResponsesRequest,
): Record<string, unknown> {
  const chat = anthropicResponseToOpenAI(parseAnthropicMessage(res));
  return chatResponseToResponses(chat, request);
}

/** OpenAI Responses `response` -> Anthropic message (pure), through the chat hub. */
export function responsesResponseToAnthropic(res: Record<string, unknown>): AnthropicMessage {
  return openAIResponseToAnthropic(parseOpenAIChatResponse(responsesResponseToChat(res)));
}
