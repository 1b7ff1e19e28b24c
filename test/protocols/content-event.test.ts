import { describe, expect, it } from 'vitest';
import { isContentEvent } from '../../src/protocols/content-event.js';

const openai = (payload: unknown) => isContentEvent('openai', { data: JSON.stringify(payload) });
const choice = (delta: Record<string, unknown>, finish: string | null = null) => ({
  id: 'c',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'm',
  choices: [{ index: 0, delta, finish_reason: finish }],
});
const anthropic = (type: string, payload: Record<string, unknown> = {}, named = true) =>
  isContentEvent('anthropic', {
    ...(named ? { event: type } : {}),
    data: JSON.stringify({ type, ...payload }),
  });

describe('isContentEvent (openai)', () => {
  it('is false for role-only, empty-content, tool_calls: [] and usage-only chunks', () => {
    expect(openai(choice({ role: 'assistant' }))).toBe(false);
    expect(openai(choice({ role: 'assistant', content: '' }))).toBe(false);
    expect(openai(choice({ tool_calls: [] }))).toBe(false);
    expect(openai({ ...choice({}), choices: [], usage: { prompt_tokens: 1 } })).toBe(false);
  });

  it('is true for text, reasoning, a tool call, a finish_reason and [DONE]', () => {
    expect(openai(choice({ content: 'a' }))).toBe(true);
    expect(openai(choice({ reasoning_content: 'hm' }))).toBe(true);
    expect(openai(choice({ tool_calls: [{ index: 0, id: 'x', function: { name: 'f' } }] }))).toBe(
      true,
    );
    expect(openai(choice({}, 'stop'))).toBe(true);
    expect(isContentEvent('openai', { data: '[DONE]' })).toBe(true);
  });

  it('is false for an in-band error chunk and for data that is not JSON', () => {
    expect(openai({ error: { message: 'boom' } })).toBe(false);
    expect(isContentEvent('openai', { data: '{not json' })).toBe(false);
  });
});

describe('isContentEvent (anthropic)', () => {
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
