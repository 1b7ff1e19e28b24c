export { openAIRequestToAnthropic } from './openai-request-to-anthropic.js';
export { anthropicRequestToOpenAI } from './anthropic-request-to-openai.js';
export { openAIMessagesToAnthropic } from './openai-messages-to-anthropic.js';
export { parseToolArguments } from './tool-call-input.js';
export type { AnthropicConversation } from './openai-messages-to-anthropic.js';
export {
  anthropicMessagesToOpenAI,
  anthropicSystemToOpenAI,
} from './anthropic-messages-to-openai.js';
export { anthropicResponseToOpenAI } from './anthropic-response-to-openai.js';
export type { ResponseTranslateOptions } from './anthropic-response-to-openai.js';
export { openAIResponseToAnthropic } from './openai-response-to-anthropic.js';
export { toAnthropicResponseId, toOpenAIResponseId } from './response-id.js';
export { anthropicSourceToImageUrl, imageUrlToAnthropicSource } from './image-url.js';
export { anthropicErrorToOpenAI, openAIErrorToAnthropic } from './error-body.js';
// The status <-> type tables live in each protocol's module; re-exported so translate/'s public
// API is unchanged.
export {
  anthropicErrorTypeForStatus,
  openAIErrorTypeForStatus,
  statusForAnthropicErrorType,
  statusForOpenAIErrorType,
} from '../protocols/index.js';
export { DEFAULT_MAX_TOKENS } from './translated.js';
export type { Translated, TranslateOptions } from './translated.js';
export { anthropicStopToOpenAIFinish, openAIFinishToAnthropicStop } from './finish-reason.js';
export type { AnthropicStopReason, OpenAIFinishReason } from './finish-reason.js';
export { anthropicUsageToOpenAI, openAIUsageToAnthropic } from './usage.js';
export type { AnthropicUsage, OpenAIUsage } from './usage.js';
export { openAIStreamToAnthropic, openAIToAnthropicStep } from './openai-stream-to-anthropic.js';
export type { OpenAIStreamToAnthropicOptions } from './openai-stream-to-anthropic.js';
export { anthropicStreamToOpenAI, anthropicToOpenAIStep } from './anthropic-stream-to-openai.js';
export type { AnthropicStreamToOpenAIOptions } from './anthropic-stream-to-openai.js';
// isContentEvent lives in protocols/ (it classifies wire events; it translates nothing), where the
// router reads it; re-exported here so translate/'s public API is unchanged.
export { isContentEvent } from '../protocols/index.js';
export type { StreamStep } from './stream-transform.js';
export { responsesRequestToChat } from './responses-request-to-chat.js';
export { chatRequestToResponses } from './chat-request-to-responses.js';
export { chatResponseToResponses } from './chat-response-to-responses.js';
export { responsesResponseToChat } from './responses-response-to-chat.js';
export {
  anthropicRequestToResponses,
  anthropicResponseToResponses,
  responsesRequestToAnthropic,
  responsesResponseToAnthropic,
} from './responses-anthropic.js';
export { flatToolName, responsesToolNameOf } from './responses-tool-names.js';
export type { ResponsesToolName } from './responses-tool-names.js';
export { toChatId, toResponsesId } from './responses-id.js';
export { chatStreamToResponses, chatToResponsesStep } from './chat-stream-to-responses.js';
export type { ChatStreamToResponsesOptions } from './chat-stream-to-responses.js';
export { responsesStreamToChat, responsesToChatStep } from './responses-stream-to-chat.js';
export type { ResponsesStreamToChatOptions } from './responses-stream-to-chat.js';
export {
  anthropicStreamToResponses,
  anthropicToResponsesStep,
  responsesStreamToAnthropic,
  responsesToAnthropicStep,
} from './anthropic-responses-streams.js';
export { composeSteps } from './compose-steps.js';
export { chatUsageToResponses, responsesUsageToChat } from './responses-usage.js';
export type { ResponsesUsage } from './responses-usage.js';
export { responseEnvelope } from './responses-envelope.js';
export type { ResponseIdentity } from './responses-envelope.js';
