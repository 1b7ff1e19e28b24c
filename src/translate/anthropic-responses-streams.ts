import type { AnthropicStreamEvent } from '../protocols/anthropic-messages/stream.js';
import { anthropicToOpenAIStep } from './anthropic-stream-to-openai.js';
import { chatToResponsesStep } from './chat-stream-to-responses.js';
import type { ChatStreamToResponsesOptions } from './chat-stream-to-responses.js';
import { composeSteps } from './compose-steps.js';
import { openAIToAnthropicStep } from './openai-stream-to-anthropic.js';
import type { OpenAIStreamToAnthropicOptions } from './openai-stream-to-anthropic.js';
import { responsesToChatStep } from './responses-stream-to-chat.js';
import type { OpenAIResponsesRequest } from '../protocols/openai-responses/request.js';
import type { OpenAIResponsesStreamEvent } from '../protocols/openai-responses/stream.js';
import { streamTransform } from './stream-transform.js';
import type { StreamStep } from './stream-transform.js';

// Messages <-> Responses streams go through the chat hub: the two existing translators composed,
// one synchronous step each way (no intermediate async hop or serialisation).

/**
 * Anthropic Messages events -> Responses events (anthropicToOpenAIStep then chatToResponsesStep).
 * Usage always crosses (the hub's usage chunk is requested). Throws as the Anthropic step does:
 * STREAM_UPSTREAM_ERROR on an `error` event, STREAM_TRUNCATED at `end` without `message_stop`
 * (so a cut stream never yields `response.completed`).
 */
export function anthropicToResponsesStep(
  request: OpenAIResponsesRequest,
  options: ChatStreamToResponsesOptions = {},
): StreamStep<AnthropicStreamEvent, OpenAIResponsesStreamEvent> {
  const hub = anthropicToOpenAIStep({ includeUsage: true, created: options.createdAt ?? 0 });
  return composeSteps(hub, chatToResponsesStep(request, options));
}

/** {@link anthropicToResponsesStep} over an async iterable. Pure: no I/O. */
export function anthropicStreamToResponses(
  events: AsyncIterable<AnthropicStreamEvent>,
  request: OpenAIResponsesRequest,
  options: ChatStreamToResponsesOptions = {},
): AsyncGenerator<OpenAIResponsesStreamEvent, void, undefined> {
  return streamTransform(events, anthropicToResponsesStep(request, options));
}

/**
 * Responses events -> Anthropic Messages events (responsesToChatStep then openAIToAnthropicStep).
 * Throws STREAM_UPSTREAM_ERROR on `response.failed` / `error` and STREAM_TRUNCATED at `end`
 * without a terminal event (so a cut stream never yields `message_stop`).
 */
export function responsesToAnthropicStep(
  options: OpenAIStreamToAnthropicOptions,
): StreamStep<OpenAIResponsesStreamEvent, AnthropicStreamEvent> {
  return composeSteps(responsesToChatStep({ includeUsage: true }), openAIToAnthropicStep(options));
}

/** {@link responsesToAnthropicStep} over an async iterable. Pure: no I/O. */
export function responsesStreamToAnthropic(
  events: AsyncIterable<OpenAIResponsesStreamEvent>,
  options: OpenAIStreamToAnthropicOptions,
): AsyncGenerator<AnthropicStreamEvent, void, undefined> {
  return streamTransform(events, responsesToAnthropicStep(options));
}
