import { describe, expect, it } from 'vitest';
import { LlmFailoverError } from '../../src/errors/index.js';
import { anthropicStreamToOpenAI } from '../../src/translate/anthropic-stream-to-openai.js';
import { openAIStreamToAnthropic } from '../../src/translate/openai-stream-to-anthropic.js';
import type { AnthropicStreamEvent } from '../../src/protocols/anthropic-messages/stream.js';
import { anthropicToolTranscript, chunk, openAIToolTranscript, source } from './stream-fixtures.js';

/** A source that records whether it was opened and whether it was closed (finally ran). */
function tracked<T>(items: readonly T[]) {
  const log = { opened: false, closed: false, pulled: 0 };
  async function* gen(): AsyncGenerator<T> {
    log.opened = true;
    try {
      for (const item of items) {
        await Promise.resolve();
        log.pulled++;
        yield item;
      }
    } finally {
      log.closed = true;
    }
  }
  return { log, iterable: gen() };
}

describe('stream transforms as async iterables', () => {
  it('do not touch the source before the first next()', async () => {
    const { log, iterable } = tracked(openAIToolTranscript());
    const events = openAIStreamToAnthropic(iterable, { model: 'm' });
    expect(log.opened).toBe(false);
    await events.next();
    expect(log.opened).toBe(true);
  });

  it('close the source when the consumer stops early (so the upstream request is aborted)', async () => {
    const { log, iterable } = tracked(anthropicToolTranscript());
    for await (const c of anthropicStreamToOpenAI(iterable, { includeUsage: false })) {
      if (c.choices[0]?.delta.content === 'Hello') break;
    }
    expect(log.closed).toBe(true);
    expect(log.pulled).toBeLessThan(anthropicToolTranscript().length);
  });

  it('close the source when the translation itself fails on an in-band error', async () => {
    const bad = { error: { message: 'x' } } as unknown as ReturnType<typeof chunk>;
    const { log, iterable } = tracked([chunk({ content: 'a' }), bad, chunk({ content: 'never' })]);
    await expect(async () => {
      for await (const _ of openAIStreamToAnthropic(iterable, { model: 'm' })) void _;
    }).rejects.toBeInstanceOf(LlmFailoverError);
    expect(log.closed).toBe(true);
    expect(log.pulled).toBe(2);
  });

  it('skip malformed pieces of unvalidated input instead of crashing with a TypeError', async () => {
    const odd = [
      { ...chunk({ content: 'a' }), choices: [null, { index: 0, delta: { tool_calls: [null] } }] },
      chunk({ content: 'b' }, 'stop'),
    ] as unknown as ReturnType<typeof chunk>[];
    const events = [];
    for await (const e of openAIStreamToAnthropic(source(odd), { model: 'm' })) events.push(e);
    expect(events.at(-1)).toEqual({ type: 'message_stop' });
    const weird = [
      { type: 'message_start' },
      { type: 'content_block_start', index: 0 },
      { type: 'content_block_delta', index: 0 },
      { type: 'message_delta' },
      { type: 'message_stop' },
    ] as unknown as AnthropicStreamEvent[];
    const chunks = [];
    for await (const c of anthropicStreamToOpenAI(source(weird), { includeUsage: false }))
      chunks.push(c);
    expect(chunks.map((c) => c.choices[0]?.finish_reason)).toEqual([null, 'stop']);
  });
});
