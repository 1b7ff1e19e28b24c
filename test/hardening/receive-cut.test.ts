import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { GatewayOptions } from '../../src/gateway/index.js';
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

async function gatewayWith(gateway: Partial<GatewayOptions>) {
  let logs = '';
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs += chunk.toString('utf8');
      done();
    },
  });
  h = await startHarness({
    routes: [{ match: '*', targets: [{ backend: 'local' }] }],
    gateway: { ...gateway, logger: createLogger({ level: 'info', destination }) },
  });
  const requestLog = () =>
    logs
      .trim()
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((line) => line.msg === 'request');
  return { h, requestLog };
}

/** Sends a request's headers and the start of its body (of a declared 1,000 bytes) and stops. */
function halfSentRequest(url: string, path: string): { socket: Socket; answer: Promise<string> } {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  socket.write(
    `POST ${path} HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"model":"m",`,
  );
  const answer = new Promise<string>((resolve) => {
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    socket.on('close', () => resolve(text));
    socket.on('error', () => undefined);
  });
  return { socket, answer };
}

/** Waits (bounded) until the gateway is handling `count` requests. */
async function untilInFlight(harness: Harness, count: number): Promise<void> {
  // The count is private; reading it is the one way to know the request reached the handler.
  const inFlight = (harness.gateway as unknown as { inFlight: Set<unknown> }).inFlight;
  for (let i = 0; i < 10_000 && inFlight.size < count; i++)
    await new Promise<void>((resolve) => setImmediate(resolve));
  expect(inFlight.size).toBe(count);
}

describe('requests cut while their body is still coming in', () => {
  it.each([
    ['/v1/chat/completions', '"code":"shutting_down"'],
    ['/v1/messages', '"type":"overloaded_error"'],
  ])(
    'a request to %s still sending its body when the shutdown grace ends gets 503 in its shape, logged as shutdown',
    async (path, shape) => {
      const clock = new ManualClock();
      const { h, requestLog } = await gatewayWith({ clock });
      const { answer } = halfSentRequest(h.url, path);
      await untilInFlight(h, 1);
      const closed = h.gateway.close(GRACE_MS);
      await clock.waitForTimers(1);
      await clock.advance(GRACE_MS);
      await closed;
      const text = await answer;
      expect(text.startsWith('HTTP/1.1 503 ')).toBe(true);
      expect(text.toLowerCase()).toContain('retry-after: 5');
      expect(text).toContain(shape);
      expect(requestLog()).toMatchObject({ status: 503, error: 'SHUTTING_DOWN' });
    },
  );

  it('a body cut by the server requestTimeout is logged as 408 REQUEST_TIMEOUT, not as a client abort (499)', async () => {
    const { h, requestLog } = await gatewayWith({
      limits: { headersTimeoutMs: 100, requestTimeoutMs: 200, timeoutCheckIntervalMs: 50 },
    });
    const { answer } = halfSentRequest(h.url, '/v1/chat/completions');
    const text = await answer;
    expect(text.startsWith('HTTP/1.1 408 ')).toBe(true);
    for (let i = 0; i < 10_000 && requestLog() === undefined; i++)
      await new Promise<void>((resolve) => setImmediate(resolve));
    expect(requestLog()).toMatchObject({ status: 408, error: 'REQUEST_TIMEOUT' });
  });
});
