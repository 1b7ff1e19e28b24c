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
  } catch (err) {
    throw new LlmFailoverError(
      'STREAM_UPSTREAM_ERROR',
      `${backend}: stream event data is not JSON`,
      {
        backend,
        cause: err,
      },
    );
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
  if (event.event !== 'error' && !event.data.includes('"error"')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(event.data);
  } catch {
    return event.event === 'error' ? { error: { message: event.data } } : undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const error = (value as { error?: unknown }).error;
  if (error !== undefined && error !== null) return value;
  return event.event === 'error' ? value : undefined;
}

/** The Anthropic event's type: its `event:` name, else the data's `type` (some proxies omit names). */
export function anthropicEventType(event: SseEvent): string | undefined {
  if (event.event !== undefined) return event.event;
  const match = /"type"\s*:\s*"([a-z_]+)"/.exec(event.data);
  return match?.[1];
}
