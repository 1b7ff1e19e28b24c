import { lazySchema } from '../lazy-schema.js';
import type { Infer } from '../lazy-schema.js';

/*
 * Anthropic Messages stream events (`event: <type>\ndata: {json}`). Objects keep unknown fields
 * (z.looseObject) so a same-protocol stream survives validation unchanged. The union is
 * discriminated by `type`; Anthropic documents that new event types may appear, so consumers
 * should skip an event this schema rejects rather than fail the stream.
 */

const nullableString = lazySchema((z) => z.string().nullable());

/** Usage on `message_start` (input side known, output so far). */
export const anthropicStreamUsageSchema = lazySchema((z) =>
  z.looseObject({
    input_tokens: z.number().nullish(),
    output_tokens: z.number().nullish(),
    cache_read_input_tokens: z.number().nullish(),
    cache_creation_input_tokens: z.number().nullish(),
  }),
);
/** Usage as it appears on stream events (every counter may be absent or null). */
export type AnthropicStreamUsage = Infer<typeof anthropicStreamUsageSchema>;

/** Content block types a `content_block_start` may open. */
export const anthropicStreamContentBlockSchema = lazySchema((z) =>
  z.discriminatedUnion('type', [
    z.looseObject({ type: z.literal('text'), text: z.string() }),
    z.looseObject({
      type: z.literal('tool_use'),
      id: z.string(),
      name: z.string(),
      input: z.unknown(),
    }),
    z.looseObject({
      type: z.literal('server_tool_use'),
      id: z.string(),
      name: z.string(),
      input: z.unknown(),
    }),
    z.looseObject({
      type: z.literal('thinking'),
      thinking: z.string(),
      signature: z.string().optional(),
    }),
    z.looseObject({ type: z.literal('redacted_thinking'), data: z.string() }),
  ]),
);
/** A content block as opened by `content_block_start`. */
export type AnthropicStreamContentBlock = Infer<typeof anthropicStreamContentBlockSchema>;

/** The `delta` of a `content_block_delta`. */
export const anthropicContentDeltaSchema = lazySchema((z) =>
  z.discriminatedUnion('type', [
    z.looseObject({ type: z.literal('text_delta'), text: z.string() }),
    z.looseObject({ type: z.literal('input_json_delta'), partial_json: z.string() }),
    z.looseObject({ type: z.literal('thinking_delta'), thinking: z.string() }),
    z.looseObject({ type: z.literal('signature_delta'), signature: z.string() }),
    z.looseObject({ type: z.literal('citations_delta'), citation: z.unknown() }),
  ]),
);
/** The `delta` of a `content_block_delta`. */
export type AnthropicContentDelta = Infer<typeof anthropicContentDeltaSchema>;

/** `message_start`: the message shell, empty content, input usage. */
export const anthropicMessageStartEventSchema = lazySchema((z) =>
  z.looseObject({
    type: z.literal('message_start'),
    message: z.looseObject({
      id: z.string(),
      type: z.literal('message').optional(),
      role: z.literal('assistant').optional(),
      model: z.string(),
      content: z.array(z.unknown()),
      stop_reason: nullableString().optional(),
      stop_sequence: nullableString().optional(),
      usage: anthropicStreamUsageSchema(),
    }),
  }),
);

/** `content_block_start`. */
export const anthropicContentBlockStartEventSchema = lazySchema((z) =>
  z.looseObject({
    type: z.literal('content_block_start'),
    index: z.number().int().nonnegative(),
    content_block: anthropicStreamContentBlockSchema(),
  }),
);

/** `content_block_delta`. */
export const anthropicContentBlockDeltaEventSchema = lazySchema((z) =>
  z.looseObject({
    type: z.literal('content_block_delta'),
    index: z.number().int().nonnegative(),
    delta: anthropicContentDeltaSchema(),
  }),
);

/** `content_block_stop`. */
export const anthropicContentBlockStopEventSchema = lazySchema((z) =>
  z.looseObject({
    type: z.literal('content_block_stop'),
    index: z.number().int().nonnegative(),
  }),
);

/** `message_delta`: stop reason and final (cumulative) usage. */
export const anthropicMessageDeltaEventSchema = lazySchema((z) =>
  z.looseObject({
    type: z.literal('message_delta'),
    delta: z.looseObject({
      stop_reason: nullableString().optional(),
      stop_sequence: nullableString().optional(),
    }),
    usage: anthropicStreamUsageSchema().optional(),
  }),
);

/** `message_stop`: the terminal event of a clean stream. */
export const anthropicMessageStopEventSchema = lazySchema((z) =>
  z.looseObject({ type: z.literal('message_stop') }),
);

/** `ping`: keep-alive, never content. */
export const anthropicPingEventSchema = lazySchema((z) =>
  z.looseObject({ type: z.literal('ping') }),
);

/** `error`: an in-band error inside a 200 stream (e.g. `overloaded_error`). */
export const anthropicErrorEventSchema = lazySchema((z) =>
  z.looseObject({
    type: z.literal('error'),
    error: z.looseObject({ type: z.string(), message: z.string() }),
  }),
);

/** Every Anthropic stream event, discriminated by `type`. */
export const anthropicStreamEventSchema = lazySchema((z) =>
  z.discriminatedUnion('type', [
    anthropicMessageStartEventSchema(),
    anthropicContentBlockStartEventSchema(),
    anthropicContentBlockDeltaEventSchema(),
    anthropicContentBlockStopEventSchema(),
    anthropicMessageDeltaEventSchema(),
    anthropicMessageStopEventSchema(),
    anthropicPingEventSchema(),
    anthropicErrorEventSchema(),
  ]),
);
/** Every Anthropic stream event. */
export type AnthropicStreamEvent = Infer<typeof anthropicStreamEventSchema>;
/** `message_start`. */
export type AnthropicMessageStartEvent = Infer<typeof anthropicMessageStartEventSchema>;
/** `content_block_start`. */
export type AnthropicContentBlockStartEvent = Infer<typeof anthropicContentBlockStartEventSchema>;
/** `content_block_delta`. */
export type AnthropicContentBlockDeltaEvent = Infer<typeof anthropicContentBlockDeltaEventSchema>;
/** `content_block_stop`. */
export type AnthropicContentBlockStopEvent = Infer<typeof anthropicContentBlockStopEventSchema>;
/** `message_delta`. */
export type AnthropicMessageDeltaEvent = Infer<typeof anthropicMessageDeltaEventSchema>;
/** `message_stop`. */
export type AnthropicMessageStopEvent = Infer<typeof anthropicMessageStopEventSchema>;
/** `ping`. */
export type AnthropicPingEvent = Infer<typeof anthropicPingEventSchema>;
/** `error`. */
export type AnthropicErrorEvent = Infer<typeof anthropicErrorEventSchema>;
/** The `type` of an Anthropic stream event. */
export type AnthropicStreamEventType = AnthropicStreamEvent['type'];
