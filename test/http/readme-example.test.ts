import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CloudBackendClient } from '../../src/index.js';
import { ScriptedServer } from '../support/scripted-server.js';

// The README's "Your own client on the resilient base" example, verbatim (prettier-ignore keeps its
// layout), so the README cannot drift from the real API: it must type-check and make a real call.
// prettier-ignore
class MyBackend extends CloudBackendClient {
  // Read the key through `this.apiKey`: the client then knows it and redacts it from every error.
  protected buildHeaders() { return { authorization: `Bearer ${this.apiKey}` }; }
  async chatCompletion(request: Record<string, unknown>) {
    const { body } = await this.postWithCircuitBreaker('/chat/completions', request);
    return body;
  }
}

describe('the README library example', () => {
  const KEY = 'sk-readme-0123456789abcdef';
  let server: ScriptedServer;
  let saved: string | undefined;

  beforeEach(async () => {
    server = await ScriptedServer.start();
    saved = process.env.MY_KEY;
    process.env.MY_KEY = KEY;
  });
  afterEach(async () => {
    if (saved === undefined) delete process.env.MY_KEY;
    else process.env.MY_KEY = saved;
    await server.close();
  });

  it('compiles against the real API and makes a call with its auth header', async () => {
    server.script({ type: 'json', body: { id: 'chatcmpl-1', choices: [] } });
    // As in the README: process.env values are `string | undefined`, the options take them as is.
    // prettier-ignore
    const mine = new MyBackend({ name: 'mine', baseUrl: `${server.url}/v1`, apiKey: process.env.MY_KEY });
    await expect(mine.chatCompletion({ model: 'm', messages: [] })).resolves.toEqual({
      id: 'chatcmpl-1',
      choices: [],
    });
    expect(server.requests[0]).toMatchObject({
      method: 'POST',
      path: '/v1/chat/completions',
      headers: { authorization: `Bearer ${KEY}` },
    });
    await mine.close();
  });

  it('redacts the key from an error whose upstream body echoes it back', async () => {
    server.script({ type: 'json', status: 400, body: { error: `bad key Bearer ${KEY}` } });
    const mine = new MyBackend({ name: 'mine', baseUrl: server.url, apiKey: process.env.MY_KEY });
    const error = await mine.chatCompletion({}).catch((e: unknown) => e);
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(JSON.stringify(error)).toContain('[REDACTED]');
    expect(JSON.stringify(error)).not.toContain(KEY);
    await mine.close();
  });
});
