import type { SseEvent } from '../sse/sse-event.js';
import type { ErrorTypeTable } from './error-type-table.js';
import type { Protocol } from './protocol.js';

/** The facts of an error, to be put in a protocol's error body. */
export interface WireErrorFacts {
  /** The protocol's error type (from its {@link ErrorTypeTable}). */
  type: string;
  message: string;
  /** Machine-readable code (OpenAI `code`; protocols without one ignore it). */
  code?: string | null;
  /** The request field at fault (OpenAI `param`; protocols without one ignore it). */
  param?: string | null;
  /** The gateway's request id, where the protocol carries one in the body. */
  requestId?: string;
  /** More fields of the error object (e.g. the gateway's `failures`). */
  details?: Record<string, unknown>;
}

/**
 * Everything one wire protocol is on a stream and in an error: the only place that knows its
 * terminal rule, keep-alives, what counts as content, in-band errors, how its events are framed,
 * and its status <-> error-type table. Backends, the router, the gateway, the translators and the
 * mock ask this object. Its methods never use `this`, so they may be passed around detached.
 *
 * `Event` is the protocol's decoded stream event (an OpenAI chunk, an Anthropic event).
 */
export interface WireProtocol<Event extends object = object> {
  /** The protocol's name in routes and backends. */
  readonly protocol: Protocol;
  /** True when a clean stream ends with a terminal event, so ending without one is a truncation. */
  readonly hasTerminal: boolean;
  /**
   * The fixed frame that ends a clean stream (OpenAI `data: [DONE]`, Anthropic `message_stop`);
   * undefined where the terminal event carries the whole answer and so has no fixed form
   * (Responses `response.completed`): whoever ends such a stream builds the event.
   */
  readonly terminalFrame: SseEvent | undefined;
  /** Whether `event` is the terminal event. */
  isTerminal(this: void, event: SseEvent): boolean;
  /** Whether `event` is a keep-alive (Anthropic `ping`) that does not reset the idle timer. */
  isKeepAlive(this: void, event: SseEvent): boolean;
  /**
   * True once `event` carries something the caller may see (text, a tool call, thinking, a
   * finish, the terminal event). Before the first content event a failure may still fail over.
   */
  isContent(this: void, event: SseEvent): boolean;
  /** True when the data cannot be one JSON object (and is not a protocol's non-JSON marker). */
  isMalformed(this: void, event: SseEvent): boolean;
  /**
   * The error body carried by an in-band error event; for malformed data a protocol-shaped
   * "malformed event" body; undefined for an ordinary event. Cheap: ordinary events are not parsed.
   */
  inBandError(this: void, event: SseEvent): unknown;
  /**
   * One wire event -> the protocol's event, or undefined for a frame that carries none
   * (OpenAI `[DONE]`). Not validated (translators tolerate local-server quirks).
   * @throws LlmFailoverError STREAM_UPSTREAM_ERROR when the data is not a JSON object.
   */
  decode(this: void, event: SseEvent, backend: string): Event | undefined;
  /** {@link decode} over a stream; frames without an event are skipped, not ended on. */
  decodeStream(
    this: void,
    events: AsyncIterable<SseEvent>,
    backend: string,
  ): AsyncGenerator<Event, void, undefined>;
  /** One event -> its wire event (named where the protocol names events). */
  encode(this: void, event: Event): SseEvent;
  /**
   * {@link encode} over a stream, adding the terminal frame after a clean end where the
   * protocol's terminal is not itself one of its events (OpenAI `[DONE]`).
   */
  encodeStream(this: void, events: AsyncIterable<Event>): AsyncGenerator<SseEvent, void, undefined>;
  /** The response header the protocol's SDKs read the request id from (Anthropic `request-id`). */
  readonly requestIdHeader: string | undefined;
  /** The protocol's status <-> error-type table. */
  readonly errorTypes: ErrorTypeTable;
  /** The protocol's error body (HTTP answer and in-band event alike). */
  errorBody(this: void, facts: WireErrorFacts): Record<string, unknown>;
  /** The stream event that carries `body` as an in-band error. */
  errorEvent(this: void, body: unknown): SseEvent;
}
