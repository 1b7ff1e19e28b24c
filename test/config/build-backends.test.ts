import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatBackend } from '../../src/backends/index.js';
import {
  AnthropicCloudBackend,
  MockChatBackend,
  OpenAICloudBackend,
  OpenAIResponsesBackend,
} from '../../src/backends/index.js';
import { createLogger } from '../../src/server/index.js';
import {
  buildBackends,
  healthProbePlan,
  parseConfig,
  resolveRoutes,
} from '../../src/config/index.js';

/** A logger whose lines land in `lines` (parsed). */
function captureLogger() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return { lines, logger: createLogger({ level: 'info', destination }) };
}

const CONFIG = `
backends:
  local: { type: openai, baseUrl: "\${LOCAL_BASE_URL:-mock://}", maxRetries: 0, healthProbe: { intervalMs: 3000 } }
  openai: { type: openai, baseUrl: https://api.openai.com/v1, apiKey: "\${OPENAI_API_KEY}", maxRetries: 1, circuitBreaker: { failMax: 2 } }
  anthropic: { type: anthropic, apiKey: "\${ANTHROPIC_API_KEY}" }
  mock: { type: mock, protocol: anthropic, healthProbe: { intervalMs: 1000 } }
routes:
  - { match: "claude-*", priority: 10, targets: [{ backend: anthropic }] }
  - { match: "gpt-*", targets: [{ backend: openai }, { backend: mock, model: m }] }
  - { match: "*", targets: [{ backend: local }, { backend: openai, model: gpt-4o-mini }] }
`;

let built: Map<string, ChatBackend> | undefined;
afterEach(async () => {
  await Promise.all([...(built?.values() ?? [])].map((backend) => backend.close()));
  built = undefined;
});

describe('buildBackends', () => {
  it('builds a Responses backend for type openai with api: responses, and a Responses mock for mock://', () => {
    const config = parseConfig(
      `
backends:
  resp: { type: openai, baseUrl: "http://127.0.0.1:9/v1", api: responses }
  chat: { type: openai, baseUrl: "http://127.0.0.1:9/v1" }
  respMock: { type: openai, baseUrl: "mock://", api: responses }
`,
      { env: {} },
    );
    built = buildBackends(config).backends;
    expect(built.get('resp')).toBeInstanceOf(OpenAIResponsesBackend);
    expect(built.get('resp')?.protocol).toBe('openai-responses');
    expect(built.get('chat')?.protocol).toBe('openai');
    expect(built.get('respMock')).toBeInstanceOf(MockChatBackend);
    expect(built.get('respMock')?.protocol).toBe('openai-responses');
  });

  it('disables a backend whose key variable is unset, with a warning naming the variable', () => {
    const { lines, logger } = captureLogger();
    const config = parseConfig(CONFIG, { env: { ANTHROPIC_API_KEY: 'sk-ant-test-key-1234' } });
    const { backends, disabled } = buildBackends(config, logger);
    built = backends;
    expect([...backends.keys()]).toEqual(['local', 'anthropic', 'mock']);
    expect(disabled).toEqual([
      { name: 'openai', reason: 'its apiKey is empty: OPENAI_API_KEY is unset' },
    ]);
    expect(lines).toEqual([
      expect.objectContaining({
        level: 40,
        backend: 'openai',
        msg: 'backend "openai" disabled: its apiKey is empty: OPENAI_API_KEY is unset',
      }),
    ]);
    expect(JSON.stringify(lines)).not.toContain('sk-ant-test');
  });

  it('creates the client type each entry names, mock:// and type mock as the built-in mock', () => {
    const env = { OPENAI_API_KEY: 'sk-test-key-1234', ANTHROPIC_API_KEY: 'sk-ant-test-key-1234' };
    const { backends } = buildBackends(parseConfig(CONFIG, { env }));
    built = backends;
    expect(backends.get('openai')).toBeInstanceOf(OpenAICloudBackend);
    expect(backends.get('anthropic')).toBeInstanceOf(AnthropicCloudBackend);
    expect((backends.get('anthropic') as AnthropicCloudBackend).baseUrl).toBe(
      'https://api.anthropic.com',
    );
    expect(backends.get('local')).toBeInstanceOf(MockChatBackend);
    expect(backends.get('mock')).toMatchObject({ protocol: 'anthropic' });
    expect(backends.get('openai')?.circuitBreaker.failMax).toBe(2);
    expect(backends.get('openai')?.circuitBreaker.name).toBe('openai');
  });

  it('points local at a real server when LOCAL_BASE_URL is set', () => {
    const env = { LOCAL_BASE_URL: 'http://127.0.0.1:9/v1' };
    const { backends } = buildBackends(parseConfig(CONFIG, { env }));
    built = backends;
    const local = backends.get('local');
    expect(local).toBeInstanceOf(OpenAICloudBackend);
    expect((local as OpenAICloudBackend).baseUrl).toBe('http://127.0.0.1:9/v1');
  });

  it('accepts openai-responses as a mock protocol and refuses a protocol it does not speak', () => {
    const yaml = (protocol: string) => `backends:\n  r: { type: mock, protocol: ${protocol} }\n`;
    const { backends } = buildBackends(parseConfig(yaml('openai-responses'), {}));
    built = backends;
    expect(backends.get('r')).toMatchObject({ protocol: 'openai-responses' });
    expect(() => parseConfig(yaml('gemini'), {})).toThrow(/backends\.r\.protocol/);
  });

  it('takes an openai backend base URL from its preset', () => {
    const config = parseConfig('backends:\n  g: { type: openai, preset: groq, apiKey: k }\n', {});
    const { backends } = buildBackends(config);
    built = backends;
    expect((backends.get('g') as OpenAICloudBackend).baseUrl).toMatch(/^https:\/\/api\.groq\.com/);
  });
});

describe('resolveRoutes', () => {
  it('removes disabled backends from chains and keeps a route left empty with why, and a warning', () => {
    const { lines, logger } = captureLogger();
    const config = parseConfig(CONFIG, { env: {} });
    const enabled = new Map([
      ['local', 1],
      ['mock', 1],
    ]);
    const routes = resolveRoutes(config.routes, enabled, logger, [
      { name: 'anthropic', reason: 'its apiKey is empty: ANTHROPIC_API_KEY is unset' },
    ]);
    expect(routes).toEqual([
      {
        match: 'claude-*',
        priority: 10,
        targets: [],
        disabled: [
          { backend: 'anthropic', reason: 'its apiKey is empty: ANTHROPIC_API_KEY is unset' },
        ],
      },
      { match: 'gpt-*', targets: [{ backend: 'mock', model: 'm' }] },
      { match: '*', targets: [{ backend: 'local' }] },
    ]);
    expect(lines).toEqual([
      expect.objectContaining({
        level: 40,
        msg: 'route 0 (claude-*) has no enabled backend: its models are answered 400 naming why',
      }),
    ]);
  });

  it('keeps priority and regex matches as written', () => {
    const config = parseConfig(
      'backends: { a: { type: mock } }\nroutes:\n  - { match: { regex: "^x" }, priority: 3, targets: [{ backend: a }] }\n',
      {},
    );
    expect(resolveRoutes(config.routes, new Map([['a', 1]]))).toEqual([
      { match: { regex: '^x' }, priority: 3, targets: [{ backend: 'a' }] },
    ]);
  });
});

describe('healthProbePlan', () => {
  it('probes the enabled backends that ask for it, at the shortest interval', () => {
    const config = parseConfig(CONFIG, { env: {} });
    expect(healthProbePlan(config, new Map([['local', 1]]))).toEqual({
      probeBackends: ['local'],
      intervalMs: 3000,
    });
    expect(
      healthProbePlan(
        config,
        new Map([
          ['local', 1],
          ['mock', 1],
        ]),
      ),
    ).toEqual({ probeBackends: ['local', 'mock'], intervalMs: 1000 });
  });
});
