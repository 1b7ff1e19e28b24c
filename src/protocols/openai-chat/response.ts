import { lazySchema } from '../lazy-schema.js';
import type { Infer } from '../lazy-schema.js';
import { parseOrThrow } from '../validate.js';

/** `usage` of a response or of the last stream chunk. Cached prompt tokens are included in `prompt_tokens`. */
export const openAIUsageSchema = lazySchema((z) =>
  z.looseObject({
    prompt_tokens: z.number(),
    completion_tokens: z.number(),
    total_tokens: z.number(),
    prompt_tokens_details: z
      .looseObject({ cached_tokens: z.number().nullable().optional() })
      .nullable()
      .optional(),
    completion_tokens_details: z
      .looseObject({ reasoning_tokens: z.number().nullable().optional() })
      .nullable()
      .optional(),
  }),
);

/**
 * A tool call in a response. Unlike in requests `id` may be missing: some local servers omit it
 * (translators then make one up).
 */
export const openAIResponseToolCallSchema = lazySchema((z) =>
  z.looseObject({
    id: z.string().nullable().optional(),
    type: z.string().nullable().optional(),
    function: z.looseObject({ name: z.string(), arguments: z.string() }),
  }),
);

/** The assistant message of a response choice. */
export const openAIResponseMessageSchema = lazySchema((z) =>
  z.looseObject({
    role: z.string(),
    content: z.string().nullable().optional(),
    tool_calls: z.array(openAIResponseToolCallSchema()).nullable().optional(),
    refusal: z.string().nullable().optional(),
    reasoning_content: z.string().nullable().optional(),
  }),
);

/** One choice. `stop_reason` is the vLLM extension naming the matched stop sequence. */
export const openAIChoiceSchema = lazySchema((z) =>
  z.looseObject({
    index: z.number(),
    message: openAIResponseMessageSchema(),
    finish_reason: z.string().nullable(),
    stop_reason: z.union([z.string(), z.number()]).nullable().optional(),
  }),
);

/**
 * A `chat.completion` body. Lenient where local servers are: `object`, `created` and `usage` may be
 * missing; `id` and `model` too (translators fill them).
 */
export const openAIChatResponseSchema = lazySchema((z) =>
  z.looseObject({
    id: z.string().optional(),
    object: z.string().optional(),
    created: z.number().optional(),
    model: z.string().optional(),
    choices: z.array(openAIChoiceSchema()),
    usage: openAIUsageSchema().nullable().optional(),
  }),
);

export type OpenAIUsageBody = Infer<typeof openAIUsageSchema>;
export type OpenAIResponseToolCall = Infer<typeof openAIResponseToolCallSchema>;
export type OpenAIResponseMessage = Infer<typeof openAIResponseMessageSchema>;
export type OpenAIChoice = Infer<typeof openAIChoiceSchema>;
/** A non-streaming OpenAI chat completion; unknown fields are kept. */
export type OpenAIChatResponse = Infer<typeof openAIChatResponseSchema>;

/**
 * Validates an upstream chat completion.
 * @throws LlmFailoverError UPSTREAM_SERVER (status 502) naming the bad field's path.
 */
export function parseOpenAIChatResponse(body: unknown): OpenAIChatResponse {
  return parseOrThrow(openAIChatResponseSchema(), body, {
    what: 'OpenAI chat response',
    code: 'UPSTREAM_SERVER',
    status: 502,
  });
}
