import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/time/index.js';
import { ScriptedServer } from '../support/scripted-server.js';
import { collect, fireDueTimers, testClient, transcript } from './test-client.js';

describe('smoke', () => {
  let server: ScriptedServer;
  afterEach(async () => server.close());
  it('posts and streams', async () => {
    server = await ScriptedServer.start();
    const clock = new ManualClock();
    const stop = fireDueTimers(clock);
    const client = testClient(server.url + '/v1', clock);
    server.script({ type: 'json', status: 503 }, { type: 'json', body: { a: 1 } });
    const r = await client.post('/chat/completions', { x: 1 });
    expect(r.body).toEqual({ a: 1 });
    expect(r.attempts).toBe(2);
    server.script({ type: 'sse', events: transcript(3) });
    const s = await collect(client.stream('/chat/completions', { x: 1 }));
    expect(s.events.length).toBe(4);
    expect(s.error).toBeUndefined();
    stop();
    await client.close();
  });
});
