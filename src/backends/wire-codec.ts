import { LlmFailoverError } from '../errors/index.js';
import type { AnthropicStreamEvent, OpenAIChatChunk } from '../protocols/index.js';
import type { SseEvent } from '../sse/sse-event.js';

/** The OpenAI stream's terminal marker. */
export const OPENAI_DONE = '[DONE]';
const DONE_EVENT: SseEvent = { data: OPENAI_DONE };

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

/**
 * OpenAI SSE events -> chunks. `[DONE]` is skipped rather than ending the loop: the client's
 * stream ends with the body, and only a body that ended after `[DONE]` counts as complete.
 * Chunks are not validated (the translator is tolerant of local-server quirks); data that is not
 * a JSON object throws.
 */
export async function* openAIChunksOf(
  events: AsyncIterable<SseEvent>,
  backend: string,
): AsyncGenerator<OpenAIChatChunk, void, undefined> {
  for await (const event of events) {
    if (event.data === OPENAI_DONE) continue;
    yield parseEventData(event, backend) as OpenAIChatChunk;
  }
}

/** Anthropic SSE events -> typed events (the `type` in the data is authoritative). */
export async function* anthropicEventsOf(
  events: AsyncIterable<SseEvent>,
  backend: string,
): AsyncGenerator<AnthropicStreamEvent, void, undefined> {
  for await (const event of events) {
    yield parseEventData(event, backend) as AnthropicStreamEvent;
  }
}

/** OpenAI chunks -> wire events for an OpenAI caller; `[DONE]` only after a clean end. */
export async function* encodeOpenAIChunks(
  chunks: AsyncIterable<OpenAIChatChunk>,
): AsyncGenerator<SseEvent, void, undefined> {
  for await (const chunk of chunks) yield { data: JSON.stringify(chunk) };
  yield DONE_EVENT;
}

/** Anthropic events -> named wire events for an Anthropic caller. */
export async function* encodeAnthropicEvents(
  events: AsyncIterable<AnthropicStreamEvent>,
): AsyncGenerator<SseEvent, void, undefined> {
  for await (const event of events) yield { event: event.type, data: JSON.stringify(event) };
}

/**
 * The error body of an OpenAI in-band error (`data: {"error": {...}}`, or an `event: error` as
 * some local servers send), else undefined.
 */
export function openAIInBandError(event: SseEvent): unknown {
  // Cheap pre-check: ordinary chunks never contain the quoted key, and escaped text cannot match.
  if (event.event !== 'error' && !event.data.includes('"error"')) {
    return event.data === OPENAI_DONE || looksLikeJsonObject(event.data)
      ? undefined
      : MALFORMED_EVENT;
  }
  let value: unknown;
  try {
    value = JSON.parse(event.data);
  } catch {
    return event.event === 'error' ? { error: { message: event.data } } : MALFORMED_EVENT;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const error = (value as { error?: unknown }).error;
  if (error !== undefined && error !== null) return value;
  return event.event === 'error' ? value : undefined;
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

/** The Anthropic event's type: its `event:` name, else the data's `type` (some proxies omit names). */
export function anthropicEventType(event: SseEvent): string | undefined {
  if (event.event !== undefined) return event.event;
  const match = /"type"\s*:\s*"([a-z_]+)"/.exec(event.data);
  return match?.[1];
}
