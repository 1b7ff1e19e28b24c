import type { SseStream } from '../http/index.js';
import type { SseEvent } from '../sse/sse-event.js';
import type { ChatStream } from './chat-backend.js';

/**
 * A ChatStream over `events` (the upstream stream itself for a pass-through, or a translation of
 * it) whose attempt count is the upstream's. Iterable once, like the upstream.
 */
export function chatStreamOf(
  upstream: SseStream,
  events: AsyncIterable<SseEvent>,
  notes: string[],
): ChatStream {
  return {
    get attempts() {
      return upstream.attempts;
    },
    notes,
    [Symbol.asyncIterator]: () => events[Symbol.asyncIterator](),
  };
}
