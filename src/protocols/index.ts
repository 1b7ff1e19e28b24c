export type { Protocol } from './protocol.js';
export { isContentEvent } from './content-event.js';
export { describeZodError, openTaggedUnion, parseOrThrow } from './validate.js';
export type { ParseFailure, ValidationProblem } from './validate.js';
export { parseRoutingFields, routingFieldsSchema } from './routing-fields.js';
export type { RoutingFields } from './routing-fields.js';
export {
  DEFAULT_FORWARDED_HEADERS,
  NEVER_FORWARDED_HEADERS,
  forwardedHeaders,
  unforwardableHeaderReason,
} from './forwarded-headers.js';
export type { IncomingHeaders } from './forwarded-headers.js';
export {
  isOpenAIErrorBody,
  openAIChatChunkSchema,
  openAIChatRequestSchema,
  openAIChatResponseSchema,
  openAIErrorBody,
  openAIErrorBodySchema,
  parseOpenAIChatRequest,
  parseOpenAIChatResponse,
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
  anthropicMessageSchema,
  anthropicMessagesRequestSchema,
  anthropicStreamEventSchema,
  isAnthropicErrorBody,
  parseAnthropicMessage,
  parseAnthropicMessagesRequest,
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
