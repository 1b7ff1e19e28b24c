import { LlmFailoverError } from '../errors/index.js';
import type { SseEvent } from '../sse/sse-event.js';

// What every JSON-over-SSE protocol shares: reading an event's data as one JSON object, and the
// cheap check that pass-through data can be one.

/**
 * The JSON object carried by an event's data.
 * @throws LlmFailoverError STREAM_UPSTREAM_ERROR when the data is not a JSON object.
 */
export function parseEventData(event: SseEvent, backend: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(event.data);
  } catch {
    // No SyntaxError as `cause`: V8 quotes the data (the conversation's text) in its message,
    // which toJSON() and the logs would print.
    const message = `${backend}: stream event data is not JSON`;
    throw new LlmFailoverError('STREAM_UPSTREAM_ERROR', message, { backend });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new LlmFailoverError(
      'STREAM_UPSTREAM_ERROR',
      `${backend}: stream event data is not a JSON object`,
      { backend },
    );
  }
  return value as Record<string, unknown>;
}

/** The data as a JSON object, or undefined (for the content check, which must not throw). */
export function tryParseObject(data: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(data);
    return value !== null && typeof value === 'object'
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The in-band error body reported for an event whose data cannot be a JSON object. Pass-through
 * streams are not parsed, so without this a garbage line would reach the caller's SDK as a
 * SyntaxError mid-stream; as an in-band error it is a breaker failure, retried or failed over
 * before the first event, and a protocol error event after the commit.
 */
export const MALFORMED_EVENT = Object.freeze({
  error: Object.freeze({
    type: 'api_error',
    message: 'the upstream sent a stream event whose data is not a JSON object',
  }),
});

/**
 * O(1) shape check, first and last non-blank characters: catches garbage lines and cut-off JSON
 * without parsing every pass-through event (the translated path parses them anyway).
 */
export function looksLikeJsonObject(data: string): boolean {
  let start = 0;
  let end = data.length - 1;
  while (start <= end && isBlank(data.charCodeAt(start))) start++;
  while (end >= start && isBlank(data.charCodeAt(end))) end--;
  return start < end && data.charCodeAt(start) === 0x7b && data.charCodeAt(end) === 0x7d;
}

function isBlank(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

/** A non-empty string. */
export const filled = (value: unknown): boolean => typeof value === 'string' && value.length > 0;
