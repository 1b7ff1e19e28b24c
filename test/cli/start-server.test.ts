import { Writable } from 'node:stream';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { MockUpstreamServer } from '../../src/backends/index.js';
import type { MockChatBackend } from '../../src/backends/index.js';
import { createLogger, startServer } from '../../src/server/index.js';
import type { RunningServer } from '../../src/server/index.js';

const running: RunningServer[] = [];
const upstreams: MockUpstreamServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close(0)));
  await Promise.all(upstreams.splice(0).map((upstream) => upstream.close()));
});

async function start(options: Parameters<typeof startServer>[0]): Promise<RunningServer> {
  const server = await startServer({ port: 0, ...options });
  running.push(server);
  return server;
}

function captureLogger() {
  let text = '';
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString('utf8');
      done();
    },
  });
  return { read: () => text, logger: createLogger({ level: 'info', destination }) };
}

describe('startServer', () => {
  it('serves the shipped default config with no env: the openai client gets the mock answer', async () => {
    const { logger } = captureLogger();
    const server = await start({ env: {}, logger });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.disabled.map((d) => d.name)).toEqual(['openai', 'anthropic']);
    const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'unused', maxRetries: 0 });
    const { data, response } = await client.chat.completions
      .create({ model: 'any-model', messages: [{ role: 'user', content: 'hello gateway' }] })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe('echo: hello gateway');
    expect(response.headers.get('x-llm-failover-backend')).toBe('local');
    const stream = await client.chat.completions.create({
      model: 'any-model',
      stream: true,
      messages: [{ role: 'user', content: 'stream me' }],
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('echo: stream me');
  });

  it('serves the Anthropic protocol from the default config too', async () => {
    const server = await start({ env: {}, logger: captureLogger().logger });
    const client = new Anthropic({ baseURL: server.url, apiKey: 'unused', maxRetries: 0 });
    const message = await client.messages.create({
      model: 'local-model',
      max_tokens: 50,
      messages: [{ role: 'user', content: 'bonjour' }],
    });
    expect(message.content).toEqual([
      expect.objectContaining({ type: 'text', text: 'echo: bonjour' }),
    ]);
  });

  it('answers Claude models 400 naming ANTHROPIC_API_KEY when it is unset, never from local under that name', async () => {
    const server = await start({ env: {}, logger: captureLogger().logger });
    const client = new Anthropic({ baseURL: server.url, apiKey: 'unused', maxRetries: 0 });
    const error = await client.messages
      .create({
        model: 'claude-haiku-4-5',
        max_tokens: 50,
        messages: [{ role: 'user', content: 'x' }],
      })
      .catch((e: unknown) => e);
    // A 400 is retried by no client (the SDKs retry 408/409/429/5xx): the user reads the cause.
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect(String((error as Error).message)).toContain('no enabled backend');
    expect(String((error as Error).message)).toContain('ANTHROPIC_API_KEY is unset');
    const local = server.backends.get('local') as MockChatBackend;
    // Had the request gone to local, its (lazily started) mock would have recorded it.
    const posts = (await local.upstream()).requests.filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(0);
  });

  it('sends the default config local traffic to LOCAL_BASE_URL when it is set', async () => {
    const upstream = await MockUpstreamServer.start();
    upstreams.push(upstream);
    const env = { LOCAL_BASE_URL: upstream.openaiBaseUrl };
    const server = await start({ env, logger: captureLogger().logger });
    const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'unused', maxRetries: 0 });
    const answer = await client.chat.completions.create({
      model: 'qwen2.5-7b',
      messages: [{ role: 'user', content: 'real local' }],
    });
    expect(answer.choices[0]?.message.content).toBe('echo: real local');
    const chats = upstream.requests.filter((r) => r.path === '/v1/chat/completions');
    expect(chats).toHaveLength(1);
    expect(chats[0]?.body).toMatchObject({ model: 'qwen2.5-7b' });
  });

  it('leaves a disabled backend out of the chain: no attempt, no fallback', async () => {
    const upstream = await MockUpstreamServer.start();
    upstreams.push(upstream);
    const configText = `
backends:
  cloud: { type: openai, baseUrl: "${upstream.openaiBaseUrl}", apiKey: "\${UNSET_KEY_VAR}" }
  local: { type: mock }
routes:
  - { match: "*", targets: [{ backend: cloud }, { backend: local }] }
`;
    const server = await start({ configText, env: {}, logger: captureLogger().logger });
    expect(server.disabled).toEqual([
      { name: 'cloud', reason: 'its apiKey is empty: UNSET_KEY_VAR is unset' },
    ]);
    const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'unused', maxRetries: 0 });
    const { response } = await client.chat.completions
      .create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] })
      .withResponse();
    expect(response.headers.get('x-llm-failover-backend')).toBe('local');
    expect(response.headers.get('x-llm-failover-fallback')).toBeNull();
    expect(upstream.requests).toHaveLength(0);
  });

  it('applies gateway keys and never logs a key, the caller’s or the backend’s', async () => {
    const upstream = await MockUpstreamServer.start();
    upstreams.push(upstream);
    const capture = captureLogger();
    const configText = `
server: { apiKeys: ["\${GATEWAY_KEY}"] }
backends:
  cloud: { type: openai, baseUrl: "${upstream.openaiBaseUrl}", apiKey: "\${CLOUD_KEY}" }
routes:
  - { match: "*", targets: [{ backend: cloud }] }
`;
    const env = { GATEWAY_KEY: 'gw-secret-key-0001', CLOUD_KEY: 'sk-cloud-secret-0002' };
    const server = await start({ configText, env, logger: capture.logger });
    const denied = new OpenAI({
      baseURL: `${server.url}/v1`,
      apiKey: 'wrong-key-0003',
      maxRetries: 0,
    });
    await expect(
      denied.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] }),
    ).rejects.toMatchObject({ status: 401 });
    const client = new OpenAI({
      baseURL: `${server.url}/v1`,
      apiKey: env.GATEWAY_KEY,
      maxRetries: 0,
    });
    const answer = await client.chat.completions.create({
      model: 'm',
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(answer.choices[0]?.message.content).toBe('echo: x');
    expect(upstream.requests[0]?.headers.authorization).toBe(`Bearer ${env.CLOUD_KEY}`);
    const logs = capture.read();
    expect(logs).toContain('"msg":"request"');
    for (const secret of [...Object.values(env), 'wrong-key-0003'])
      expect(logs).not.toContain(secret);
  });

  it('rejects a bad config with INVALID_CONFIG and does not listen', async () => {
    await expect(
      startServer({ configText: 'backends: { a: { type: mock, oops: 1 } }', env: {} }),
    ).rejects.toMatchObject({ code: 'INVALID_CONFIG', path: 'backends.a.oops' });
  });

  it('takes the log level from LOG_LEVEL when it is a valid level, else from the config', async () => {
    const configText = 'backends: { a: { type: mock } }\nlogging: { level: silent }\n';
    const fromEnv = await start({ configText, env: { LOG_LEVEL: 'fatal' } });
    expect(fromEnv.logger.level).toBe('fatal');
    const fromConfig = await start({ configText, env: { LOG_LEVEL: 'loud' } });
    expect(fromConfig.logger.level).toBe('silent');
  });

  it('close() is idempotent', async () => {
    const server = await start({ env: {}, logger: captureLogger().logger });
    await Promise.all([server.close(0), server.close(0)]);
    await expect(fetch(`${server.url}/health`)).rejects.toThrow();
  });
});
