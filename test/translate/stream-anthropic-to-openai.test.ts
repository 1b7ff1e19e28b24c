import { describe, expect, it } from 'vitest';
import { LlmFailoverError } from '../../src/errors/index.js';
import type { AnthropicStreamEvent } from '../../src/protocols/anthropic-messages/stream.js';
import { openAIChatChunkSchema } from '../../src/protocols/openai-chat/stream.js';
import type { OpenAIChatChunk } from '../../src/protocols/openai-chat/stream.js';
import { anthropicStreamToOpenAI } from '../../src/translate/anthropic-stream-to-openai.js';
import { anthropicToolTranscript, collect, collectUntilError, source } from './stream-fixtures.js';

const translate = (events: AnthropicStreamEvent[], includeUsage = true) =>
  collect(anthropicStreamToOpenAI(source(events), { includeUsage, created: 1234 }));

const start = (usage: Record<string, number> = { input_tokens: 10, output_tokens: 1 }) =>
  ({
    type: 'message_start',
    message: { id: 'msg_1', model: 'claude-x', content: [], usage },
  }) as const satisfies AnthropicStreamEvent;

const textBlock = (text: string): AnthropicStreamEvent[] => [
  { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
  { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } },
  { type: 'content_block_stop', index: 0 },
];

const ending = (stopReason: string, stopSequence: string | null = null): AnthropicStreamEvent[] => [
  {
    type: 'message_delta',
    delta: { stop_reason: stopReason, stop_sequence: stopSequence },
    usage: { output_tokens: 5 },
  },
  { type: 'message_stop' },
];

const deltas = (chunks: OpenAIChatChunk[]) =>
  chunks.flatMap((c) => c.choices.map((ch) => ch.delta));

describe('anthropicStreamToOpenAI', () => {
  it('sends the role first, then content, tool-call deltas with stable indexes, finish and usage', async () => {
    const chunks = await translate(anthropicToolTranscript());
    for (const c of chunks) expect(openAIChatChunkSchema().safeParse(c).success).toBe(true);
    expect(deltas(chunks)).toEqual([
      { role: 'assistant', content: '' },
      { content: 'Hello' },
      { content: ', world' },
      {
        tool_calls: [
          {
            index: 0,
            id: 'toolu_A',
            type: 'function',
            function: { name: 'get_weather', arguments: '' },
          },
        ],
      },
      { tool_calls: [{ index: 0, function: { arguments: '{"city": ' } }] },
      { tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] },
      {
        tool_calls: [
          {
            index: 1,
            id: 'toolu_B',
            type: 'function',
            function: { name: 'get_time', arguments: '' },
          },
        ],
      },
      { tool_calls: [{ index: 1, function: { arguments: '{"tz":"Europe/' } }] },
      { tool_calls: [{ index: 1, function: { arguments: 'Paris"}' } }] },
      {},
    ]);
    const finish = chunks.at(-2)!;
    expect(finish.choices[0]!.finish_reason).toBe('tool_calls');
    expect(chunks.slice(0, -2).every((c) => c.choices[0]!.finish_reason === null)).toBe(true);
    expect(new Set(chunks.map((c) => `${c.id}|${c.created}|${c.model}`))).toEqual(
      new Set(['chatcmpl-msg_upstream1|1234|claude-x']),
    );
  });

  it('ends with a usage chunk combining message_start input and message_delta output', async () => {
    const chunks = await translate(anthropicToolTranscript());
    expect(chunks.at(-1)).toMatchObject({
      choices: [],
      usage: {
        prompt_tokens: 130,
        completion_tokens: 57,
        total_tokens: 187,
        prompt_tokens_details: { cached_tokens: 30 },
      },
    });
  });

  it('sends no usage chunk when the caller did not ask for usage', async () => {
    const chunks = await translate(anthropicToolTranscript(), false);
    expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe('tool_calls');
    expect(chunks.some((c) => c.usage !== undefined)).toBe(false);
  });

  it('treats ping as keep-alive: no chunk for it', async () => {
    const events = [start(), ...textBlock('hi'), ...ending('end_turn')];
    const withPings = [
      start(),
      { type: 'ping' } as const,
      ...textBlock('hi'),
      { type: 'ping' } as const,
      ...ending('end_turn'),
    ];
    expect(deltas(await translate(withPings))).toEqual(deltas(await translate(events)));
    expect(await translate(withPings)).toHaveLength(4);
  });

  it('maps max_tokens to length, refusal to content_filter and keeps the stop_sequence value', async () => {
    const finishOf = async (reason: string, seq: string | null = null) =>
      (await translate([start(), ...textBlock('x'), ...ending(reason, seq)]))[2]!.choices[0]!;
    expect((await finishOf('max_tokens')).finish_reason).toBe('length');
    expect((await finishOf('refusal')).finish_reason).toBe('content_filter');
    expect(await finishOf('end_turn')).toMatchObject({ finish_reason: 'stop' });
    expect(await finishOf('stop_sequence', 'END')).toMatchObject({
      finish_reason: 'stop',
      stop_reason: 'END',
    });
  });

  it('turns thinking into reasoning_content and its signature into reasoning_signature', async () => {
    const chunks = await translate([
      start(),
      { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'hmm' } },
      {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'signature_delta', signature: 'sig' },
      },
      { type: 'content_block_stop', index: 0 },
      ...ending('end_turn'),
    ]);
    // The signature is our round-trip field, as on the non-streaming hub message.
    expect(deltas(chunks).slice(1, -1)).toEqual([
      { reasoning_content: 'hmm' },
      { reasoning_signature: 'sig' },
    ]);
  });

  it('sends a tool input given whole in content_block_start as the arguments', async () => {
    const chunks = await translate([
      start(),
      {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'tool_use', id: 'toolu_1', name: 'f', input: { a: [1, 2] } },
      },
      { type: 'content_block_stop', index: 0 },
      ...ending('tool_use'),
    ]);
    expect(deltas(chunks)[2]).toEqual({
      tool_calls: [{ index: 0, function: { arguments: '{"a":[1,2]}' } }],
    });
  });

  it('throws STREAM_TRUNCATED and never sends a finish when message_stop is missing', async () => {
    const events = [start(), ...textBlock('partial'), ending('end_turn')[0]!];
    const { items, error } = await collectUntilError(
      anthropicStreamToOpenAI(source(events), { includeUsage: true }),
    );
    expect(error).toBeInstanceOf(LlmFailoverError);
    expect(error).toMatchObject({ code: 'STREAM_TRUNCATED' });
    expect(deltas(items)).toEqual([{ role: 'assistant', content: '' }, { content: 'partial' }]);
    expect(items.every((c) => c.choices.every((ch) => ch.finish_reason === null))).toBe(true);
  });

  it('throws STREAM_UPSTREAM_ERROR carrying the body on an error event', async () => {
    const errorEvent = {
      type: 'error',
      error: { type: 'overloaded_error', message: 'Overloaded' },
    } as const satisfies AnthropicStreamEvent;
    const { items, error } = await collectUntilError(
      anthropicStreamToOpenAI(source([start(), ...textBlock('a'), errorEvent]), {
        includeUsage: false,
      }),
    );
    expect(error).toMatchObject({ code: 'STREAM_UPSTREAM_ERROR', upstreamBody: errorEvent });
    expect(items).toHaveLength(2);
  });

  it('lets an error thrown by the source propagate unchanged', async () => {
    const boom = new Error('socket reset');
    const { error } = await collectUntilError(
      anthropicStreamToOpenAI(source([start()], boom), { includeUsage: false }),
    );
    expect(error).toBe(boom);
  });

  it('uses the id, model and created the caller gives', async () => {
    const chunks = await collect(
      anthropicStreamToOpenAI(source([start(), ...textBlock('x'), ...ending('end_turn')]), {
        includeUsage: false,
        id: 'chatcmpl-mine',
        model: 'gpt-alias',
        created: 99,
      }),
    );
    for (const c of chunks)
      expect(c).toMatchObject({ id: 'chatcmpl-mine', model: 'gpt-alias', created: 99 });
  });
});
