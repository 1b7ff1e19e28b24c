import { lazySchema } from '../lazy-schema.js';
import type { Infer } from '../lazy-schema.js';
import { openTaggedUnion, parseOrThrow } from '../validate.js';

// Every object is loose: fields we do not read (seed, metadata, response_format, penalties,
// vendor extensions...) are kept as sent, so a same-protocol route forwards them untouched.
// Only what llm-failover itself reads is validated, and loosely (no ranges the upstream enforces).

const optionalNumber = lazySchema((z) => z.number().nullable().optional());
const optionalCount = lazySchema((z) => z.number().int().nonnegative().nullable().optional());

/** `{type:"text", text}` content part. */
export const openAITextPartSchema = lazySchema((z) =>
  z.looseObject({ type: z.literal('text'), text: z.string() }),
);

/** `{type:"image_url", image_url:{url, detail?}}`; `url` is a data URL or an http(s) URL. */
export const openAIImagePartSchema = lazySchema((z) =>
  z.looseObject({
    type: z.literal('image_url'),
    image_url: z.looseObject({ url: z.string(), detail: z.string().optional() }),
  }),
);

/** `{type:"refusal", refusal}`: only in assistant content. */
export const openAIRefusalPartSchema = lazySchema((z) =>
  z.looseObject({
    type: z.literal('refusal'),
    refusal: z.string(),
  }),
);

/** A content part: the known types are validated, any other `type` (input_audio, file...) is kept. */
export const openAIContentPartSchema = lazySchema(() =>
  openTaggedUnion(
    [openAITextPartSchema(), openAIImagePartSchema(), openAIRefusalPartSchema()],
    ['text', 'image_url', 'refusal'],
  ),
);

/** An assistant tool call; `arguments` is a JSON string. */
export const openAIToolCallSchema = lazySchema((z) =>
  z.looseObject({
    id: z.string(),
    // 'function'; some local servers omit it.
    type: z.string().optional(),
    function: z.looseObject({ name: z.string(), arguments: z.string() }),
  }),
);

/** The roles OpenAI accepts (`function`: the deprecated legacy tool-result role, still served). */
export const OPENAI_ROLES = [
  'system',
  'developer',
  'user',
  'assistant',
  'tool',
  'function',
] as const;

/**
 * One chat message. `role` is any string (OPENAI_ROLES are the ones translators map; another is
 * dropped with a note when translating, and forwarded as sent on a same-protocol route).
 */
export const openAIMessageSchema = lazySchema((z) =>
  z.looseObject({
    role: z.string(),
    content: z
      .union([z.string(), z.array(openAIContentPartSchema())])
      .nullable()
      .optional(),
    name: z.string().optional(),
    tool_calls: z.array(openAIToolCallSchema()).nullable().optional(),
    tool_call_id: z.string().optional(),
    // DeepSeek / vLLM style reasoning text on assistant turns.
    reasoning_content: z.string().nullable().optional(),
    refusal: z.string().nullable().optional(),
  }),
);

/** `tools[]` entry. Only `type:"function"` carries `function`; other tool types are kept as sent. */
export const openAIToolSchema = lazySchema((z) =>
  z.looseObject({
    type: z.string(),
    function: z
      .looseObject({
        name: z.string(),
        description: z.string().optional(),
        parameters: z.record(z.string(), z.unknown()).optional(),
      })
      .optional(),
  }),
);

/**
 * `tool_choice`: "none" | "auto" | "required" | `{type:"function", function:{name}}`, or a value
 * added since (`allowed_tools`, `custom`...): kept as sent.
 */
export const openAIToolChoiceSchema = lazySchema((z) =>
  z.union([
    z.string(),
    z.looseObject({
      type: z.string(),
      function: z.looseObject({ name: z.string() }).optional(),
    }),
  ]),
);

/** OpenAI Chat Completions request body. */
export const openAIChatRequestSchema = lazySchema((z) =>
  z.looseObject({
    model: z.string(),
    messages: z.array(openAIMessageSchema()),
    max_tokens: optionalCount(),
    max_completion_tokens: optionalCount(),
    temperature: optionalNumber(),
    top_p: optionalNumber(),
    // Not OpenAI's: vLLM / llama.cpp accept it, and it carries Anthropic's top_k across.
    top_k: optionalNumber(),
    n: optionalCount(),
    stop: z
      .union([z.string(), z.array(z.string())])
      .nullable()
      .optional(),
    stream: z.boolean().nullable().optional(),
    stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullable().optional(),
    tools: z.array(openAIToolSchema()).nullable().optional(),
    tool_choice: openAIToolChoiceSchema().nullable().optional(),
    parallel_tool_calls: z.boolean().nullable().optional(),
    user: z.string().nullable().optional(),
    logprobs: z.boolean().nullable().optional(),
  }),
);

export type OpenAITextPart = Infer<typeof openAITextPartSchema>;
export type OpenAIImagePart = Infer<typeof openAIImagePartSchema>;
export type OpenAIRefusalPart = Infer<typeof openAIRefusalPartSchema>;
export type OpenAIContentPart = Infer<typeof openAIContentPartSchema>;
export type OpenAIToolCall = Infer<typeof openAIToolCallSchema>;
export type OpenAIRole = (typeof OPENAI_ROLES)[number];
export type OpenAIMessage = Infer<typeof openAIMessageSchema>;
export type OpenAITool = Infer<typeof openAIToolSchema>;
export type OpenAIToolChoice = Infer<typeof openAIToolChoiceSchema>;
/** An OpenAI chat request; unknown fields are kept (index signature). */
export type OpenAIChatRequest = Infer<typeof openAIChatRequestSchema>;

/**
 * Validates an OpenAI chat request, keeping every field the caller sent.
 * @throws LlmFailoverError INVALID_REQUEST (status 400, `path` = dotted path of the bad field).
 */
export function parseOpenAIChatRequest(body: unknown): OpenAIChatRequest {
  return parseOrThrow(openAIChatRequestSchema(), body, { what: 'OpenAI chat request' });
}
