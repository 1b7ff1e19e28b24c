import { encodeSseEvent } from './encode-sse-event.js';
import type { SseEvent } from './sse-event.js';

/**
 * The events of one upstream read, with their wire text. Streams move in batches so that every
 * layer pays its per-call cost (a promise turn, a `res.write`) once per read rather than once per
 * event: an upstream that sends 200 small events in one TCP read costs one write, not 200.
 */
export interface SseBatch {
  /** The events, in order; may be empty (a read of only comments or of half an event). */
  readonly events: readonly SseEvent[];
  /** The events framed for the wire, ready to write (the upstream's own text on pass-through). */
  readonly text: string;
  /**
   * `text` as the upstream's own bytes, when the read was exactly these events in valid UTF-8:
   * a writer sends them as they came instead of encoding `text` again. Absent for framed text.
   */
  readonly bytes?: Uint8Array;
}

/** Something that can hand out its events in batches (an SseStream, a ChatStream). */
export interface BatchSource {
  batches(): AsyncIterable<SseBatch>;
}

/** The wire text of `events`, framed one after the other. */
export function frameSseEvents(events: readonly SseEvent[]): string {
  let text = '';
  for (let i = 0; i < events.length; i++) text += encodeSseEvent(events[i] as SseEvent);
  return text;
}

/** A batch of `events` framed by us. */
export function sseBatchOf(events: readonly SseEvent[]): SseBatch {
  return { events, text: frameSseEvents(events) };
}

/** True when `source` hands out batches itself. */
export function hasBatches(source: object): source is BatchSource {
  return typeof (source as Partial<BatchSource>).batches === 'function';
}

/**
 * The batches of `source`: its own when it has them, else one batch per event (any
 * `AsyncIterable<SseEvent>` still works, only without the saving).
 */
export function batchesOf(source: AsyncIterable<SseEvent>): AsyncIterable<SseBatch> {
  if (hasBatches(source)) return source.batches();
  return oneBatchPerEvent(source);
}

async function* oneBatchPerEvent(
  source: AsyncIterable<SseEvent>,
): AsyncGenerator<SseBatch, void, undefined> {
  for await (const event of source) yield { events: [event], text: encodeSseEvent(event) };
}

/**
 * The events of `batches`, one by one (for consumers of the event-level API). Stopping early
 * closes the batch iterator, hence the upstream.
 */
export async function* eventsOf(
  batches: AsyncIterable<SseBatch>,
): AsyncGenerator<SseEvent, void, undefined> {
  for await (const batch of batches) {
    const events = batch.events;
    for (let i = 0; i < events.length; i++) yield events[i] as SseEvent;
  }
}
