import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAnthropicMessage, parseOpenAIChatResponse } from '../../src/protocols/index.js';
import {
  anthropicErrorToOpenAI,
  anthropicResponseToOpenAI,
  openAIErrorToAnthropic,
  openAIResponseToAnthropic,
} from '../../src/translate/index.js';
import { ScriptedServer } from '../support/scripted-server.js';

/*
 * Loopback: a node:http server answers each official-SDK call with a response translated from the
 * other protocol. The SDKs are the judges of what a caller can read.
 */

let server: ScriptedServer;
let openai: OpenAI;
let anthropic: Anthropic;

beforeAll(async () => {
  server = await ScriptedServer.start();
  openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'test-key', maxRetries: 0 });
  anthropic = new Anthropic({ baseURL: server.url, apiKey: 'test-key', maxRetries: 0 });
});

afterAll(async () => {
  await server.close();
});

const upstreamAnthropic = parseAnthropicMessage({
  id: 'msg_01AbC',
  type: 'message',
  role: 'assistant',
  model: 'claude-sonnet',
  content: [
    { type: 'thinking', thinking: 'Need weather and time.', signature: 'sig' },
    { type: 'text', text: 'Checking ' },
    { type: 'text', text: 'both.' },
    {
      type: 'tool_use',
      id: 'toolu_1',
      name: 'get_weather',
      input: { city: 'Paris', units: ['C'] },
    },
    { type: 'tool_use', id: 'toolu_2', name: 'get_time', input: {} },
  ],
  stop_reason: 'tool_use',
  stop_sequence: null,
  usage: {
    input_tokens: 20,
    output_tokens: 30,
    cache_read_input_tokens: 100,
    cache_creation_input_tokens: 5,
  },
});

const upstreamOpenAI = parseOpenAIChatResponse({
  id: 'chatcmpl-XyZ',
  object: 'chat.completion',
  created: 1_700_000_000,
  model: 'gpt-4o',
  choices: [
    {
      index: 0,
      message: {
        role: 'assistant',
        content: 'Checking both.',
        tool_calls: [
          {
            id: 'call_1',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
          },
          { id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '{}' } },
        ],
      },
      finish_reason: 'tool_calls',
    },
  ],
  usage: {
    prompt_tokens: 125,
    completion_tokens: 30,
    total_tokens: 155,
    prompt_tokens_details: { cached_tokens: 100 },
  },
});

describe('official clients read translated non-streaming responses', () => {
  it('openai SDK gets the Anthropic answer: exact text, both tool calls, finish tool_calls, usage with cached tokens', async () => {
    server.script({
      type: 'json',
      body: anthropicResponseToOpenAI(upstreamAnthropic, { created: 1_700_000_001 }),
    });
    const completion = await openai.chat.completions.create({
      model: 'claude-sonnet',
      messages: [{ role: 'user', content: 'weather and time?' }],
    });
    const choice = completion.choices[0]!;
    expect(completion.id).toBe('chatcmpl-msg_01AbC');
    expect(choice.message.content).toBe('Checking both.');
    expect(choice.finish_reason).toBe('tool_calls');
    const calls = (choice.message.tool_calls ?? []).map((c): unknown[] =>
      c.type === 'function' ? [c.id, c.function.name, JSON.parse(c.function.arguments)] : [],
    );
    expect(calls).toEqual([
      ['toolu_1', 'get_weather', { city: 'Paris', units: ['C'] }],
      ['toolu_2', 'get_time', {}],
    ]);
    expect(completion.usage).toMatchObject({
      prompt_tokens: 125,
      completion_tokens: 30,
      total_tokens: 155,
      prompt_tokens_details: { cached_tokens: 100 },
    });
  });

  it('anthropic SDK gets the OpenAI answer: text block, two tool_use blocks with parsed input, stop tool_use, usage', async () => {
    server.script({ type: 'json', body: openAIResponseToAnthropic(upstreamOpenAI) });
    const message = await anthropic.messages.create({
      model: 'gpt-4o',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'weather and time?' }],
    });
    expect(message.id).toBe('msg_chatcmpl-XyZ');
    expect(message.content).toEqual([
      { type: 'text', text: 'Checking both.' },
      { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } },
      { type: 'tool_use', id: 'call_2', name: 'get_time', input: {} },
    ]);
    expect(message.stop_reason).toBe('tool_use');
    expect(message.usage).toMatchObject({
      input_tokens: 25,
      output_tokens: 30,
      cache_read_input_tokens: 100,
    });
  });
});

describe('official clients read translated error bodies', () => {
  it('anthropic SDK raises RateLimitError with the message of an OpenAI 429', async () => {
    const body = openAIErrorToAnthropic(
      { error: { message: 'Slow down', type: 'rate_limit_error', code: null } },
      429,
    );
    server.script({ type: 'json', status: 429, body });
    const err = await anthropic.messages
      .create({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.RateLimitError);
    expect((err as InstanceType<typeof Anthropic.RateLimitError>).error).toEqual({
      type: 'error',
      error: { type: 'rate_limit_error', message: 'Slow down' },
    });
  });

  it('openai SDK raises an APIError carrying type and code for an Anthropic 529 overload', async () => {
    const body = anthropicErrorToOpenAI(
      { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
      529,
    );
    server.script({ type: 'json', status: 529, body });
    const err = await openai.chat.completions
      .create({ model: 'm', messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(err).toMatchObject({ status: 529, type: 'server_error', code: 'overloaded_error' });
    expect((err as Error).message).toContain('Overloaded');
  });
});
