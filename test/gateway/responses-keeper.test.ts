import { describe, expect, it } from 'vitest';
import {
  ResponseKeeper,
  expandContinuation,
  inputItems,
} from '../../src/gateway/responses/index.js';
import type { SseBatch } from '../../src/sse/sse-batch.js';
import { MemoryResponseStore } from '../../src/state/index.js';
import type { ResponseStore, StoredResponse } from '../../src/state/index.js';
import { ManualClock } from '../../src/time/manual-clock.js';

const answer = (id: string, text: string) => ({
  id,
  object: 'response',
  output: [{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text }] }],
});

function keeper(store: ResponseStore = new MemoryResponseStore({ clock: new ManualClock() })) {
  return { store, keeper: new ResponseKeeper(store, 60_000, undefined) };
}

async function* batchesOf(...batches: SseBatch[]): AsyncGenerator<SseBatch> {
  for (const batch of batches) yield await Promise.resolve(batch);
}

describe('Responses input items', () => {
  it('reads a string input as one user message and a list as it is', () => {
    expect(inputItems('hi')).toEqual([{ type: 'message', role: 'user', content: 'hi' }]);
    const list = [{ type: 'function_call_output', call_id: 'c', output: 'x' }];
    expect(inputItems(list)).toBe(list);
    expect(inputItems(undefined)).toEqual([]);
  });

  it('expands a continuation into a new body: earlier items first, the id dropped, instructions not inherited', () => {
    const stored: StoredResponse = {
      response: answer('resp_1', 'a'),
      items: [{ role: 'user', content: 'first' }],
      instructions: 'be brief',
    };
    const body = { model: 'm', input: 'second', previous_response_id: 'resp_1' };
    const expanded = expandContinuation(body, stored);
    expect(expanded).toEqual({
      model: 'm',
      input: [
        { role: 'user', content: 'first' },
        { type: 'message', role: 'user', content: 'second' },
      ],
    });
    expect(body.previous_response_id).toBe('resp_1');
  });
});

describe('ResponseKeeper', () => {
  it('stores a non-streamed answer with the conversation up to its output, and expands a continuation of it', async () => {
    const { keeper: k } = keeper();
    await k.remember({ model: 'm', input: 'hello', instructions: 'x' }, answer('resp_1', 'echo'));
    const next = await k.expand({ model: 'm', input: 'more', previous_response_id: 'resp_1' });
    expect(next.previous_response_id).toBeUndefined();
    expect(next.input).toEqual([
      { type: 'message', role: 'user', content: 'hello' },
      answer('resp_1', 'echo').output[0],
      { type: 'message', role: 'user', content: 'more' },
    ]);
  });

  it('leaves a body naming an unknown id as it is (a Responses backend may know it)', async () => {
    const { keeper: k } = keeper();
    const body = { model: 'm', input: 'x', previous_response_id: 'resp_unknown' };
    expect(await k.expand(body)).toBe(body);
  });

  it('does not store an answer to a request with store: false', async () => {
    const { keeper: k, store } = keeper();
    await k.remember({ model: 'm', input: 'x', store: false }, answer('resp_1', 'a'));
    expect(await store.get('resp_1')).toBeUndefined();
  });

  it('stores the response of a stream from its response.completed event, before handing that batch on', async () => {
    const { keeper: k, store } = keeper();
    const completed = { type: 'response.completed', response: answer('resp_s', 'streamed') };
    const seen: (StoredResponse | undefined)[] = [];
    const { batches } = k.watch(
      { model: 'm', input: 'go' },
      batchesOf(
        { events: [{ event: 'response.created', data: '{}' }], text: 'a' },
        { events: [{ event: 'response.completed', data: JSON.stringify(completed) }], text: 'b' },
      ),
    );
    const texts: string[] = [];
    for await (const batch of batches) {
      texts.push(batch.text);
      seen.push(await store.get('resp_s'));
    }
    expect(texts).toEqual(['a', 'b']);
    expect(seen[0]).toBeUndefined();
    expect(seen[1]?.items).toEqual([
      { type: 'message', role: 'user', content: 'go' },
      answer('resp_s', 'streamed').output[0],
    ]);
  });

  it('never fails the request when the store fails', async () => {
    const failing: ResponseStore = {
      get: () => Promise.reject(new Error('down')),
      put: () => Promise.reject(new Error('down')),
      delete: () => Promise.resolve(false),
      close: () => Promise.resolve(),
    };
    const { keeper: k } = keeper(failing);
    await expect(k.remember({ model: 'm', input: 'x' }, answer('r', 'a'))).resolves.toBeUndefined();
  });
});

describe('ResponseKeeper with a store that cannot be read', () => {
  it('routes the body as it is (a miss) instead of failing', async () => {
    const failing: ResponseStore = {
      get: () => Promise.reject(new Error('down')),
      put: () => Promise.resolve(),
      delete: () => Promise.resolve(false),
      close: () => Promise.resolve(),
    };
    const k = new ResponseKeeper(failing, 1_000, undefined);
    const body = { model: 'm', previous_response_id: 'resp_1' };
    expect(await k.expand(body)).toBe(body);
  });
});

describe('response.failed after the commit', () => {
  it('is made for the response the caller saw created, numbered after the last event written', async () => {
    const { keeper: k } = keeper();
    const created = {
      type: 'response.created',
      sequence_number: 0,
      response: { id: 'resp_c', object: 'response', status: 'in_progress', output: [] },
    };
    const delta = { type: 'response.output_text.delta', sequence_number: 4, delta: 'x' };
    const watched = k.watch(
      { model: 'm', input: 'go', store: false },
      batchesOf(
        { events: [{ event: 'response.created', data: JSON.stringify(created) }], text: 'a' },
        {
          events: [{ event: 'response.output_text.delta', data: JSON.stringify(delta) }],
          text: 'b',
        },
      ),
    );
    for await (const batch of watched.batches) expect(batch.text).toMatch(/^[ab]$/);
    const event = watched.failedEvent({ error: { type: 'server_error', message: 'cut' } });
    expect(event?.event).toBe('response.failed');
    expect(JSON.parse(event?.data ?? '{}')).toEqual({
      type: 'response.failed',
      sequence_number: 5,
      response: {
        id: 'resp_c',
        object: 'response',
        status: 'failed',
        output: [],
        error: { code: 'server_error', message: 'cut' },
      },
    });
  });

  it('is left to the protocol error event when no response.created was seen', () => {
    const { keeper: k } = keeper();
    const watched = k.watch({ model: 'm' }, batchesOf());
    expect(watched.failedEvent({ error: { message: 'x' } })).toBeUndefined();
  });
});
