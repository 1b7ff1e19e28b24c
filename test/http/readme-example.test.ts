import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CloudBackendClient } from '../../src/index.js';
import { ScriptedServer } from '../support/scripted-server.js';

// The README's "Your own client on the resilient base" example, verbatim (prettier-ignore keeps its layout),
// so the README cannot drift from the real API: it must type-check and make a real call.
// prettier-ignore
class MyBackend extends CloudBackendClient {
  protected buildHeaders() { return { authorization: `Bearer ${process.env.MY_KEY}` }; }
  async chatCompletion(request: Record<string, unknown>) {
    const { body } = await this.postWithCircuitBreaker('/chat/completions', request);
    return body;
  }
}

// The same client with the key passed as `apiKey` and read back through `this.apiKey`: the form
// that lets the client redact the key from errors (it only knows keys given in its options).
class KeyedBackend extends CloudBackendClient {
  protected buildHeaders() {
    return { authorization: `Bearer ${this.apiKey ?? ''}` };
  }
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
    const backend = new MyBackend({ baseUrl: `${server.url}/v1`, name: 'mine' });
    await expect(backend.chatCompletion({ model: 'm', messages: [] })).resolves.toEqual({
      id: 'chatcmpl-1',
      choices: [],
    });
    expect(server.requests[0]).toMatchObject({
      method: 'POST',
      path: '/v1/chat/completions',
      headers: { authorization: `Bearer ${KEY}` },
    });
    await backend.close();
  });

  it('redacts an echoed key only when it was given as apiKey (why the README should use it)', async () => {
    const echo = { type: 'json' as const, status: 400, body: { error: `bad key Bearer ${KEY}` } };
    server.script(echo, echo);
    const readme = new MyBackend({ baseUrl: server.url, name: 'readme' });
    // process.env values are `string | undefined`: the options take them as they are.
    const keyed = new KeyedBackend({
      baseUrl: server.url,
      name: 'keyed',
      apiKey: process.env.MY_KEY,
    });
    const leaked = await readme.chatCompletion({}).catch((e: unknown) => e);
    const redacted = await keyed.chatCompletion({}).catch((e: unknown) => e);
    expect(JSON.stringify(leaked)).toContain(KEY);
    expect(JSON.stringify(redacted)).not.toContain(KEY);
    expect(server.requests[1]?.headers.authorization).toBe(`Bearer ${KEY}`);
    await readme.close();
    await keyed.close();
  });
});
