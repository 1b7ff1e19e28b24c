import { anthropicMessagesWire } from './anthropic-messages/wire.js';
import { openAIChatWire } from './openai-chat/wire.js';
import { openAIResponsesWire } from './openai-responses/wire.js';
import type { SseEvent } from '../sse/sse-event.js';
import type { Protocol } from './protocol.js';
import type { WireProtocol } from './wire-protocol.js';

// The registry of protocol modules: the one switch on a protocol's name. A third protocol is one
// more entry here and one more folder.

const WIRES: Readonly<Record<Protocol, WireProtocol>> = Object.freeze({
  openai: openAIChatWire,
  anthropic: anthropicMessagesWire,
  'openai-responses': openAIResponsesWire,
});

/** The wire rules of `protocol`. */
export function wireProtocolOf(protocol: Protocol): WireProtocol {
  return WIRES[protocol];
}

/**
 * True once `event` (in `protocol`'s wire form) carries something the caller may see: text, a
 * tool call, thinking, a finish/stop, `message_stop`, `[DONE]`, a Responses output item, delta,
 * `.done` or terminal event. False for role-only chunks,
 * usage-only chunks, `message_start`, `ping`, error events and unparsable data. Before the first
 * content event a failure may still be failed over; the router calls this only until then.
 */
export function isContentEvent(protocol: Protocol, event: SseEvent): boolean {
  return WIRES[protocol].isContent(event);
}
