// The OpenAI error body and table live at the protocols root (shared with Responses).
export {
  isOpenAIErrorBody,
  openAIErrorBody,
  openAIErrorBodySchema,
  openAIErrorTypeForStatus,
  openAIErrorTypes,
  statusForOpenAIErrorType,
} from '../openai-error.js';
export type { OpenAIErrorBody, OpenAIErrorType } from '../openai-error.js';
