import { anthropicErrorBody } from '../protocols/anthropic-messages/index.js';
import type {
  AnthropicErrorBody,
  AnthropicErrorType,
} from '../protocols/anthropic-messages/index.js';
import { openAIErrorBody } from '../protocols/openai-chat/index.js';
import type { OpenAIErrorBody, OpenAIErrorType } from '../protocols/openai-chat/index.js';
import { isPlainObject } from './translated.js';

/** HTTP status -> OpenAI error `type`. */
export function openAIErrorTypeForStatus(status: number): OpenAIErrorType {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'rate_limit_error';
  if (status === 408 || status === 504) return 'timeout_error';
  return status >= 500 ? 'server_error' : 'invalid_request_error';
}

/** HTTP status -> Anthropic error `type` (429 rate_limit_error, 529/503 overloaded_error, ...). */
export function anthropicErrorTypeForStatus(status: number): AnthropicErrorType {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 413) return 'request_too_large';
  if (status === 429) return 'rate_limit_error';
  if (status === 529 || status === 503) return 'overloaded_error';
  if (status === 408 || status === 504) return 'timeout_error';
  return status >= 500 ? 'api_error' : 'invalid_request_error';
}

/** The HTTP status that goes with an Anthropic error `type` (e.g. for an in-band stream error). */
export function statusForAnthropicErrorType(type: string): number {
  const statuses: Record<string, number> = {
    invalid_request_error: 400,
    authentication_error: 401,
    permission_error: 403,
    not_found_error: 404,
    request_too_large: 413,
    rate_limit_error: 429,
    timeout_error: 504,
    overloaded_error: 529,
  };
  return statuses[type] ?? 500;
}

/** The HTTP status that goes with an OpenAI error `type`. */
export function statusForOpenAIErrorType(type: string | null | undefined): number {
  const statuses: Record<string, number> = {
    invalid_request_error: 400,
    authentication_error: 401,
    permission_error: 403,
    not_found_error: 404,
    rate_limit_error: 429,
    insufficient_quota: 429,
    timeout_error: 504,
  };
  return (type === null || type === undefined ? undefined : statuses[type]) ?? 500;
}

const ANTHROPIC_TYPES: ReadonlySet<string> = new Set<AnthropicErrorType>([
  'invalid_request_error',
  'authentication_error',
  'permission_error',
  'not_found_error',
  'request_too_large',
  'rate_limit_error',
  'api_error',
  'overloaded_error',
  'timeout_error',
]);

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
  else if (type !== undefined && ANTHROPIC_TYPES.has(type)) mapped = type;
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
