import { describe, expect, it } from 'vitest';
import {
  MALFORMED_EVENT,
  anthropicEventType,
  encodeOpenAIChunks,
  looksLikeJsonObject,
  openAIChunksOf,
  openAIInBandError,
  parseEventData,
} from '../../src/backends/wire-codec.js';
import type { OpenAIChatChunk } from '../../src/protocols/index.js';
import type { SseEvent } from '../../src/sse/index.js';

async function* from<T>(items: T[], failAtEnd?: Error): AsyncGenerator<T> {
  for (const item of items) yield await Promise.resolve(item);
  if (failAtEnd) throw failAtEnd;
}

async function drain<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('wire codec', () => {
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

  it('takes the Anthropic event type from the name, else from the data', () => {
    expect(anthropicEventType({ event: 'ping', data: '{"type":"ping"}' })).toBe('ping');
    expect(anthropicEventType({ data: '{"type": "message_stop"}' })).toBe('message_stop');
    expect(anthropicEventType({ data: '{}' })).toBeUndefined();
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
