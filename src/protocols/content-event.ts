import type { Protocol } from './protocol.js';

/** One wire event: the shape of sse/'s `SseEvent`, restated because protocols/ imports only errors/. */
interface WireEvent {
  event?: string;
  data: string;
}

/** A non-empty string. */
const filled = (value: unknown): boolean => typeof value === 'string' && value.length > 0;

function parseData(data: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(data);
    return value !== null && typeof value === 'object'
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** True when one streamed OpenAI choice shows the caller something. */
function openAIChoiceHasContent(choice: unknown): boolean {
  if (choice === null || typeof choice !== 'object') return false;
  const { delta, finish_reason: finish } = choice as { delta?: unknown; finish_reason?: unknown };
  if (finish !== null && finish !== undefined) return true;
  if (delta === null || typeof delta !== 'object') return false;
  const d = delta as Record<string, unknown>;
  if (filled(d.content) || filled(d.reasoning_content) || filled(d.reasoning)) return true;
  if (filled(d.refusal)) return true;
  return Array.isArray(d.tool_calls) && d.tool_calls.length > 0;
}

function openAIIsContent(event: WireEvent): boolean {
  if (event.data === '[DONE]') return true;
  const chunk = parseData(event.data);
  // An in-band error is a failure, not content: the router may still fail over.
  if (chunk === undefined || chunk.error !== undefined) return false;
  const choices = chunk.choices;
  if (!Array.isArray(choices)) return false;
  for (const choice of choices) if (openAIChoiceHasContent(choice)) return true;
  return false;
}

function anthropicBlockStartIsContent(data: string): boolean {
  const block = parseData(data)?.content_block as Record<string, unknown> | undefined;
  if (block === undefined || block === null || typeof block !== 'object') return false;
  // An empty text/thinking block shows nothing yet; a tool_use start shows the call.
  if (block.type === 'text') return filled(block.text);
  if (block.type === 'thinking') return filled(block.thinking);
  return true;
}

function anthropicIsContent(event: WireEvent): boolean {
  // The `event:` name equals the data's `type`; read the data only when the name is missing.
  const type = event.event ?? parseData(event.data)?.type;
  switch (type) {
    case 'content_block_start':
      return anthropicBlockStartIsContent(event.data);
    case 'content_block_delta':
    case 'content_block_stop':
    case 'message_delta':
    case 'message_stop':
      return true;
    default:
      // message_start, ping, error and unknown events are not content.
      return false;
  }
}

/**
 * True once `event` (in `protocol`'s wire form) carries something the caller may see: text, a
 * tool call, thinking, a finish/stop, `message_stop` or `[DONE]`. False for role-only chunks,
 * usage-only chunks, `message_start`, `ping`, error events and unparsable data. Before the first
 * content event a failure may still be failed over; the router calls this only until then.
 */
export function isContentEvent(protocol: Protocol, event: WireEvent): boolean {
  return protocol === 'openai' ? openAIIsContent(event) : anthropicIsContent(event);
}
