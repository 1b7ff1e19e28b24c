import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/time/manual-clock.js';
import { ScriptedServer } from '../support/scripted-server.js';
import { testClient } from './test-client.js';
import type { TestClient } from './test-client.js';

// PostResult.bytes (the upstream's exact JSON, for a pass-through) is there to be read, not to be
// logged: it is not enumerable, so JSON.stringify, console.log and spreads leave it out.

describe('PostResult.bytes', () => {
  let server: ScriptedServer;
  let client: TestClient;

  beforeEach(async () => {
    server = await ScriptedServer.start();
    client = testClient(`${server.url}/v1`, new ManualClock());
  });
  afterEach(async () => {
    await client.close();
    await server.close();
  });

  it('holds the exact body but stays out of JSON, inspect, keys and spreads', async () => {
    server.script({ type: 'json', status: 200, body: { answer: 42 } });
    const result = await client.post('/x', {});
    expect(result.bytes?.toString('utf8')).toBe(JSON.stringify({ answer: 42 }));
    expect(Object.keys(result)).not.toContain('bytes');
    expect(JSON.parse(JSON.stringify(result))).toEqual({
      status: 200,
      headers: expect.any(Object) as unknown,
      body: { answer: 42 },
      attempts: 1,
    });
    expect(inspect(result)).not.toContain('Buffer');
    expect({ ...result }).not.toHaveProperty('bytes');
  });
});
