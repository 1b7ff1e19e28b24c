import { afterEach, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import type {
  FunctionTool,
  ResponseCreateParamsBase,
  ResponseStreamEvent,
} from 'openai/resources/responses/responses';
import { MockUpstreamServer } from '../../../src/backends/mock/index.js';
import { post, sse } from './mock-http.js';
import {
  openAIResponsesStreamEventSchema,
  openAIResponsesWire,
  parseOpenAIResponsesResponse,
} from '../../../src/protocols/index.js';
import { ManualClock } from '../../../src/time/manual-clock.js';

// The mock upstream's OpenAI Responses route (POST /v1/responses and /responses), judged by the
// official openai SDK: the echo answer, streamed and not, the `call tool` trigger, the round
// trip's end, the wire rules, faults.

let server: MockUpstreamServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: Parameters<typeof MockUpstreamServer.start>[0] = {}) {
  server = await MockUpstreamServer.start(options);
  return server;
}

const client = (s: MockUpstreamServer) =>
  new OpenAI({ baseURL: s.openaiBaseUrl, apiKey: 'k', maxRetries: 0 });

const TOOLS: FunctionTool[] = [
  { type: 'function', name: 'get_weather', parameters: { type: 'object' }, strict: false },
  { type: 'function', name: 'get_time', parameters: { type: 'object' }, strict: false },
];

/** Request fields both `responses.create` (non-streaming) and `responses.stream` take. */
type Params = Omit<ResponseCreateParamsBase, 'stream'>;

const body = (text: string, extra: Partial<Params> = {}): Params => ({
  model: 'gpt-test',
  input: [{ role: 'user', content: [{ type: 'input_text', text }] }],
  ...extra,
});

describe('mock upstream: Responses happy paths', () => {
  it('answers responses.create with the echo as a response object, on /v1/responses', async () => {
    const s = await start();
    const res = await client(s).responses.create({
      model: 'gpt-test',
      instructions: 'be brief',
      input: [
        { role: 'developer', content: 'rules' },
        { role: 'user', content: 'hello there' },
      ],
    });
    expect(res.output_text).toBe('echo: hello there');
    expect(res).toMatchObject({ id: 'resp_mock_1', object: 'response', status: 'completed' });
    expect(res.model).toBe('gpt-test');
    expect(res.output.map((item) => item.type)).toEqual(['message']);
    expect(res.usage).toMatchObject({ input_tokens: 3, output_tokens: 5, total_tokens: 8 });
    expect(s.requests[0]).toMatchObject({ method: 'POST', path: '/v1/responses' });
    // Valid for our own schema too (what a translating backend parses it with).
    expect(parseOpenAIResponsesResponse(res).output).toHaveLength(1);
  });

  it('answers a string input and the /responses path without /v1', async () => {
    const s = await start();
    const res = await post(`${s.url}/responses`, { model: 'm', input: 'plain text' });
    expect(res.statusCode).toBe(200);
    const json = (await res.body.json()) as { output: { content: { text: string }[] }[] };
    expect(json.output[0]?.content[0]?.text).toBe('echo: plain text');
  });

  it('streams the API event sequence, numbered, ending with response.completed and usage', async () => {
    const s = await start();
    const stream = client(s).responses.stream(body('call tool please', { tools: TOOLS }));
    const events: ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    const final = await stream.finalResponse();
    expect(events.map((e) => e.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      // `echo: call tool please`, split after each space.
      ...['echo: ', 'call ', 'tool ', 'please'].map(() => 'response.output_text.delta'),
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      ...[0, 1].flatMap(() => [
        'response.output_item.added',
        'response.function_call_arguments.delta',
        'response.function_call_arguments.delta',
        'response.function_call_arguments.delta',
        'response.function_call_arguments.done',
        'response.output_item.done',
      ]),
      'response.completed',
    ]);
    const deltas = events.flatMap((e) =>
      e.type === 'response.output_text.delta' ? [e.delta] : [],
    );
    expect(deltas).toEqual(['echo: ', 'call ', 'tool ', 'please']);
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    // The tool calls' argument deltas add up to their `done` arguments.
    const argDeltas = events.flatMap((e) =>
      e.type === 'response.function_call_arguments.delta' ? [e.delta] : [],
    );
    const argDones = events.flatMap((e) =>
      e.type === 'response.function_call_arguments.done' ? [e.arguments] : [],
    );
    expect(argDones[0]).toBe(JSON.stringify({ text: 'call tool please', index: 0 }));
    expect(argDeltas.join('')).toBe(argDones.join(''));
    // response.completed carries the whole text.
    const completed = events.find((e) => e.type === 'response.completed');
    const output = completed?.type === 'response.completed' ? completed.response.output : [];
    const message = output.find((item) => item.type === 'message');
    const part = message?.content[0];
    expect(part?.type === 'output_text' ? part.text : '').toBe('echo: call tool please');
    for (const event of events) {
      expect(openAIResponsesStreamEventSchema().safeParse(event).success).toBe(true);
    }
    expect(final.output_text).toBe('echo: call tool please');
    const calls = final.output.flatMap((item) => (item.type === 'function_call' ? [item] : []));
    expect(calls.map((c) => [c.call_id, c.name, c.id])).toEqual([
      ['call_mock_1_0', 'get_weather', 'fc_mock_1_0'],
      ['call_mock_1_1', 'get_time', 'fc_mock_1_1'],
    ]);
    expect(JSON.parse(calls[0]?.arguments ?? '')).toEqual({ text: 'call tool please', index: 0 });
    expect(final.usage?.output_tokens).toBeGreaterThan(0);
  });

  it('calls each function tool on the trigger, and answers text once the output comes back', async () => {
    const s = await start();
    const lookup: FunctionTool = {
      type: 'function',
      name: 'lookup',
      parameters: { type: 'object', properties: {} },
      strict: false,
    };
    const first = await client(s).responses.create({
      model: 'm1',
      tools: [lookup],
      input: [{ role: 'user', content: [{ type: 'input_text', text: 'call tool lookup' }] }],
    });
    const call = first.output.find((item) => item.type === 'function_call');
    expect(call).toMatchObject({
      name: 'lookup',
      arguments: JSON.stringify({ text: 'call tool lookup', index: 0 }),
    });
    const second = await client(s).responses.create({
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

  it('ends a tool round trip with text: a trailing function_call_output makes no new call', async () => {
    const s = await start();
    const res = await client(s).responses.create({
      model: 'm',
      tools: TOOLS,
      input: [
        { role: 'user', content: 'call tool please' },
        { type: 'function_call', call_id: 'call_1', name: 'get_time', arguments: '{}' },
        { type: 'function_call_output', call_id: 'call_1', output: 'noon' },
      ],
    });
    expect(res.output.map((item) => item.type)).toEqual(['message']);
    expect(res.output_text).toBe('echo: noon');
  });

  it('follows the Responses wire rules: content after the lifecycle, one terminal, last', async () => {
    const s = await start();
    const res = await post(`${s.openaiBaseUrl}/responses`, { ...body('a b'), stream: true });
    expect(res.headers['content-type']).toContain('text/event-stream');
    const events = sse(await res.body.text());
    const content = events.map((e) => openAIResponsesWire.isContent(e));
    expect(content.slice(0, 3)).toEqual([false, false, true]);
    expect(events.filter((e) => openAIResponsesWire.isTerminal(e))).toEqual([events.at(-1)]);
    expect(events.every((e) => openAIResponsesWire.inBandError(e) === undefined)).toBe(true);
  });
});

describe('mock upstream: Responses faults', () => {
  it('answers a scripted status with Retry-After and an OpenAI error body', async () => {
    const s = await start({ faults: [{ status: 429, retryAfterSeconds: 2 }, { status: 503 }] });
    const err = await client(s)
      .responses.create(body('x'))
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    const rate = err as InstanceType<typeof OpenAI.RateLimitError>;
    expect(rate.headers.get('retry-after')).toBe('2');
    expect(rate.error).toMatchObject({ type: 'rate_limit_error', message: 'mock fault 429' });
    await expect(client(s).responses.create(body('x'))).rejects.toMatchObject({ status: 503 });
  });

  it('resets the connection before any byte', async () => {
    const s = await start({ faults: [{ resetConnection: true }] });
    await expect(client(s).responses.create(body('x'))).rejects.toBeInstanceOf(
      OpenAI.APIConnectionError,
    );
    expect(s.requests).toHaveLength(1);
  });

  it('sends an in-band error event first, which the SDK throws', async () => {
    const s = await start({ faults: [{ errorFirstEvent: true }, { errorFirstEvent: true }] });
    const raw = await post(`${s.openaiBaseUrl}/responses`, { ...body('x'), stream: true });
    const events = sse(await raw.body.text());
    expect(events.map((e) => e.event)).toEqual(['error']);
    expect(openAIResponsesWire.inBandError(events[0]!)).toMatchObject({
      type: 'error',
      message: 'mock in-band error',
    });
    const stream = client(s).responses.stream(body('x'));
    await expect(stream.finalResponse()).rejects.toThrow('mock in-band error');
  });

  it('cuts a stream after N events: no response.completed, and the SDK fails', async () => {
    const s = await start({ faults: [{ cutAfterChunks: 4 }, { cutAfterChunks: 4 }] });
    const res = await post(`${s.openaiBaseUrl}/responses`, { ...body('a b c'), stream: true });
    let received = '';
    await expect(
      (async () => {
        for await (const chunk of res.body) received += String(chunk);
      })(),
    ).rejects.toThrow();
    expect(sse(received).map((e) => e.event)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
    ]);
    await expect(client(s).responses.stream(body('a b c')).finalResponse()).rejects.toThrow();
  });

  it('cuts a JSON answer half-way', async () => {
    const s = await start({ faults: [{ cutAfterChunks: 0 }] });
    const res = await post(`${s.openaiBaseUrl}/responses`, body('x'));
    expect(res.statusCode).toBe(200);
    await expect(res.body.text()).rejects.toThrow();
  });

  it('stalls after response.created on the injected clock and resumes when it advances', async () => {
    const clock = new ManualClock();
    const s = await start({ clock, faults: [{ stallMs: 5_000 }] });
    const res = await post(`${s.openaiBaseUrl}/responses`, { ...body('a b'), stream: true });
    const it = res.body[Symbol.asyncIterator]();
    let received = '';
    while (sse(received).length < 1) received += String((await it.next()).value);
    await clock.waitForTimers(1);
    expect(clock.pendingDelays()).toEqual([5_000]);
    expect(sse(received).map((e) => e.event)).toEqual(['response.created']);
    await clock.advance(5_000);
    for (let r = await it.next(); r.done !== true; r = await it.next()) received += String(r.value);
    expect(sse(received).at(-1)!.event).toBe('response.completed');
  });

  it('writes a malformed event after the first one', async () => {
    const s = await start({ faults: [{ malformedSse: true }] });
    const res = await post(`${s.openaiBaseUrl}/responses`, { ...body('x'), stream: true });
    const events = sse(await res.body.text());
    expect(openAIResponsesWire.isMalformed(events[1]!)).toBe(true);
    expect(events.at(-1)!.event).toBe('response.completed');
  });
});
