import type { ServerResponse } from 'node:http';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LlmFailoverError } from '../../src/errors/index.js';
import { anthropicStreamToOpenAI } from '../../src/translate/anthropic-stream-to-openai.js';
import { openAIStreamToAnthropic } from '../../src/translate/openai-stream-to-anthropic.js';
import {
  anthropicToolTranscript,
  chunk,
  openAIToolTranscript,
  source,
  toolDelta,
  usageChunk,
} from './stream-fixtures.js';
import { SseJudgeServer } from './sse-judge-server.js';
import type { SseHandler } from './sse-judge-server.js';

/*
 * Loopback: a node:http server answers each SDK request with the OUTPUT of a transform applied to
 * a scripted upstream transcript, written as SSE the way the gateway writes it. The official SDKs
 * are the judges of what a caller can assemble.
 */

type Handler = SseHandler;

const judge = new SseJudgeServer();
const frames = judge.frames;
const write = (res: ServerResponse, frame: string): void => judge.write(res, frame);

/** The transforms' output as an OpenAI caller gets it: data lines, then [DONE] on a clean end. */
const serveOpenAI = (): Handler => async (res) => {
  const events = source(anthropicToolTranscript());
  for await (const c of anthropicStreamToOpenAI(events, { includeUsage: true, model: 'gpt-x' })) {
    write(res, `data: ${JSON.stringify(c)}\n\n`);
  }
  write(res, 'data: [DONE]\n\n');
};

/** As an Anthropic caller gets it; a failure becomes an `event: error` and no message_stop. */
const serveAnthropic =
  (upstream: AsyncIterable<ReturnType<typeof chunk>>): Handler =>
  async (res) => {
    try {
      for await (const e of openAIStreamToAnthropic(upstream, { model: 'claude-caller' })) {
        write(res, `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const body = { type: 'error', error: { type: 'api_error', message } };
      write(res, `event: error\ndata: ${JSON.stringify(body)}\n\n`);
    }
  };

beforeAll(() => judge.listen());
afterAll(() => judge.close());

describe('official SDKs consume translated streams', () => {
  it('openai stream helper assembles text and two tool calls from an Anthropic stream', async () => {
    judge.handler = serveOpenAI();
    const client = new OpenAI({ baseURL: `${judge.url}/v1`, apiKey: 'test', maxRetries: 0 });
    const stream = client.chat.completions.stream({
      model: 'gpt-x',
      messages: [{ role: 'user', content: 'weather and time in Paris?' }],
      stream_options: { include_usage: true },
    });
    const final = await stream.finalChatCompletion();
    const choice = final.choices[0]!;
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.content).toBe('Hello, world');
    expect(
      choice.message.tool_calls?.map((t) =>
        t.type === 'function' ? [t.id, t.function.name, t.function.arguments] : [t.type],
      ),
    ).toEqual([
      ['toolu_A', 'get_weather', '{"city": "Paris"}'],
      ['toolu_B', 'get_time', '{"tz":"Europe/Paris"}'],
    ]);
    expect(final.usage).toMatchObject({ prompt_tokens: 130, completion_tokens: 57 });
  });

  it('anthropic MessageStream assembles text, two tool_use blocks and usage from an OpenAI stream', async () => {
    judge.handler = serveAnthropic(source(openAIToolTranscript()));
    const client = new Anthropic({ baseURL: judge.url, apiKey: 'test', maxRetries: 0 });
    const stream = client.messages.stream({
      model: 'claude-caller',
      max_tokens: 1024,
      messages: [{ role: 'user', content: 'weather and time in Paris?' }],
    });
    const message = await stream.finalMessage();
    expect(message.stop_reason).toBe('tool_use');
    expect(message.content).toEqual([
      { type: 'text', text: 'Hello, world' },
      { type: 'tool_use', id: 'call_weather', name: 'get_weather', input: { city: 'Paris' } },
      {
        type: 'tool_use',
        id: 'call_time',
        name: 'get_time',
        input: { tz: 'Europe/Paris', fmt: 24 },
      },
    ]);
    expect(message.usage).toMatchObject({
      input_tokens: 100,
      output_tokens: 45,
      cache_read_input_tokens: 20,
    });
  });

  it('anthropic MessageStream gets exact inputs from interleaved parallel tool-call deltas', async () => {
    judge.handler = serveAnthropic(
      source([
        chunk(toolDelta(0, '{"a":', { id: 'call_0', name: 'f' })),
        chunk(toolDelta(1, '{"b":[', { name: 'g' })),
        chunk(toolDelta(0, '"x"}')),
        chunk(toolDelta(1, '1,2]}')),
        chunk({}, 'tool_calls'),
        usageChunk(9, 8),
      ]),
    );
    const client = new Anthropic({ baseURL: judge.url, apiKey: 'test', maxRetries: 0 });
    const message = await client.messages
      .stream({ model: 'c', max_tokens: 64, messages: [{ role: 'user', content: 'go' }] })
      .finalMessage();
    expect(
      message.content.map((b) => (b.type === 'tool_use' ? [b.name, b.input] : b.type)),
    ).toEqual([
      ['f', { a: 'x' }],
      ['g', { b: [1, 2] }],
    ]);
    const second = message.content[1];
    expect(second?.type === 'tool_use' && second.id.startsWith('toolu_')).toBe(true);
    expect(message.usage).toMatchObject({ input_tokens: 9, output_tokens: 8 });
  });

  it('anthropic SDK raises when the OpenAI upstream is cut after 3 content chunks', async () => {
    frames.length = 0;
    const cut = new LlmFailoverError('STREAM_TRUNCATED', 'upstream ended without [DONE]');
    const upstream = source(
      [
        chunk({ role: 'assistant' }),
        chunk({ content: 'one ' }),
        chunk({ content: 'two ' }),
        chunk({ content: 'three' }),
      ],
      cut,
    );
    judge.handler = serveAnthropic(upstream);
    const client = new Anthropic({ baseURL: judge.url, apiKey: 'test', maxRetries: 0 });
    const stream = client.messages.stream({
      model: 'claude-caller',
      max_tokens: 1024,
      messages: [{ role: 'user', content: 'count' }],
    });
    const texts: string[] = [];
    stream.on('text', (t) => texts.push(t));
    await expect(stream.finalMessage()).rejects.toThrow(/upstream ended without \[DONE\]/);
    expect(texts.join('')).toBe('one two three');
    expect(frames.some((f) => f.startsWith('event: message_stop'))).toBe(false);
    expect(frames.at(-1)).toMatch(/^event: error\n/);
  });
});
