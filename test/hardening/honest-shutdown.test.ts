import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/server/create-logger.js';
import { ManualClock } from '../../src/time/manual-clock.js';
import { startHarness } from '../gateway/support/gateway-harness.js';
import type { Harness } from '../gateway/support/gateway-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const GRACE_MS = 5_000;

/**
 * A gateway whose only backend stalls: `stallAfterChunks` events (a stream commits at its first
 * content event, the 2nd), then nothing for a minute; or, for JSON calls, no answer for a minute.
 */
async function stalledGateway(fault: { stallAfterChunks?: number; latencyMs?: number }) {
  const clock = new ManualClock();
  let logs = '';
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs += chunk.toString('utf8');
      done();
    },
  });
  const stall =
    fault.latencyMs === undefined
      ? { stallMs: 60_000, stallAfterChunks: fault.stallAfterChunks ?? 2 }
      : { latencyMs: fault.latencyMs };
  h = await startHarness({
    localFaults: [stall, stall, stall, stall],
    routes: [{ match: '*', targets: [{ backend: 'local' }] }],
    gateway: { clock, logger: createLogger({ level: 'info', destination }) },
  });
  return {
    h,
    clock,
    logs: () =>
      logs
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

function post(url: string, protocol: 'openai' | 'anthropic', stream: boolean): Promise<Response> {
  const path = protocol === 'openai' ? '/v1/chat/completions' : '/v1/messages';
  return fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'llama-3',
      max_tokens: 50,
      messages: [{ role: 'user', content: 'one two three four five six' }],
      stream,
    }),
  });
}

/** Ends the grace period of a shutdown started now; resolves when the gateway has closed. */
async function shutDownPastGrace(harness: Harness, clock: ManualClock): Promise<void> {
  const closed = harness.gateway.close(GRACE_MS);
  await clock.waitForTimers(1);
  await clock.advance(GRACE_MS);
  await closed;
}

function requestLog(logs: Record<string, unknown>[]): Record<string, unknown> | undefined {
  return logs.find((line) => line.msg === 'request');
}

describe('shutdown after the grace period', () => {
  it('ends a committed OpenAI stream with an in-band error event and no [DONE], logged as shutdown', async () => {
    const { h, clock, logs } = await stalledGateway({});
    const res = await post(h.url, 'openai', true);
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain('"content"');
    await shutDownPastGrace(h, clock);
    let rest = '';
    for (let i = 0; i < 100; i++) {
      const { done, value } = await reader.read();
      if (done) break;
      rest += new TextDecoder().decode(value);
    }
    const last = rest.trim().split('\n\n').at(-1) ?? '';
    expect(last.startsWith('data: {"error":')).toBe(true);
    expect(JSON.parse(last.slice(6))).toMatchObject({
      error: { type: 'server_error', code: 'shutting_down' },
    });
    expect(rest).not.toContain('[DONE]');
    expect(requestLog(logs())).toMatchObject({ status: 200, error: 'SHUTTING_DOWN' });
  });

  it('ends a committed Anthropic stream with event: error (overloaded_error) and no message_stop', async () => {
    const { h, clock, logs } = await stalledGateway({ stallAfterChunks: 3 });
    const res = await post(h.url, 'anthropic', true);
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    let text = '';
    for (let i = 0; i < 100 && !text.includes('content_block_delta'); i++) {
      text += new TextDecoder().decode((await reader.read()).value);
    }
    await shutDownPastGrace(h, clock);
    for (let i = 0; i < 100; i++) {
      const { done, value } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    const last = text.trim().split('\n\n').at(-1) ?? '';
    expect(last.split('\n')[0]).toBe('event: error');
    expect(JSON.parse(last.split('\n')[1]!.slice(6))).toMatchObject({
      type: 'error',
      error: { type: 'overloaded_error' },
    });
    expect(text).not.toContain('message_stop');
    expect(requestLog(logs())).toMatchObject({ status: 200, error: 'SHUTTING_DOWN' });
  });

  it.each(['openai', 'anthropic'] as const)(
    'answers a pending %s JSON call 503 with Retry-After in its shape, logged 503 not 499',
    async (protocol) => {
      const { h, clock, logs } = await stalledGateway({ latencyMs: 60_000 });
      const pending = post(h.url, protocol, false);
      await h.local?.waitForRequests(1);
      await shutDownPastGrace(h, clock);
      const res = await pending;
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      const body = (await res.json()) as Record<string, unknown>;
      if (protocol === 'openai') {
        expect(body).toMatchObject({ error: { type: 'server_error', code: 'shutting_down' } });
      } else {
        expect(body).toMatchObject({ type: 'error', error: { type: 'overloaded_error' } });
      }
      expect(requestLog(logs())).toMatchObject({ status: 503, error: 'SHUTTING_DOWN' });
    },
  );

  it('answers a stream not yet committed (no content before the stall) 503 in JSON', async () => {
    const { h, clock } = await stalledGateway({ stallAfterChunks: 1 });
    const pending = post(h.url, 'anthropic', true);
    await h.local?.waitForRequests(1);
    await shutDownPastGrace(h, clock);
    const res = await pending;
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ type: 'error', error: { type: 'overloaded_error' } });
  });
});
