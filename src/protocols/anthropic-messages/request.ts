import { lazySchema } from '../lazy-schema.js';
import type { Infer } from '../lazy-schema.js';
import { parseOrThrow } from '../validate.js';
import { anthropicContentBlockSchema } from './content-block.js';

// Loose objects throughout: unknown fields are kept so a same-protocol route forwards them
// untouched. This schema is what the translators read (a same-protocol route reads only the
// routing fields, see routing-fields.ts): shapes are checked where a translator would misread
// them, values are not (ranges, enums, roles and tool types are the upstream's job; a value the
// translator does not know is mapped or dropped with a note, never refused here). Strict
// alternation is not checked either: Anthropic itself merges consecutive same-role turns.

const optionalNumber = lazySchema((z) => z.number().nullable().optional());

/**
 * One input message: content a string or blocks. `role` is any string: user and assistant, the
 * mid-conversation `system` (beta `mid-conversation-system-2026-04-07`, sent by Claude Code) and
 * whatever comes next.
 */
export const anthropicInputMessageSchema = lazySchema((z) =>
  z.looseObject({
    role: z.string(),
    content: z.union([z.string(), z.array(anthropicContentBlockSchema())]),
  }),
);

/**
 * `tools[]` entry. Client tools have `name` and `input_schema`; server tools have a `type` and no
 * schema; some (MCP toolsets) have no `name` either.
 */
export const anthropicToolSchema = lazySchema((z) =>
  z.looseObject({
    name: z.string().optional(),
    type: z.string().nullable().optional(),
    description: z.string().optional(),
    input_schema: z.record(z.string(), z.unknown()).optional(),
  }),
);

/** `tool_choice {type: auto|any|tool|none (or a newer one), name?, disable_parallel_tool_use?}`. */
export const anthropicToolChoiceSchema = lazySchema((z) =>
  z.looseObject({
    type: z.string(),
    name: z.string().optional(),
    disable_parallel_tool_use: z.boolean().optional(),
  }),
);

/** Anthropic Messages request body. */
export const anthropicMessagesRequestSchema = lazySchema((z) =>
  z.looseObject({
    model: z.string(),
    // Required by Anthropic, but not read by a translator that can do without it: the upstream judges.
    max_tokens: z.number().nullable().optional(),
    messages: z.array(anthropicInputMessageSchema()),
    // Text blocks (with cache_control) in practice; another block type is the translator's to judge.
    system: z
      .union([z.string(), z.array(anthropicContentBlockSchema())])
      .nullable()
      .optional(),
    temperature: optionalNumber(),
    top_p: optionalNumber(),
    top_k: optionalNumber(),
    stop_sequences: z.array(z.string()).nullable().optional(),
    stream: z.boolean().nullable().optional(),
    tools: z.array(anthropicToolSchema()).nullable().optional(),
    tool_choice: anthropicToolChoiceSchema().nullable().optional(),
    metadata: z.looseObject({ user_id: z.string().nullable().optional() }).nullable().optional(),
    // enabled {budget_tokens}, disabled, adaptive (Claude Code), and newer kinds: kept as sent.
    thinking: z.looseObject({ type: z.string() }).nullable().optional(),
  }),
);

export type AnthropicInputMessage = Infer<typeof anthropicInputMessageSchema>;
export type AnthropicTool = Infer<typeof anthropicToolSchema>;
export type AnthropicToolChoice = Infer<typeof anthropicToolChoiceSchema>;
/** An Anthropic Messages request; unknown fields are kept (index signature). */
export type AnthropicMessagesRequest = Infer<typeof anthropicMessagesRequestSchema>;

/**
 * Validates an Anthropic Messages request, keeping every field the caller sent.
 * @throws LlmFailoverError INVALID_REQUEST (status 400, `path` = dotted path of the bad field).
 */
export function parseAnthropicMessagesRequest(body: unknown): AnthropicMessagesRequest {
  return parseOrThrow(anthropicMessagesRequestSchema(), body, {
    what: 'Anthropic messages request',
  });
}
