import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnthropicStreamEvent } from '../../src/protocols/anthropic-messages/stream.js';
import { parseOpenAIResponsesRequest } from '../../src/protocols/index.js';
import {
  anthropicStreamToResponses,
  chatStreamToResponses,
  responsesRequestToAnthropic,
} from '../../src/translate/index.js';
import { customTools, patch } from '../fixtures/translate/responses/custom-tool-requests.js';
import { chunk, collect, source, toolDelta, usageChunk } from './stream-fixtures.js';
import { SseJudgeServer } from './sse-judge-server.js';

/*
 * Calls of custom (freeform) tools streamed back to a Responses caller: a loopback server answers
 * the openai SDK's responses.stream() with the translator's events as SSE; the SDK's stream
 * accumulator is the judge of what a caller (Codex reads output_item.done) can assemble.
 */

type Event = { type: string; [key: string]: unknown };

const server = new SseJudgeServer();

beforeAll(() => server.listen());
afterAll(() => server.close());

const request = parseOpenAIResponsesRequest({
  model: 'gpt-caller',
  input: 'Add a.txt',
  stream: true,
  tools: customTools,
});

/** The SDK's view of `translated`: every event it emitted, and its final response. */
async function judge(translated: AsyncIterable<Event>) {
  server.handler = async (res) => {
    for await (const e of translated)
      server.write(res, `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
  };
  const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'test', maxRetries: 0 });
  const stream = client.responses.stream({ model: 'gpt-caller', input: 'Add a.txt' });
  const seen: Event[] = [];
  for await (const e of stream) seen.push(e as unknown as Event);
  return { seen, final: await stream.finalResponse() };
}

const args = JSON.stringify({ input: patch });

describe('a chat stream calling custom tools, judged by openai responses.stream()', () => {
  it('streams custom_tool_call items with their input events; a function call stays one', async () => {
    const chat = [
      chunk({ role: 'assistant', content: '' }),
      chunk(toolDelta(0, '', { id: 'call_p', name: 'apply_patch' })),
      chunk(toolDelta(0, args.slice(0, 20))),
      chunk(toolDelta(0, args.slice(20))),
      chunk(toolDelta(1, '{"cmd":"ls"}', { id: 'call_s', name: 'shell' })),
      chunk(toolDelta(2, '{"input":"do', { id: 'call_n', name: 'mcp__ed__note' })),
      chunk(toolDelta(2, 'ne"}')),
      chunk({}, 'tool_calls'),
      usageChunk(30, 12),
    ];
    const { seen, final } = await judge(chatStreamToResponses(source(chat), request));
    expect(final.status).toBe('completed');
    expect(final.output).toEqual([
      {
        id: 'ctc_1_0',
        type: 'custom_tool_call',
        status: 'completed',
        call_id: 'call_p',
        name: 'apply_patch',
        input: patch,
      },
      expect.objectContaining({
        type: 'function_call',
        call_id: 'call_s',
        arguments: '{"cmd":"ls"}',
      }),
      {
        id: 'ctc_1_2',
        type: 'custom_tool_call',
        status: 'completed',
        call_id: 'call_n',
        name: 'note',
        namespace: 'mcp__ed__',
        input: 'done',
      },
    ]);
    // The events OpenAI sends for a custom call, in its order, for the first item.
    const first = seen.filter((e) => e.output_index === 0).map((e) => e.type);
    expect(first).toEqual([
      'response.output_item.added',
      'response.custom_tool_call_input.delta',
      'response.custom_tool_call_input.done',
      'response.output_item.done',
    ]);
    const added = seen.find((e) => e.type === 'response.output_item.added');
    expect(added?.item).toMatchObject({
      type: 'custom_tool_call',
      status: 'in_progress',
      input: '',
    });
    // What a caller assembles from the deltas is what .done and output_item.done carry.
    for (const [index, input] of [
      [0, patch],
      [2, 'done'],
    ] as const) {
      const at = seen.filter((e) => e.output_index === index);
      const deltas = at.filter((e) => e.type === 'response.custom_tool_call_input.delta');
      expect(deltas.map((e) => e.delta).join('')).toBe(input);
      const done = at.find((e) => e.type === 'response.custom_tool_call_input.done');
      expect(done).toMatchObject({ item_id: `ctc_1_${index}`, input });
      const item = at.find((e) => e.type === 'response.output_item.done')?.item;
      expect(item).toMatchObject({ type: 'custom_tool_call', status: 'completed', input });
    }
    expect(seen.some((e) => e.type === 'response.function_call_arguments.delta')).toBe(true);
  });

  it('arguments that are not {"input": string} are the input as written; an empty input has no delta', async () => {
    const chat = [
      chunk(toolDelta(0, '*** Begin Patch\n', { id: 'call_raw', name: 'apply_patch' })),
      chunk(toolDelta(0, '*** End Patch')),
      chunk(toolDelta(1, '{"input":""}', { id: 'call_empty', name: 'apply_patch' })),
      chunk({}, 'tool_calls'),
    ];
    const { seen, final } = await judge(chatStreamToResponses(source(chat), request));
    expect(final.output).toMatchObject([
      { type: 'custom_tool_call', call_id: 'call_raw', input: '*** Begin Patch\n*** End Patch' },
      { type: 'custom_tool_call', call_id: 'call_empty', input: '' },
    ]);
    const second = seen.filter((e) => e.output_index === 1).map((e) => e.type);
    expect(second).not.toContain('response.custom_tool_call_input.delta');
    expect(second).toContain('response.custom_tool_call_input.done');
  });
});

describe('custom tools through the Anthropic Messages hub', () => {
  it('a custom tool is a tool of one string input; a tool_use of it streams back as a custom_tool_call', async () => {
    const { value, notes } = responsesRequestToAnthropic(request);
    expect(notes).toEqual([]);
    expect(value.tools?.[0]).toMatchObject({
      name: 'apply_patch',
      input_schema: {
        type: 'object',
        required: ['input'],
        properties: { input: { type: 'string' } },
      },
    });
    const message = {
      id: 'msg_up',
      type: 'message' as const,
      role: 'assistant' as const,
      model: 'claude-x',
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 10, output_tokens: 1 },
    };
    const anthropic: AnthropicStreamEvent[] = [
      { type: 'message_start', message },
      {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'tool_use', id: 'toolu_P', name: 'apply_patch', input: {} },
      },
      {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'input_json_delta', partial_json: args },
      },
      { type: 'content_block_stop', index: 0 },
      {
        type: 'message_delta',
        delta: { stop_reason: 'tool_use', stop_sequence: null },
        usage: { output_tokens: 9 },
      },
      { type: 'message_stop' },
    ];
    const { final } = await judge(anthropicStreamToResponses(source(anthropic), request));
    expect(final.output).toMatchObject([
      { type: 'custom_tool_call', call_id: 'toolu_P', name: 'apply_patch', input: patch },
    ]);
    // And the same transcript without a caller in between: one delta, the whole input.
    const direct = await collect(anthropicStreamToResponses(source(anthropic), request));
    const deltas = direct.filter((e) => e.type === 'response.custom_tool_call_input.delta');
    expect(deltas.map((e) => (e as { delta: string }).delta)).toEqual([patch]);
  });
});
