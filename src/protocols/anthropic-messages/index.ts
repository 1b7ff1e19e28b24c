export {
  anthropicBase64SourceSchema,
  anthropicContentBlockSchema,
  anthropicImageBlockSchema,
  anthropicImageSourceSchema,
  anthropicRedactedThinkingBlockSchema,
  anthropicTextBlockSchema,
  anthropicThinkingBlockSchema,
  anthropicToolResultBlockSchema,
  anthropicToolResultContentSchema,
  anthropicToolUseBlockSchema,
  anthropicUrlSourceSchema,
} from './content-block.js';
export type {
  AnthropicBase64Source,
  AnthropicContentBlock,
  AnthropicImageBlock,
  AnthropicImageSource,
  AnthropicRedactedThinkingBlock,
  AnthropicTextBlock,
  AnthropicThinkingBlock,
  AnthropicToolResultBlock,
  AnthropicToolResultContent,
  AnthropicToolUseBlock,
  AnthropicUrlSource,
} from './content-block.js';
export {
  anthropicInputMessageSchema,
  anthropicMessagesRequestSchema,
  anthropicToolChoiceSchema,
  anthropicToolSchema,
  parseAnthropicMessagesRequest,
} from './request.js';
export type {
  AnthropicInputMessage,
  AnthropicMessagesRequest,
  AnthropicTool,
  AnthropicToolChoice,
} from './request.js';
export { anthropicMessageSchema, anthropicUsageSchema, parseAnthropicMessage } from './response.js';
export type { AnthropicMessage, AnthropicUsageBody } from './response.js';
export {
  anthropicErrorBody,
  anthropicErrorBodySchema,
  anthropicErrorTypeForStatus,
  anthropicErrorTypes,
  isAnthropicErrorBody,
  statusForAnthropicErrorType,
} from './error.js';
export type { AnthropicErrorBody, AnthropicErrorType } from './error.js';
export {
  anthropicContentBlockDeltaEventSchema,
  anthropicContentBlockStartEventSchema,
  anthropicContentBlockStopEventSchema,
  anthropicContentDeltaSchema,
  anthropicErrorEventSchema,
  anthropicMessageDeltaEventSchema,
  anthropicMessageStartEventSchema,
  anthropicMessageStopEventSchema,
  anthropicPingEventSchema,
  anthropicStreamContentBlockSchema,
  anthropicStreamEventSchema,
  anthropicStreamUsageSchema,
} from './stream.js';
export type {
  AnthropicContentBlockDeltaEvent,
  AnthropicContentBlockStartEvent,
  AnthropicContentBlockStopEvent,
  AnthropicContentDelta,
  AnthropicErrorEvent,
  AnthropicMessageDeltaEvent,
  AnthropicMessageStartEvent,
  AnthropicMessageStopEvent,
  AnthropicPingEvent,
  AnthropicStreamContentBlock,
  AnthropicStreamEvent,
  AnthropicStreamEventType,
  AnthropicStreamUsage,
} from './stream.js';
export { anthropicEventType, anthropicMessagesWire } from './wire.js';
