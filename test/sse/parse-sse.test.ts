import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SseReader, encodeSseEvent, parseSse } from '../../src/sse/index.js';
import type { SseEvent } from '../../src/sse/index.js';

async function* from<T>(items: T[]): AsyncGenerator<T> {
  for (const item of items) yield await Promise.resolve(item);
}

async function parseAll(chunks: (Uint8Array | string)[]): Promise<SseEvent[]> {
  const events: SseEvent[] = [];
  for await (const event of parseSse(from(chunks))) events.push(event);
  return events;
}

describe('parseSse', () => {
  it('parses named events with ids, unnamed events, and drops comments', async () => {
    const text = ': ping\n\nevent: message_start\nid: 7\ndata: {"a":1}\n\ndata: plain\n\n';
    expect(await parseAll([text])).toEqual([
      { event: 'message_start', id: '7', data: '{"a":1}' },
      { data: 'plain' },
    ]);
  });

  it('joins multi-line data with \\n and accepts CRLF line ends', async () => {
    expect(await parseAll(['data: one\r\ndata: two\r\n\r\n'])).toEqual([{ data: 'one\ntwo' }]);
  });

  it('rebuilds a multi-byte character split across byte chunks', async () => {
    const bytes = new TextEncoder().encode('data: héllo 🌍\n\n');
    const chunks = Array.from(bytes, (byte) => Uint8Array.of(byte));
    expect(await parseAll(chunks)).toEqual([{ data: 'héllo 🌍' }]);
  });

  it('yields nothing for an event cut before its blank line', async () => {
    expect(await parseAll(['data: a\n\ndata: cut'])).toEqual([{ data: 'a' }]);
  });

  it('propagates the source error after the events before it', async () => {
    async function* broken(): AsyncGenerator<string> {
      yield await Promise.resolve('data: a\n\n');
      throw new Error('socket closed');
    }
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const event of parseSse(broken())) seen.push(event.data);
      })(),
    ).rejects.toThrow('socket closed');
    expect(seen).toEqual(['a']);
  });

  it('round-trips any events through encodeSseEvent, however the bytes are chunked', async () => {
    const line = fc.string({ unit: 'grapheme' }).filter((s) => !/[\r\n]/.test(s));
    const event = fc.record(
      {
        event: line.filter((s) => s.length > 0 && s.trim() === s),
        id: line.filter((s) => s.trim() === s && !s.includes('\0')),
        data: fc.array(line, { minLength: 1, maxLength: 3 }).map((lines) => lines.join('\n')),
      },
      { requiredKeys: ['data'] },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(event, { maxLength: 5 }),
        fc.integer({ min: 1, max: 7 }),
        async (events, size) => {
          const bytes = new TextEncoder().encode(events.map(encodeSseEvent).join(''));
          const chunks: Uint8Array[] = [];
          for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
          const parsed = await parseAll(chunks);
          expect(parsed).toEqual(events);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('encodeSseEvent', () => {
  it('writes event, id and one data line per line of data', () => {
    expect(encodeSseEvent({ event: 'ping', data: '{}' })).toBe('event: ping\ndata: {}\n\n');
    expect(encodeSseEvent({ data: 'a\nb', id: '3' })).toBe('id: 3\ndata: a\ndata: b\n\n');
    expect(encodeSseEvent({ data: '[DONE]' })).toBe('data: [DONE]\n\n');
  });
});

describe('SseReader', () => {
  it('stops at maxBufferSize: a line without an end is an error, not unbounded memory', async () => {
    const chunks = ['data: {"a":1}\n\n', 'data: ', 'x'.repeat(40), 'x'.repeat(40)];
    const events: SseEvent[] = [];
    let error: unknown;
    try {
      for await (const event of parseSse(from(chunks), 64)) events.push(event);
    } catch (err) {
      error = err;
    }
    expect(events).toEqual([{ data: '{"a":1}' }]);
    expect(error).toMatchObject({ code: 'UPSTREAM_RESPONSE_TOO_LARGE' });
    expect((error as Error).message).toContain('64 characters');
  });

  it('says a read is whole events only when it starts and ends on an event boundary', () => {
    const reader = new SseReader();
    const wholeness = [
      'data: a\n\n',
      'data: b\n',
      '\ndata: c\n\n',
      'data: d\r\n\r\n',
      ': ping\n\n',
    ].map((text) => {
      reader.feed(text);
      return reader.whole;
    });
    expect(wholeness).toEqual([true, false, false, true, true]);
    expect(reader.events.map((e) => e.data)).toEqual(['a', 'b', 'c', 'd']);
  });

  it("vouches for a read's own bytes only when they are exactly the UTF-8 of whole events", () => {
    const enc = new TextEncoder();
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...enc.encode('data: x\n\n')]);
    const bomReader = new SseReader();
    bomReader.feed(bom);
    // The decoder dropped the byte-order mark: the text is not those bytes.
    expect(bomReader.whole).toBe(true);
    expect(bomReader.bytes).toBeUndefined();

    const reader = new SseReader();
    const seen = [
      enc.encode('data: \u00e9t\u00e9 \u{1f600}\n\n'),
      enc.encode('data: half\n'),
      enc.encode('\n'),
      new Uint8Array([...enc.encode('data: '), 0xf0, 0x9f, 0x98, ...enc.encode('\n\n')]),
      enc.encode('data: ok\n\n'),
    ].map((chunk) => {
      reader.feed(chunk);
      return reader.bytes === chunk;
    });
    // Whole and valid; split across reads; invalid UTF-8 (decoded to U+FFFD); whole again.
    expect(seen).toEqual([true, false, false, false, true]);
    expect(reader.events[0]?.data).toBe('\u00e9t\u00e9 \u{1f600}');
    expect(reader.events[2]?.data).toBe('\ufffd');
    reader.end();
    expect(reader.bytes).toBeUndefined();
  });
});
