// The Responses API answers errors exactly as Chat Completions does (`{error:{message, type,
// param, code}}`, same statuses): one OpenAI table, kept at the protocols root.
export {
  isOpenAIErrorBody,
  openAIErrorBody,
  openAIErrorBodySchema,
  openAIErrorTypeForStatus,
  openAIErrorTypes as openAIResponsesErrorTypes,
  statusForOpenAIErrorType,
} from '../openai-error.js';
export type { OpenAIErrorBody, OpenAIErrorType } from '../openai-error.js';
