import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LlmFailoverError } from '../../src/errors/index.js';
import type { OpenAIChatChunk } from '../../src/protocols/openai-chat/stream.js';
import {
  anthropicStreamToResponses,
  chatStreamToResponses,
  flatToolName,
  responsesStreamToAnthropic,
  responsesStreamToChat,
} from '../../src/translate/index.js';
import { anthropicToolTranscript, chunk, source, toolDelta } from './stream-fixtures.js';
import { SseJudgeServer } from './sse-judge-server.js';
import type { SseHandler } from './sse-judge-server.js';

/*
 * Loopback: a node:http server answers each SDK request with the OUTPUT of a translator applied
 * to a scripted upstream transcript, written as SSE the way the gateway writes it. The official
 * SDKs' stream accumulators are the judges of what a caller can assemble.
 */

type Event = { type: string; [key: string]: unknown };
type Handler = SseHandler;

const judge = new SseJudgeServer();
const frames = judge.frames;
const write = (res: ServerResponse, frame: string): void => judge.write(res, frame);

const request = { model: 'gpt-caller', input: 'hi', stream: true };

/** Responses events as SSE (`event: <type>`); a translator error cuts the connection. */
const serveResponses =
  (events: AsyncIterable<Event>): Handler =>
  async (res) => {
    for await (const e of events) write(res, `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
  };

const fixture = (name: string): { chat: OpenAIChatChunk[]; responses: Event[] } =>
  JSON.parse(
    readFileSync(join(import.meta.dirname, '../fixtures/responses-stream', name), 'utf8'),
  ) as { chat: OpenAIChatChunk[]; responses: Event[] };

function openai(): OpenAI {
  return new OpenAI({ baseURL: `${judge.url}/v1`, apiKey: 'test', maxRetries: 0 });
}

async function finalResponse(events: AsyncIterable<Event>) {
  frames.length = 0;
  judge.handler = serveResponses(events);
  return openai().responses.stream({ model: 'gpt-caller', input: 'hi' }).finalResponse();
}

beforeAll(() => judge.listen());
afterAll(() => judge.close());

describe('openai responses.stream() assembles translated chat streams', () => {
  it('a text answer, with usage and cached tokens', async () => {
    const res = await finalResponse(
      chatStreamToResponses(source(fixture('text-answer.json').chat), request),
    );
    expect(res.status).toBe('completed');
    expect(res.output_text).toBe('Hello, world');
    // The upstream's id re-prefixed (chatcmpl-1 -> resp_1); item ids derive from it.
    expect(res.id).toBe('resp_1');
    expect(res.output[0]).toMatchObject({ type: 'message', status: 'completed', id: 'msg_1_0' });
    expect(res.usage).toEqual({
      input_tokens: 50,
      input_tokens_details: { cached_tokens: 20 },
      output_tokens: 3,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 53,
    });
  });

  it('a function call with chunked arguments keeps the chat tool call id as call_id', async () => {
    const chat = fixture('tool-call-chunked-arguments.json').chat;
    const res = await finalResponse(chatStreamToResponses(source(chat), request));
    expect(res.output).toEqual([
      expect.objectContaining({
        type: 'function_call',
        id: expect.stringMatching(/^fc_/),
        call_id: 'call_weather',
        name: 'get_weather',
        arguments: '{"city":"Paris"}',
        status: 'completed',
      }),
    ]);
  });

  it('parallel calls with interleaved deltas become exact items in index order', async () => {
    const chat = fixture('parallel-tool-calls.json').chat;
    const res = await finalResponse(chatStreamToResponses(source(chat), request));
    expect(res.output_text).toBe('Checking.');
    expect(
      res.output.map((o) =>
        o.type === 'function_call' ? [o.call_id, o.name, JSON.parse(o.arguments)] : o.type,
      ),
    ).toEqual([
      'message',
      ['call_weather', 'get_weather', { city: 'Paris' }],
      ['call_time', 'get_time', { tz: 'UTC' }],
    ]);
  });

  it('reasoning_content becomes a reasoning summary the SDK assembles from its deltas', async () => {
    const chat = fixture('reasoning.json').chat;
    frames.length = 0;
    judge.handler = serveResponses(chatStreamToResponses(source(chat), request));
    const stream = openai().responses.stream({ model: 'gpt-caller', input: 'hi' });
    const summaryDeltas: string[] = [];
    stream.on('response.reasoning_summary_text.delta', (e) => summaryDeltas.push(e.delta));
    const res = await stream.finalResponse();
    expect(summaryDeltas.join('')).toBe('Let me think.');
    expect(res.output[0]).toMatchObject({
      type: 'reasoning',
      summary: [{ type: 'summary_text', text: 'Let me think.' }],
    });
    expect(res.output_text).toBe('42');
    expect(res.usage?.output_tokens_details.reasoning_tokens).toBe(15);
  });

  it('a length stop ends with response.incomplete and max_output_tokens', async () => {
    const res = await finalResponse(
      chatStreamToResponses(source(fixture('length-stop.json').chat), request),
    );
    expect(res.status).toBe('incomplete');
    expect(res.incomplete_details).toEqual({ reason: 'max_output_tokens' });
    expect(res.output_text).toBe('Once upon a time');
    expect(frames.at(-1)).toMatch(/^event: response\.incomplete\n/);
  });

  it('a flattened namespace function is restored from the request (as the request translator flattened it)', async () => {
    const withNamespace = {
      ...request,
      tools: [
        { type: 'function', name: 'plain', parameters: { type: 'object' } },
        {
          type: 'namespace',
          name: 'mcp__fs__',
          description: 'files',
          tools: [{ type: 'function', name: 'read_file', parameters: { type: 'object' } }],
        },
      ],
    };
    // The chat side saw the flat name the request translator made.
    const flat = flatToolName('mcp__fs__', 'read_file');
    const chat = [
      chunk(toolDelta(0, '{"path":"a"}', { id: 'call_ns', name: flat })),
      chunk(toolDelta(1, '{}', { id: 'call_plain', name: 'plain' })),
      chunk({}, 'tool_calls'),
    ];
    const res = await finalResponse(chatStreamToResponses(source(chat), withNamespace));
    expect(res.output).toMatchObject([
      { type: 'function_call', name: 'read_file', namespace: 'mcp__fs__', call_id: 'call_ns' },
      { type: 'function_call', name: 'plain', call_id: 'call_plain' },
    ]);
    expect(res.output[1]).not.toHaveProperty('namespace');
  });

  it('a toolName option replaces the default name mapping', async () => {
    const chat = [
      chunk(toolDelta(0, '{}', { id: 'call_x', name: 'a.b' })),
      chunk({}, 'tool_calls'),
    ];
    const toolName = (flat: string) => ({ name: flat.split('.')[1]!, namespace: 'a' });
    const res = await finalResponse(chatStreamToResponses(source(chat), request, { toolName }));
    expect(res.output[0]).toMatchObject({ name: 'b', namespace: 'a', call_id: 'call_x' });
  });

  it('a cut chat upstream never yields response.completed: the SDK sees the connection fail', async () => {
    const cut = new LlmFailoverError('STREAM_TRUNCATED', 'upstream ended without [DONE]');
    const upstream = source(
      [chunk({ role: 'assistant' }), chunk({ content: 'one ' }), chunk({ content: 'two' })],
      cut,
    );
    frames.length = 0;
    judge.handler = serveResponses(chatStreamToResponses(upstream, request));
    await expect(
      openai().responses.stream({ model: 'gpt-caller', input: 'hi' }).finalResponse(),
    ).rejects.toThrow();
    const deltas = frames
      .filter((f) => f.startsWith('event: response.output_text.delta\n'))
      .map((f) => (JSON.parse(f.slice(f.indexOf('data: ') + 6)) as { delta: string }).delta);
    expect(deltas.join('')).toBe('one two');
    expect(frames.some((f) => /^event: response\.(completed|incomplete)\n/.test(f))).toBe(false);
  });
});

describe('Messages <-> Responses through the chat hub, judged by the SDKs', () => {
  it('an Anthropic stream with text and two tool_use blocks assembles as a Responses answer', async () => {
    const res = await finalResponse(
      anthropicStreamToResponses(source(anthropicToolTranscript()), request),
    );
    expect(res.status).toBe('completed');
    expect(res.output_text).toBe('Hello, world');
    expect(
      res.output.flatMap((o) =>
        o.type === 'function_call' ? [[o.call_id, o.name, JSON.parse(o.arguments) as unknown]] : [],
      ),
    ).toEqual([
      ['toolu_A', 'get_weather', { city: 'Paris' }],
      ['toolu_B', 'get_time', { tz: 'Europe/Paris' }],
    ]);
    // Anthropic's input excludes cache reads; Responses' includes them.
    expect(res.usage).toMatchObject({
      input_tokens: 130,
      input_tokens_details: { cached_tokens: 30 },
    });
  });

  it('an Anthropic stream without message_stop never yields response.completed', async () => {
    const events = anthropicToolTranscript().slice(0, 5);
    frames.length = 0;
    judge.handler = serveResponses(anthropicStreamToResponses(source(events), request));
    await expect(
      openai().responses.stream({ model: 'gpt-caller', input: 'hi' }).finalResponse(),
    ).rejects.toThrow();
    expect(frames.some((f) => f.startsWith('event: response.completed'))).toBe(false);
    expect(frames.some((f) => f.startsWith('event: response.output_text.delta'))).toBe(true);
  });

  it('a Responses upstream assembles in the Anthropic MessageStream (thinking, text, tool_use)', async () => {
    frames.length = 0;
    judge.handler = async (res) => {
      const upstream = source(fixture('openai-upstream.json').responses);
      for await (const e of responsesStreamToAnthropic(upstream, { model: 'claude-caller' })) {
        write(res, `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
      }
    };
    const client = new Anthropic({ baseURL: judge.url, apiKey: 'test', maxRetries: 0 });
    const message = await client.messages
      .stream({
        model: 'claude-caller',
        max_tokens: 64,
        messages: [{ role: 'user', content: 'go' }],
      })
      .finalMessage();
    expect(message.stop_reason).toBe('tool_use');
    expect(message.content.map((b) => b.type)).toEqual(['thinking', 'text', 'tool_use']);
    // The upstream's encrypted_content is the thinking signature (our round-trip field).
    expect(message.content[0]).toMatchObject({ type: 'thinking', signature: 'gAAAA...' });
    expect(message.content[2]).toMatchObject({
      id: 'call_up1',
      name: 'shell',
      input: { cmd: ['ls'] },
    });
    expect(message.usage).toMatchObject({
      input_tokens: 72,
      output_tokens: 60,
      cache_read_input_tokens: 128,
    });
  });

  it('a Responses upstream assembles in the chat stream helper; a cut one raises', async () => {
    judge.handler = async (res) => {
      const upstream = source(fixture('openai-upstream.json').responses);
      for await (const c of responsesStreamToChat(upstream, { includeUsage: true })) {
        write(res, `data: ${JSON.stringify(c)}\n\n`);
      }
      write(res, 'data: [DONE]\n\n');
    };
    const final = await openai()
      .chat.completions.stream({ model: 'gpt-x', messages: [{ role: 'user', content: 'go' }] })
      .finalChatCompletion();
    expect(final.choices[0]!.finish_reason).toBe('tool_calls');
    expect(final.choices[0]!.message.content).toBe('Sure.');
    expect(final.choices[0]!.message.tool_calls).toMatchObject([
      {
        id: 'call_up1',
        type: 'function',
        function: { name: 'shell', arguments: '{"cmd":["ls"]}' },
      },
    ]);
    expect(final.usage).toMatchObject({ prompt_tokens: 200, completion_tokens: 60 });

    const cut = fixture('openai-upstream.json').responses.slice(0, -1);
    const chunks: OpenAIChatChunk[] = [];
    const run = async () => {
      for await (const c of responsesStreamToChat(source(cut), { includeUsage: true }))
        chunks.push(c);
    };
    await expect(run()).rejects.toMatchObject({ code: 'STREAM_TRUNCATED' });
    expect(chunks.some((c) => c.choices[0]?.finish_reason)).toBe(false);
  });

  it('response.failed and error events are in-band errors, never a clean end', async () => {
    const events = fixture('openai-upstream.json').responses.slice(0, 5);
    for (const terminal of [
      {
        type: 'response.failed',
        sequence_number: 5,
        response: { status: 'failed', error: { code: 'server_error', message: 'boom' } },
      },
      { type: 'error', sequence_number: 5, code: 'server_error', message: 'boom', param: null },
    ]) {
      const chunks: OpenAIChatChunk[] = [];
      const run = async () => {
        for await (const c of responsesStreamToChat(source([...events, terminal]), {
          includeUsage: true,
        }))
          chunks.push(c);
      };
      await expect(run()).rejects.toMatchObject({ code: 'STREAM_UPSTREAM_ERROR' });
      expect(
        chunks.map((c) => c.choices[0]?.delta.reasoning_content ?? c.choices[0]?.delta.role),
      ).toEqual(['assistant', '**Plan**\n']);
    }
  });
});
