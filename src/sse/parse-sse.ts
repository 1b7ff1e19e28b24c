import type { SseEvent } from './sse-event.js';
import { SseReader } from './sse-reader.js';

/**
 * Parses a byte (or text) stream of Server-Sent Events into events `{ event?, data, id? }`.
 *
 * Built on eventsource-parser 3's callback parser (`createParser`) rather than its
 * `EventSourceParserStream`: the callback form skips the Web Streams machinery and measured
 * several times cheaper per event (see BENCHMARKS.md, "Client core"). Comments (`: ping`) and
 * `retry:` fields are dropped. Bytes are decoded as UTF-8, with characters split across chunks
 * handled. Errors of the source propagate unchanged.
 * @param maxBufferSize longest unfinished line or event held, in characters (default 16 Mi)
 * @throws LlmFailoverError UPSTREAM_RESPONSE_TOO_LARGE when a line or event outgrows `maxBufferSize`
 *   (the events before it are yielded first).
 */
export async function* parseSse(
  chunks: AsyncIterable<Uint8Array | string>,
  maxBufferSize?: number,
): AsyncGenerator<SseEvent, void, undefined> {
  const reader = new SseReader(maxBufferSize);
  for await (const chunk of chunks) {
    reader.feed(chunk);
    const events = reader.events;
    if (events.length > 0) {
      reader.events = [];
      for (let i = 0; i < events.length; i++) yield events[i] as SseEvent;
    }
    if (reader.overflowed) throw reader.overflowError();
  }
  reader.end();
  // An event is dispatched only on its blank line: a body cut mid-event yields nothing more.
  for (const event of reader.events) yield event;
}

export { toSseEvent } from './sse-reader.js';
