export type { Protocol } from './protocol.js';
export { isContentEvent, wireProtocolOf } from './wire-protocols.js';
export type { WireErrorFacts, WireProtocol } from './wire-protocol.js';
export { createErrorTypeTable } from './error-type-table.js';
export type { ErrorTypeTable, ErrorTypeTableSpec } from './error-type-table.js';
export { MALFORMED_EVENT, looksLikeJsonObject, parseEventData } from './event-data.js';
export { describeZodError, openTaggedUnion, parseOrThrow } from './validate.js';
export type { ParseFailure, ValidationProblem } from './validate.js';
export {
  parseRoutingFields,
  responsesRoutingFieldsSchema,
  routingFieldsSchema,
} from './routing-fields.js';
export { warmProtocolSchemas } from './warm-schemas.js';
export type { RoutingFields } from './routing-fields.js';
export {
  DEFAULT_FORWARDED_HEADERS,
  NEVER_FORWARDED_HEADERS,
  forwardedHeaders,
  unforwardableHeaderReason,
} from './forwarded-headers.js';
export type { IncomingHeaders } from './forwarded-headers.js';
export {
  OPENAI_DONE,
  isOpenAIErrorBody,
  openAIChatChunkSchema,
  openAIChatWire,
  openAIChatRequestSchema,
  openAIChatResponseSchema,
  openAIErrorBody,
  openAIErrorBodySchema,
  openAIErrorTypeForStatus,
  openAIErrorTypes,
  openAIInBandError,
  parseOpenAIChatRequest,
  parseOpenAIChatResponse,
  statusForOpenAIErrorType,
} from './openai-chat/index.js';
export type {
  OpenAIChatChunk,
  OpenAIChatRequest,
  OpenAIChatResponse,
  OpenAIContentPart,
  OpenAIErrorBody,
  OpenAIErrorType,
  OpenAIMessage,
  OpenAIToolCall,
} from './openai-chat/index.js';
export {
  anthropicErrorBody,
  anthropicErrorBodySchema,
  anthropicErrorTypeForStatus,
  anthropicErrorTypes,
  anthropicEventType,
  anthropicMessageSchema,
  anthropicMessagesWire,
  anthropicMessagesRequestSchema,
  anthropicStreamEventSchema,
  isAnthropicErrorBody,
  parseAnthropicMessage,
  parseAnthropicMessagesRequest,
  statusForAnthropicErrorType,
} from './anthropic-messages/index.js';
export type {
  AnthropicContentBlock,
  AnthropicErrorBody,
  AnthropicErrorType,
  AnthropicInputMessage,
  AnthropicMessage,
  AnthropicMessagesRequest,
  AnthropicStreamEvent,
} from './anthropic-messages/index.js';
export {
  OPENAI_RESPONSES_INPUT_ITEM_TYPES,
  OPENAI_RESPONSES_STREAM_EVENT_TYPES,
  openAIResponsesErrorTypes,
  openAIResponsesEventType,
  openAIResponsesInBandError,
  openAIResponsesInputItemSchema,
  openAIResponsesOutputItemSchema,
  openAIResponsesRequestSchema,
  openAIResponsesResponseSchema,
  openAIResponsesStreamEventSchema,
  openAIResponsesWire,
  parseOpenAIResponsesRequest,
  parseOpenAIResponsesResponse,
} from './openai-responses/index.js';
export type {
  OpenAIResponsesContentPart,
  OpenAIResponsesFunctionCallItem,
  OpenAIResponsesFunctionCallOutputItem,
  OpenAIResponsesFunctionTool,
  OpenAIResponsesInputItem,
  OpenAIResponsesMessageItem,
  OpenAIResponsesNamespaceTool,
  OpenAIResponsesOutputItem,
  OpenAIResponsesReasoningItem,
  OpenAIResponsesRequest,
  OpenAIResponsesResponse,
  OpenAIResponsesStreamEvent,
  OpenAIResponsesTool,
  OpenAIResponsesUsage,
} from './openai-responses/index.js';
