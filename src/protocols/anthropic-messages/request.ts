import { z } from 'zod';
import { parseOrThrow } from '../validate.js';
import { anthropicContentBlockSchema, anthropicTextBlockSchema } from './content-block.js';

// Loose objects throughout: unknown fields are kept so a same-protocol route forwards them
// untouched. Only what llm-failover reads is validated, and loosely (ranges are the upstream's job;
// strict alternation is not checked either: Anthropic itself merges consecutive same-role turns).

const optionalNumber = z.number().nullable().optional();

/** One input message: role user | assistant, content a string or blocks. */
export const anthropicInputMessageSchema = z.looseObject({
  role: z.enum(['user', 'assistant']),
  content: z.union([z.string(), z.array(anthropicContentBlockSchema)]),
});

/** `tools[]` entry. Client tools have `input_schema`; server tools have a `type` and no schema. */
export const anthropicToolSchema = z.looseObject({
  name: z.string(),
  type: z.string().nullable().optional(),
  description: z.string().optional(),
  input_schema: z.record(z.string(), z.unknown()).optional(),
});

/** `tool_choice {type: auto|any|tool|none, name?, disable_parallel_tool_use?}`. */
export const anthropicToolChoiceSchema = z.looseObject({
  type: z.enum(['auto', 'any', 'tool', 'none']),
  name: z.string().optional(),
  disable_parallel_tool_use: z.boolean().optional(),
});

/** Anthropic Messages request body. */
export const anthropicMessagesRequestSchema = z.looseObject({
  model: z.string(),
  max_tokens: z.number().int().nonnegative(),
  messages: z.array(anthropicInputMessageSchema),
  system: z.union([z.string(), z.array(anthropicTextBlockSchema)]).optional(),
  temperature: optionalNumber,
  top_p: optionalNumber,
  top_k: optionalNumber,
  stop_sequences: z.array(z.string()).nullable().optional(),
  stream: z.boolean().nullable().optional(),
  tools: z.array(anthropicToolSchema).optional(),
  tool_choice: anthropicToolChoiceSchema.optional(),
  metadata: z.looseObject({ user_id: z.string().nullable().optional() }).nullable().optional(),
  thinking: z.looseObject({ type: z.string(), budget_tokens: z.number().optional() }).optional(),
});

export type AnthropicInputMessage = z.infer<typeof anthropicInputMessageSchema>;
export type AnthropicTool = z.infer<typeof anthropicToolSchema>;
export type AnthropicToolChoice = z.infer<typeof anthropicToolChoiceSchema>;
/** An Anthropic Messages request; unknown fields are kept (index signature). */
export type AnthropicMessagesRequest = z.infer<typeof anthropicMessagesRequestSchema>;

/**
 * Validates an Anthropic Messages request, keeping every field the caller sent.
 * @throws LlmFailoverError INVALID_REQUEST (status 400, `path` = dotted path of the bad field).
 */
export function parseAnthropicMessagesRequest(body: unknown): AnthropicMessagesRequest {
  return parseOrThrow(anthropicMessagesRequestSchema, body, {
    what: 'Anthropic messages request',
  });
}
