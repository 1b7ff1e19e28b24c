import { afterEach, describe, expect, it } from 'vitest';
import { chatRequests, startHarness } from './support/gateway-harness.js';
import type { Harness } from './support/gateway-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const ask = (content: string) => ({
  model: 'llama-3',
  messages: [{ role: 'user' as const, content }],
});

describe('gateway client disconnect', () => {
  it('closes the upstream connection at once when the client aborts before the commit', async () => {
    h = await startHarness({ localFaults: [{ stallMs: 60_000 }] });
    const controller = new AbortController();
    const pending = h.openai.chat.completions.create(
      { ...ask('slow'), stream: true },
      { signal: controller.signal },
    );
    await h.local?.waitForRequests(1);
    controller.abort();
    await expect(pending).rejects.toThrow();
    await h.local?.waitForClientDisconnects(1);
    expect(h.local?.clientDisconnects).toBe(1);
    expect(chatRequests(h.cloud)).toBe(0);
    // The caller left; the backend did nothing wrong: no breaker failure, no error on /health.
    expect(h.backends.local.circuitBreaker.failCounter).toBe(0);
    expect(h.router.backendStatus()[0]?.lastErrorCode).toBeUndefined();
  });

  it('closes the upstream connection at once when the client aborts a non-streaming call', async () => {
    h = await startHarness({ localFaults: [{ latencyMs: 60_000 }] });
    const controller = new AbortController();
    const pending = h.anthropic.messages.create(
      { ...ask('slow'), max_tokens: 5 },
      { signal: controller.signal },
    );
    await h.local?.waitForRequests(1);
    controller.abort();
    await expect(pending).rejects.toThrow();
    await h.local?.waitForClientDisconnects(1);
    expect(chatRequests(h.cloud)).toBe(0);
    expect(h.backends.local.circuitBreaker.failCounter).toBe(0);
  });

  it('closes the upstream connection when the client stops reading a committed stream', async () => {
    h = await startHarness({ localFaults: [{ stallMs: 60_000, stallAfterChunks: 3 }] });
    const controller = new AbortController();
    const stream = await h.openai.chat.completions.create(
      { ...ask('w1 w2 w3 w4 w5'), stream: true },
      { signal: controller.signal },
    );
    for await (const chunk of stream) {
      if ((chunk.choices[0]?.delta.content ?? '') !== '') break;
    }
    await h.local?.waitForClientDisconnects(1);
    expect(h.local?.clientDisconnects).toBe(1);
    expect(chatRequests(h.cloud)).toBe(0);
    expect(h.backends.local.circuitBreaker.failCounter).toBe(0);
    expect(h.router.backendStatus()[0]?.lastErrorCode).toBeUndefined();
  });
});
