import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/time/manual-clock.js';
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

describe('graceful shutdown', () => {
  it('lets an in-flight request finish, then refuses new connections', async () => {
    h = await startHarness({ localFaults: [{ latencyMs: 150 }] });
    const pending = h.openai.chat.completions.create(ask('in flight'));
    await h.local?.waitForRequests(1);
    const closed = h.gateway.close(60_000);
    const res = await pending;
    expect(res.choices[0]?.message.content).toBe('echo: in flight');
    await closed;
    await expect(fetch(`${h.url}/health`)).rejects.toThrow();
  });

  it('aborts streams still running when the grace period ends', async () => {
    const clock = new ManualClock();
    h = await startHarness({
      localFaults: [{ stallMs: 60_000, stallAfterChunks: 3 }],
      gateway: { clock },
    });
    const stream = await h.openai.chat.completions.create({ ...ask('a b c d e f'), stream: true });
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    const closed = h.gateway.close(5_000);
    await clock.waitForTimers(1);
    expect(clock.pendingDelays()).toEqual([5_000]);
    await clock.advance(5_000);
    await closed;
    await expect(
      (async () => {
        for (;;) if ((await iterator.next()).done === true) return;
      })(),
    ).rejects.toThrow();
    await h.local?.waitForClientDisconnects(1);
  });
});

describe('health probes through the gateway', () => {
  it('opens the breaker of a dead local backend before any traffic, so requests go straight to the cloud', async () => {
    const clock = new ManualClock();
    h = await startHarness({
      localDown: true,
      router: { clock, healthProbeIntervalMs: 10_000, probeBackends: ['local'] },
    });
    const opened = new Promise<void>((resolve) =>
      h!.backends.local.circuitBreaker.onStateChange((c) => c.to === 'open' && resolve()),
    );
    h.router.startHealthProbes();
    await opened;
    const { response } = await h.openai.chat.completions.create(ask('x')).withResponse();
    expect(response.headers.get('x-llm-failover-fallback')).toBe('local:CIRCUIT_OPEN');
    expect(response.headers.get('x-llm-failover-attempts')).toBe('1');
    const health = (await (await fetch(`${h.url}/health`)).json()) as {
      backends: { name: string; state: string; probe?: string }[];
    };
    expect(health.backends.find((b) => b.name === 'local')).toMatchObject({
      state: 'open',
      probe: 'failed',
    });
    expect(health.backends.find((b) => b.name === 'cloud')?.probe).toBeUndefined();
  });

  it('closes the breaker again when the local server comes back', async () => {
    const clock = new ManualClock();
    h = await startHarness({
      localFaults: [{ status: 503 }],
      router: { clock, healthProbeIntervalMs: 10_000, probeBackends: ['local'] },
    });
    const breaker = h.backends.local.circuitBreaker;
    const changes: string[] = [];
    const next = (to: string): Promise<void> =>
      new Promise<void>((resolve) => {
        const off = breaker.onStateChange((c) => {
          if (c.to !== to) return;
          off();
          resolve();
        });
      });
    breaker.onStateChange((c) => changes.push(c.to));
    const opened = next('open');
    h.router.startHealthProbes();
    await opened;
    const closedAgain = next('closed');
    await clock.advance(10_000);
    await closedAgain;
    expect(changes).toEqual(['open', 'closed']);
    const res = await h.openai.chat.completions.create(ask('back'));
    expect(res.choices[0]?.message.content).toBe('echo: back');
    expect(chatRequests(h.local)).toBe(1);
  });
});

describe('streaming time to first byte', () => {
  it('records the time to first byte and request counts per protocol', async () => {
    h = await startHarness();
    const stream = await h.openai.chat.completions.create({ ...ask('ttfb'), stream: true });
    for await (const _ of stream) void _;
    const metrics = await (await fetch(`${h.url}/metrics`)).text();
    expect(metrics).toContain('llm_failover_time_to_first_byte_seconds_count{protocol="openai"} 1');
    expect(metrics).toContain(
      'llm_failover_backend_attempts_total{backend="local",outcome="success"} 1',
    );
    expect(metrics).not.toContain('llm_failover_truncated_streams_total{');
  });

  it('fails over when local sends no content within the first-byte deadline, counting one breaker failure', async () => {
    const clock = new ManualClock();
    h = await startHarness({
      clock,
      // Headers and the role chunk at once, then nothing: the deadline is on content, not bytes.
      localFaults: [{ stallMs: 600_000, stallAfterChunks: 1 }],
      router: { firstByteTimeoutMs: 1_000 },
    });
    const pending = h.openai.chat.completions
      .create({ ...ask('slow start'), stream: true })
      .withResponse();
    await h.local?.waitForRequests(1);
    await clock.advance(1_000);
    const { data, response } = await pending;
    let text = '';
    for await (const chunk of data) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('echo: slow start');
    expect(response.headers.get('x-llm-failover-fallback')).toBe('local:TIMEOUT');
    await h.local?.waitForClientDisconnects(1);
    // The router's deadline counts once; the abort it causes is not a second failure.
    expect(h.backends.local.circuitBreaker.failCounter).toBe(1);
  });

  it('sends the backend header and the event-stream type with a committed stream', async () => {
    h = await startHarness();
    const { response, data } = await h.openai.chat.completions
      .create({ ...ask('hdr'), stream: true })
      .withResponse();
    for await (const _ of data) void _;
    expect(response.headers.get('x-llm-failover-backend')).toBe('local');
    expect(response.headers.get('content-type')).toContain('text/event-stream');
  });
});
