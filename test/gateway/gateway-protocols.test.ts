import { afterEach, describe, expect, it } from 'vitest';
import { chatRequests, startHarness } from './support/gateway-harness.js';
import type { Harness } from './support/gateway-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const weather = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Weather in a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } } },
  },
};
const anthropicWeather = {
  name: 'get_weather',
  description: 'Weather in a city',
  input_schema: { type: 'object' as const, properties: { city: { type: 'string' } } },
};

describe('gateway with the official openai SDK', () => {
  it('answers a chat completion from the local backend (same protocol) and says which backend answered', async () => {
    h = await startHarness();
    const { data, response } = await h.openai.chat.completions
      .create({ model: 'llama-3', messages: [{ role: 'user', content: 'hello there' }] })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe('echo: hello there');
    expect(response.headers.get('x-llm-failover-backend')).toBe('local');
    expect(response.headers.get('x-llm-failover-attempts')).toBe('1');
    expect(response.headers.get('x-llm-failover-fallback')).toBeNull();
    expect(response.headers.get('x-request-id')).toMatch(/^[\w-]{8,}$/);
    expect(h.local?.requests.at(-1)?.body).toMatchObject({ model: 'llama-3' });
  });

  it('streams a chat completion from the local backend to a clean end', async () => {
    h = await startHarness();
    const stream = await h.openai.chat.completions.create({
      model: 'llama-3',
      stream: true,
      messages: [{ role: 'user', content: 'one two three' }],
    });
    let text = '';
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(text).toBe('echo: one two three');
    expect(finish).toBe('stop');
  });

  it('reaches an Anthropic cloud backend with tool calls, non-streaming (cross-protocol)', async () => {
    h = await startHarness({
      routes: [{ match: 'gpt-*', targets: [{ backend: 'cloud', model: 'claude-x' }] }],
    });
    const res = await h.openai.chat.completions.create({
      model: 'gpt-4o',
      tools: [weather],
      messages: [{ role: 'user', content: 'call tool please' }],
    });
    const call = res.choices[0]?.message.tool_calls?.[0];
    expect(res.choices[0]?.finish_reason).toBe('tool_calls');
    expect(call?.type === 'function' ? call.function.name : undefined).toBe('get_weather');
    expect(JSON.parse(call?.type === 'function' ? call.function.arguments : '{}')).toEqual({
      text: 'call tool please',
      index: 0,
    });
    expect(h.cloud.requests.at(-1)).toMatchObject({
      path: '/v1/messages',
      body: { model: 'claude-x' },
    });
  });

  it('streams tool calls from an Anthropic cloud backend as OpenAI deltas (cross-protocol)', async () => {
    h = await startHarness({ routes: [{ match: 'gpt-*', targets: [{ backend: 'cloud' }] }] });
    const stream = h.openai.chat.completions.stream({
      model: 'gpt-4o',
      tools: [weather],
      messages: [{ role: 'user', content: 'call tool now' }],
    });
    const final = await stream.finalChatCompletion();
    const call = final.choices[0]?.message.tool_calls?.[0];
    expect(call?.type === 'function' ? call.function.name : undefined).toBe('get_weather');
    expect(JSON.parse(call?.type === 'function' ? call.function.arguments : '{}')).toEqual({
      text: 'call tool now',
      index: 0,
    });
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('passes tool calls through from an OpenAI-protocol local backend (same protocol), streaming and not', async () => {
    h = await startHarness();
    const plain = await h.openai.chat.completions.create({
      model: 'llama-3',
      tools: [weather],
      messages: [{ role: 'user', content: 'call tool x' }],
    });
    const call = plain.choices[0]?.message.tool_calls?.[0];
    expect(call?.type === 'function' ? call.function.name : undefined).toBe('get_weather');
    const streamed = await h.openai.chat.completions
      .stream({
        model: 'llama-3',
        tools: [weather],
        messages: [{ role: 'user', content: 'call tool y' }],
      })
      .finalChatCompletion();
    const sCall = streamed.choices[0]?.message.tool_calls?.[0];
    expect(JSON.parse(sCall?.type === 'function' ? sCall.function.arguments : '{}')).toEqual({
      text: 'call tool y',
      index: 0,
    });
    expect(h.local?.requests.at(-1)?.body).toMatchObject({ tools: [weather] });
  });

  it('lists the models the routes serve by name', async () => {
    h = await startHarness({
      routes: [
        {
          match: 'llama-3',
          targets: [{ backend: 'local' }, { backend: 'cloud', model: 'claude-haiku' }],
        },
      ],
    });
    const page = await h.openai.models.list();
    expect(page.data.map((m) => m.id)).toEqual(['llama-3', 'claude-haiku']);
  });
});

describe('gateway with the official @anthropic-ai/sdk', () => {
  it('answers a message from an Anthropic backend (same protocol), forwarding the body with only the model changed', async () => {
    h = await startHarness({
      routes: [{ match: 'claude-*', targets: [{ backend: 'cloud', model: 'claude-real' }] }],
    });
    const msg = await h.anthropic.messages.create({
      model: 'claude-3',
      max_tokens: 100,
      metadata: { user_id: 'u1' },
      messages: [{ role: 'user', content: 'hi claude' }],
    });
    expect(msg.content[0]).toMatchObject({ type: 'text', text: 'echo: hi claude' });
    expect(msg.stop_reason).toBe('end_turn');
    expect(msg._request_id).toMatch(/^[\w-]{8,}$/);
    expect(h.cloud.requests.at(-1)?.body).toEqual({
      model: 'claude-real',
      max_tokens: 100,
      metadata: { user_id: 'u1' },
      messages: [{ role: 'user', content: 'hi claude' }],
    });
  });

  it('streams a message from an OpenAI-protocol local backend (cross-protocol)', async () => {
    h = await startHarness();
    const stream = h.anthropic.messages.stream({
      model: 'llama-3',
      max_tokens: 50,
      messages: [{ role: 'user', content: 'stream me' }],
    });
    const final = await stream.finalMessage();
    expect(final.content[0]).toMatchObject({ type: 'text', text: 'echo: stream me' });
    expect(final.stop_reason).toBe('end_turn');
    expect(chatRequests(h.local)).toBe(1);
  });

  it('gets tool_use blocks from an OpenAI-protocol local backend, non-streaming and streaming', async () => {
    h = await startHarness();
    const plain = await h.anthropic.messages.create({
      model: 'llama-3',
      max_tokens: 50,
      tools: [anthropicWeather],
      messages: [{ role: 'user', content: 'call tool a' }],
    });
    expect(plain.stop_reason).toBe('tool_use');
    expect(plain.content.find((b) => b.type === 'tool_use')).toMatchObject({
      name: 'get_weather',
      input: { text: 'call tool a', index: 0 },
    });
    const streamed = await h.anthropic.messages
      .stream({
        model: 'llama-3',
        max_tokens: 50,
        tools: [anthropicWeather],
        messages: [{ role: 'user', content: 'call tool b' }],
      })
      .finalMessage();
    expect(streamed.stop_reason).toBe('tool_use');
    expect(streamed.content.find((b) => b.type === 'tool_use')).toMatchObject({
      name: 'get_weather',
      input: { text: 'call tool b', index: 0 },
    });
  });

  it('streams a message from an Anthropic backend (same protocol) with real usage', async () => {
    h = await startHarness({ routes: [{ match: '*', targets: [{ backend: 'cloud' }] }] });
    const final = await h.anthropic.messages
      .stream({
        model: 'claude-3',
        max_tokens: 50,
        messages: [{ role: 'user', content: 'abc def' }],
      })
      .finalMessage();
    expect(final.content[0]).toMatchObject({ type: 'text', text: 'echo: abc def' });
    expect(final.usage.output_tokens).toBeGreaterThan(0);
  });
});
