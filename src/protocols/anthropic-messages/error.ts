import { lazySchema } from '../lazy-schema.js';
import type { Infer } from '../lazy-schema.js';
import { createErrorTypeTable } from '../error-type-table.js';

/** Anthropic error body `{type:"error", error:{type, message}}` (also the stream `error` event). */
export const anthropicErrorBodySchema = lazySchema((z) =>
  z.looseObject({
    type: z.literal('error'),
    error: z.looseObject({ type: z.string(), message: z.string() }),
  }),
);

/** An Anthropic error body; unknown fields (e.g. `request_id`) are kept. */
export type AnthropicErrorBody = Infer<typeof anthropicErrorBodySchema>;

/** Anthropic error `type`s. */
export type AnthropicErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'api_error'
  | 'overloaded_error'
  | 'timeout_error';

/**
 * Anthropic's one status <-> error-type table, as its errors page lists them. A 503 (not an
 * Anthropic status, but other upstreams' "overloaded") is `overloaded_error`, a 408 `timeout_error`.
 */
export const anthropicErrorTypes = createErrorTypeTable<AnthropicErrorType>({
  entries: [
    [400, 'invalid_request_error'],
    [401, 'authentication_error'],
    [403, 'permission_error'],
    [404, 'not_found_error'],
    [413, 'request_too_large'],
    [429, 'rate_limit_error'],
    [500, 'api_error'],
    [504, 'timeout_error'],
    [529, 'overloaded_error'],
  ],
  statusAliases: { 503: 'overloaded_error', 408: 'timeout_error' },
  serverType: 'api_error',
  otherType: 'invalid_request_error',
});

/** HTTP status -> Anthropic error `type` (429 rate_limit_error, 529/503 overloaded_error, ...). */
export const anthropicErrorTypeForStatus = (status: number): AnthropicErrorType =>
  anthropicErrorTypes.typeForStatus(status);

/** The HTTP status that goes with an Anthropic error `type` (e.g. for an in-band stream error). */
export const statusForAnthropicErrorType = (type: string): number =>
  anthropicErrorTypes.statusForType(type);

/** Builds `{type:"error", error:{type, message}}`. */
export function anthropicErrorBody(type: string, message: string): AnthropicErrorBody {
  return { type: 'error', error: { type, message } };
}

/** True when `body` has the Anthropic error shape. */
export function isAnthropicErrorBody(body: unknown): body is AnthropicErrorBody {
  return anthropicErrorBodySchema().safeParse(body).success;
}
