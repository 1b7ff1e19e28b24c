import { describe, expect, it } from 'vitest';
import { LlmFailoverError } from '../../src/errors/index.js';
import { anthropicStreamEventSchema } from '../../src/protocols/anthropic-messages/stream.js';
import type { AnthropicStreamEvent } from '../../src/protocols/anthropic-messages/stream.js';
import { openAIStreamToAnthropic } from '../../src/translate/openai-stream-to-anthropic.js';
import {
  chunk,
  collect,
  collectUntilError,
  openAIToolTranscript,
  source,
  toolDelta,
  usageChunk,
} from './stream-fixtures.js';
import type { OpenAIChatChunk } from '../../src/protocols/openai-chat/stream.js';

const translate = (chunks: OpenAIChatChunk[], hint?: number) =>
  collect(
    openAIStreamToAnthropic(source(chunks), {
      model: 'claude-caller',
      messageId: 'msg_fixed',
      ...(hint === undefined ? {} : { inputTokensHint: hint }),
    }),
  );

/** Event types, with the block type for starts and the delta type for deltas. */
const shape = (events: AnthropicStreamEvent[]): string[] =>
  events.map((e) => {
    if (e.type === 'content_block_start') return `start:${e.index}:${e.content_block.type}`;
    if (e.type === 'content_block_delta') return `delta:${e.index}:${e.delta.type}`;
    if (e.type === 'content_block_stop') return `stop:${e.index}`;
    return e.type;
  });

/** Rebuilds each block's text / arguments from the events, checking one block is open at a time. */
function assemble(events: AnthropicStreamEvent[]): Record<string, unknown>[] {
  const blocks: Record<string, unknown>[] = [];
  let open: number | undefined;
  for (const e of events) {
    if (e.type === 'content_block_start') {
      expect(open).toBeUndefined();
      expect(e.index).toBe(blocks.length);
      open = e.index;
      blocks.push({ ...e.content_block, json: '' });
    } else if (e.type === 'content_block_delta') {
      expect(e.index).toBe(open);
      const block = blocks[e.index]!;
      if (e.delta.type === 'text_delta') block.text = `${block.text as string}${e.delta.text}`;
      if (e.delta.type === 'thinking_delta') {
        block.thinking = `${block.thinking as string}${e.delta.thinking}`;
      }
      if (e.delta.type === 'input_json_delta') {
        expect(e.delta.partial_json).not.toBe('');
        block.json = `${block.json as string}${e.delta.partial_json}`;
      }
    } else if (e.type === 'content_block_stop') {
      expect(e.index).toBe(open);
      open = undefined;
    }
  }
  expect(open).toBeUndefined();
  return blocks;
}

describe('openAIStreamToAnthropic', () => {
  it('emits message_start, a text block, tool_use blocks, message_delta and message_stop in order', async () => {
    const events = await translate(openAIToolTranscript(), 99);
    expect(shape(events)).toEqual([
      'message_start',
      'start:0:text',
      'delta:0:text_delta',
      'delta:0:text_delta',
      'delta:0:text_delta',
      'stop:0',
      'start:1:tool_use',
      'delta:1:input_json_delta',
      'delta:1:input_json_delta',
      'stop:1',
      'start:2:tool_use',
      'delta:2:input_json_delta',
      'delta:2:input_json_delta',
      'stop:2',
      'message_delta',
      'message_stop',
    ]);
    for (const event of events)
      expect(anthropicStreamEventSchema().safeParse(event).success).toBe(true);
    const start = events[0];
    expect(start).toMatchObject({
      type: 'message_start',
      message: {
        id: 'msg_fixed',
        model: 'claude-caller',
        content: [],
        usage: { input_tokens: 99 },
      },
    });
  });

  it('keeps tool ids, names and arguments exact and never sends an empty partial_json', async () => {
    const blocks = assemble(await translate(openAIToolTranscript()));
    expect(blocks).toEqual([
      { type: 'text', text: 'Hello, world', json: '' },
      {
        type: 'tool_use',
        id: 'call_weather',
        name: 'get_weather',
        input: {},
        json: '{"city":"Paris"}',
      },
      {
        type: 'tool_use',
        id: 'call_time',
        name: 'get_time',
        input: {},
        json: '{"tz":"Europe/Paris","fmt":24}',
      },
    ]);
  });

  it('reports the upstream usage (cached tokens as cache reads) and tool_use in message_delta', async () => {
    const events = await translate(openAIToolTranscript(), 5);
    expect(events.at(-2)).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: { input_tokens: 100, output_tokens: 45, cache_read_input_tokens: 20 },
    });
  });

  it('emits interleaved parallel tool calls as sequential blocks with exact arguments', async () => {
    const events = await translate([
      chunk(toolDelta(0, '{"a":', { id: 'call_0', name: 'f' })),
      chunk(toolDelta(1, '{"b":', { id: 'call_1', name: 'g' })),
      chunk(toolDelta(0, '1}')),
      chunk(toolDelta(2, '{"c":3}', { id: 'call_2', name: 'h' })),
      chunk(toolDelta(1, '2}')),
      chunk({}, 'tool_calls'),
      usageChunk(1, 2),
    ]);
    const blocks = assemble(events);
    expect(blocks.map((b) => [b.id, b.name, b.json])).toEqual([
      ['call_0', 'f', '{"a":1}'],
      ['call_1', 'g', '{"b":2}'],
      ['call_2', 'h', '{"c":3}'],
    ]);
    // The first call streams as it comes; its block starts before any other tool's data arrives.
    expect(shape(events).slice(0, 3)).toEqual([
      'message_start',
      'start:0:tool_use',
      'delta:0:input_json_delta',
    ]);
  });

  it('generates distinct toolu_ ids for calls a local server sent without ids', async () => {
    const events = await translate([
      chunk({ tool_calls: [{ index: 0, function: { name: 'f', arguments: '{}' } }] }),
      chunk({ tool_calls: [{ index: 1, function: { name: 'g', arguments: '{}' } }] }),
      chunk({}, 'tool_calls'),
    ]);
    const ids = assemble(events).map((b) => b.id as string);
    expect(ids).toHaveLength(2);
    for (const id of ids) expect(id).toMatch(/^toolu_[A-Za-z0-9_]+$/);
    expect(ids[0]).not.toBe(ids[1]);
  });

  it('tells tool calls apart by id when a server omits the index', async () => {
    const events = await translate([
      chunk({ tool_calls: [{ id: 'call_a', function: { name: 'f', arguments: '{"x"' } }] }),
      chunk({ tool_calls: [{ function: { arguments: ':1}' } }] }),
      chunk({ tool_calls: [{ id: 'call_b', function: { name: 'g', arguments: '{}' } }] }),
      chunk({}, 'tool_calls'),
    ]);
    expect(assemble(events).map((b) => [b.id, b.name, b.json])).toEqual([
      ['call_a', 'f', '{"x":1}'],
      ['call_b', 'g', '{}'],
    ]);
  });

  it('tolerates tool_calls: [], a missing role chunk, and usage on a chunk that has choices', async () => {
    const last = chunk({ content: '!' }, 'stop');
    const events = await translate([
      chunk({ content: 'Hi', tool_calls: [] }),
      chunk({ tool_calls: [] }),
      {
        ...last,
        usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 },
      },
    ]);
    expect(shape(events)).toEqual([
      'message_start',
      'start:0:text',
      'delta:0:text_delta',
      'delta:0:text_delta',
      'stop:0',
      'message_delta',
      'message_stop',
    ]);
    expect(assemble(events)[0]!.text).toBe('Hi!');
    expect(events.at(-2)).toMatchObject({
      delta: { stop_reason: 'end_turn' },
      usage: { input_tokens: 7, output_tokens: 3 },
    });
  });

  it('closes blocks at finish_reason and still takes the usage chunk that follows it', async () => {
    const events = await translate([
      chunk({ role: 'assistant' }),
      chunk({ content: 'x' }),
      chunk({}, 'length'),
      usageChunk(11, 22),
    ]);
    expect(shape(events).slice(-3)).toEqual(['stop:0', 'message_delta', 'message_stop']);
    expect(events.at(-2)).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'max_tokens', stop_sequence: null },
      usage: { input_tokens: 11, output_tokens: 22 },
    });
  });

  it('maps content_filter to refusal and a vLLM matched stop string to stop_sequence', async () => {
    const refused = await translate([chunk({ content: 'no' }, 'content_filter')]);
    expect(refused.at(-2)).toMatchObject({
      delta: { stop_reason: 'refusal', stop_sequence: null },
    });
    const stopped = await translate([chunk({ content: 'a' }, 'stop', { stop_reason: '###' })]);
    expect(stopped.at(-2)).toMatchObject({
      delta: { stop_reason: 'stop_sequence', stop_sequence: '###' },
    });
  });

  it('reports tool_use when a local server ends a tool call with finish_reason stop', async () => {
    const events = await translate([
      chunk(toolDelta(0, '{"q":1}', { id: 'call_1', name: 'search' }), 'stop'),
    ]);
    expect(events.at(-2)).toMatchObject({ delta: { stop_reason: 'tool_use' } });
  });

  it('turns reasoning_content into a thinking block before the text block', async () => {
    const events = await translate([
      chunk({ role: 'assistant', reasoning_content: 'Let me ' }),
      chunk({ reasoning_content: 'think.' }),
      chunk({ content: 'Answer' }),
      chunk({}, 'stop'),
    ]);
    expect(assemble(events)).toEqual([
      { type: 'thinking', thinking: 'Let me think.', signature: '', json: '' },
      { type: 'text', text: 'Answer', json: '' },
    ]);
  });

  it('keeps text that arrives while a tool block is open, as a block after the tools', async () => {
    const events = await translate([
      chunk(toolDelta(0, '{"a"', { id: 'call_0', name: 'f' })),
      chunk({ content: 'note' }),
      chunk(toolDelta(0, ':1}')),
      chunk({}, 'tool_calls'),
    ]);
    expect(assemble(events).map((b) => (b.type === 'text' ? b.text : b.json))).toEqual([
      '{"a":1}',
      'note',
    ]);
  });

  it('reports output_tokens 0 and keeps the input hint when the upstream sent no usage', async () => {
    const events = await translate([chunk({ content: 'a' }, 'stop')], 42);
    expect(events[0]).toMatchObject({ message: { usage: { input_tokens: 42, output_tokens: 0 } } });
    expect(events.at(-2)).toMatchObject({ usage: { output_tokens: 0 } });
  });

  it('propagates the source error unchanged and never emits message_delta or message_stop', async () => {
    const cut = new LlmFailoverError('STREAM_TRUNCATED', 'cut');
    const { items, error } = await collectUntilError(
      openAIStreamToAnthropic(source([chunk({ content: 'a' }), chunk({ content: 'b' })], cut), {
        model: 'm',
      }),
    );
    expect(error).toBe(cut);
    expect(items.map((e) => e.type)).not.toContain('message_stop');
    expect(items.map((e) => e.type)).not.toContain('message_delta');
    expect(items.filter((e) => e.type === 'content_block_delta')).toHaveLength(2);
  });

  it('throws STREAM_UPSTREAM_ERROR with the body on an in-band error chunk', async () => {
    const bad = {
      error: { message: 'overloaded', type: 'server_error' },
    } as unknown as OpenAIChatChunk;
    const { items, error } = await collectUntilError(
      openAIStreamToAnthropic(source([chunk({ content: 'a' }), bad]), { model: 'm' }),
    );
    expect(error).toBeInstanceOf(LlmFailoverError);
    expect(error).toMatchObject({ code: 'STREAM_UPSTREAM_ERROR', upstreamBody: bad });
    expect(items.map((e) => e.type)).not.toContain('message_stop');
  });

  it('answers an empty but clean upstream stream with an empty end_turn message', async () => {
    const events = await translate([]);
    expect(shape(events)).toEqual(['message_start', 'message_delta', 'message_stop']);
    expect(events[1]).toMatchObject({ delta: { stop_reason: 'end_turn' } });
  });
});
