import { describe, expect, it } from 'vitest';
import {
  MALFORMED_EVENT,
  looksLikeJsonObject,
  openAIChatWire,
  openAIInBandError,
  parseEventData,
} from '../../../src/protocols/index.js';
import type { OpenAIChatChunk } from '../../../src/protocols/index.js';
import type { SseEvent } from '../../../src/sse/index.js';

const openAIChunksOf = openAIChatWire.decodeStream;
const encodeOpenAIChunks = openAIChatWire.encodeStream;

const openai = (payload: unknown) => openAIChatWire.isContent({ data: JSON.stringify(payload) });
const choice = (delta: Record<string, unknown>, finish: string | null = null) => ({
  id: 'c',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'm',
  choices: [{ index: 0, delta, finish_reason: finish }],
});

async function* from<T>(items: T[], failAtEnd?: Error): AsyncGenerator<T> {
  for (const item of items) yield await Promise.resolve(item);
  if (failAtEnd) throw failAtEnd;
}

async function drain<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('OpenAI wire codec', () => {
  it('recognises OpenAI in-band errors and nothing else', () => {
    const error = { error: { message: 'boom', type: 'server_error' } };
    expect(openAIInBandError({ data: JSON.stringify(error) })).toEqual(error);
    expect(openAIInBandError({ data: '{"error": null, "choices": []}' })).toBeUndefined();
    expect(
      openAIInBandError({ data: '{"choices":[{"delta":{"content":"\\"error\\""}}]}' }),
    ).toBeUndefined();
    expect(openAIInBandError({ data: '[DONE]' })).toBeUndefined();
    expect(openAIInBandError({ event: 'error', data: 'not json' })).toEqual({
      error: { message: 'not json' },
    });
  });

  it('reports event data that cannot be a JSON object as an in-band error (pass-through is not parsed)', () => {
    for (const data of ['garbage line', '{"choices": [', '[1,2]', '', '"error" but not json']) {
      expect(openAIInBandError({ data })).toBe(MALFORMED_EVENT);
    }
    expect(openAIInBandError({ data: '  {"choices": []}  ' })).toBeUndefined();
    expect(looksLikeJsonObject('{}')).toBe(true);
    expect(looksLikeJsonObject('{')).toBe(false);
  });

  it('turns unparsable event data into STREAM_UPSTREAM_ERROR naming the backend', () => {
    expect(() => parseEventData({ data: '{oops' }, 'local')).toThrow(
      expect.objectContaining({ code: 'STREAM_UPSTREAM_ERROR', backend: 'local' }),
    );
    expect(() => parseEventData({ data: '[1]' }, 'local')).toThrow(/not a JSON object/);
  });

  it('keeps the event data out of the error, its JSON view included', () => {
    let caught: unknown;
    try {
      parseEventData({ data: '{"content": private-words}' }, 'local');
    } catch (err) {
      caught = err;
    }
    expect(caught).toMatchObject({ code: 'STREAM_UPSTREAM_ERROR' });
    expect(JSON.stringify(caught)).not.toContain('private');
  });

  it('skips [DONE] when decoding OpenAI chunks', async () => {
    const events: SseEvent[] = [{ data: '{"id":"a","choices":[]}' }, { data: '[DONE]' }];
    expect(await drain(openAIChunksOf(from(events), 'b'))).toEqual([{ id: 'a', choices: [] }]);
  });

  it('adds [DONE] only after the chunk source ended cleanly', async () => {
    const chunk = { id: 'x', choices: [] } as unknown as OpenAIChatChunk;
    expect(await drain(encodeOpenAIChunks(from([chunk])))).toEqual([
      { data: '{"id":"x","choices":[]}' },
      { data: '[DONE]' },
    ]);
    const seen: SseEvent[] = [];
    await expect(
      (async () => {
        for await (const e of encodeOpenAIChunks(from([chunk], new Error('cut')))) seen.push(e);
      })(),
    ).rejects.toThrow('cut');
    expect(seen).toEqual([{ data: '{"id":"x","choices":[]}' }]);
  });
});

describe('OpenAI content events', () => {
  it('is false for role-only, empty-content, tool_calls: [] and usage-only chunks', () => {
    expect(openai(choice({ role: 'assistant' }))).toBe(false);
    expect(openai(choice({ role: 'assistant', content: '' }))).toBe(false);
    expect(openai(choice({ tool_calls: [] }))).toBe(false);
    expect(openai({ ...choice({}), choices: [], usage: { prompt_tokens: 1 } })).toBe(false);
  });

  it('is true for text, reasoning, a tool call, a finish_reason and [DONE]', () => {
    expect(openai(choice({ content: 'a' }))).toBe(true);
    expect(openai(choice({ reasoning_content: 'hm' }))).toBe(true);
    expect(openai(choice({ tool_calls: [{ index: 0, id: 'x', function: { name: 'f' } }] }))).toBe(
      true,
    );
    expect(openai(choice({}, 'stop'))).toBe(true);
    expect(openAIChatWire.isContent({ data: '[DONE]' })).toBe(true);
  });

  it('is false for an in-band error chunk and for data that is not JSON', () => {
    expect(openai({ error: { message: 'boom' } })).toBe(false);
    expect(openAIChatWire.isContent({ data: '{not json' })).toBe(false);
  });
});

describe('OpenAI wire rules', () => {
  it('ends a stream with [DONE], its terminal frame, and has no keep-alive event', () => {
    expect(openAIChatWire.hasTerminal).toBe(true);
    expect(openAIChatWire.isTerminal(openAIChatWire.terminalFrame)).toBe(true);
    expect(openAIChatWire.terminalFrame).toEqual({ data: '[DONE]' });
    expect(openAIChatWire.isTerminal({ data: '{"choices":[]}' })).toBe(false);
    expect(
      openAIChatWire.isKeepAlive({ data: JSON.stringify(choice({ role: 'assistant' })) }),
    ).toBe(false);
  });

  it('calls data malformed unless it can be a JSON object or is [DONE]', () => {
    expect(openAIChatWire.isMalformed({ data: '[DONE]' })).toBe(false);
    expect(openAIChatWire.isMalformed({ data: '{"choices":[]}' })).toBe(false);
    expect(openAIChatWire.isMalformed({ data: 'garbage' })).toBe(true);
  });

  it('decodes [DONE] to nothing and encodes a chunk as an unnamed data event', () => {
    expect(openAIChatWire.decode({ data: '[DONE]' }, 'b')).toBeUndefined();
    const chunk = { id: 'x', choices: [] } as unknown as OpenAIChatChunk;
    expect(openAIChatWire.decode(openAIChatWire.encode(chunk), 'b')).toEqual(chunk);
    expect(openAIChatWire.encode(chunk).event).toBeUndefined();
  });

  it('builds error bodies with request_id and details inside `error`, sent as unnamed events', () => {
    const body = openAIChatWire.errorBody({
      type: 'server_error',
      message: 'down',
      code: 'timeout',
      requestId: 'r1',
      details: { failures: [] },
    });
    expect(body).toEqual({
      error: {
        message: 'down',
        type: 'server_error',
        param: null,
        code: 'timeout',
        request_id: 'r1',
        failures: [],
      },
    });
    const event = openAIChatWire.errorEvent(body);
    expect(event.event).toBeUndefined();
    expect(openAIChatWire.inBandError(event)).toEqual(body);
    expect(openAIChatWire.requestIdHeader).toBeUndefined();
  });
});
