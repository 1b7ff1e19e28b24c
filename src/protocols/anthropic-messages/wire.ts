import type { SseEvent } from '../../sse/sse-event.js';
import {
  MALFORMED_EVENT,
  filled,
  looksLikeJsonObject,
  parseEventData,
  tryParseObject,
} from '../event-data.js';
import type { WireErrorFacts, WireProtocol } from '../wire-protocol.js';
import { anthropicErrorBody, anthropicErrorTypes } from './error.js';
import type { AnthropicStreamEvent } from './stream.js';

/** The Anthropic event's type: its `event:` name, else the data's `type` (some proxies omit names). */
export function anthropicEventType(event: SseEvent): string | undefined {
  if (event.event !== undefined) return event.event;
  const match = /"type"\s*:\s*"([a-z_]+)"/.exec(event.data);
  return match?.[1];
}

/** {@link MALFORMED_EVENT} in the Anthropic error shape. */
const ANTHROPIC_MALFORMED_EVENT = Object.freeze({ type: 'error', ...MALFORMED_EVENT });

/**
 * The body of an `error` event (`{type:"error", error:{type, message}}`, e.g. overloaded_error);
 * a malformed-event body for data that cannot be a JSON object; else undefined.
 */
function inBandError(event: SseEvent): unknown {
  if (anthropicEventType(event) !== 'error') {
    return looksLikeJsonObject(event.data) ? undefined : ANTHROPIC_MALFORMED_EVENT;
  }
  try {
    return JSON.parse(event.data) as unknown;
  } catch {
    return { type: 'error', error: { type: 'api_error', message: event.data } };
  }
}

function blockStartIsContent(data: string): boolean {
  const block = tryParseObject(data)?.content_block as Record<string, unknown> | undefined;
  if (block === undefined || block === null || typeof block !== 'object') return false;
  // An empty text/thinking block shows nothing yet; a tool_use start shows the call.
  if (block.type === 'text') return filled(block.text);
  if (block.type === 'thinking') return filled(block.thinking);
  return true;
}

/** message_start, ping, error and unknown events are not content; blocks, deltas and stops are. */
function isContent(event: SseEvent): boolean {
  // The `event:` name equals the data's `type`; read the data only when the name is missing.
  const type = event.event ?? tryParseObject(event.data)?.type;
  switch (type) {
    case 'content_block_start':
      return blockStartIsContent(event.data);
    case 'content_block_delta':
    case 'content_block_stop':
    case 'message_delta':
    case 'message_stop':
      return true;
    default:
      return false;
  }
}

/** The `type` in the data is authoritative. */
const decode = (event: SseEvent, backend: string): AnthropicStreamEvent =>
  parseEventData(event, backend) as AnthropicStreamEvent;

async function* decodeStream(
  events: AsyncIterable<SseEvent>,
  backend: string,
): AsyncGenerator<AnthropicStreamEvent, void, undefined> {
  for await (const event of events) yield decode(event, backend);
}

const encode = (event: AnthropicStreamEvent): SseEvent => ({
  event: event.type,
  data: JSON.stringify(event),
});

/** Events -> named wire events; `message_stop` is one of them, so nothing is added. */
async function* encodeStream(
  events: AsyncIterable<AnthropicStreamEvent>,
): AsyncGenerator<SseEvent, void, undefined> {
  for await (const event of events) yield encode(event);
}

/** `{type:"error", error:{type, message, ...details}, request_id?}`. */
function errorBody(facts: WireErrorFacts): Record<string, unknown> {
  const body = anthropicErrorBody(facts.type, facts.message);
  if (facts.details !== undefined) Object.assign(body.error, facts.details);
  return facts.requestId === undefined ? body : { ...body, request_id: facts.requestId };
}

/** Anthropic Messages on the wire. */
export const anthropicMessagesWire: WireProtocol<AnthropicStreamEvent> & {
  readonly terminalFrame: SseEvent;
} = Object.freeze({
  protocol: 'anthropic',
  hasTerminal: true,
  terminalFrame: Object.freeze({ event: 'message_stop', data: '{"type":"message_stop"}' }),
  isTerminal: (event: SseEvent) => anthropicEventType(event) === 'message_stop',
  isKeepAlive: (event: SseEvent) => anthropicEventType(event) === 'ping',
  isContent,
  isMalformed: (event: SseEvent) => !looksLikeJsonObject(event.data),
  inBandError,
  decode,
  decodeStream,
  encode,
  encodeStream,
  // The Anthropic SDK exposes it as `_request_id`.
  requestIdHeader: 'request-id',
  errorTypes: anthropicErrorTypes,
  errorBody,
  errorEvent: (body: unknown): SseEvent => ({ event: 'error', data: JSON.stringify(body) }),
});
