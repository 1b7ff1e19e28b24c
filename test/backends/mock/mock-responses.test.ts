import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { MockUpstreamServer } from '../../../src/backends/mock/index.js';
import { parseOpenAIResponsesResponse } from '../../../src/protocols/index.js';

// The mock upstream's OpenAI Responses form (POST /v1/responses), judged by the official openai
// SDK: the echo answer, streamed and not, the `call tool` trigger, the round trip's end, faults.

let server: MockUpstreamServer;
let client: OpenAI;
beforeAll(async () => {
  server = await MockUpstreamServer.start({});
  client = new OpenAI({ baseURL: server.openaiBaseUrl, apiKey: 'unused', maxRetries: 0 });
});
afterAll(() => server.close());

const lookup = {
  type: 'function' as const,
  name: 'lookup',
  parameters: { type: 'object', properties: {} },
  strict: false,
};

describe('mock upstream, Responses form', () => {
  it('echoes the last user text in a response object the protocol module accepts', async () => {
    const res = await client.responses.create({
      model: 'm1',
      instructions: 'be terse',
      input: [{ role: 'user', content: [{ type: 'input_text', text: 'hello there' }] }],
    });
    expect(res.output_text).toBe('echo: hello there');
    expect(res.status).toBe('completed');
    expect(res.model).toBe('m1');
    expect(res.usage?.input_tokens).toBeGreaterThan(0);
    expect(() => parseOpenAIResponsesResponse(res as never)).not.toThrow();
    expect(server.requests.at(-1)?.path).toBe('/v1/responses');
  });

  it('streams named events, numbered, ending in response.completed with the whole text', async () => {
    const stream = await client.responses.create({
      model: 'm1',
      input: 'one two three',
      stream: true,
    });
    const types: string[] = [];
    const numbers: number[] = [];
    let text = '';
    let completed = '';
    for await (const event of stream) {
      types.push(event.type);
      numbers.push(event.sequence_number);
      if (event.type === 'response.output_text.delta') text += event.delta;
      if (event.type === 'response.completed') {
        const message = event.response.output.find((item) => item.type === 'message');
        const part = message?.content[0];
        completed = part?.type === 'output_text' ? part.text : '';
      }
    }
    expect(text).toBe('echo: one two three');
    expect(completed).toBe('echo: one two three');
    expect(types[0]).toBe('response.created');
    expect(types.at(-1)).toBe('response.completed');
    expect(numbers).toEqual(numbers.map((_, i) => i));
  });

  it('calls each function tool on the trigger, and answers text once the output comes back', async () => {
    const first = await client.responses.create({
      model: 'm1',
      tools: [lookup],
      input: [{ role: 'user', content: [{ type: 'input_text', text: 'call tool lookup' }] }],
    });
    const call = first.output.find((item) => item.type === 'function_call');
    expect(call).toMatchObject({
      name: 'lookup',
      arguments: JSON.stringify({ text: 'call tool lookup', index: 0 }),
    });
    const second = await client.responses.create({
      model: 'm1',
      tools: [lookup],
      input: [
        { role: 'user', content: 'call tool lookup' },
        ...(call === undefined ? [] : [call]),
        { type: 'function_call_output', call_id: call?.call_id ?? '', output: 'found it' },
      ],
    });
    expect(second.output.some((item) => item.type === 'function_call')).toBe(false);
    expect(second.output_text).toBe('echo: found it');
  });

  it('streams the tool call arguments in pieces that add up', async () => {
    const stream = await client.responses.create({
      model: 'm1',
      tools: [lookup],
      input: 'call tool lookup',
      stream: true,
    });
    let args = '';
    let done = '';
    for await (const event of stream) {
      if (event.type === 'response.function_call_arguments.delta') args += event.delta;
      if (event.type === 'response.function_call_arguments.done') done = event.arguments;
    }
    expect(args).toBe(JSON.stringify({ text: 'call tool lookup', index: 0 }));
    expect(done).toBe(args);
  });

  it('answers a scripted fault status with an OpenAI error body', async () => {
    const faulty = await MockUpstreamServer.start({ faults: [{ status: 503 }] });
    try {
      const c = new OpenAI({ baseURL: faulty.openaiBaseUrl, apiKey: 'unused', maxRetries: 0 });
      await expect(c.responses.create({ model: 'm1', input: 'x' })).rejects.toMatchObject({
        status: 503,
      });
    } finally {
      await faulty.close();
    }
  });
});
