import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createAnthropicBackend,
  createOpenAIBackend,
  MockUpstreamServer,
} from '../../src/backends/index.js';

const KEY = 'sk-live-backend-secret-0123456789';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('backend objects and their API key', () => {
  it('never show the key through JSON.stringify or util.inspect, even after a call built the auth headers', async () => {
    const server = await MockUpstreamServer.start();
    cleanups.push(() => server.close());
    const openai = createOpenAIBackend({ name: 'o', baseUrl: server.openaiBaseUrl, apiKey: KEY });
    const anthropic = createAnthropicBackend({
      name: 'a',
      baseUrl: server.anthropicBaseUrl,
      apiKey: KEY,
    });
    cleanups.push(
      () => openai.close(),
      () => anthropic.close(),
    );
    await openai.chat('openai', { model: 'm', messages: [{ role: 'user', content: 'hi' }] });
    await anthropic.chat('anthropic', {
      model: 'm',
      max_tokens: 8,
      messages: [{ role: 'user', content: 'hi' }],
    });
    // The key did reach the upstream, so the headers were built.
    expect(server.requests.map((r) => r.headers.authorization ?? r.headers['x-api-key'])).toEqual([
      `Bearer ${KEY}`,
      KEY,
    ]);
    for (const backend of [openai, anthropic]) {
      expect(JSON.stringify(backend)).not.toContain(KEY);
      expect(inspect(backend, { depth: 6, showHidden: true })).not.toContain(KEY);
    }
  });
});
