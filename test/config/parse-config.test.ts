import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isLlmFailoverError } from '../../src/errors/index.js';
import type { LlmFailoverError } from '../../src/errors/index.js';
import { loadConfigFile, parseConfig } from '../../src/config/index.js';

const DEFAULT_CONFIG = new URL('../../config/default.yaml', import.meta.url).pathname;
const EXAMPLE_CONFIG = new URL('../../config/example.yaml', import.meta.url).pathname;

function configError(text: string, env: NodeJS.ProcessEnv = {}): LlmFailoverError {
  try {
    parseConfig(text, { env, source: 'config/x.yaml' });
  } catch (err) {
    if (isLlmFailoverError(err, 'INVALID_CONFIG')) return err;
    throw err;
  }
  throw new Error('expected INVALID_CONFIG');
}

const MINIMAL = `
backends:
  local: { type: mock }
routes:
  - { match: "*", targets: [{ backend: local }] }
`;

describe('parseConfig', () => {
  it('applies the documented defaults', () => {
    const config = parseConfig(MINIMAL, { env: {} });
    expect(config.server).toEqual({
      host: '127.0.0.1',
      port: 4000,
      apiKeys: [],
      bodyLimitBytes: 10 * 1024 * 1024,
      maxNestingDepth: 128,
      shutdownGraceMs: 10_000,
    });
    expect(config.logging.level).toBe('info');
    expect(config.responses.store).toEqual({
      maxEntries: 1000,
      maxBytes: 64 * 1024 * 1024,
      ttlSeconds: 3600,
    });
  });

  it('reads the Responses store bounds and an openai backend api, refusing an unknown api', () => {
    const config = parseConfig(
      `${MINIMAL}
responses: { store: { maxEntries: 10, ttlSeconds: "60" } }
`,
      { env: {} },
    );
    expect(config.responses.store).toEqual({
      maxEntries: 10,
      maxBytes: 64 * 1024 * 1024,
      ttlSeconds: 60,
    });
    const bad = configError(`
backends:
  o: { type: openai, baseUrl: "http://x", api: completions }
`);
    expect(bad.message).toContain('backends.o.api');
    expect(configError(`${MINIMAL}\nresponses: { store: { ttlSeconds: 0 } }\n`).message).toContain(
      'responses.store.ttlSeconds',
    );
  });

  it('expands ${VAR} and ${VAR:-default} before validating, numbers included', () => {
    const text = `
server: { port: "\${PORT:-4001}", apiKeys: ["\${GATEWAY_KEY}"] }
backends:
  local: { type: openai, baseUrl: "\${LOCAL_BASE_URL:-http://127.0.0.1:8080/v1}", maxRetries: "\${RETRIES:-0}" }
`;
    const none = parseConfig(text, { env: {} });
    expect(none.server.port).toBe(4001);
    expect(none.server.apiKeys).toEqual([]);
    expect(none.backends.local).toMatchObject({
      baseUrl: 'http://127.0.0.1:8080/v1',
      maxRetries: 0,
    });
    const set = parseConfig(text, {
      env: { PORT: '5000', GATEWAY_KEY: 'gw-key-123', LOCAL_BASE_URL: 'http://127.0.0.1:9/v1' },
    });
    expect(set.server.port).toBe(5000);
    expect(set.server.apiKeys).toEqual(['gw-key-123']);
    expect(set.backends.local).toMatchObject({ baseUrl: 'http://127.0.0.1:9/v1' });
  });

  it('names the file and the dotted path of a bad field', () => {
    const err = configError(`
backends:
  openai: { type: openai, baseUrl: "not a url", apiKey: "\${OPENAI_API_KEY}" }
`);
    expect(err.message).toMatch(/^config\/x\.yaml: backends\.openai\.baseUrl: Invalid URL/);
    expect(err.path).toBe('backends.openai.baseUrl');
  });

  it('names array indices in the path', () => {
    const err = configError(`
backends:
  local: { type: mock }
routes:
  - { match: "*", targets: [{ backend: local }] }
  - { match: { regex: "(" }, targets: [{ backend: local }] }
`);
    expect(err.message).toContain(
      'config/x.yaml: routes.1.match.regex: Invalid regular expression',
    );
  });

  it('rejects an unknown key at its own path (a typo is not silently ignored)', () => {
    const err = configError(`
backends:
  local: { type: openai, baseUrl: "http://127.0.0.1:8080/v1", maxRetry: 0 }
`);
    expect(err.message).toBe('config/x.yaml: backends.local.maxRetry: unknown key (typo?)');
    expect(configError(`servr: {}\nbackends: {}\n`).path).toBe('servr');
  });

  it('rejects a route that names an unknown backend', () => {
    const err = configError(`
backends:
  local: { type: mock }
routes:
  - { match: "*", targets: [{ backend: local }, { backend: opnai }] }
`);
    expect(err.message).toBe(
      'config/x.yaml: routes.0.targets.1.backend: unknown backend "opnai" (defined: local)',
    );
  });

  it('rejects an unknown backend type and a non-numeric number', () => {
    expect(configError(`backends:\n  a: { type: ollama }\n`).message).toContain(
      'backends.a.type: type must be one of: openai, anthropic, mock',
    );
    expect(configError(`backends:\n  a: { type: mock, maxRetries: lots }\n`).path).toBe(
      'backends.a.maxRetries',
    );
  });

  it('requires a baseUrl for an openai backend without a preset', () => {
    expect(configError(`backends:\n  a: { type: openai }\n`).message).toContain(
      'backends.a.baseUrl: required for type openai (or set preset)',
    );
    const config = parseConfig(`backends:\n  g: { type: openai, preset: groq, apiKey: k }\n`, {});
    expect(config.backends.g).toMatchObject({ preset: 'groq' });
  });

  it('accepts YAML anchors and merge keys for shared backend options', () => {
    const config = parseConfig(
      [
        'x-local: &local { type: openai, maxRetries: 0, connectTimeoutMs: 500 }',
        'backends:',
        '  a: { <<: *local, baseUrl: "http://127.0.0.1:8001/v1" }',
        '  b: { <<: *local, baseUrl: "http://127.0.0.1:8002/v1", maxRetries: 1 }',
      ].join('\n'),
      {},
    );
    expect(config.backends.b).toEqual({
      type: 'openai',
      baseUrl: 'http://127.0.0.1:8002/v1',
      maxRetries: 1,
      connectTimeoutMs: 500,
    });
  });

  it('reports malformed YAML with the file, line and column', () => {
    expect(configError('backends: [\n').message).toMatch(
      /^config\/x\.yaml:\d+:\d+: invalid YAML: /,
    );
  });

  it('never puts a secret value in an error message', () => {
    const err = configError(`backends:\n  a: { type: openai, baseUrl: 42, apiKey: "\${KEY}" }\n`, {
      KEY: 'sk-very-secret-key-value',
    });
    expect(err.message).not.toContain('sk-very-secret');
  });

  it('keeps a key on a malformed YAML line out of the error, its JSON view included', () => {
    const err = configError('backends:\n  a:\n    apiKey: sk-very-secret-key-value\n   b: x: y\n');
    expect(err.message).toMatch(/invalid YAML/);
    expect(JSON.stringify(err)).not.toContain('sk-very-secret');
  });
});

describe('loadConfigFile', () => {
  it('loads the shipped default config with no environment at all', async () => {
    const config = await loadConfigFile(DEFAULT_CONFIG, {});
    expect(config.backends.local).toMatchObject({ type: 'openai', baseUrl: 'mock://' });
    expect(config.backends.openai).toMatchObject({ apiKey: '' });
    expect(config.server).toMatchObject({ host: '127.0.0.1', port: 4000, apiKeys: [] });
  });

  it('points the default local backend at LOCAL_BASE_URL when it is set', async () => {
    const config = await loadConfigFile(DEFAULT_CONFIG, {
      LOCAL_BASE_URL: 'http://127.0.0.1:8080/v1',
    });
    expect(config.backends.local).toMatchObject({ baseUrl: 'http://127.0.0.1:8080/v1' });
  });

  it('loads the shipped example config', async () => {
    const config = await loadConfigFile(EXAMPLE_CONFIG, {});
    expect(Object.keys(config.backends).length).toBeGreaterThan(2);
  });

  it('names the file when it cannot be read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'llm-failover-config-'));
    await expect(loadConfigFile(join(dir, 'missing.yaml'), {})).rejects.toThrow(
      /missing\.yaml: file not found/,
    );
    const bad = join(dir, 'bad.yaml');
    await writeFile(bad, 'backends:\n  a: { type: mock, nope: 1 }\n');
    await expect(loadConfigFile(bad, {})).rejects.toThrow(`${bad}: backends.a.nope: unknown key`);
  });
});
