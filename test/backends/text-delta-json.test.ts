import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contentChunkJson, textDeltaJson } from '../../src/backends/chat-stream-of.js';
import type { AnthropicStreamEvent, OpenAIChatChunk } from '../../src/protocols/index.js';

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

const chunk = (content: string, id = 'chatcmpl-1', model = 'm', created = 1): OpenAIChatChunk => ({
  id,
  object: 'chat.completion.chunk',
  created,
  model,
  choices: [{ index: 0, delta: { content }, finish_reason: null }],
});

describe('contentChunkJson (the framing shortcut of translated OpenAI streams)', () => {
  it('writes exactly what JSON.stringify writes for a text-only chunk', () => {
    for (const text of ['', 'w0 ', 'a "q" \\ b', 'x\ny\u0000', 'été 😀', '\ud800']) {
      expect(contentChunkJson(chunk(text, 'i"d', 'mo\\del', 0))).toBe(
        JSON.stringify(chunk(text, 'i"d', 'mo\\del', 0)),
      );
    }
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary' }),
        fc.string(),
        fc.string(),
        fc.nat(),
        (text, id, model, created) => {
          const c = chunk(text, id, model, created);
          expect(contentChunkJson(c)).toBe(JSON.stringify(c));
        },
      ),
    );
  });

  it('leaves every other chunk and shape to JSON.stringify', () => {
    const base = chunk('x');
    const choice = { index: 0, delta: { content: 'x' }, finish_reason: null };
    const others = [
      { ...base, choices: [{ ...choice, finish_reason: 'stop' }] },
      { ...base, choices: [{ ...choice, delta: { role: 'assistant', content: 'x' } }] },
      { ...base, choices: [{ ...choice, delta: { reasoning_content: 'x' } }] },
      { ...base, choices: [{ ...choice, index: 1 }] },
      { ...base, choices: [choice, choice] },
      { ...base, choices: [] },
      { ...base, usage: { prompt_tokens: 1 } },
      { ...base, created: 1.5 },
      { choices: base.choices, id: base.id, object: base.object, created: 1, model: 'm' },
      { ...base, choices: [{ ...choice, logprobs: null }] },
    ];
    for (const c of others) expect(contentChunkJson(c as OpenAIChatChunk)).toBeUndefined();
  });
});
