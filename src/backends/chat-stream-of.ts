import type { SseStream } from '../http/index.js';
import type { AnthropicStreamEvent, OpenAIChatChunk } from '../protocols/index.js';
import { encodeSseEvent } from '../sse/encode-sse-event.js';
import { batchesOf, eventsOf, hasBatches } from '../sse/sse-batch.js';
import type { BatchSource, SseBatch } from '../sse/sse-batch.js';
import type { SseEvent } from '../sse/sse-event.js';
import { anthropicToOpenAIStep, openAIToAnthropicStep } from '../translate/index.js';
import type {
  AnthropicStreamToOpenAIOptions,
  OpenAIStreamToAnthropicOptions,
  StreamStep,
} from '../translate/index.js';
import type { ChatStream } from './chat-backend.js';
import { OPENAI_DONE, parseEventData } from '../protocols/index.js';

/**
 * A ChatStream over `events` (the upstream stream itself for a pass-through, or a translation of
 * it) whose attempt count is the upstream's. Iterable once, like the upstream; `batches()` when
 * `events` has them.
 */
export function chatStreamOf(
  upstream: SseStream,
  events: AsyncIterable<SseEvent>,
  notes: string[],
): ChatStream {
  const stream: ChatStream = {
    get attempts() {
      return upstream.attempts;
    },
    notes,
    [Symbol.asyncIterator]: () => events[Symbol.asyncIterator](),
  };
  if (hasBatches(events)) stream.batches = () => events.batches();
  return stream;
}

/** An event stream that also hands out its batches (iterable once, either way). */
export type BatchedEvents = AsyncIterable<SseEvent> & BatchSource;

/** OpenAI Chat's terminal frame, written after a translated stream's clean end. */
export const DONE_EVENT: SseEvent = { data: OPENAI_DONE };

/** Decodes an OpenAI Chat upstream's events for `backend`: chunks, `[DONE]` skipped. */
export const decodeChat =
  (backend: string) =>
  (event: SseEvent): OpenAIChatChunk | undefined =>
    event.data === OPENAI_DONE
      ? undefined
      : (parseEventData(event, backend) as unknown as OpenAIChatChunk);

/** Decodes an upstream's events for `backend` as `T` (the protocol's stream events). */
export const decodeAs =
  <T>(backend: string) =>
  (event: SseEvent): T =>
    parseEventData(event, backend) as unknown as T;

/**
 * The OpenAI upstream's stream as Anthropic events: each event parsed once, the translator run
 * synchronously over a whole upstream read, its output framed into one batch.
 */
export function openAIToAnthropicEvents(
  upstream: SseStream,
  backend: string,
  options: OpenAIStreamToAnthropicOptions,
): BatchedEvents {
  return batchedTranslation(upstream, {
    decode: decodeChat(backend),
    step: openAIToAnthropicStep(options),
    frame: frameAnthropicEvent,
    trailer: undefined,
  });
}

/** The Anthropic upstream's stream as OpenAI chunks, `[DONE]` only after a clean end. */
export function anthropicToOpenAIEvents(
  upstream: SseStream,
  backend: string,
  options: AnthropicStreamToOpenAIOptions,
): BatchedEvents {
  return batchedTranslation(upstream, {
    decode: decodeAs<AnthropicStreamEvent>(backend),
    step: anthropicToOpenAIStep(options),
    frame: frameOpenAIChunk,
    trailer: DONE_EVENT,
  });
}

/** One direction of stream translation, as plain synchronous functions. */
export interface BatchTranslation<I, O> {
  /** Upstream event -> translator input (undefined: skip it, e.g. `[DONE]`). Throws on bad data. */
  decode: (event: SseEvent) => I | undefined;
  step: StreamStep<I, O>;
  /** Translator output -> event, and its wire text appended to `batch.text`. */
  frame: (item: O, batch: MutableBatch) => void;
  /** Event written after the translator's own end, only after a clean end. */
  trailer: SseEvent | undefined;
}

/** A batch being framed: its events and their wire text. */
export interface MutableBatch {
  events: SseEvent[];
  text: string;
}

/** Frames an OpenAI chunk (unnamed `data:` event). */
export function frameOpenAIChunk(chunk: OpenAIChatChunk, batch: MutableBatch): void {
  // JSON.stringify never writes a raw line break: one `data:` line is the whole framing.
  const data = contentChunkJson(chunk) ?? JSON.stringify(chunk);
  batch.events.push({ data });
  batch.text += `data: ${data}\n\n`;
}

/** Frames an Anthropic event (named by its type). */
export function frameAnthropicEvent(event: AnthropicStreamEvent, batch: MutableBatch): void {
  const data = textDeltaJson(event) ?? JSON.stringify(event);
  batch.events.push({ event: event.type, data });
  batch.text += `event: ${event.type}\ndata: ${data}\n\n`;
}

/**
 * The upstream's stream translated batch by batch (see translateBatches): iterable as events or,
 * once, as batches.
 */
export function batchedTranslation<I, O>(
  upstream: SseStream,
  translation: BatchTranslation<I, O>,
): BatchedEvents {
  let batches: AsyncGenerator<SseBatch, void, undefined> | undefined;
  const start = (): AsyncGenerator<SseBatch, void, undefined> => {
    // The upstream throws on a second iteration; check here so the message is the same.
    batches ??= translateBatches(upstream, translation);
    return batches;
  };
  return {
    batches: start,
    [Symbol.asyncIterator]: () => eventsOf(start()),
  };
}

/**
 * Runs the translation over the upstream's batches. An async generator, so the guarantees of
 * `streamTransform` hold: the upstream opens on the first `next()`, is closed when the consumer
 * stops early or the translator throws, and its errors propagate unchanged.
 */
async function* translateBatches<I, O>(
  upstream: SseStream,
  { decode, step, frame, trailer }: BatchTranslation<I, O>,
): AsyncGenerator<SseBatch, void, undefined> {
  const out = step.out;
  for await (const batch of batchesOf(upstream)) {
    const events = batch.events;
    for (let i = 0; i < events.length; i++) {
      const item = decode(events[i] as SseEvent);
      if (item !== undefined) step.push(item);
    }
    if (out.length > 0) yield drain(out, frame, undefined);
  }
  step.end();
  const last = drain(out, frame, trailer);
  if (last.events.length > 0) yield last;
}

function drain<O>(
  out: O[],
  frame: (item: O, batch: MutableBatch) => void,
  trailer: SseEvent | undefined,
): SseBatch {
  const batch: MutableBatch = { events: [], text: '' };
  for (let i = 0; i < out.length; i++) frame(out[i] as O, batch);
  out.length = 0;
  if (trailer !== undefined) {
    batch.events.push(trailer);
    batch.text += encodeSseEvent(trailer);
  }
  return batch;
}

/**
 * The JSON of a text `content_block_delta` (nearly every event of an answer), built around the
 * one string that varies: the same bytes `JSON.stringify` writes for the object the event writer
 * makes (`{type, index, delta: {type, text}}`, in that order), at a fraction of its cost.
 * Undefined for any other event, or any other shape, which is stringified as a whole.
 */
export function textDeltaJson(event: AnthropicStreamEvent): string | undefined {
  if (event.type !== 'content_block_delta') return undefined;
  const delta = event.delta as { type?: unknown; text?: unknown };
  if (delta.type !== 'text_delta' || typeof delta.text !== 'string') return undefined;
  if (!exactKeys(event, TEXT_DELTA_EVENT_KEYS) || !exactKeys(delta, TEXT_DELTA_KEYS)) {
    return undefined;
  }
  if (!Number.isSafeInteger(event.index)) return undefined;
  return `{"type":"content_block_delta","index":${event.index},"delta":{"type":"text_delta","text":${JSON.stringify(delta.text)}}}`;
}

/**
 * The JSON of a text-only chunk (`delta: {content}`, no finish: nearly every chunk towards an
 * OpenAI caller), the same bytes `JSON.stringify` writes for the object the translator makes
 * (`{id, object, created, model, choices: [{index, delta: {content}, finish_reason: null}]}`, in
 * that order). Undefined for any other chunk or shape, which is stringified as a whole.
 */
export function contentChunkJson(chunk: OpenAIChatChunk): string | undefined {
  const choices = chunk.choices as unknown[];
  if (!Array.isArray(choices) || choices.length !== 1) return undefined;
  const choice = choices[0] as { index?: unknown; delta?: unknown; finish_reason?: unknown };
  if (typeof choice !== 'object' || choice === null || choice.finish_reason !== null) {
    return undefined;
  }
  const delta = choice.delta as { content?: unknown } | null | undefined;
  const { id, object, created, model } = chunk as Record<string, unknown>;
  if (
    typeof delta !== 'object' ||
    delta === null ||
    typeof delta.content !== 'string' ||
    choice.index !== 0 ||
    typeof id !== 'string' ||
    object !== 'chat.completion.chunk' ||
    !Number.isSafeInteger(created) ||
    typeof model !== 'string' ||
    !exactKeys(chunk, CHUNK_KEYS) ||
    !exactKeys(choice, CHOICE_KEYS) ||
    !exactKeys(delta, CONTENT_DELTA_KEYS)
  ) {
    return undefined;
  }
  return `{"id":${JSON.stringify(id)},"object":"chat.completion.chunk","created":${created as number},"model":${JSON.stringify(model)},"choices":[{"index":0,"delta":{"content":${JSON.stringify(delta.content)}},"finish_reason":null}]}`;
}

const CHUNK_KEYS = ['id', 'object', 'created', 'model', 'choices'] as const;
const CHOICE_KEYS = ['index', 'delta', 'finish_reason'] as const;
const CONTENT_DELTA_KEYS = ['content'] as const;
const TEXT_DELTA_EVENT_KEYS = ['type', 'index', 'delta'] as const;
const TEXT_DELTA_KEYS = ['type', 'text'] as const;

/** True when `value`'s own enumerable keys are exactly `keys`, in that order. */
function exactKeys(value: object, keys: readonly string[]): boolean {
  let i = 0;
  for (const key in value) {
    if (key !== keys[i]) return false;
    i++;
  }
  return i === keys.length;
}
