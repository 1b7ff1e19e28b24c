import type { SseEvent } from '../../sse/sse-event.js';
import {
  MALFORMED_EVENT,
  looksLikeJsonObject,
  parseEventData,
  tryParseObject,
} from '../event-data.js';
import type { WireErrorFacts, WireProtocol } from '../wire-protocol.js';
import { openAIErrorBody, openAIResponsesErrorTypes } from './error.js';
import type { OpenAIResponsesStreamEvent } from './stream.js';

/** The clean ends of a stream: `response.incomplete` is an outcome (e.g. a length stop), not a failure. */
const TERMINAL_TYPES: ReadonlySet<string> = new Set(['response.completed', 'response.incomplete']);
/** In-band errors: never silence, never a clean end. */
const ERROR_TYPES: ReadonlySet<string> = new Set(['error', 'response.failed']);

// OpenAI writes `type` as the data's first key; the anchored match reads it without parsing.
const LEADING_TYPE = /^\s*\{\s*"type"\s*:\s*"([^"\\]+)"/;

/**
 * The event's type: its `event:` name (OpenAI names every event after its `type`), else the
 * data's `type` (some compatible servers send data-only events); undefined when there is none.
 */
export function openAIResponsesEventType(event: SseEvent): string | undefined {
  if (event.event !== undefined) return event.event;
  const leading = LEADING_TYPE.exec(event.data);
  if (leading !== null) return leading[1];
  const type = tryParseObject(event.data)?.type;
  return typeof type === 'string' ? type : undefined;
}

/**
 * The body of an in-band error: the data of an `error` or `response.failed` event, or of an
 * untyped `data: {"error": {...}}` (the Chat Completions form some compatible servers use);
 * {@link MALFORMED_EVENT} for data that cannot be a JSON object; else undefined.
 */
export function openAIResponsesInBandError(event: SseEvent): unknown {
  const type = openAIResponsesEventType(event);
  if (type !== undefined && !ERROR_TYPES.has(type)) {
    return looksLikeJsonObject(event.data) ? undefined : MALFORMED_EVENT;
  }
  const value = tryParseObject(event.data);
  if (type !== undefined) return value ?? { error: { message: event.data } };
  if (value === undefined) return MALFORMED_EVENT;
  const error = value.error;
  return error !== undefined && error !== null ? value : undefined;
}

/**
 * Content (the commit point): an output item opening, any `.delta` or `.done` event, and the
 * terminal events. Not content: `response.created`, `response.in_progress`, `response.queued`,
 * part openings, errors and unknown events.
 */
function isContent(event: SseEvent): boolean {
  const type = openAIResponsesEventType(event);
  if (type === undefined || !type.startsWith('response.')) return false;
  return (
    type === 'response.output_item.added' ||
    type.endsWith('.delta') ||
    type.endsWith('.done') ||
    TERMINAL_TYPES.has(type)
  );
}

const decode = (event: SseEvent, backend: string): OpenAIResponsesStreamEvent =>
  parseEventData(event, backend) as OpenAIResponsesStreamEvent;

async function* decodeStream(
  events: AsyncIterable<SseEvent>,
  backend: string,
): AsyncGenerator<OpenAIResponsesStreamEvent, void, undefined> {
  for await (const event of events) yield decode(event, backend);
}

const encode = (event: OpenAIResponsesStreamEvent): SseEvent => ({
  event: event.type,
  data: JSON.stringify(event),
});

/** Events -> named wire events; the terminal is one of them (it carries the response). */
async function* encodeStream(
  events: AsyncIterable<OpenAIResponsesStreamEvent>,
): AsyncGenerator<SseEvent, void, undefined> {
  for await (const event of events) yield encode(event);
}

/** `{error:{message, type, param, code, request_id?, ...details}}`, as Chat Completions. */
function errorBody(facts: WireErrorFacts): Record<string, unknown> {
  const body = openAIErrorBody(facts.type, facts.message, facts.code, facts.param);
  if (facts.requestId !== undefined) Object.assign(body.error, { request_id: facts.requestId });
  if (facts.details !== undefined) Object.assign(body.error, facts.details);
  return body;
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/**
 * `event: error` carrying `body` (an {@link errorBody}). OpenAI documents `code`, `message` and
 * `param` at the top level and sends them nested under `error`: both are written, so strict
 * clients of either form (and the OpenAI SDKs, which throw on a data `error` key) read it.
 * `sequence_number` is the body's own when it has one, else 0: this object sees one event, not
 * the stream; a writer that numbers the stream sets it.
 */
function errorEvent(body: unknown): SseEvent {
  const outer = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const inner = outer.error;
  const error = (typeof inner === 'object' && inner !== null ? inner : {}) as Record<
    string,
    unknown
  >;
  const data = {
    type: 'error',
    code: text(error.code) ?? text(error.type) ?? null,
    message: text(error.message) ?? 'error',
    param: text(error.param) ?? null,
    sequence_number: typeof outer.sequence_number === 'number' ? outer.sequence_number : 0,
    error,
  };
  return { event: 'error', data: JSON.stringify(data) };
}

/** OpenAI Responses on the wire. */
export const openAIResponsesWire: WireProtocol<OpenAIResponsesStreamEvent> = Object.freeze({
  protocol: 'openai-responses',
  hasTerminal: true,
  // No fixed frame: `response.completed` carries the whole response, so whoever ends a stream
  // builds it (the mock, the translators).
  terminalFrame: undefined,
  isTerminal: (event: SseEvent) => {
    const type = openAIResponsesEventType(event);
    return type !== undefined && TERMINAL_TYPES.has(type);
  },
  // OpenAI sends no keep-alive event on this API.
  isKeepAlive: () => false,
  isContent,
  isMalformed: (event: SseEvent) => !looksLikeJsonObject(event.data),
  inBandError: openAIResponsesInBandError,
  decode,
  decodeStream,
  encode,
  encodeStream,
  // The OpenAI SDKs read `x-request-id`, which the gateway sends to every caller.
  requestIdHeader: undefined,
  errorTypes: openAIResponsesErrorTypes,
  errorBody,
  errorEvent,
});
