import { lazySchema } from '../lazy-schema.js';
import type { Infer } from '../lazy-schema.js';
import { openTaggedUnion } from '../validate.js';

// Loose objects throughout: `cache_control`, `citations` and future fields are kept as sent.

/** `{type:"text", text}`. */
export const anthropicTextBlockSchema = lazySchema((z) =>
  z.looseObject({
    type: z.literal('text'),
    text: z.string(),
  }),
);

/** `{type:"base64", media_type, data}` image source. */
export const anthropicBase64SourceSchema = lazySchema((z) =>
  z.looseObject({
    type: z.literal('base64'),
    media_type: z.string(),
    data: z.string(),
  }),
);

/** `{type:"url", url}` image source. */
export const anthropicUrlSourceSchema = lazySchema((z) =>
  z.looseObject({ type: z.literal('url'), url: z.string() }),
);

/** Image source: base64 or url are validated; other kinds (file...) are kept as sent. */
export const anthropicImageSourceSchema = lazySchema(() =>
  openTaggedUnion([anthropicBase64SourceSchema(), anthropicUrlSourceSchema()], ['base64', 'url']),
);

/** `{type:"image", source}`. */
export const anthropicImageBlockSchema = lazySchema((z) =>
  z.looseObject({
    type: z.literal('image'),
    source: anthropicImageSourceSchema(),
  }),
);

/** `{type:"tool_use", id, name, input}`; `input` is an object. */
export const anthropicToolUseBlockSchema = lazySchema((z) =>
  z.looseObject({
    type: z.literal('tool_use'),
    id: z.string(),
    name: z.string(),
    input: z.record(z.string(), z.unknown()),
  }),
);

/** Blocks allowed inside a tool_result's `content`. */
export const anthropicToolResultContentSchema = lazySchema(() =>
  openTaggedUnion([anthropicTextBlockSchema(), anthropicImageBlockSchema()], ['text', 'image']),
);

/** `{type:"tool_result", tool_use_id, content?, is_error?}`. */
export const anthropicToolResultBlockSchema = lazySchema((z) =>
  z.looseObject({
    type: z.literal('tool_result'),
    tool_use_id: z.string(),
    content: z.union([z.string(), z.array(anthropicToolResultContentSchema())]).optional(),
    is_error: z.boolean().optional(),
  }),
);

/** `{type:"thinking", thinking, signature}`. */
export const anthropicThinkingBlockSchema = lazySchema((z) =>
  z.looseObject({
    type: z.literal('thinking'),
    thinking: z.string(),
    signature: z.string().optional(),
  }),
);

/** `{type:"redacted_thinking", data}`. */
export const anthropicRedactedThinkingBlockSchema = lazySchema((z) =>
  z.looseObject({
    type: z.literal('redacted_thinking'),
    data: z.string(),
  }),
);

/**
 * Any content block, in requests and responses. Known types are validated; others (document,
 * server_tool_use, web_search_tool_result...) are kept as sent.
 */
export const anthropicContentBlockSchema = lazySchema(() =>
  openTaggedUnion(
    [
      anthropicTextBlockSchema(),
      anthropicImageBlockSchema(),
      anthropicToolUseBlockSchema(),
      anthropicToolResultBlockSchema(),
      anthropicThinkingBlockSchema(),
      anthropicRedactedThinkingBlockSchema(),
    ],
    ['text', 'image', 'tool_use', 'tool_result', 'thinking', 'redacted_thinking'],
  ),
);

export type AnthropicTextBlock = Infer<typeof anthropicTextBlockSchema>;
export type AnthropicBase64Source = Infer<typeof anthropicBase64SourceSchema>;
export type AnthropicUrlSource = Infer<typeof anthropicUrlSourceSchema>;
export type AnthropicImageSource = Infer<typeof anthropicImageSourceSchema>;
export type AnthropicImageBlock = Infer<typeof anthropicImageBlockSchema>;
export type AnthropicToolUseBlock = Infer<typeof anthropicToolUseBlockSchema>;
export type AnthropicToolResultContent = Infer<typeof anthropicToolResultContentSchema>;
export type AnthropicToolResultBlock = Infer<typeof anthropicToolResultBlockSchema>;
export type AnthropicThinkingBlock = Infer<typeof anthropicThinkingBlockSchema>;
export type AnthropicRedactedThinkingBlock = Infer<typeof anthropicRedactedThinkingBlockSchema>;
/** Any content block (known types, or another `type` kept as sent). */
export type AnthropicContentBlock = Infer<typeof anthropicContentBlockSchema>;
