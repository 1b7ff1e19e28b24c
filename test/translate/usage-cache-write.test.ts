import { describe, expect, it } from 'vitest';
import type { AnthropicStreamEvent } from '../../src/protocols/anthropic-messages/stream.js';
import {
  anthropicResponseToResponses,
  anthropicStreamToResponses,
  anthropicUsageToOpenAI,
  chatUsageToResponses,
  openAIUsageToAnthropic,
  responsesResponseToAnthropic,
  responsesStreamToAnthropic,
  responsesUsageToChat,
} from '../../src/translate/index.js';
import { collect, source } from './stream-fixtures.js';

/*
 * Anthropic's cache_creation_input_tokens <-> the openai SDK's `cache_write_tokens`
 * (`prompt_tokens_details` on chat, `input_tokens_details` on Responses; both count them inside
 * the prompt / input total, as Anthropic does not). Present only when some were written.
 */

const anthropicUsage = {
  input_tokens: 20,
  output_tokens: 9,
  cache_read_input_tokens: 100,
  cache_creation_input_tokens: 300,
};

describe('cache_write_tokens', () => {
  it('Anthropic -> chat -> Responses and back keeps the cache writes', () => {
    const chat = anthropicUsageToOpenAI(anthropicUsage);
    expect(chat).toEqual({
      prompt_tokens: 420,
      completion_tokens: 9,
      total_tokens: 429,
      prompt_tokens_details: { cached_tokens: 100, cache_write_tokens: 300 },
    });
    const responses = chatUsageToResponses({ ...chat });
    expect(responses.input_tokens_details).toEqual({ cached_tokens: 100, cache_write_tokens: 300 });
    expect(responses.input_tokens).toBe(420);
    const back = responsesUsageToChat({ ...responses });
    expect(back.prompt_tokens_details).toEqual({ cached_tokens: 100, cache_write_tokens: 300 });
    expect(openAIUsageToAnthropic(back)).toEqual(anthropicUsage);
  });

  it('no cache writes, no field (as before)', () => {
    const chat = anthropicUsageToOpenAI({ ...anthropicUsage, cache_creation_input_tokens: 0 });
    expect(chat.prompt_tokens_details).toEqual({ cached_tokens: 100 });
    expect(chatUsageToResponses({ ...chat }).input_tokens_details).toEqual({ cached_tokens: 100 });
    expect(openAIUsageToAnthropic(chat)).not.toHaveProperty('cache_creation_input_tokens');
  });

  it('a non-streaming Anthropic answer to a Responses caller, and a Responses answer to an Anthropic one', () => {
    const message = {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude-x',
      content: [{ type: 'text', text: 'ok' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: anthropicUsage,
    };
    const res = anthropicResponseToResponses(message, { model: 'gpt-caller', input: 'hi' });
    expect(res.usage).toMatchObject({
      input_tokens: 420,
      input_tokens_details: { cached_tokens: 100, cache_write_tokens: 300 },
    });
    expect(responsesResponseToAnthropic(res).usage).toEqual(anthropicUsage);
  });

  it('a streamed Anthropic answer: response.completed usage has it, and back to Anthropic', async () => {
    const events: AnthropicStreamEvent[] = [
      {
        type: 'message_start',
        message: {
          id: 'msg_2',
          type: 'message',
          role: 'assistant',
          model: 'claude-x',
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { ...anthropicUsage, output_tokens: 1 },
        },
      },
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'ok' } },
      { type: 'content_block_stop', index: 0 },
      {
        type: 'message_delta',
        delta: { stop_reason: 'end_turn', stop_sequence: null },
        usage: { output_tokens: 9 },
      },
      { type: 'message_stop' },
    ];
    const request = { model: 'gpt-caller', input: 'hi', stream: true };
    const responses = await collect(anthropicStreamToResponses(source(events), request));
    const completed = responses.at(-1)!;
    expect(completed.type).toBe('response.completed');
    expect((completed.response as { usage: unknown }).usage).toMatchObject({
      input_tokens: 420,
      input_tokens_details: { cached_tokens: 100, cache_write_tokens: 300 },
    });
    const back = await collect(responsesStreamToAnthropic(source(responses), { model: 'c' }));
    const delta = back.find((e) => e.type === 'message_delta');
    expect(delta?.usage).toMatchObject(anthropicUsage);
  });
});
