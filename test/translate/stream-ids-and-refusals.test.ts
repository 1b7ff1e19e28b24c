import { describe, expect, it } from 'vitest';
import type { AnthropicStreamEvent } from '../../src/protocols/anthropic-messages/stream.js';
import { anthropicStreamToOpenAI } from '../../src/translate/anthropic-stream-to-openai.js';
import { openAIStreamToAnthropic } from '../../src/translate/openai-stream-to-anthropic.js';
import { anthropicToolTranscript, chunk, collect, source } from './stream-fixtures.js';

describe('stream ids follow the upstream, as for non-streaming answers', () => {
  it('names the Anthropic message after the upstream chunk id (msg_chatcmpl-...)', async () => {
    const events = await collect(
      openAIStreamToAnthropic(source([chunk({ content: 'a' }, 'stop')]), { model: 'm' }),
    );
    expect(events[0]).toMatchObject({ type: 'message_start', message: { id: 'msg_chatcmpl-1' } });
  });

  it('gives back the original id when an Anthropic message id came from an OpenAI one', async () => {
    const transcript = anthropicToolTranscript();
    const start = transcript[0] as Extract<AnthropicStreamEvent, { type: 'message_start' }>;
    start.message.id = 'msg_chatcmpl-abc';
    const chunks = await collect(
      anthropicStreamToOpenAI(source(transcript), { includeUsage: false }),
    );
    expect(new Set(chunks.map((c) => c.id))).toEqual(new Set(['chatcmpl-abc']));
  });

  it('reads no clock: created is what the caller passes, else 0', async () => {
    const chunks = await collect(
      anthropicStreamToOpenAI(source(anthropicToolTranscript()), { includeUsage: true }),
    );
    expect(new Set(chunks.map((c) => c.created))).toEqual(new Set([0]));
  });
});

describe('streamed refusals', () => {
  it('turn an OpenAI refusal ending in a plain stop into stop_reason refusal, its text a block', async () => {
    const events = await collect(
      openAIStreamToAnthropic(
        source([
          chunk({ role: 'assistant', refusal: '' }),
          chunk({ refusal: "I can't " }),
          chunk({ refusal: 'help with that.' }),
          chunk({}, 'stop'),
        ]),
        { model: 'm' },
      ),
    );
    const text = events
      .map((e) =>
        e.type === 'content_block_delta' && e.delta.type === 'text_delta' ? e.delta.text : '',
      )
      .join('');
    expect(text).toBe("I can't help with that.");
    expect(events.at(-2)).toMatchObject({
      type: 'message_delta',
      delta: { stop_reason: 'refusal', stop_sequence: null },
    });
  });

  it('keep end_turn for ordinary text', async () => {
    const events = await collect(
      openAIStreamToAnthropic(source([chunk({ content: 'fine' }, 'stop')]), { model: 'm' }),
    );
    expect(events.at(-2)).toMatchObject({ delta: { stop_reason: 'end_turn' } });
  });
});

describe('blank text runs', () => {
  const texts = (events: Awaited<ReturnType<typeof collect<AnthropicStreamEvent>>>) =>
    events.flatMap((e) => (e.type === 'content_block_start' ? [e.content_block.type] : []));

  it('open no block for whitespace before tool calls (Anthropic refuses blank blocks sent back)', async () => {
    const events = await collect(
      openAIStreamToAnthropic(
        source([
          chunk({ role: 'assistant', content: '\n' }),
          chunk({ content: '\n' }),
          chunk({
            tool_calls: [{ index: 0, id: 'c1', function: { name: 'f', arguments: '{}' } }],
          }),
          chunk({}, 'tool_calls'),
        ]),
        { model: 'm' },
      ),
    );
    expect(texts(events)).toEqual(['tool_use']);
  });

  it('keep leading whitespace once real text follows', async () => {
    const events = await collect(
      openAIStreamToAnthropic(
        source([chunk({ content: '\n\n' }), chunk({ content: ' Hi' }), chunk({ content: ' ' })]),
        { model: 'm' },
      ),
    );
    expect(texts(events)).toEqual(['text']);
    const text = events
      .map((e) =>
        e.type === 'content_block_delta' && e.delta.type === 'text_delta' ? e.delta.text : '',
      )
      .join('');
    expect(text).toBe('\n\n Hi ');
  });
});
