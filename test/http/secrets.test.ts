import { inspect } from 'node:util';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/time/manual-clock.js';
import { ScriptedServer } from '../support/scripted-server.js';
import type { RecordedRequest } from '../support/scripted-server.js';
import { collect, fireDueTimers, testClient } from './test-client.js';
import type { TestClient } from './test-client.js';

const KEY = 'sk-live-SECRET-0123456789abcdef';

/** Every way an error could be shown: message, stack, JSON, inspect (with cause), a pino log line. */
function renderings(error: unknown): string[] {
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
  logger.error({ err: error }, 'call failed');
  const e = error as Error;
  return [e.message, e.stack ?? '', JSON.stringify(error), inspect(error, { depth: 10 }), ...lines];
}

const echoAuth = (request: RecordedRequest) => ({
  echoed: request.headers.authorization,
  message: `bad key ${String(request.headers.authorization)}`,
});

describe('the API key never leaks', () => {
  let server: ScriptedServer;
  let clock: ManualClock;
  let client: TestClient;
  let stopTimers: () => void;

  beforeEach(async () => {
    server = await ScriptedServer.start();
    clock = new ManualClock();
    stopTimers = fireDueTimers(clock);
    client = testClient(`${server.url}/v1`, clock, {
      apiKey: KEY,
      circuitBreaker: { failMax: 100 },
      timeoutMs: 1_000,
    });
  });
  afterEach(async () => {
    stopTimers();
    await client.close();
    await server.close();
  });

  async function failures(): Promise<unknown[]> {
    const errors: unknown[] = [];
    const grab = (p: Promise<unknown>) =>
      p.then(
        () => undefined,
        (e: unknown) => errors.push(e),
      );
    server.setFallback((request) => ({ type: 'json', status: 401, body: echoAuth(request) }));
    await grab(client.post('/x', { prompt: 'hi' }));
    server.setFallback((request) => ({
      type: 'json',
      status: 500,
      text: JSON.stringify(echoAuth(request)),
    }));
    await grab(client.post('/x', {}));
    server.setFallback((request) => ({
      type: 'sse',
      events: [{ data: '{"n":0}' }, { event: 'error', data: JSON.stringify(echoAuth(request)) }],
    }));
    errors.push((await collect(client.stream('/x', {}))).error);
    server.setFallback({ type: 'sse', events: [{ data: `{"key":"${KEY}"}` }], cutAfter: 1 });
    errors.push((await collect(client.stream('/x', {}))).error);
    client.circuitBreaker.trip();
    await grab(client.post('/x', {}));
    const port = new URL(server.url).port;
    const refused = testClient(`http://127.0.0.1:${port}/v1`, clock, {
      apiKey: KEY,
      maxRetries: 0,
    });
    await server.close();
    await grab(refused.post('/x', {}));
    await refused.close();
    server = await ScriptedServer.start();
    return errors;
  }

  it('appears in no message, stack, JSON, inspect output or log line of any thrown error', async () => {
    const errors = await failures();
    expect(errors).toHaveLength(6);
    expect(errors.map((e) => (e as { code: string }).code)).toEqual([
      'UPSTREAM_AUTH',
      'UPSTREAM_SERVER',
      'STREAM_UPSTREAM_ERROR',
      'STREAM_TRUNCATED',
      'CIRCUIT_OPEN',
      'CONNECTION',
    ]);
    for (const error of errors)
      for (const text of renderings(error)) expect(text).not.toContain(KEY);
    // The upstream really did echo it: redaction, not luck, kept it out.
    expect(JSON.stringify(errors[0])).toContain('[REDACTED]');
    expect(JSON.stringify(errors[2])).toContain('[REDACTED]');
  });

  it('leaves no part of the key in an error body cut to its 16 KiB limit', async () => {
    // The key straddles the cut: only its first 12 characters fall inside the kept part.
    server.setFallback({
      type: 'json',
      status: 400,
      text: `${'x'.repeat(16_384 - 12)}${KEY} tail`,
    });
    const error = await client.post('/x', {}).catch((e: unknown) => e);
    const body = (error as { upstreamBody: unknown }).upstreamBody;
    expect(typeof body).toBe('string');
    expect((body as string).length).toBeLessThanOrEqual(16_384);
    expect(body).not.toContain(KEY.slice(0, 12));
  });

  it('is not visible through the client object itself', () => {
    expect(JSON.stringify({ ...client, circuitBreaker: undefined })).not.toContain(KEY);
    expect(inspect(client, { depth: 4 })).not.toContain(KEY);
  });
});
