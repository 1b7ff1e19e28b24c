import { lazySchema, zod } from '../lazy-schema.js';
import type { Infer } from '../lazy-schema.js';
import { openTaggedUnion } from '../validate.js';
import { openAIResponsesContentPartSchema } from './request.js';
import { openAIResponsesOutputItemSchema, openAIResponsesResponseSchema } from './response.js';

/*
 * OpenAI Responses stream events: `event: <type>` + `data: {"type": <type>, "sequence_number": n,
 * ...}`. Objects keep unknown fields; the union is open (OpenAI adds event types often: web
 * search, image generation, MCP...), so an unknown event type is kept as it came.
 * `sequence_number` is optional here: OpenAI-compatible servers are known to omit it.
 */

const sequence = lazySchema((z) => z.number().int().nonnegative().optional());

const lifecycle = <T extends string>(type: T) =>
  lazySchema((z) =>
    z.looseObject({
      type: z.literal(type),
      sequence_number: sequence(),
      response: openAIResponsesResponseSchema(),
    }),
  );

/** `response.created`, `response.in_progress`: the response so far (no output yet). */
export const openAIResponsesCreatedEventSchema = lifecycle('response.created');
export const openAIResponsesInProgressEventSchema = lifecycle('response.in_progress');
/** The clean terminals: the whole response, with usage. */
export const openAIResponsesCompletedEventSchema = lifecycle('response.completed');
export const openAIResponsesIncompleteEventSchema = lifecycle('response.incomplete');
/** An in-band error: the response with its `error`. */
export const openAIResponsesFailedEventSchema = lifecycle('response.failed');

const itemEvent = <T extends string>(type: T) =>
  lazySchema((z) =>
    z.looseObject({
      type: z.literal(type),
      sequence_number: sequence(),
      output_index: z.number().int().nonnegative(),
      item: openAIResponsesOutputItemSchema(),
    }),
  );

/** An output item opens (message, function_call, reasoning...). */
export const openAIResponsesOutputItemAddedEventSchema = itemEvent('response.output_item.added');
/** An output item is complete (what Codex reads). */
export const openAIResponsesOutputItemDoneEventSchema = itemEvent('response.output_item.done');

const partEvent = <T extends string>(type: T) =>
  lazySchema((z) =>
    z.looseObject({
      type: z.literal(type),
      sequence_number: sequence(),
      item_id: z.string(),
      output_index: z.number().int().nonnegative(),
      content_index: z.number().int().nonnegative(),
      part: openAIResponsesContentPartSchema(),
    }),
  );

export const openAIResponsesContentPartAddedEventSchema = partEvent('response.content_part.added');
export const openAIResponsesContentPartDoneEventSchema = partEvent('response.content_part.done');

/** The fields of a text event (called inside a schema build, where zod is loaded). */
function textFields() {
  const z = zod();
  return {
    sequence_number: sequence(),
    item_id: z.string(),
    output_index: z.number().int().nonnegative(),
    /** Absent on function-call and reasoning events (`summary_index` there). */
    content_index: z.number().int().nonnegative().optional(),
  };
}

/** A piece of assistant text. */
export const openAIResponsesOutputTextDeltaEventSchema = lazySchema((z) =>
  z.looseObject({
    type: z.literal('response.output_text.delta'),
    ...textFields(),
    delta: z.string(),
  }),
);
export const openAIResponsesOutputTextDoneEventSchema = lazySchema((z) =>
  z.looseObject({
    type: z.literal('response.output_text.done'),
    ...textFields(),
    text: z.string(),
  }),
);
export const openAIResponsesRefusalDeltaEventSchema = lazySchema((z) =>
  z.looseObject({ type: z.literal('response.refusal.delta'), ...textFields(), delta: z.string() }),
);
/** A piece of a function call's JSON arguments. */
export const openAIResponsesFunctionCallArgumentsDeltaEventSchema = lazySchema((z) =>
  z.looseObject({
    type: z.literal('response.function_call_arguments.delta'),
    ...textFields(),
    delta: z.string(),
  }),
);
export const openAIResponsesFunctionCallArgumentsDoneEventSchema = lazySchema((z) =>
  z.looseObject({
    type: z.literal('response.function_call_arguments.done'),
    ...textFields(),
    arguments: z.string(),
  }),
);
/** A piece of a reasoning summary. */
export const openAIResponsesReasoningSummaryTextDeltaEventSchema = lazySchema((z) =>
  z.looseObject({
    type: z.literal('response.reasoning_summary_text.delta'),
    ...textFields(),
    delta: z.string(),
  }),
);
export const openAIResponsesReasoningSummaryTextDoneEventSchema = lazySchema((z) =>
  z.looseObject({
    type: z.literal('response.reasoning_summary_text.done'),
    ...textFields(),
    text: z.string(),
  }),
);

/**
 * The `error` event. OpenAI documents `code`/`message`/`param` at the top level and sends them
 * nested under `error` (both seen in the wild): every field is optional.
 */
export const openAIResponsesErrorEventSchema = lazySchema((z) =>
  z.looseObject({
    type: z.literal('error'),
    sequence_number: sequence(),
    code: z.string().nullable().optional(),
    message: z.string().nullable().optional(),
    param: z.string().nullable().optional(),
    error: z
      .looseObject({
        type: z.string().nullable().optional(),
        code: z.union([z.string(), z.number()]).nullable().optional(),
        message: z.string().nullable().optional(),
        param: z.string().nullable().optional(),
      })
      .nullable()
      .optional(),
  }),
);

/** The event types the translators read; others are kept as they came. */
export const OPENAI_RESPONSES_STREAM_EVENT_TYPES = [
  'response.created',
  'response.in_progress',
  'response.completed',
  'response.incomplete',
  'response.failed',
  'response.output_item.added',
  'response.output_item.done',
  'response.content_part.added',
  'response.content_part.done',
  'response.output_text.delta',
  'response.output_text.done',
  'response.refusal.delta',
  'response.function_call_arguments.delta',
  'response.function_call_arguments.done',
  'response.reasoning_summary_text.delta',
  'response.reasoning_summary_text.done',
  'error',
] as const;

/** One stream event (open tagged union on `type`). */
export const openAIResponsesStreamEventSchema = lazySchema(() =>
  openTaggedUnion(
    [
      openAIResponsesCreatedEventSchema(),
      openAIResponsesInProgressEventSchema(),
      openAIResponsesCompletedEventSchema(),
      openAIResponsesIncompleteEventSchema(),
      openAIResponsesFailedEventSchema(),
      openAIResponsesOutputItemAddedEventSchema(),
      openAIResponsesOutputItemDoneEventSchema(),
      openAIResponsesContentPartAddedEventSchema(),
      openAIResponsesContentPartDoneEventSchema(),
      openAIResponsesOutputTextDeltaEventSchema(),
      openAIResponsesOutputTextDoneEventSchema(),
      openAIResponsesRefusalDeltaEventSchema(),
      openAIResponsesFunctionCallArgumentsDeltaEventSchema(),
      openAIResponsesFunctionCallArgumentsDoneEventSchema(),
      openAIResponsesReasoningSummaryTextDeltaEventSchema(),
      openAIResponsesReasoningSummaryTextDoneEventSchema(),
      openAIResponsesErrorEventSchema(),
    ],
    OPENAI_RESPONSES_STREAM_EVENT_TYPES,
  ),
);

/** One Responses stream event; unknown fields and unknown event types are kept. */
export type OpenAIResponsesStreamEvent = Infer<typeof openAIResponsesStreamEventSchema>;
/** A Responses stream event type the translators read. */
export type OpenAIResponsesStreamEventType = (typeof OPENAI_RESPONSES_STREAM_EVENT_TYPES)[number];
export type OpenAIResponsesLifecycleEvent = Infer<typeof openAIResponsesCompletedEventSchema>;
export type OpenAIResponsesOutputItemEvent = Infer<
  typeof openAIResponsesOutputItemAddedEventSchema
>;
export type OpenAIResponsesContentPartEvent = Infer<
  typeof openAIResponsesContentPartAddedEventSchema
>;
export type OpenAIResponsesOutputTextDeltaEvent = Infer<
  typeof openAIResponsesOutputTextDeltaEventSchema
>;
export type OpenAIResponsesFunctionCallArgumentsDeltaEvent = Infer<
  typeof openAIResponsesFunctionCallArgumentsDeltaEventSchema
>;
export type OpenAIResponsesErrorEvent = Infer<typeof openAIResponsesErrorEventSchema>;
