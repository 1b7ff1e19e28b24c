import { describe, expect, it } from 'vitest';
import {
  MALFORMED_EVENT,
  anthropicEventType,
  anthropicMessagesWire,
} from '../../../src/protocols/index.js';
import type { AnthropicStreamEvent } from '../../../src/protocols/index.js';
import type { SseEvent } from '../../../src/sse/index.js';

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

describe('Anthropic wire rules', () => {
  const wire = anthropicMessagesWire;

  it('ends a stream with message_stop, its terminal frame, named or not', () => {
    expect(wire.hasTerminal).toBe(true);
    expect(wire.isTerminal(wire.terminalFrame)).toBe(true);
    expect(wire.isTerminal({ data: '{"type":"message_stop"}' })).toBe(true);
    expect(wire.isTerminal({ event: 'message_delta', data: '{"type":"message_delta"}' })).toBe(
      false,
    );
  });

  it('takes ping, and nothing else, as a keep-alive', () => {
    expect(wire.isKeepAlive({ event: 'ping', data: '{"type": "ping"}' })).toBe(true);
    expect(wire.isKeepAlive({ data: '{"type": "ping"}' })).toBe(true);
    expect(wire.isKeepAlive({ event: 'message_start', data: '{"type":"message_start"}' })).toBe(
      false,
    );
  });

  it('reports error events, unparsable error data and malformed data as in-band errors', () => {
    const overloaded = {
      type: 'error',
      error: { type: 'overloaded_error', message: 'Overloaded' },
    };
    expect(wire.inBandError(wire.errorEvent(overloaded))).toEqual(overloaded);
    expect(wire.inBandError({ event: 'error', data: 'boom' })).toEqual({
      type: 'error',
      error: { type: 'api_error', message: 'boom' },
    });
    expect(wire.inBandError({ event: 'content_block_delta', data: '{"type": oops' })).toEqual({
      type: 'error',
      ...MALFORMED_EVENT,
    });
    expect(wire.isMalformed({ event: 'content_block_delta', data: '{"type": oops' })).toBe(true);
    expect(wire.inBandError({ event: 'ping', data: '{"type":"ping"}' })).toBeUndefined();
  });

  it('encodes events named after their type and adds no terminal frame of its own', async () => {
    const events: AnthropicStreamEvent[] = [{ type: 'ping' }, { type: 'message_stop' }];
    const out: SseEvent[] = [];
    async function* source(): AsyncGenerator<AnthropicStreamEvent> {
      for (const e of events) yield await Promise.resolve(e);
    }
    for await (const e of wire.encodeStream(source())) out.push(e);
    expect(out).toEqual([
      { event: 'ping', data: '{"type":"ping"}' },
      { event: 'message_stop', data: '{"type":"message_stop"}' },
    ]);
    expect(out.map((e) => wire.decode(e, 'b'))).toEqual(events);
  });

  it('builds error bodies with details inside `error` and request_id at the top', () => {
    expect(
      wire.errorBody({
        type: 'overloaded_error',
        message: 'busy',
        code: 'ignored',
        requestId: 'r1',
        details: { failures: [] },
      }),
    ).toEqual({
      type: 'error',
      error: { type: 'overloaded_error', message: 'busy', failures: [] },
      request_id: 'r1',
    });
    expect(wire.errorEvent({}).event).toBe('error');
    expect(wire.requestIdHeader).toBe('request-id');
  });
});
