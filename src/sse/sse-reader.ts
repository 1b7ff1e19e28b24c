import { isUtf8 } from 'node:buffer';
import { createParser } from 'eventsource-parser';
import type { EventSourceMessage, EventSourceParser, ParseError } from 'eventsource-parser';
import { LlmFailoverError } from '../errors/index.js';
import type { SseEvent } from './sse-event.js';

/**
 * Default limit of what the parser may hold for one unfinished line or event, in characters
 * (16 Mi: far above any real event, even a large tool call's arguments in one piece). An upstream
 * that sends more without a blank line is broken or hostile, not slow: it is an error
 * (`UPSTREAM_RESPONSE_TOO_LARGE`), not memory.
 */
export const MAX_SSE_BUFFER_CHARS = 16 * 1024 * 1024;

/**
 * Incremental SSE reading over eventsource-parser's callback parser (its cheapest form), with a
 * buffer limit, plus what a pass-through needs to forward the upstream's own text: whether one
 * read's text is exactly whole events (it began and ended on an event boundary).
 */
export class SseReader {
  /** Events dispatched by the last `feed`/`end`; the caller takes them and clears the array. */
  events: SseEvent[] = [];
  /** True when the last fed text is the complete wire text of exactly the events it produced. */
  whole = false;
  /**
   * The last fed chunk when it is `whole` and its bytes are exactly the UTF-8 of the text (valid
   * UTF-8, no byte-order mark the decoder dropped); else undefined.
   */
  bytes: Uint8Array | undefined;
  private readonly parser: EventSourceParser;
  private readonly decoder = new TextDecoder();
  private overflow: ParseError | undefined;
  /** Part of a line or event is pending from earlier input. */
  private pending = false;
  /** Nothing was fed yet (the decoder drops a byte-order mark only at the very start). */
  private first = true;

  constructor(readonly maxBufferSize: number = MAX_SSE_BUFFER_CHARS) {
    this.parser = createParser({
      onEvent: (message) => this.events.push(toSseEvent(message)),
      onError: (error) => {
        // Unknown fields and the like are ignored, as the spec says; only the limit is fatal.
        if (error.type === 'max-buffer-size-exceeded') this.overflow = error;
      },
      maxBufferSize,
    });
  }

  /** True once a line or event outgrew `maxBufferSize`; the reader then takes no more input. */
  get overflowed(): boolean {
    return this.overflow !== undefined;
  }

  /** What is wrong once `overflowed`, for error messages (no stream content in it). */
  get overflowDetail(): string {
    return `a stream line or event grew past ${this.maxBufferSize} characters without ending (maxStreamEventChars)`;
  }

  /**
   * Decodes (UTF-8, characters split across chunks handled) and parses one chunk; returns its
   * text. Check `overflowed` after each call.
   */
  feed(chunk: Uint8Array | string): string {
    const text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    if (this.overflow !== undefined) return text;
    this.parser.feed(text);
    const boundary = endsOnBoundary(text);
    this.whole = !this.pending && boundary;
    this.pending = !boundary;
    this.bytes =
      this.whole && typeof chunk !== 'string' && sameBytes(chunk, this.first) ? chunk : undefined;
    this.first = false;
    return text;
  }

  /** The source ended: parses what the decoder still held (a cut event yields nothing). */
  end(): void {
    const tail = this.decoder.decode();
    this.whole = false;
    this.bytes = undefined;
    if (tail.length > 0 && this.overflow === undefined) this.parser.feed(tail);
  }

  /** The error for an overflowed stream: an answer too large, as the client reports it. */
  overflowError(): LlmFailoverError {
    return new LlmFailoverError(
      'UPSTREAM_RESPONSE_TOO_LARGE',
      `the answer is too large: ${this.overflowDetail}`,
    );
  }
}

/**
 * True when decoding `chunk` (at a character boundary, which a whole read is) gives text whose
 * UTF-8 is `chunk` itself: valid UTF-8 (invalid bytes decode to U+FFFD) and, at the start of the
 * stream, no byte-order mark (the decoder drops it). `Buffer.isUtf8` is a native SIMD scan.
 */
function sameBytes(chunk: Uint8Array, first: boolean): boolean {
  if (first && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) return false;
  return isUtf8(chunk);
}

/** True when `text` ends with a blank line (`\n\n` or `\r\n\r\n`): no line or event is open. */
function endsOnBoundary(text: string): boolean {
  const n = text.length;
  if (n < 2 || text.charCodeAt(n - 1) !== 0x0a) return false;
  const before = text.charCodeAt(n - 2);
  if (before === 0x0a) return true;
  return (
    before === 0x0d && n >= 4 && text.charCodeAt(n - 3) === 0x0a && text.charCodeAt(n - 4) === 0x0d
  );
}

/**
 * Converts the parser's message to our event shape, omitting absent fields (our types use
 * exactOptionalPropertyTypes, so `event: undefined` would be a different value).
 */
export function toSseEvent(message: EventSourceMessage): SseEvent {
  if (message.event === undefined && message.id === undefined) return { data: message.data };
  const event: SseEvent = { data: message.data };
  if (message.event !== undefined) event.event = message.event;
  if (message.id !== undefined) event.id = message.id;
  return event;
}
