import { lazySchema } from '../lazy-schema.js';
import type { Infer } from '../lazy-schema.js';
import { openAIUsageSchema } from './response.js';

/*
 * OpenAI Chat Completions stream chunks (`data: {json}` events). Every object keeps unknown fields
 * (z.looseObject): a same-protocol stream is forwarded verbatim, and local servers add their own
 * (vLLM's `stop_reason`, llama.cpp's `timings`, ...). Fields local servers are known to omit or to
 * send as `null` are optional/nullable so that validating a chunk never rejects a working server.
 */

/** One tool-call fragment of a streamed delta. The first fragment of an `index` names the call. */
export const openAIToolCallDeltaSchema = lazySchema((z) =>
  z.looseObject({
    /** Position of the call in the final `tool_calls` array; some local servers omit it. */
    index: z.number().int().nonnegative().optional(),
    id: z.string().nullish(),
    type: z.string().nullish(),
    function: z
      .looseObject({
        name: z.string().nullish(),
        /** A piece of the JSON arguments text; pieces are concatenated, never parsed one by one. */
        arguments: z.string().nullish(),
      })
      .nullish(),
  }),
);
/** One tool-call fragment of a streamed delta. */
export type OpenAIToolCallDelta = Infer<typeof openAIToolCallDeltaSchema>;

/** The `delta` of a streamed choice. */
export const openAIChatDeltaSchema = lazySchema((z) =>
  z.looseObject({
    role: z.string().nullish(),
    content: z.string().nullish(),
    /** Reasoning text as DeepSeek, vLLM and llama.cpp stream it. */
    reasoning_content: z.string().nullish(),
    /** Reasoning text as OpenRouter and newer vLLM stream it. */
    reasoning: z.string().nullish(),
    refusal: z.string().nullish(),
    /** Local servers sometimes send `[]` on every chunk: it means "no tool call here". */
    tool_calls: z.array(openAIToolCallDeltaSchema()).nullish(),
  }),
);
/** The `delta` of a streamed choice. */
export type OpenAIChatDelta = Infer<typeof openAIChatDeltaSchema>;

/** One streamed choice. */
export const openAIChatChunkChoiceSchema = lazySchema((z) =>
  z.looseObject({
    index: z.number().int().nonnegative(),
    delta: openAIChatDeltaSchema(),
    finish_reason: z.string().nullish(),
    logprobs: z.unknown().optional(),
    /** vLLM extension: the matched stop string (or token id) when finish_reason is `stop`. */
    stop_reason: z.union([z.string(), z.number()]).nullish(),
  }),
);
/** One streamed choice. */
export type OpenAIChatChunkChoice = Infer<typeof openAIChatChunkChoiceSchema>;

/** One `chat.completion.chunk`. With `include_usage`, the last one has `choices: []` and `usage`. */
export const openAIChatChunkSchema = lazySchema((z) =>
  z.looseObject({
    id: z.string(),
    object: z.string().optional(),
    created: z.number(),
    model: z.string(),
    choices: z.array(openAIChatChunkChoiceSchema()),
    // The same usage object as on a response (cached prompt tokens included in prompt_tokens).
    usage: openAIUsageSchema().nullish(),
    system_fingerprint: z.string().nullish(),
  }),
);
/** One `chat.completion.chunk`. */
export type OpenAIChatChunk = Infer<typeof openAIChatChunkSchema>;
