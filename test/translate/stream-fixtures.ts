import type { AnthropicStreamEvent } from '../../src/protocols/anthropic-messages/stream.js';
import type { OpenAIChatChunk, OpenAIChatDelta } from '../../src/protocols/openai-chat/stream.js';

/** Yields `items`, then throws `error` when given (a source cut mid-stream). */
export async function* source<T>(items: readonly T[], error?: Error): AsyncGenerator<T> {
  for (const item of items) {
    await Promise.resolve();
    yield item;
  }
  if (error !== undefined) throw error;
}

/** Drains an async iterable. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

/** Drains until it throws; returns what came before and the error (undefined if none). */
export async function collectUntilError<T>(
  iterable: AsyncIterable<T>,
): Promise<{ items: T[]; error: unknown }> {
  const items: T[] = [];
  try {
    for await (const item of iterable) items.push(item);
  } catch (error) {
    return { items, error };
  }
  return { items, error: undefined };
}

/** An OpenAI chunk with one choice. */
export function chunk(
  delta: OpenAIChatDelta,
  finish: string | null = null,
  extra: Record<string, unknown> = {},
): OpenAIChatChunk {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model: 'local-model',
    choices: [{ index: 0, delta, finish_reason: finish, ...extra }],
  };
}

/** The usage-only last chunk of an `include_usage` stream. */
export function usageChunk(prompt: number, completion: number, cached?: number): OpenAIChatChunk {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model: 'local-model',
    choices: [],
    usage: {
      prompt_tokens: prompt,
      completion_tokens: completion,
      total_tokens: prompt + completion,
      ...(cached === undefined ? {} : { prompt_tokens_details: { cached_tokens: cached } }),
    },
  };
}

/** A tool-call delta for OpenAI `index`. */
export function toolDelta(
  index: number,
  args: string,
  head?: { id?: string; name: string },
): OpenAIChatDelta {
  const fn = head ? { name: head.name, arguments: args } : { arguments: args };
  const call = head?.id
    ? { index, id: head.id, type: 'function', function: fn }
    : { index, function: fn };
  return { tool_calls: [call] };
}

/** Role chunk, "Hello, world", two parallel tool calls by index, finish, usage. */
export function openAIToolTranscript(): OpenAIChatChunk[] {
  return [
    chunk({ role: 'assistant', content: '' }),
    chunk({ content: 'Hello' }),
    chunk({ content: ', ' }),
    chunk({ content: 'world' }),
    chunk(toolDelta(0, '', { id: 'call_weather', name: 'get_weather' })),
    chunk(toolDelta(0, '{"city":')),
    chunk(toolDelta(0, '"Paris"}')),
    chunk(toolDelta(1, '', { id: 'call_time', name: 'get_time' })),
    chunk(toolDelta(1, '{"tz":"Europe/')),
    chunk(toolDelta(1, 'Paris","fmt":24}')),
    chunk({}, 'tool_calls'),
    usageChunk(120, 45, 20),
  ];
}

/** message_start ... text "Hello, world", two tool_use blocks with split input, tool_use stop. */
export function anthropicToolTranscript(): AnthropicStreamEvent[] {
  const msg = {
    id: 'msg_upstream1',
    type: 'message',
    role: 'assistant',
    model: 'claude-x',
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: { input_tokens: 100, output_tokens: 1, cache_read_input_tokens: 30 },
  } as const;
  return [
    { type: 'message_start', message: { ...msg, content: [] } },
    { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
    { type: 'ping' },
    { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hello' } },
    { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: ', world' } },
    { type: 'content_block_stop', index: 0 },
    {
      type: 'content_block_start',
      index: 1,
      content_block: { type: 'tool_use', id: 'toolu_A', name: 'get_weather', input: {} },
    },
    {
      type: 'content_block_delta',
      index: 1,
      delta: { type: 'input_json_delta', partial_json: '' },
    },
    {
      type: 'content_block_delta',
      index: 1,
      delta: { type: 'input_json_delta', partial_json: '{"city": ' },
    },
    {
      type: 'content_block_delta',
      index: 1,
      delta: { type: 'input_json_delta', partial_json: '"Paris"}' },
    },
    { type: 'content_block_stop', index: 1 },
    {
      type: 'content_block_start',
      index: 2,
      content_block: { type: 'tool_use', id: 'toolu_B', name: 'get_time', input: {} },
    },
    {
      type: 'content_block_delta',
      index: 2,
      delta: { type: 'input_json_delta', partial_json: '{"tz":"Europe/' },
    },
    {
      type: 'content_block_delta',
      index: 2,
      delta: { type: 'input_json_delta', partial_json: 'Paris"}' },
    },
    { type: 'content_block_stop', index: 2 },
    {
      type: 'message_delta',
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: { output_tokens: 57 },
    },
    { type: 'message_stop' },
  ];
}
