import { describe, expect, it } from 'vitest';
import type { OpenAIChatChunk } from '../../src/protocols/openai-chat/stream.js';
import {
  chatStreamToResponses,
  chatToResponsesStep,
  responsesStreamToChat,
} from '../../src/translate/index.js';
import { chunk, collect, collectUntilError, source, toolDelta } from './stream-fixtures.js';

const request = { model: 'gpt-caller', input: 'hi' };
type Event = { type: string; [key: string]: unknown };

const types = (events: Event[]): string[] => events.map((e) => e.type);
const deltas = (chunks: OpenAIChatChunk[]): unknown[] =>
  chunks.map((c) => c.choices[0]?.delta ?? c.usage);

describe('chat -> Responses stream edge cases', () => {
  it('an empty clean stream still opens and completes the response', async () => {
    const events = await collect(chatStreamToResponses(source([]), request));
    expect(types(events)).toEqual([
      'response.created',
      'response.in_progress',
      'response.completed',
    ]);
    expect(events[2]).toMatchObject({ response: { status: 'completed', output: [], usage: null } });
  });

  it('a refusal streams as a refusal part of the message', async () => {
    const events = await collect(
      chatStreamToResponses(
        source([chunk({ refusal: 'No' }), chunk({ refusal: '.' }), chunk({}, 'stop')]),
        request,
      ),
    );
    expect(types(events)).toContain('response.refusal.delta');
    const done = events.find((e) => e.type === 'response.output_item.done');
    expect(done?.item).toMatchObject({ content: [{ type: 'refusal', refusal: 'No.' }] });
  });

  it('text that arrives while a call streams is held and follows the call, never cutting it', async () => {
    const events = await collect(
      chatStreamToResponses(
        source([
          chunk(toolDelta(0, '{"a":', { id: 'c0', name: 'f' })),
          chunk({ content: 'late' }),
          chunk(toolDelta(0, '1}')),
          chunk({}, 'tool_calls'),
        ]),
        request,
      ),
    );
    const output = (events.at(-1)!.response as { output: unknown[] }).output;
    expect(output).toMatchObject([
      { type: 'function_call', arguments: '{"a":1}', call_id: 'c0' },
      { type: 'message', content: [{ type: 'output_text', text: 'late' }] },
    ]);
  });

  it('an in-band error chunk throws STREAM_UPSTREAM_ERROR and no terminal event follows', async () => {
    const bad = { ...chunk({ content: 'x' }), error: { message: 'overloaded' } };
    const { items, error } = await collectUntilError(
      chatStreamToResponses(source([chunk({ content: 'a' }), bad]), request),
    );
    expect(error).toMatchObject({ code: 'STREAM_UPSTREAM_ERROR' });
    expect(
      types(items).filter((t) => t.startsWith('response.c') || t === 'response.incomplete'),
    ).toEqual(['response.created', 'response.content_part.added']);
  });

  it('the step form yields the same events as the generator, in batches', async () => {
    const chunks = [chunk({ content: 'a' }), chunk({ content: 'b' }), chunk({}, 'stop')];
    const step = chatToResponsesStep(request, { responseId: 'resp_s' });
    const batched: Event[] = [];
    for (const c of chunks) step.push(c);
    batched.push(...step.out.splice(0));
    step.end();
    batched.push(...step.out.splice(0));
    const streamed = await collect(
      chatStreamToResponses(source(chunks), request, { responseId: 'resp_s' }),
    );
    expect(batched).toEqual(streamed);
  });
});

describe('Responses -> chat stream edge cases', () => {
  const created = {
    type: 'response.created',
    response: { id: 'resp_1', model: 'm', created_at: 5 },
  };
  const completed = {
    type: 'response.completed',
    response: { id: 'resp_1', usage: { input_tokens: 1, output_tokens: 2 } },
  };

  it('items that arrive only whole (.done, no deltas) still reach the chat caller', async () => {
    const events = [
      created,
      {
        type: 'response.output_item.added',
        output_index: 0,
        item: { type: 'message', content: [] },
      },
      {
        type: 'response.output_item.done',
        output_index: 0,
        item: { type: 'message', content: [{ type: 'output_text', text: 'whole' }] },
      },
      {
        type: 'response.output_item.added',
        output_index: 1,
        item: { type: 'function_call', call_id: 'c1', name: 'f', arguments: '' },
      },
      {
        type: 'response.output_item.done',
        output_index: 1,
        item: { type: 'function_call', call_id: 'c1', name: 'f', arguments: '{"x":1}' },
      },
      completed,
    ];
    const chunks = await collect(responsesStreamToChat(source(events), { includeUsage: false }));
    expect(deltas(chunks)).toEqual([
      { role: 'assistant', content: '' },
      { content: 'whole' },
      {
        tool_calls: [
          { index: 0, id: 'c1', type: 'function', function: { name: 'f', arguments: '' } },
        ],
      },
      { tool_calls: [{ index: 0, function: { arguments: '{"x":1}' } }] },
      {},
    ]);
    expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe('tool_calls');
    expect(chunks[0]).toMatchObject({ id: 'chatcmpl-1', model: 'm', created: 5 });
  });

  it('raw reasoning text and its summary are not both sent: the first family seen wins', async () => {
    const events = [
      created,
      {
        type: 'response.output_item.added',
        output_index: 0,
        item: { type: 'reasoning', summary: [] },
      },
      { type: 'response.reasoning_text.delta', output_index: 0, content_index: 0, delta: 'raw' },
      {
        type: 'response.reasoning_summary_text.delta',
        output_index: 0,
        summary_index: 0,
        delta: 'sum',
      },
      { type: 'response.web_search_call.searching', output_index: 1 },
      completed,
    ];
    const chunks = await collect(responsesStreamToChat(source(events), { includeUsage: true }));
    expect(deltas(chunks)).toEqual([
      { role: 'assistant', content: '' },
      { reasoning_content: 'raw' },
      {},
      expect.objectContaining({ prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 }),
    ]);
  });

  it('response.incomplete for content_filter ends with finish_reason content_filter', async () => {
    const events = [
      created,
      {
        type: 'response.incomplete',
        response: { incomplete_details: { reason: 'content_filter' } },
      },
    ];
    const chunks = await collect(responsesStreamToChat(source(events), { includeUsage: false }));
    expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe('content_filter');
  });
});
