import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { textDeltaJson } from '../../src/backends/chat-stream-of.js';
import type { AnthropicStreamEvent } from '../../src/protocols/index.js';

const delta = (text: string, index = 0): AnthropicStreamEvent => ({
  type: 'content_block_delta',
  index,
  delta: { type: 'text_delta', text },
});

describe('textDeltaJson (the framing shortcut of translated Anthropic streams)', () => {
  it('writes exactly what JSON.stringify writes for a text delta, whatever the text', () => {
    for (const text of [
      '',
      'w0 ',
      'a "quoted" \\ back',
      'line\nbreak\t\u0000',
      'été 😀',
      '\ud800',
    ]) {
      expect(textDeltaJson(delta(text, 3))).toBe(JSON.stringify(delta(text, 3)));
    }
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.nat(), (text, index) => {
        expect(textDeltaJson(delta(text, index))).toBe(JSON.stringify(delta(text, index)));
      }),
    );
  });

  it('leaves every other event and shape to JSON.stringify', () => {
    const others = [
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'x' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'x', more: 1 } },
      { type: 'content_block_delta', index: 0, delta: { text: 'x', type: 'text_delta' } },
      { type: 'content_block_delta', delta: { type: 'text_delta', text: 'x' }, index: 0 },
      { type: 'content_block_delta', index: 0.5, delta: { type: 'text_delta', text: 'x' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'x' }, x: 1 },
      { type: 'content_block_stop', index: 0 },
    ];
    for (const event of others)
      expect(textDeltaJson(event as AnthropicStreamEvent)).toBeUndefined();
  });
});
