import {
  anthropicErrorBody,
  anthropicErrorTypes,
  anthropicErrorTypeForStatus,
  statusForAnthropicErrorType,
} from '../protocols/anthropic-messages/index.js';
import type { AnthropicErrorBody } from '../protocols/anthropic-messages/index.js';
import {
  openAIErrorBody,
  openAIErrorTypeForStatus,
  statusForOpenAIErrorType,
} from '../protocols/openai-chat/index.js';
import type { OpenAIErrorBody } from '../protocols/openai-chat/index.js';
import { isPlainObject } from './translated.js';

// The status <-> type tables are the protocols' own (protocols/<name>/error.ts); this file only
// carries a body across, through the HTTP status both sides agree on.

const messageOf = (body: unknown, fallback: string): string => {
  const error = isPlainObject(body) ? body.error : undefined;
  return isPlainObject(error) && typeof error.message === 'string' ? error.message : fallback;
};

/**
 * An OpenAI error body (`OpenAIErrorBody`, or any upstream JSON) -> Anthropic error body. With the
 * HTTP `status` the type follows the status (a 401 is authentication_error whatever OpenAI called
 * it); without one (an in-band stream error) a type Anthropic also has is kept, others are mapped.
 */
export function openAIErrorToAnthropic(body: unknown, status?: number): AnthropicErrorBody {
  const error = isPlainObject(body) && isPlainObject(body.error) ? body.error : {};
  const type = typeof error.type === 'string' ? error.type : undefined;
  let mapped: string;
  if (status !== undefined) mapped = anthropicErrorTypeForStatus(status);
  else if (type !== undefined && anthropicErrorTypes.isKnownType(type)) mapped = type;
  else mapped = anthropicErrorTypeForStatus(statusForOpenAIErrorType(type));
  return anthropicErrorBody(mapped, messageOf(body, 'upstream error'));
}

/**
 * An Anthropic error body (`AnthropicErrorBody`, or any upstream JSON) -> OpenAI error body. The Anthropic type survives as `code` (so
 * `overloaded_error` is still visible to an OpenAI caller as type server_error, code overloaded_error).
 */
export function anthropicErrorToOpenAI(body: unknown, status?: number): OpenAIErrorBody {
  const error = isPlainObject(body) && isPlainObject(body.error) ? body.error : {};
  const type = typeof error.type === 'string' ? error.type : 'api_error';
  const openAIType = openAIErrorTypeForStatus(status ?? statusForAnthropicErrorType(type));
  return openAIErrorBody(openAIType, messageOf(body, 'upstream error'), type);
}
