import { afterEach, describe, expect, it } from 'vitest';
import { createMockBackend } from '../../../src/backends/index.js';
import type { MockChatBackend } from '../../../src/backends/index.js';
import { ManualClock } from '../../../src/time/manual-clock.js';
import { collect, collectFailure } from '../backend-test-helpers.js';
import type { Json } from '../backend-test-helpers.js';

const backends: MockChatBackend[] = [];
afterEach(async () => {
  for (const b of backends.splice(0)) await b.close();
});

function mock(options: Partial<Parameters<typeof createMockBackend>[0]> = {}) {
  const backend = createMockBackend({
    name: 'mock',
    maxRetries: 0,
    clock: new ManualClock(),
    ...options,
  });
  backends.push(backend);
  return backend;
}

describe('createMockBackend', () => {
  it('answers both caller protocols through an OpenAI-protocol mock upstream', async () => {
    const backend = mock();
    expect(backend.protocol).toBe('openai');
    const o = await backend.chat('openai', {
      model: 'm',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect((o.body as Json).choices[0].message.content).toBe('echo: hi');
    const a = await backend.chat('anthropic', {
      model: 'm',
      max_tokens: 10,
      messages: [{ role: 'user', content: 'yo' }],
    });
    expect((a.body as Json).content[0]).toMatchObject({ type: 'text', text: 'echo: yo' });
    const server = await backend.upstream();
    expect(server.requests.map((r) => r.path)).toEqual([
      '/v1/chat/completions',
      '/v1/chat/completions',
    ]);
  });

  it('streams from an Anthropic-protocol mock upstream', async () => {
    const backend = mock({ protocol: 'anthropic' });
    const events = await collect(
      backend.chatStream('anthropic', {
        model: 'm',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'x' }],
      }),
    );
    expect(events.at(-1)!.event).toBe('message_stop');
    const stream = backend.chatStream('openai', {
      model: 'm',
      messages: [{ role: 'user', content: 'x' }],
    });
    const chunks = await collect(stream);
    expect(chunks.at(-1)!.data).toBe('[DONE]');
    expect(stream.attempts).toBe(1);
    expect((await backend.upstream()).requests.map((r) => r.path)).toEqual([
      '/v1/messages',
      '/v1/messages',
    ]);
  });

  it('applies scripted faults through the real client: a 503 is UPSTREAM_SERVER and opens the breaker', async () => {
    const backend = mock({ faults: [{ status: 503 }], circuitBreaker: { failMax: 1 } });
    await expect(
      backend.chat('openai', { model: 'm', messages: [{ role: 'user', content: 'x' }] }),
    ).rejects.toMatchObject({ code: 'UPSTREAM_SERVER', status: 503, backend: 'mock' });
    expect(backend.circuitBreaker.currentState).toBe('open');
    expect(backend.isCircuitOpen).toBe(true);
    expect(backend.lastErrorCode).toBe('UPSTREAM_SERVER');
  });

  it('reports a cut stream as STREAM_TRUNCATED', async () => {
    const backend = mock({ faults: [{ cutAfterChunks: 2 }] });
    const { error, seen } = await collectFailure(
      backend.chatStream('openai', { model: 'm', messages: [{ role: 'user', content: 'a b c' }] }),
    );
    expect(error.code).toBe('STREAM_TRUNCATED');
    expect(seen).toHaveLength(2);
  });

  it('probes its upstream and refuses calls once closed', async () => {
    const backend = mock();
    expect(await backend.probe()).toBe(true);
    await backend.close();
    await expect(backend.chat('openai', { model: 'm', messages: [] })).rejects.toMatchObject({
      code: 'CONNECTION',
    });
  });

  it('retries for real through the client: a 503 then an answer takes two attempts', async () => {
    // Real clock with zero jitter: the backoff sleeps 0 ms, nothing waits on wall time.
    const backend = createMockBackend({
      name: 'retrying',
      maxRetries: 1,
      random: () => 0,
      faults: [{ status: 503 }, {}, { resetConnection: true }],
    });
    backends.push(backend);
    const result = await backend.chat('openai', {
      model: 'm',
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(result.attempts).toBe(2);
    const stream = backend.chatStream('anthropic', {
      model: 'm',
      max_tokens: 5,
      messages: [{ role: 'user', content: 'y' }],
    });
    const events = await collect(stream);
    expect(stream.attempts).toBe(2);
    expect(events.at(-1)!.event).toBe('message_stop');
  });
});
