// Shared by the two OpenAI protocols (Chat Completions and Responses): one platform, one error
// body and one status <-> type table. Kept at the protocols root because protocol folders may not
// import each other.

import { lazySchema } from './lazy-schema.js';
import type { Infer } from './lazy-schema.js';
import { createErrorTypeTable } from './error-type-table.js';

/** OpenAI error body `{error:{message, type, param, code}}` (also the in-band stream error). */
export const openAIErrorBodySchema = lazySchema((z) =>
  z.looseObject({
    error: z.looseObject({
      message: z.string(),
      // Some OpenAI-compatible servers omit type/param/code, or send a numeric code.
      type: z.string().nullable().optional(),
      param: z.string().nullable().optional(),
      code: z.union([z.string(), z.number()]).nullable().optional(),
    }),
  }),
);

/** An OpenAI error body; unknown fields are kept. */
export type OpenAIErrorBody = Infer<typeof openAIErrorBodySchema>;

/** OpenAI error `type`s llm-failover produces. */
export type OpenAIErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'server_error';

/**
 * OpenAI's one status <-> error-type table: the types its docs name. A 504 is a `server_error`
 * (OpenAI documents no timeout type; the gateway already answered timeouts so).
 * `insufficient_quota` (OpenAI's 429 for an empty balance) and `timeout_error` (some compatible
 * servers) are read, never produced.
 */
export const openAIErrorTypes = createErrorTypeTable<OpenAIErrorType>({
  entries: [
    [400, 'invalid_request_error'],
    [401, 'authentication_error'],
    [403, 'permission_error'],
    [404, 'not_found_error'],
    [429, 'rate_limit_error'],
    [500, 'server_error'],
  ],
  // A timeout is not the caller's fault: a 408 answers like the 504 it stands for.
  statusAliases: { 408: 'server_error' },
  typeAliases: { insufficient_quota: 429, timeout_error: 504 },
  serverType: 'server_error',
  otherType: 'invalid_request_error',
});

/** HTTP status -> OpenAI error `type`. */
export const openAIErrorTypeForStatus = (status: number): OpenAIErrorType =>
  openAIErrorTypes.typeForStatus(status);

/** The HTTP status that goes with an OpenAI error `type` (500 for an unknown one). */
export const statusForOpenAIErrorType = (type: string | null | undefined): number =>
  openAIErrorTypes.statusForType(type);

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
  return openAIErrorBodySchema().safeParse(body).success;
}
