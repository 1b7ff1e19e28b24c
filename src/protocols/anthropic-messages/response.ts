import { lazySchema } from '../lazy-schema.js';
import type { Infer } from '../lazy-schema.js';
import { parseOrThrow } from '../validate.js';
import { anthropicContentBlockSchema } from './content-block.js';

const optionalCount = lazySchema((z) => z.number().nullable().optional());

/** `usage` of a message (and, partially, of `message_delta`). Input excludes cached tokens. */
// Counters are optional: compatible servers omit some; the translators count a missing one as 0.
export const anthropicUsageSchema = lazySchema((z) =>
  z.looseObject({
    input_tokens: optionalCount(),
    output_tokens: optionalCount(),
    cache_read_input_tokens: optionalCount(),
    cache_creation_input_tokens: optionalCount(),
  }),
);

/**
 * A Messages API response (`type:"message"`). Validated: what the translator reads (`content`
 * blocks; `id`, `model`, `stop_reason` and `usage` when present); `type` and `role` are not read.
 */
export const anthropicMessageSchema = lazySchema((z) =>
  z.looseObject({
    id: z.string(),
    type: z.string().optional(),
    role: z.string().optional(),
    model: z.string(),
    content: z.array(anthropicContentBlockSchema()),
    stop_reason: z.string().nullable().optional(),
    stop_sequence: z.string().nullable().optional(),
    usage: anthropicUsageSchema().nullable().optional(),
  }),
);

export type AnthropicUsageBody = Infer<typeof anthropicUsageSchema>;
/** A non-streaming Anthropic message; unknown fields are kept. */
export type AnthropicMessage = Infer<typeof anthropicMessageSchema>;

/**
 * Validates an upstream Anthropic message.
 * @throws LlmFailoverError UPSTREAM_SERVER (status 502) naming the bad field's path.
 */
export function parseAnthropicMessage(body: unknown): AnthropicMessage {
  return parseOrThrow(anthropicMessageSchema(), body, {
    what: 'Anthropic message',
    code: 'UPSTREAM_SERVER',
    status: 502,
  });
}
