import { z } from 'zod';

/** OpenAI error body `{error:{message, type, param, code}}` (also the in-band stream error). */
export const openAIErrorBodySchema = z.looseObject({
  error: z.looseObject({
    message: z.string(),
    // Some OpenAI-compatible servers omit type/param/code, or send a numeric code.
    type: z.string().nullable().optional(),
    param: z.string().nullable().optional(),
    code: z.union([z.string(), z.number()]).nullable().optional(),
  }),
});

/** An OpenAI error body; unknown fields are kept. */
export type OpenAIErrorBody = z.infer<typeof openAIErrorBodySchema>;

/** OpenAI error `type`s llm-failover produces. */
export type OpenAIErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'server_error'
  | 'timeout_error';

/** Builds `{error:{message, type, param, code}}` (`param` and `code` default to null). */
export function openAIErrorBody(
  type: string,
  message: string,
  code?: string | null,
  param?: string | null,
): OpenAIErrorBody {
  return { error: { message, type, param: param ?? null, code: code ?? null } };
}

/** True when `body` has the OpenAI error shape (e.g. an upstream 4xx body or `data: {"error":...}`). */
export function isOpenAIErrorBody(body: unknown): body is OpenAIErrorBody {
  return openAIErrorBodySchema.safeParse(body).success;
}
