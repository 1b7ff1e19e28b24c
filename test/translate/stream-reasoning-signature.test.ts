import type { ServerResponse } from 'node:http';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnthropicStreamEvent } from '../../src/protocols/anthropic-messages/stream.js';
import type { OpenAIChatChunk } from '../../src/protocols/openai-chat/stream.js';
import {
  anthropicStreamToResponses,
  chatStreamToResponses,
  openAIStreamToAnthropic,
} from '../../src/translate/index.js';
import { chunk, collect, source, toolDelta, usageChunk } from './stream-fixtures.js';
import { SseJudgeServer } from './sse-judge-server.js';

/*
 * A streamed Anthropic thinking signature crosses the hub (`reasoning_signature`) into a
 * Responses reasoning item's `encrypted_content`, as the non-streaming translation carries it;
 * and a hub signature becomes Anthropic's `signature_delta`. The official SDKs' accumulators judge
 * what the caller assembles.
 */

type Event = { type: string; [key: string]: unknown };

const server = new SseJudgeServer();

beforeAll(() => server.listen());
afterAll(() => server.close());

/** Writes translated events as SSE (`event: <type>`), as the gateway does. */
function sse(events: AsyncIterable<Event>): (res: ServerResponse) => Promise<void> {
  return async (res) => {
    for await (const e of events) res.write(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
  };
}

const SIG = 'EqQBCkYIBxgCKkD3-signature==';

/** message_start, a signed thinking block, a tool_use block, tool_use stop. */
function signedThinkingTranscript(): AnthropicStreamEvent[] {
  return [
    {
      type: 'message_start',
      message: {
        id: 'msg_sig1',
        type: 'message',
        role: 'assistant',
        model: 'claude-x',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 40, output_tokens: 1 },
      },
    },
    {
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'thinking', thinking: '', signature: '' },
    },
    { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'List ' } },
    { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'them.' } },
    { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: SIG } },
    { type: 'content_block_stop', index: 0 },
    {
      type: 'content_block_start',
      index: 1,
      content_block: { type: 'tool_use', id: 'toolu_1', name: 'shell', input: {} },
    },
    {
      type: 'content_block_delta',
      index: 1,
      delta: { type: 'input_json_delta', partial_json: '{"cmd":["ls"]}' },
    },
    { type: 'content_block_stop', index: 1 },
    {
      type: 'message_delta',
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: { output_tokens: 12 },
    },
    { type: 'message_stop' },
  ];
}

const codexRequest = {
  model: 'gpt-caller',
  input: 'list files',
  stream: true,
  include: ['reasoning.encrypted_content'],
};

describe('Anthropic thinking signature -> Responses encrypted_content (stream)', () => {
  it('the SDK sees it in output_item.done and in the final response', async () => {
    server.handler = sse(
      anthropicStreamToResponses(source(signedThinkingTranscript()), codexRequest),
    );
    const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'test', maxRetries: 0 });
    const stream = client.responses.stream({
      model: 'gpt-caller',
      input: 'list files',
      include: ['reasoning.encrypted_content'],
    });
    const done: unknown[] = [];
    stream.on('response.output_item.done', (e) => done.push(e.item));
    const res = await stream.finalResponse();
    const reasoning = {
      type: 'reasoning',
      summary: [{ type: 'summary_text', text: 'List them.' }],
      encrypted_content: SIG,
    };
    expect(done[0]).toMatchObject(reasoning);
    expect(res.output.map((o) => o.type)).toEqual(['reasoning', 'function_call']);
    expect(res.output[0]).toMatchObject(reasoning);
    expect(res.output[1]).toMatchObject({ call_id: 'toolu_1', arguments: '{"cmd":["ls"]}' });
  });

  it('without include reasoning.encrypted_content the item has none (as non-streaming)', async () => {
    const { include: _include, ...plain } = codexRequest;
    const events = await collect(
      anthropicStreamToResponses(source(signedThinkingTranscript()), plain),
    );
    const items = events.filter((e) => e.type === 'response.output_item.done');
    expect(items[0]).toMatchObject({ item: { type: 'reasoning' } });
    expect(JSON.stringify(events)).not.toContain(SIG);
  });
});

describe('hub reasoning_signature -> Responses, edge cases', () => {
  const reasoningItems = (events: Event[]): Record<string, unknown>[] =>
    events
      .filter((e) => e.type === 'response.output_item.done')
      .map((e) => e.item as Record<string, unknown>)
      .filter((item) => item.type === 'reasoning');

  it('reasoning held while a call streams keeps its signature when released after the call', async () => {
    const chat: OpenAIChatChunk[] = [
      chunk({ role: 'assistant', content: '' }),
      chunk(toolDelta(0, '{"a":', { id: 'call_1', name: 'f' })),
      chunk({ reasoning_content: 'later thought' }),
      chunk({ reasoning_signature: 'sig-late' }),
      chunk(toolDelta(0, '1}')),
      chunk({}, 'tool_calls'),
      usageChunk(5, 5),
    ];
    const events = await collect(chatStreamToResponses(source(chat), codexRequest));
    const done = events.filter((e) => e.type === 'response.output_item.done');
    expect(done.map((e) => (e.item as { type: string }).type)).toEqual([
      'function_call',
      'reasoning',
    ]);
    expect(reasoningItems(events)).toMatchObject([
      { summary: [{ text: 'later thought' }], encrypted_content: 'sig-late' },
    ]);
    const completed = events.at(-1)!.response as { output: unknown[] };
    expect(completed.output[1]).toMatchObject({ encrypted_content: 'sig-late' });
  });

  it('a signed run ends its item: the next thinking is another item with its own signature', async () => {
    const chat: OpenAIChatChunk[] = [
      chunk({ reasoning_content: 'one' }),
      chunk({ reasoning_signature: 'sig-1' }),
      chunk({ reasoning_content: 'two' }),
      chunk({ reasoning_signature: 'sig-2' }),
      chunk({ reasoning_content: 'three' }),
      chunk({ content: 'ok' }),
      chunk({}, 'stop'),
    ];
    const events = await collect(chatStreamToResponses(source(chat), codexRequest));
    const items = reasoningItems(events);
    expect(
      items.map((i) => [(i.summary as { text: string }[])[0]!.text, i.encrypted_content]),
    ).toEqual([
      ['one', 'sig-1'],
      ['two', 'sig-2'],
      ['three', undefined],
    ]);
  });

  it('a signature without thinking text is dropped, as the non-streaming translation drops it', async () => {
    const chat = [
      chunk({ reasoning_signature: 'sig-x' }),
      chunk({ content: 'ok' }),
      chunk({}, 'stop'),
    ];
    const events = await collect(chatStreamToResponses(source(chat), codexRequest));
    expect(reasoningItems(events)).toEqual([]);
    expect(JSON.stringify(events)).not.toContain('sig-x');
  });
});

describe('hub reasoning_signature -> Anthropic signature_delta (stream)', () => {
  it('the MessageStream assembles the thinking block with its signature', async () => {
    const chat: OpenAIChatChunk[] = [
      chunk({ role: 'assistant', content: '' }),
      chunk({ reasoning_content: 'Think ' }),
      chunk({ reasoning_content: 'hard.' }),
      chunk({ reasoning_signature: SIG }),
      chunk({ content: 'Done.' }),
      chunk({}, 'stop'),
      usageChunk(9, 4),
    ];
    server.handler = sse(openAIStreamToAnthropic(source(chat), { model: 'claude-caller' }));
    const client = new Anthropic({ baseURL: server.url, apiKey: 'test', maxRetries: 0 });
    const message = await client.messages
      .stream({
        model: 'claude-caller',
        max_tokens: 64,
        messages: [{ role: 'user', content: 'go' }],
      })
      .finalMessage();
    expect(message.content).toEqual([
      { type: 'thinking', thinking: 'Think hard.', signature: SIG },
      { type: 'text', text: 'Done.' },
    ]);
  });

  it('thinking held behind a tool block gets its signature when released', async () => {
    const chat: OpenAIChatChunk[] = [
      chunk(toolDelta(0, '{"a":', { id: 'call_1', name: 'f' })),
      chunk({ reasoning_content: 'held' }),
      chunk({ reasoning_signature: 'sig-held' }),
      chunk(toolDelta(0, '1}')),
      chunk({}, 'tool_calls'),
    ];
    const events = await collect(openAIStreamToAnthropic(source(chat), { model: 'c' }));
    const deltas = events.flatMap((e) => (e.type === 'content_block_delta' ? [e.delta] : []));
    expect(deltas).toContainEqual({ type: 'signature_delta', signature: 'sig-held' });
    const starts = events.flatMap((e) =>
      e.type === 'content_block_start' ? [(e.content_block as { type: string }).type] : [],
    );
    expect(starts).toEqual(['tool_use', 'thinking']);
  });
});
