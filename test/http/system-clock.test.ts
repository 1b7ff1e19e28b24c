import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ScriptedServer } from '../support/scripted-server.js';
import { TestClient, collect } from './test-client.js';

// The other tests drive a ManualClock; these check the wiring to real timers (no timing asserts).
describe('CloudBackendClient on the system clock', () => {
  let server: ScriptedServer;
  let client: TestClient;

  beforeEach(async () => {
    server = await ScriptedServer.start();
    client = new TestClient({
      baseUrl: server.url,
      name: 'real',
      timeoutMs: 10_000, // generous: a loaded machine must not turn a slow answer into a flake
      idleTimeoutMs: 50,
      maxRetries: 1,
      backoffBaseMs: 1,
    });
  });
  afterEach(async () => {
    await client.close();
    await server.close();
  });

  it('times out hanging calls through the shared deadline timer, also after it went idle', async () => {
    const quick = new TestClient({
      baseUrl: server.url,
      name: 'quick',
      timeoutMs: 50,
      maxRetries: 0,
    });
    server.script({ type: 'stall' });
    await expect(quick.post('/x', {})).rejects.toMatchObject({ code: 'TIMEOUT', attempts: 1 });
    await server.waitForClientClose(1);
    server.script({ type: 'stall' }); // the timer fired with an empty list: a new one is armed
    await expect(quick.post('/x', {})).rejects.toMatchObject({ code: 'TIMEOUT' });
    await quick.close();
  });

  it('times out a stalled stream after its first event', async () => {
    server.script({ type: 'sse', events: [{ data: '{"n":0}' }], stallAfter: 1 });
    const { events, error } = await collect(client.stream('/x', {}));
    expect(events).toHaveLength(1);
    expect(error).toMatchObject({ code: 'TIMEOUT' });
  });

  it('retries with real backoff and succeeds', async () => {
    server.script({ type: 'json', status: 503 }, { type: 'json', body: { ok: true } });
    await expect(client.post('/x', {})).resolves.toMatchObject({ body: { ok: true }, attempts: 2 });
  });
});
