import { lazySchema, zod } from '../lazy-schema.js';
import type { Infer } from '../lazy-schema.js';
import { openTaggedUnion, parseOrThrow } from '../validate.js';

// Every object is loose: what llm-failover does not read (include, prompt_cache_key,
// client_metadata, text.verbosity, a Codex item's `id`...) is kept as sent, so a same-protocol
// route forwards it untouched. What the gateway and the translators read is checked, loosely:
// types, never ranges or enums the upstream enforces; custom (freeform) tools and their items are
// the exception, checked by the translators as they read them. Item, part and tool types OpenAI
// adds tomorrow are accepted as they are (open tagged unions).

const optionalNumber = lazySchema((z) => z.number().nullable().optional());
const optionalCount = lazySchema((z) => z.number().int().nonnegative().nullable().optional());

/** `{type:"input_text", text}`: user, system and developer text. */
export const openAIResponsesInputTextSchema = lazySchema((z) =>
  z.looseObject({ type: z.literal('input_text'), text: z.string() }),
);

/** `{type:"output_text", text}`: assistant text replayed as input (also in a response's output). */
export const openAIResponsesOutputTextSchema = lazySchema((z) =>
  z.looseObject({ type: z.literal('output_text'), text: z.string() }),
);

/** `{type:"input_image", image_url?, file_id?, detail?}`: a data URL or an http(s) URL, or a file. */
export const openAIResponsesInputImageSchema = lazySchema((z) =>
  z.looseObject({
    type: z.literal('input_image'),
    image_url: z.string().nullable().optional(),
    file_id: z.string().nullable().optional(),
    detail: z.string().nullable().optional(),
  }),
);

/** `{type:"refusal", refusal}`: an assistant refusal replayed as input. */
export const openAIResponsesRefusalSchema = lazySchema((z) =>
  z.looseObject({ type: z.literal('refusal'), refusal: z.string() }),
);

/** A message content part: the known types are validated, any other (input_file...) is kept. */
export const openAIResponsesContentPartSchema = lazySchema(() =>
  openTaggedUnion(
    [
      openAIResponsesInputTextSchema(),
      openAIResponsesOutputTextSchema(),
      openAIResponsesInputImageSchema(),
      openAIResponsesRefusalSchema(),
    ],
    ['input_text', 'output_text', 'input_image', 'refusal'],
  ),
);

/** The fields of a message item (called inside a schema build, where zod is loaded). */
function messageFields() {
  const z = zod();
  return {
    role: z.string(),
    content: z.union([z.string(), z.array(openAIResponsesContentPartSchema())]),
  };
}

/**
 * A `message` item. `role` is any string (user, assistant, system, developer are the ones
 * translators map); `content` is a string or parts.
 */
export const openAIResponsesMessageItemSchema = lazySchema((z) =>
  z.looseObject({ type: z.literal('message'), ...messageFields() }),
);

/** A message item without `type` (the API's "easy input message"; the SDKs send it so). */
export const openAIResponsesUntypedMessageSchema = lazySchema((z) =>
  z.looseObject({ type: z.undefined().optional(), ...messageFields() }),
);

/** A `function_call` item: the model's call replayed. `call_id` pairs it with its output. */
export const openAIResponsesFunctionCallItemSchema = lazySchema((z) =>
  z.looseObject({
    type: z.literal('function_call'),
    call_id: z.string(),
    name: z.string(),
    /** A JSON text. */
    arguments: z.string(),
    id: z.string().nullable().optional(),
  }),
);

/** A `function_call_output` item: a string, or content parts (text, image, file). */
export const openAIResponsesFunctionCallOutputItemSchema = lazySchema((z) =>
  z.looseObject({
    type: z.literal('function_call_output'),
    call_id: z.string(),
    output: z.union([z.string(), z.array(openAIResponsesContentPartSchema())]),
  }),
);

/** A `reasoning` item: summary texts, and the opaque `encrypted_content` only OpenAI can read. */
export const openAIResponsesReasoningItemSchema = lazySchema((z) =>
  z.looseObject({
    type: z.literal('reasoning'),
    id: z.string().nullable().optional(),
    summary: z.array(z.looseObject({ type: z.string(), text: z.string().optional() })).optional(),
    content: z
      .array(z.looseObject({ type: z.string(), text: z.string().optional() }))
      .nullable()
      .optional(),
    encrypted_content: z.string().nullable().optional(),
  }),
);

/**
 * The item types validated here (the tags of the input item union: one schema each, so a tag
 * added here needs its schema too). Any other `type` is kept as sent: the translators read
 * `custom_tool_call` / `custom_tool_call_output` items and check the fields they use themselves
 * (src/translate/responses-custom-tools.ts, responses-input-to-chat.ts), refuse `item_reference`,
 * and drop hosted tool calls and types unknown to them with a note.
 */
export const OPENAI_RESPONSES_INPUT_ITEM_TYPES = [
  'message',
  'function_call',
  'function_call_output',
  'reasoning',
] as const;

/** One `input` item: a typed item (open tagged union) or an untyped message. */
export const openAIResponsesInputItemSchema = lazySchema((z) =>
  z.union([
    openTaggedUnion(
      [
        openAIResponsesMessageItemSchema(),
        openAIResponsesFunctionCallItemSchema(),
        openAIResponsesFunctionCallOutputItemSchema(),
        openAIResponsesReasoningItemSchema(),
      ],
      OPENAI_RESPONSES_INPUT_ITEM_TYPES,
    ),
    openAIResponsesUntypedMessageSchema(),
  ]),
);

/** A `function` tool. `parameters` is a JSON schema (null: none). */
export const openAIResponsesFunctionToolSchema = lazySchema((z) =>
  z.looseObject({
    type: z.literal('function'),
    name: z.string(),
    description: z.string().nullable().optional(),
    parameters: z.record(z.string(), z.unknown()).nullable().optional(),
    strict: z.boolean().nullable().optional(),
  }),
);

/** A `namespace` tool (Codex): functions grouped under a name. */
export const openAIResponsesNamespaceToolSchema = lazySchema((z) =>
  z.looseObject({
    type: z.literal('namespace'),
    name: z.string(),
    description: z.string().nullable().optional(),
    tools: z.array(z.looseObject({ type: z.string(), name: z.string().optional() })),
  }),
);

/** `tools[]`: function and namespace tools validated; built-in tools (web_search...) kept. */
export const openAIResponsesToolSchema = lazySchema(() =>
  openTaggedUnion(
    [openAIResponsesFunctionToolSchema(), openAIResponsesNamespaceToolSchema()],
    ['function', 'namespace'],
  ),
);

/** `tool_choice`: "none" | "auto" | "required" | `{type:"function", name}` | a newer object. */
export const openAIResponsesToolChoiceSchema = lazySchema((z) =>
  z.union([z.string(), z.looseObject({ type: z.string(), name: z.string().optional() })]),
);

/** OpenAI Responses request body (`POST /v1/responses`). */
export const openAIResponsesRequestSchema = lazySchema((z) =>
  z.looseObject({
    model: z.string(),
    input: z.union([z.string(), z.array(openAIResponsesInputItemSchema())]).optional(),
    instructions: z.string().nullable().optional(),
    stream: z.boolean().nullable().optional(),
    store: z.boolean().nullable().optional(),
    previous_response_id: z.string().nullable().optional(),
    tools: z.array(openAIResponsesToolSchema()).nullable().optional(),
    tool_choice: openAIResponsesToolChoiceSchema().nullable().optional(),
    parallel_tool_calls: z.boolean().nullable().optional(),
    max_output_tokens: optionalCount(),
    temperature: optionalNumber(),
    top_p: optionalNumber(),
    reasoning: z
      .looseObject({
        effort: z.string().nullable().optional(),
        summary: z.string().nullable().optional(),
      })
      .nullable()
      .optional(),
    text: z
      .looseObject({ format: z.looseObject({ type: z.string() }).nullable().optional() })
      .nullable()
      .optional(),
    include: z.array(z.string()).nullable().optional(),
    user: z.string().nullable().optional(),
  }),
);

export type OpenAIResponsesInputText = Infer<typeof openAIResponsesInputTextSchema>;
export type OpenAIResponsesOutputText = Infer<typeof openAIResponsesOutputTextSchema>;
export type OpenAIResponsesInputImage = Infer<typeof openAIResponsesInputImageSchema>;
export type OpenAIResponsesRefusal = Infer<typeof openAIResponsesRefusalSchema>;
export type OpenAIResponsesContentPart = Infer<typeof openAIResponsesContentPartSchema>;
export type OpenAIResponsesMessageItem = Infer<typeof openAIResponsesMessageItemSchema>;
export type OpenAIResponsesUntypedMessage = Infer<typeof openAIResponsesUntypedMessageSchema>;
export type OpenAIResponsesFunctionCallItem = Infer<typeof openAIResponsesFunctionCallItemSchema>;
export type OpenAIResponsesFunctionCallOutputItem = Infer<
  typeof openAIResponsesFunctionCallOutputItemSchema
>;
export type OpenAIResponsesReasoningItem = Infer<typeof openAIResponsesReasoningItemSchema>;
export type OpenAIResponsesInputItem = Infer<typeof openAIResponsesInputItemSchema>;
export type OpenAIResponsesFunctionTool = Infer<typeof openAIResponsesFunctionToolSchema>;
export type OpenAIResponsesNamespaceTool = Infer<typeof openAIResponsesNamespaceToolSchema>;
export type OpenAIResponsesTool = Infer<typeof openAIResponsesToolSchema>;
export type OpenAIResponsesToolChoice = Infer<typeof openAIResponsesToolChoiceSchema>;
/** An OpenAI Responses request; unknown fields are kept (index signature). */
export type OpenAIResponsesRequest = Infer<typeof openAIResponsesRequestSchema>;

/**
 * Validates an OpenAI Responses request, keeping every field the caller sent.
 * @throws LlmFailoverError INVALID_REQUEST (status 400, `path` = dotted path of the bad field),
 *   e.g. `invalid OpenAI Responses request: input.2.call_id: required (expected string)`.
 */
export function parseOpenAIResponsesRequest(body: unknown): OpenAIResponsesRequest {
  return parseOrThrow(openAIResponsesRequestSchema(), body, { what: 'OpenAI Responses request' });
}
