import type { SseStream } from '../http/index.js';
import type {
  AnthropicStreamEvent,
  OpenAIResponsesRequest,
  OpenAIResponsesStreamEvent,
} from '../protocols/index.js';
import {
  anthropicToResponsesStep,
  chatToResponsesStep,
  responsesToAnthropicStep,
  responsesToChatStep,
} from '../translate/index.js';
import type {
  ChatStreamToResponsesOptions,
  OpenAIStreamToAnthropicOptions,
  ResponsesStreamToChatOptions,
} from '../translate/index.js';
import {
  DONE_EVENT,
  batchedTranslation,
  decodeAs,
  decodeChat,
  frameAnthropicEvent,
  frameOpenAIChunk,
} from './chat-stream-of.js';
import type { BatchedEvents, MutableBatch } from './chat-stream-of.js';

// The batched stream translations that involve the Responses protocol, in the shape of
// chat-stream-of.ts: each upstream read parsed once, translated synchronously, framed in one batch.

/** Frames a Responses event: named by its type, as OpenAI sends them. */
function frameResponsesEvent(event: OpenAIResponsesStreamEvent, batch: MutableBatch): void {
  const data = JSON.stringify(event);
  const type = String(event.type);
  batch.events.push({ event: type, data });
  batch.text += `event: ${type}\ndata: ${data}\n\n`;
}

/** A Chat upstream's stream as Responses events for `request`'s caller. */
export function chatToResponsesEvents(
  upstream: SseStream,
  backend: string,
  request: OpenAIResponsesRequest,
  options: ChatStreamToResponsesOptions,
): BatchedEvents {
  return batchedTranslation(upstream, {
    decode: decodeChat(backend),
    step: chatToResponsesStep(request, options),
    frame: frameResponsesEvent,
    trailer: undefined,
  });
}

/** An Anthropic upstream's stream as Responses events for `request`'s caller. */
export function anthropicToResponsesEvents(
  upstream: SseStream,
  backend: string,
  request: OpenAIResponsesRequest,
  options: ChatStreamToResponsesOptions,
): BatchedEvents {
  return batchedTranslation(upstream, {
    decode: decodeAs<AnthropicStreamEvent>(backend),
    step: anthropicToResponsesStep(request, options),
    frame: frameResponsesEvent,
    trailer: undefined,
  });
}

/** A Responses upstream's stream as OpenAI chunks, `[DONE]` only after a clean end. */
export function responsesToChatEvents(
  upstream: SseStream,
  backend: string,
  options: ResponsesStreamToChatOptions,
): BatchedEvents {
  return batchedTranslation(upstream, {
    decode: decodeAs<OpenAIResponsesStreamEvent>(backend),
    step: responsesToChatStep(options),
    frame: frameOpenAIChunk,
    trailer: DONE_EVENT,
  });
}

/** A Responses upstream's stream as Anthropic events. */
export function responsesToAnthropicEvents(
  upstream: SseStream,
  backend: string,
  options: OpenAIStreamToAnthropicOptions,
): BatchedEvents {
  return batchedTranslation(upstream, {
    decode: decodeAs<OpenAIResponsesStreamEvent>(backend),
    step: responsesToAnthropicStep(options),
    frame: frameAnthropicEvent,
    trailer: undefined,
  });
}
