import type { ResponseInputItem } from 'openai/resources/responses/responses';
import { afterEach, describe, expect, it } from 'vitest';
import type { Protocol } from '../../src/protocols/protocol.js';
import { startHarness } from './support/gateway-harness.js';
import type { Harness } from './support/gateway-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const weather = {
  type: 'function' as const,
  name: 'get_weather',
  description: 'Weather in a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } } },
  strict: false,
};

/** A gateway whose only route sends everything to one backend speaking `protocol`. */
function onlyBackend(protocol: Protocol): Promise<Harness> {
  return startHarness({
    localProtocol: protocol,
    routes: [{ match: '*', targets: [{ backend: 'local' }] }],
  });
}

/** The path of the upstream chat endpoint a backend of `protocol` posts to. */
const UPSTREAM_PATH: Record<Protocol, string> = {
  openai: '/v1/chat/completions',
  anthropic: '/v1/messages',
  'openai-responses': '/v1/responses',
};

describe.each<Protocol>(['openai', 'anthropic'])(
  'POST /v1/responses with the openai SDK, served by a %s backend',
  (protocol) => {
    it('answers responses.create with the echoed text', async () => {
      h = await onlyBackend(protocol);
      const { data, response } = await h.openai.responses
        .create({ model: 'm-1', input: 'hello there' })
        .withResponse();
      expect(data.object).toBe('response');
      expect(data.status).toBe('completed');
      expect(data.id).toMatch(/^resp_/);
      expect(data.output_text).toBe('echo: hello there');
      expect(response.headers.get('x-llm-failover-backend')).toBe('local');
      expect(h.local?.requests.at(-1)?.path).toBe(UPSTREAM_PATH[protocol]);
    });

    it('streams with responses.stream to response.completed, deltas adding up to the text', async () => {
      h = await onlyBackend(protocol);
      const stream = h.openai.responses.stream({ model: 'm-1', input: 'one two three' });
      let deltas = '';
      const types: string[] = [];
      for await (const event of stream) {
        types.push(event.type);
        if (event.type === 'response.output_text.delta') deltas += event.delta;
      }
      const final = await stream.finalResponse();
      expect(deltas).toBe('echo: one two three');
      expect(final.output_text).toBe('echo: one two three');
      expect(types[0]).toBe('response.created');
      expect(types.at(-1)).toBe('response.completed');
      expect(types).not.toContain('response.failed');
    });

    it('completes a tool round trip: function_call, then function_call_output answered with text', async () => {
      h = await onlyBackend(protocol);
      const first = await h.openai.responses.create({
        model: 'm-1',
        tools: [weather],
        input: 'call tool please',
        store: false,
      });
      const call = first.output.find((item) => item.type === 'function_call');
      expect(call?.type === 'function_call' ? call.name : undefined).toBe('get_weather');
      const callId = call?.type === 'function_call' ? call.call_id : '';
      expect(JSON.parse(call?.type === 'function_call' ? call.arguments : '{}')).toEqual({
        text: 'call tool please',
        index: 0,
      });
      const second = await h.openai.responses.create({
        model: 'm-1',
        tools: [weather],
        store: false,
        input: [
          { role: 'user', content: 'call tool please' },
          ...(first.output as ResponseInputItem[]),
          { type: 'function_call_output', call_id: callId, output: 'sunny, 21 C' },
        ],
      });
      expect(second.output_text).toBe('echo: sunny, 21 C');
    });

    it('streams a function call whose arguments arrive as deltas', async () => {
      h = await onlyBackend(protocol);
      const stream = h.openai.responses.stream({
        model: 'm-1',
        tools: [weather],
        input: 'call tool streamed',
      });
      let args = '';
      for await (const event of stream) {
        if (event.type === 'response.function_call_arguments.delta') args += event.delta;
      }
      const final = await stream.finalResponse();
      const call = final.output.find((item) => item.type === 'function_call');
      expect(call?.type === 'function_call' ? call.arguments : undefined).toBe(args);
      expect(JSON.parse(args)).toEqual({ text: 'call tool streamed', index: 0 });
    });
  },
);
