import { describe, expect, it } from 'vitest';
import { MemoryResponseStore } from '../../src/state/index.js';
import type { StoredResponse } from '../../src/state/index.js';
import { ManualClock } from '../../src/time/manual-clock.js';

function stored(id: string, text = 'hi'): StoredResponse {
  return {
    response: { id, object: 'response', output: [] },
    items: [{ type: 'message', role: 'user', content: text }],
  };
}

describe('MemoryResponseStore', () => {
  it('returns what was put, as a copy the reader cannot use to change the store', async () => {
    const store = new MemoryResponseStore({ clock: new ManualClock() });
    await store.put('resp_1', stored('resp_1'), 1_000);
    const first = await store.get('resp_1');
    expect(first).toEqual(stored('resp_1'));
    (first?.items as unknown[]).push('mutated');
    expect((await store.get('resp_1'))?.items).toHaveLength(1);
    expect(await store.get('resp_unknown')).toBeUndefined();
  });

  it('forgets an entry once its TTL has passed on the injected clock', async () => {
    const clock = new ManualClock();
    const store = new MemoryResponseStore({ clock });
    await store.put('resp_1', stored('resp_1'), 1_000);
    await clock.advance(999);
    expect(await store.get('resp_1')).toBeDefined();
    await clock.advance(1);
    expect(await store.get('resp_1')).toBeUndefined();
    expect(store.size).toBe(0);
    expect(store.bytes).toBe(0);
  });

  it('evicts the least recently used entry beyond maxEntries', async () => {
    const store = new MemoryResponseStore({ clock: new ManualClock(), maxEntries: 2 });
    await store.put('a', stored('a'), 10_000);
    await store.put('b', stored('b'), 10_000);
    await store.get('a'); // a is now more recent than b
    await store.put('c', stored('c'), 10_000);
    expect(await store.get('b')).toBeUndefined();
    expect(await store.get('a')).toBeDefined();
    expect(await store.get('c')).toBeDefined();
    expect(store.size).toBe(2);
  });

  it('keeps the byte total within maxBytes, evicting the oldest, and refuses a value larger than it', async () => {
    const one = Buffer.byteLength(JSON.stringify(stored('a', 'x'.repeat(100))));
    const store = new MemoryResponseStore({ clock: new ManualClock(), maxBytes: one * 2 + 10 });
    for (const id of ['a', 'b', 'c']) await store.put(id, stored(id, 'x'.repeat(100)), 10_000);
    expect(store.bytes).toBeLessThanOrEqual(one * 2 + 10);
    expect(await store.get('a')).toBeUndefined();
    expect(await store.get('c')).toBeDefined();
    await store.put('huge', stored('huge', 'x'.repeat(one * 3)), 10_000);
    expect(await store.get('huge')).toBeUndefined();
    expect(await store.get('c')).toBeDefined();
  });

  it('replaces an entry put twice under one id and counts its bytes once', async () => {
    const store = new MemoryResponseStore({ clock: new ManualClock() });
    await store.put('a', stored('a', 'first'), 10_000);
    const bytes = store.bytes;
    await store.put('a', stored('a', 'other'), 10_000);
    expect(store.bytes).toBe(bytes);
    expect(store.size).toBe(1);
    expect((await store.get('a'))?.items).toEqual([
      { type: 'message', role: 'user', content: 'other' },
    ]);
  });

  it('delete answers whether a live entry was there', async () => {
    const clock = new ManualClock();
    const store = new MemoryResponseStore({ clock });
    await store.put('a', stored('a'), 1_000);
    await store.put('b', stored('b'), 1_000);
    expect(await store.delete('a')).toBe(true);
    expect(await store.delete('a')).toBe(false);
    await clock.advance(1_000);
    expect(await store.delete('b')).toBe(false);
    expect(store.size).toBe(0);
  });

  it('sweeps expired entries at the front when a new one is put', async () => {
    const clock = new ManualClock();
    const store = new MemoryResponseStore({ clock });
    await store.put('old', stored('old'), 100);
    await clock.advance(100);
    await store.put('new', stored('new'), 100);
    expect(store.size).toBe(1);
  });

  it('close empties the store', async () => {
    const store = new MemoryResponseStore({ clock: new ManualClock() });
    await store.put('a', stored('a'), 1_000);
    await store.close();
    expect(store.size).toBe(0);
    expect(await store.get('a')).toBeUndefined();
  });
});
