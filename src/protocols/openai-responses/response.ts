import { lazySchema } from '../lazy-schema.js';
import type { Infer } from '../lazy-schema.js';
import { openTaggedUnion, parseOrThrow } from '../validate.js';
import {
  openAIResponsesContentPartSchema,
  openAIResponsesFunctionCallItemSchema,
  openAIResponsesReasoningItemSchema,
} from './request.js';

// A `response` object (the non-streaming body, and the `response` of the lifecycle stream events).
// Loose like the request: only what translators read is checked; `id` and `model` may be missing
// on OpenAI-compatible servers (translators fill them).

/** `usage`. Cached input tokens are included in `input_tokens`, reasoning in `output_tokens`. */
export const openAIResponsesUsageSchema = lazySchema((z) =>
  z.looseObject({
    input_tokens: z.number(),
    output_tokens: z.number(),
    total_tokens: z.number().optional(),
    input_tokens_details: z
      .looseObject({ cached_tokens: z.number().nullable().optional() })
      .nullable()
      .optional(),
    output_tokens_details: z
      .looseObject({ reasoning_tokens: z.number().nullable().optional() })
      .nullable()
      .optional(),
  }),
);

/** An assistant `message` output item: `output_text` / `refusal` parts. */
export const openAIResponsesOutputMessageSchema = lazySchema((z) =>
  z.looseObject({
    type: z.literal('message'),
    id: z.string().optional(),
    role: z.string().optional(),
    status: z.string().nullable().optional(),
    content: z.array(openAIResponsesContentPartSchema()),
  }),
);

/** One `output` item: message, function_call, reasoning validated; any other type kept. */
export const openAIResponsesOutputItemSchema = lazySchema(() =>
  openTaggedUnion(
    [
      openAIResponsesOutputMessageSchema(),
      openAIResponsesFunctionCallItemSchema(),
      openAIResponsesReasoningItemSchema(),
    ],
    ['message', 'function_call', 'reasoning'],
  ),
);

/** The `error` of a failed response. */
export const openAIResponsesErrorSchema = lazySchema((z) =>
  z.looseObject({
    code: z.union([z.string(), z.number()]).nullable().optional(),
    message: z.string(),
  }),
);

/** A `response` object. `status` is completed, incomplete, failed, in_progress, queued... */
export const openAIResponsesResponseSchema = lazySchema((z) =>
  z.looseObject({
    id: z.string().optional(),
    object: z.string().optional(),
    created_at: z.number().optional(),
    model: z.string().optional(),
    status: z.string().nullable().optional(),
    output: z.array(openAIResponsesOutputItemSchema()),
    usage: openAIResponsesUsageSchema().nullable().optional(),
    /** Why a response is incomplete: `max_output_tokens`, `content_filter`. */
    incomplete_details: z.looseObject({ reason: z.string().nullable().optional() }).nullish(),
    error: openAIResponsesErrorSchema().nullable().optional(),
  }),
);

export type OpenAIResponsesUsage = Infer<typeof openAIResponsesUsageSchema>;
export type OpenAIResponsesOutputMessage = Infer<typeof openAIResponsesOutputMessageSchema>;
export type OpenAIResponsesOutputItem = Infer<typeof openAIResponsesOutputItemSchema>;
export type OpenAIResponsesError = Infer<typeof openAIResponsesErrorSchema>;
/** A Responses `response` object; unknown fields are kept. */
export type OpenAIResponsesResponse = Infer<typeof openAIResponsesResponseSchema>;

/**
 * Validates an upstream `response` object.
 * @throws LlmFailoverError UPSTREAM_SERVER (status 502) naming the bad field's path.
 */
export function parseOpenAIResponsesResponse(body: unknown): OpenAIResponsesResponse {
  return parseOrThrow(openAIResponsesResponseSchema(), body, {
    what: 'OpenAI Responses response',
    code: 'UPSTREAM_SERVER',
    status: 502,
  });
}
