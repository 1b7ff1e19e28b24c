import type { SseEvent } from '../../sse/sse-event.js';
import {
  MALFORMED_EVENT,
  filled,
  looksLikeJsonObject,
  parseEventData,
  tryParseObject,
} from '../event-data.js';
import type { WireErrorFacts, WireProtocol } from '../wire-protocol.js';
import { openAIErrorBody, openAIErrorTypes } from './error.js';
import type { OpenAIChatChunk } from './stream.js';

/** The OpenAI stream's terminal marker (`data: [DONE]`, the one event that is not JSON). */
export const OPENAI_DONE = '[DONE]';
const DONE_EVENT: SseEvent = Object.freeze({ data: OPENAI_DONE });

/**
 * The error body of an OpenAI in-band error (`data: {"error": {...}}`, or an `event: error` as
 * some local servers send); {@link MALFORMED_EVENT} for data that cannot be a JSON object; else
 * undefined.
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

/** True when one streamed choice shows the caller something. */
function choiceHasContent(choice: unknown): boolean {
  if (choice === null || typeof choice !== 'object') return false;
  const { delta, finish_reason: finish } = choice as { delta?: unknown; finish_reason?: unknown };
  if (finish !== null && finish !== undefined) return true;
  if (delta === null || typeof delta !== 'object') return false;
  const d = delta as Record<string, unknown>;
  if (filled(d.content) || filled(d.reasoning_content) || filled(d.reasoning)) return true;
  if (filled(d.refusal)) return true;
  return Array.isArray(d.tool_calls) && d.tool_calls.length > 0;
}

/**
 * Role-only, usage-only and `tool_calls: []` chunks are not content (they keep a stream alive
 * before the first token); text, reasoning, refusals, tool calls, a finish and `[DONE]` are.
 */
function isContent(event: SseEvent): boolean {
  if (event.data === OPENAI_DONE) return true;
  const chunk = tryParseObject(event.data);
  // An in-band error is a failure, not content: the router may still fail over.
  if (chunk === undefined || chunk.error !== undefined) return false;
  const choices = chunk.choices;
  if (!Array.isArray(choices)) return false;
  for (const choice of choices) if (choiceHasContent(choice)) return true;
  return false;
}

function decode(event: SseEvent, backend: string): OpenAIChatChunk | undefined {
  return event.data === OPENAI_DONE
    ? undefined
    : (parseEventData(event, backend) as OpenAIChatChunk);
}

/**
 * OpenAI SSE events -> chunks. `[DONE]` is skipped rather than ending the loop: the client's
 * stream ends with the body, and only a body that ended after `[DONE]` counts as complete.
 */
async function* decodeStream(
  events: AsyncIterable<SseEvent>,
  backend: string,
): AsyncGenerator<OpenAIChatChunk, void, undefined> {
  for await (const event of events) {
    if (event.data === OPENAI_DONE) continue;
    yield parseEventData(event, backend) as OpenAIChatChunk;
  }
}

const encode = (chunk: OpenAIChatChunk): SseEvent => ({ data: JSON.stringify(chunk) });

/** Chunks -> wire events for an OpenAI caller; `[DONE]` only after a clean end. */
async function* encodeStream(
  chunks: AsyncIterable<OpenAIChatChunk>,
): AsyncGenerator<SseEvent, void, undefined> {
  for await (const chunk of chunks) yield encode(chunk);
  yield DONE_EVENT;
}

/** `{error:{message, type, param, code, request_id?, ...details}}`. */
function errorBody(facts: WireErrorFacts): Record<string, unknown> {
  const body = openAIErrorBody(facts.type, facts.message, facts.code, facts.param);
  if (facts.requestId !== undefined) Object.assign(body.error, { request_id: facts.requestId });
  if (facts.details !== undefined) Object.assign(body.error, facts.details);
  return body;
}

/** OpenAI Chat Completions on the wire. */
export const openAIChatWire: WireProtocol<OpenAIChatChunk> & { readonly terminalFrame: SseEvent } =
  Object.freeze({
    protocol: 'openai',
    hasTerminal: true,
    terminalFrame: DONE_EVENT,
    isTerminal: (event: SseEvent) => event.data === OPENAI_DONE,
    // Role-only chunks are what OpenAI keeps a stream alive with; they reset the idle timer.
    isKeepAlive: () => false,
    isContent,
    isMalformed: (event: SseEvent) =>
      event.data !== OPENAI_DONE && !looksLikeJsonObject(event.data),
    inBandError: openAIInBandError,
    decode,
    decodeStream,
    encode,
    encodeStream,
    // The OpenAI SDKs read `x-request-id`, which the gateway sends to every caller.
    requestIdHeader: undefined,
    errorTypes: openAIErrorTypes,
    errorBody,
    // Unnamed: the OpenAI SDKs look for an `error` key in any data event.
    errorEvent: (body: unknown): SseEvent => ({ data: JSON.stringify(body) }),
  });
