import { Agent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/time/manual-clock.js';
import { ScriptedServer } from '../support/scripted-server.js';
import { collect, fireDueTimers, testClient, transcript } from './test-client.js';
import type { TestClient } from './test-client.js';

describe('CloudBackendClient basics', () => {
  let server: ScriptedServer;
  let clock: ManualClock;
  let client: TestClient;
  let stopTimers: () => void;

  beforeEach(async () => {
    server = await ScriptedServer.start();
    clock = new ManualClock();
    stopTimers = fireDueTimers(clock);
    client = testClient(`${server.url}/v1`, clock);
  });
  afterEach(async () => {
    stopTimers();
    await client.close();
    await server.close();
  });

  it('stringifies the body once per call, not once per attempt', async () => {
    let stringified = 0;
    const body = {
      toJSON() {
        stringified++;
        return { model: 'm' };
      },
    };
    server.script({ type: 'json', status: 503 }, { type: 'json', status: 502 }, { type: 'json' });
    await expect(client.post('/x', body)).resolves.toMatchObject({ attempts: 3 });
    expect(stringified).toBe(1);
    expect(server.requests.map((r) => r.body)).toEqual(Array(3).fill('{"model":"m"}'));
  });

  it('a body that cannot be serialised throws before taking the half-open probe slot', async () => {
    client.circuitBreaker.trip();
    await clock.advance(30_000);
    await expect(client.post('/x', { n: 1n })).rejects.toThrow(TypeError);
    const { error } = await collect(client.stream('/x', { n: 1n }));
    expect(error).toBeInstanceOf(TypeError);
    await expect(client.post('/x', {})).resolves.toMatchObject({ status: 200 });
    expect(client.circuitBreaker.currentState).toBe('closed');
  });

  it('sends a string body verbatim (pre-serialised JSON)', async () => {
    await client.post('/x', '{"raw":true}');
    expect(server.requests[0]!.body).toBe('{"raw":true}');
  });

  it('resolves with status, lower-case headers and the parsed body', async () => {
    server.script({
      type: 'json',
      status: 201,
      headers: { 'X-Request-Id': 'r1' },
      body: { a: [1] },
    });
    const result = await client.post('/x', {});
    expect(result).toMatchObject({ status: 201, body: { a: [1] }, attempts: 1 });
    expect(result.headers['x-request-id']).toBe('r1');
  });

  it('retries a JSON body cut mid-way as a connection error', async () => {
    server.script(
      { type: 'sse', events: [{ raw: '{"partial":' }], cutAfter: 1 },
      { type: 'json', body: { ok: 1 } },
    );
    await expect(client.post('/x', {})).resolves.toMatchObject({ body: { ok: 1 }, attempts: 2 });
  });

  it('fails a 2xx with invalid JSON as UPSTREAM_SERVER without retrying', async () => {
    server.script({ type: 'json', text: 'not json' });
    await expect(client.post('/x', {})).rejects.toMatchObject({
      code: 'UPSTREAM_SERVER',
      attempts: 1,
    });
    expect(server.requests).toHaveLength(1);
    expect(client.circuitBreaker.failCounter).toBe(1);
  });

  it('keeps the body of a 2xx with invalid JSON out of the error, its JSON view included', async () => {
    server.script({ type: 'json', text: 'private answer' });
    const error = await client.post('/x', {}).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'UPSTREAM_SERVER' });
    expect(JSON.stringify(error)).not.toContain('private an');
  });

  it('leaves no timer behind after successful and failed calls', async () => {
    server.script(
      { type: 'json', status: 400 },
      { type: 'json' },
      { type: 'sse', events: transcript(2) },
    );
    await client.post('/x', {}).catch(() => undefined);
    await client.post('/x', {});
    await collect(client.stream('/x', {}));
    expect(clock.pendingTimers).toBe(1); // the client's one shared deadline timer, now idle
    await clock.advance(60_000);
    expect(clock.pendingTimers).toBe(0);
  });

  it('reuses keep-alive connections for sequential calls', async () => {
    for (let i = 0; i < 20; i++) await client.post('/x', {});
    // undici's pool opens a second socket early on (raw undici does the same here), then reuses.
    expect(server.connections).toBeLessThanOrEqual(2);
  });

  it('sends through an injected dispatcher and leaves it open on close()', async () => {
    const agent = new Agent();
    const injected = testClient(`${server.url}/v1`, clock, { dispatcher: agent });
    await injected.post('/x', {});
    await injected.close();
    expect(agent.closed).toBe(false);
    const again = testClient(`${server.url}/v1`, clock, { dispatcher: agent });
    await expect(again.post('/x', {})).resolves.toMatchObject({ status: 200 });
    await agent.close();
  });

  it('fails a call made after close() at once, without retrying or blaming the backend', async () => {
    const closed = testClient(`${server.url}/v1`, clock);
    await closed.post('/x', {});
    await closed.close();
    const error = await closed.post('/x', {}).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CONNECTION', attempts: 1 });
    expect((error as Error).message).toContain('client was closed');
    const { error: streamError } = await collect(closed.stream('/x', {}));
    expect(streamError).toMatchObject({ code: 'CONNECTION', attempts: 1 });
    expect(closed.circuitBreaker.failCounter).toBe(0);
    expect(closed.lastErrorCode).toBeUndefined();
    expect(server.requests).toHaveLength(1);
  });

  it('gives its breaker and budget its name and clock even when the options say undefined', async () => {
    const named = testClient(`${server.url}/v1`, clock, {
      name: 'named',
      circuitBreaker: { failMax: 1, resetTimeoutMs: 1_000, name: undefined, clock: undefined },
      retryBudget: { minRetriesPerWindow: 0, ratio: 0, clock: undefined },
    });
    server.script({ type: 'json', status: 503 });
    await expect(named.post('/x', {})).rejects.toMatchObject({ attempts: 1 }); // budget: none
    expect(named.circuitBreaker.name).toBe('named');
    expect(named.circuitBreaker.retryAfterMs).toBe(1_000);
    await clock.advance(1_000); // the client's manual clock moves the breaker
    expect(named.circuitBreaker.currentState).toBe('half-open');
    await named.close();
  });

  it('shares a breaker instance passed in the options', async () => {
    const other = testClient(`${server.url}/v1`, clock, { circuitBreaker: client.circuitBreaker });
    expect(other.circuitBreaker).toBe(client.circuitBreaker);
    await other.close();
  });

  it('refuses to iterate one stream twice', async () => {
    server.script({ type: 'sse', events: transcript(1) });
    const stream = client.stream('/x', {});
    await collect(stream);
    expect(() => stream[Symbol.asyncIterator]()).toThrow(TypeError);
  });
});
