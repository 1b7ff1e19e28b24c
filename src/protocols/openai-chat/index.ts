export {
  OPENAI_ROLES,
  openAIChatRequestSchema,
  openAIContentPartSchema,
  openAIImagePartSchema,
  openAIMessageSchema,
  openAIRefusalPartSchema,
  openAITextPartSchema,
  openAIToolCallSchema,
  openAIToolChoiceSchema,
  openAIToolSchema,
  parseOpenAIChatRequest,
} from './request.js';
export type {
  OpenAIChatRequest,
  OpenAIContentPart,
  OpenAIImagePart,
  OpenAIMessage,
  OpenAIRefusalPart,
  OpenAIRole,
  OpenAITextPart,
  OpenAITool,
  OpenAIToolCall,
  OpenAIToolChoice,
} from './request.js';
export {
  openAIChatResponseSchema,
  openAIChoiceSchema,
  openAIResponseMessageSchema,
  openAIResponseToolCallSchema,
  openAIUsageSchema,
  parseOpenAIChatResponse,
} from './response.js';
export type {
  OpenAIChatResponse,
  OpenAIChoice,
  OpenAIResponseMessage,
  OpenAIResponseToolCall,
  OpenAIUsageBody,
} from './response.js';
export {
  isOpenAIErrorBody,
  openAIErrorBody,
  openAIErrorBodySchema,
  openAIErrorTypeForStatus,
  openAIErrorTypes,
  statusForOpenAIErrorType,
} from './error.js';
export type { OpenAIErrorBody, OpenAIErrorType } from './error.js';
export {
  openAIChatChunkChoiceSchema,
  openAIChatChunkSchema,
  openAIChatDeltaSchema,
  openAIToolCallDeltaSchema,
} from './stream.js';
export type {
  OpenAIChatChunk,
  OpenAIChatChunkChoice,
  OpenAIChatDelta,
  OpenAIToolCallDelta,
} from './stream.js';
export { OPENAI_DONE, openAIChatWire, openAIInBandError } from './wire.js';
