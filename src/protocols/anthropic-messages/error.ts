import { z } from 'zod';

/** Anthropic error body `{type:"error", error:{type, message}}` (also the stream `error` event). */
export const anthropicErrorBodySchema = z.looseObject({
  type: z.literal('error'),
  error: z.looseObject({ type: z.string(), message: z.string() }),
});

/** An Anthropic error body; unknown fields (e.g. `request_id`) are kept. */
export type AnthropicErrorBody = z.infer<typeof anthropicErrorBodySchema>;

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

/** Builds `{type:"error", error:{type, message}}`. */
export function anthropicErrorBody(type: string, message: string): AnthropicErrorBody {
  return { type: 'error', error: { type, message } };
}

/** True when `body` has the Anthropic error shape. */
export function isAnthropicErrorBody(body: unknown): body is AnthropicErrorBody {
  return anthropicErrorBodySchema.safeParse(body).success;
}
