import { afterEach, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import {
  createAnthropicBackend,
  createOpenAIBackend,
  MockUpstreamServer,
} from '../../src/backends/index.js';
import { ManualClock } from '../../src/time/manual-clock.js';
import { serveBackend } from './backend-test-helpers.js';
import type { Json } from './backend-test-helpers.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const TOOLS_OPENAI = [
  { type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object' } } },
  { type: 'function' as const, function: { name: 'get_time', parameters: { type: 'object' } } },
];
const TOOLS_ANTHROPIC = [
  { name: 'get_weather', input_schema: { type: 'object' as const } },
  { name: 'get_time', input_schema: { type: 'object' as const } },
];

async function upstream() {
  const server = await MockUpstreamServer.start();
  cleanups.push(() => server.close());
  return server;
}

describe('translated streams judged by the official SDKs', () => {
  it('the openai SDK assembles text, two tool calls and usage from an Anthropic upstream', async () => {
    const server = await upstream();
    const backend = createAnthropicBackend({
      name: 'a',
      baseUrl: server.anthropicBaseUrl,
      maxRetries: 0,
      clock: new ManualClock(),
    });
    const front = await serveBackend((body) =>
      body.stream === true ? backend.chatStream('openai', body) : backend.chat('openai', body),
    );
    cleanups.push(() => backend.close(), front.close);
    const client = new OpenAI({ baseURL: front.url, apiKey: 'caller-key', maxRetries: 0 });
    const final = await client.chat.completions
      .stream({
        model: 'claude-x',
        messages: [{ role: 'user', content: 'call tool please' }],
        tools: TOOLS_OPENAI,
        stream_options: { include_usage: true },
      })
      .finalChatCompletion();
    const message = final.choices[0]!.message;
    expect(message.content).toBe('echo: call tool please');
    expect(
      message.tool_calls!.map((c: Json) => [
        String(c.id),
        String(c.function.name),
        JSON.parse(c.function.arguments) as unknown,
      ]),
    ).toEqual([
      ['toolu_mock_1_0', 'get_weather', { text: 'call tool please', index: 0 }],
      ['toolu_mock_1_1', 'get_time', { text: 'call tool please', index: 1 }],
    ]);
    expect(final.choices[0]!.finish_reason).toBe('tool_calls');
    expect(final.usage).toMatchObject({ prompt_tokens: 4 });
    const plain = await client.chat.completions.create({
      model: 'claude-x',
      messages: [{ role: 'user', content: 'plain' }],
    });
    expect(plain.choices[0]!.message.content).toBe('echo: plain');
  });

  it('the Anthropic SDK MessageStream assembles text, tool_use inputs and usage from an OpenAI upstream', async () => {
    const server = await upstream();
    const backend = createOpenAIBackend({
      name: 'o',
      baseUrl: server.openaiBaseUrl,
      maxRetries: 0,
      clock: new ManualClock(),
    });
    const front = await serveBackend((body) =>
      body.stream === true
        ? backend.chatStream('anthropic', body)
        : backend.chat('anthropic', body),
    );
    cleanups.push(() => backend.close(), front.close);
    const client = new Anthropic({ baseURL: front.url, apiKey: 'caller-key', maxRetries: 0 });
    const final = await client.messages
      .stream({
        model: 'local',
        max_tokens: 100,
        messages: [{ role: 'user', content: 'call tool now' }],
        tools: TOOLS_ANTHROPIC,
      })
      .finalMessage();
    expect(final.content.map((b) => b.type)).toEqual(['text', 'tool_use', 'tool_use']);
    expect((final.content[0] as Json).text).toBe('echo: call tool now');
    expect((final.content[2] as Json).input).toEqual({ text: 'call tool now', index: 1 });
    expect(final.stop_reason).toBe('tool_use');
    // The mock counts ceil(13/4)=4 input tokens and 5 + 2*9 output tokens (text + two argument texts).
    expect(final.usage).toMatchObject({ input_tokens: 4, output_tokens: 23 });
    const plain = await client.messages.create({
      model: 'local',
      max_tokens: 10,
      messages: [{ role: 'user', content: 'plain' }],
    });
    expect(plain.content[0]).toMatchObject({ type: 'text', text: 'echo: plain' });
  });

  it('the Anthropic SDK raises when the translated stream is cut', async () => {
    const server = await upstream();
    server.script({ cutAfterChunks: 3 });
    const backend = createOpenAIBackend({
      name: 'o',
      baseUrl: server.openaiBaseUrl,
      maxRetries: 0,
      clock: new ManualClock(),
    });
    const front = await serveBackend((body) => backend.chatStream('anthropic', body));
    cleanups.push(() => backend.close(), front.close);
    const client = new Anthropic({ baseURL: front.url, apiKey: 'caller-key', maxRetries: 0 });
    const stream = client.messages.stream({
      model: 'local',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'a b c d e f g' }],
    });
    await expect(stream.finalMessage()).rejects.toThrow();
  });
});
