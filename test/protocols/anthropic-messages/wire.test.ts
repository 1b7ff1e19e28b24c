import { describe, expect, it } from 'vitest';
import { anthropicEventType, anthropicMessagesWire } from '../../../src/protocols/index.js';

const anthropic = (type: string, payload: Record<string, unknown> = {}, named = true) =>
  anthropicMessagesWire.isContent({
    ...(named ? { event: type } : {}),
    data: JSON.stringify({ type, ...payload }),
  });

describe('Anthropic wire codec', () => {
  it('takes the Anthropic event type from the name, else from the data', () => {
    expect(anthropicEventType({ event: 'ping', data: '{"type":"ping"}' })).toBe('ping');
    expect(anthropicEventType({ data: '{"type": "message_stop"}' })).toBe('message_stop');
    expect(anthropicEventType({ data: '{}' })).toBeUndefined();
  });
});

describe('Anthropic content events', () => {
  it('is false for message_start, ping, error and empty text or thinking block starts', () => {
    expect(anthropic('message_start', { message: {} })).toBe(false);
    expect(anthropic('ping')).toBe(false);
    expect(anthropic('error', { error: { type: 'overloaded_error', message: 'x' } })).toBe(false);
    expect(
      anthropic('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
    ).toBe(false);
    expect(
      anthropic('content_block_start', {
        index: 0,
        content_block: { type: 'thinking', thinking: '' },
      }),
    ).toBe(false);
  });

  it('is true for a tool_use start, deltas, message_delta and message_stop', () => {
    const toolUse = { type: 'tool_use', id: 't', name: 'f', input: {} };
    expect(anthropic('content_block_start', { index: 0, content_block: toolUse })).toBe(true);
    expect(
      anthropic('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'a' } }),
    ).toBe(true);
    expect(anthropic('message_delta', { delta: { stop_reason: 'end_turn' } })).toBe(true);
    expect(anthropic('message_stop')).toBe(true);
  });

  it('reads the type from the data when the event has no name', () => {
    expect(anthropic('message_stop', {}, false)).toBe(true);
    expect(anthropic('ping', {}, false)).toBe(false);
  });
});
