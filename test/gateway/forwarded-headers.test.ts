import { afterEach, describe, expect, it } from 'vitest';
import { MockUpstreamServer, createAnthropicBackend } from '../../src/backends/index.js';
import { parseConfig } from '../../src/config/index.js';
import { forwardedHeaders } from '../../src/protocols/index.js';
import { CLOUD_KEY, startHarness } from './support/gateway-harness.js';
import type { Harness } from './support/gateway-harness.js';

const BETAS = 'claude-code-20250219,interleaved-thinking-2025-05-14';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** The last chat request an upstream received. */
function lastChat(server: MockUpstreamServer | undefined) {
  const chats = (server?.requests ?? []).filter((r) => r.method === 'POST');
  const last = chats.at(-1);
  if (last === undefined) throw new Error('the upstream received no chat request');
  return last;
}

async function post(url: string, headers: Record<string, string>, body: unknown) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

const message = { model: 'm', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] };
const callerSecrets = {
  'x-api-key': 'sk-caller-secret',
  authorization: 'Bearer sk-caller-secret',
  cookie: 'session=abc',
};

describe('forwarding protocol headers to upstreams', () => {
  it('forwards the Anthropic caller beta and version to an Anthropic upstream, never its credentials', async () => {
    h = await startHarness({
      localProtocol: 'anthropic',
      routes: [{ match: '*', targets: [{ backend: 'local' }] }],
    });
    const res = await post(
      `${h.url}/v1/messages?beta=true`,
      { ...callerSecrets, 'anthropic-version': '2023-06-01', 'anthropic-beta': BETAS },
      message,
    );
    expect(res.status).toBe(200);
    const got = lastChat(h.local).headers;
    expect(got['anthropic-beta']).toBe(BETAS);
    expect(got['anthropic-version']).toBe('2023-06-01');
    expect(got['x-api-key']).toBeUndefined();
    expect(got.authorization).toBeUndefined();
    expect(got.cookie).toBeUndefined();
  });

  it('forwards repeated anthropic-beta headers joined, as one list', async () => {
    h = await startHarness({
      localProtocol: 'anthropic',
      routes: [{ match: '*', targets: [{ backend: 'local' }] }],
    });
    await h.anthropic.beta.messages.create({
      ...message,
      max_tokens: 8,
      messages: [{ role: 'user', content: 'hi' }],
      betas: ['context-management-2025-06-27', 'mid-conversation-system-2026-04-07'],
    });
    const got = lastChat(h.local);
    expect(got.headers['anthropic-beta']).toBe(
      'context-management-2025-06-27,mid-conversation-system-2026-04-07',
    );
    // The SDK's beta client adds ?beta=true: the gateway serves it as /v1/messages.
    expect(got.path).toBe('/v1/messages');
  });

  it('keeps the backend key and does not send an Anthropic beta to an OpenAI upstream', async () => {
    h = await startHarness({
      localProtocol: 'openai',
      routes: [{ match: '*', targets: [{ backend: 'cloud' }] }],
      cloudProtocol: 'openai',
    });
    await post(
      `${h.url}/v1/messages`,
      { ...callerSecrets, 'anthropic-beta': BETAS, 'openai-beta': 'assistants=v2' },
      message,
    );
    const got = lastChat(h.cloud).headers;
    expect(got.authorization).toBe(`Bearer ${CLOUD_KEY}`);
    expect(got['anthropic-beta']).toBeUndefined();
    // The allowlist is the upstream's protocol's: openai-beta goes to an OpenAI upstream.
    expect(got['openai-beta']).toBe('assistants=v2');
    expect(got.cookie).toBeUndefined();
  });

  it('forwards only the headers a backend forwardHeaders list names', async () => {
    const upstream = await MockUpstreamServer.start();
    const backend = createAnthropicBackend({
      name: 'a',
      baseUrl: upstream.anthropicBaseUrl,
      maxRetries: 0,
      forwardHeaders: ['x-trace'],
    });
    try {
      await backend.chat('anthropic', message, {
        callerHeaders: { 'x-trace': 't-1', 'anthropic-beta': BETAS, 'x-api-key': 'sk-no' },
      });
      const got = lastChat(upstream).headers;
      expect(got['x-trace']).toBe('t-1');
      expect(got['anthropic-beta']).toBeUndefined();
      expect(got['x-api-key']).toBeUndefined();
    } finally {
      await backend.close();
      await upstream.close();
    }
  });
});

describe('forwardedHeaders', () => {
  it('skips credentials even when a list names them, and empty values', () => {
    expect(
      forwardedHeaders({ authorization: 'Bearer x', 'openai-beta': '', 'a-b': ['1', '2'] }, [
        'authorization',
        'openai-beta',
        'a-b',
      ]),
    ).toEqual({ 'a-b': '1, 2' });
    expect(forwardedHeaders(undefined, ['a'])).toBeUndefined();
  });
});

describe('config forwardHeaders', () => {
  // JSON is YAML: the config text is built from an object.
  const config = (forwardHeaders: unknown) =>
    JSON.stringify({
      backends: { a: { type: 'anthropic', apiKey: 'k', forwardHeaders } },
      routes: [{ match: '*', targets: [{ backend: 'a' }] }],
    });

  it('lower-cases the names it keeps', () => {
    const parsed = parseConfig(config(['Anthropic-Beta', 'X-Trace']));
    expect(parsed.backends.a).toMatchObject({ forwardHeaders: ['anthropic-beta', 'x-trace'] });
  });

  it('refuses a credential or hop-by-hop header, naming it', () => {
    expect(() => parseConfig(config(['X-Api-Key']))).toThrow(/"x-api-key": a credential/);
    expect(() => parseConfig(config(['connection']))).toThrow(/"connection"/);
  });
});
