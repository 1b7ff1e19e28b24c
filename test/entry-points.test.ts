import { execFile } from 'node:child_process';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { beforeAll, describe, expect, it } from 'vitest';
import { importLayerConfigs } from '../eslint/import-layers.js';
import { BUILD_TIMEOUT_MS, ROOT, ensureBuiltDist } from './cli/support/built-dist.js';

const run = promisify(execFile);

// Resolve hooks (Node's module.register) run in their own thread: they record every URL the
// loader resolves and send the list back when asked, over a port handed over at registration.
const RECORDER_HOOKS = `
let seen = [];
export function initialize({ port }) {
  port.on('message', () => port.postMessage(seen));
  port.unref();
}
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  seen.push(result.url);
  return result;
}`;

/**
 * Runs `code` (an ES module body that fills `globalThis.out`) in a fresh Node process in the
 * repository, as a user's code would, and returns `out` plus every module URL it loaded.
 */
async function inChild(code: string): Promise<{ out: unknown; urls: string[] }> {
  const script = `
import { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';
const { port1, port2 } = new MessageChannel();
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(RECORDER_HOOKS)}), {
  data: { port: port2 },
  transferList: [port2],
});
globalThis.out = undefined;
${code}
const urls = await new Promise((resolve) => {
  port1.once('message', resolve);
  port1.postMessage('dump');
});
port1.close();
// CommonJS packages required by other CommonJS code never reach the ESM resolve hook: add the
// CommonJS module cache.
const { createRequire } = await import('node:module');
const { pathToFileURL } = await import('node:url');
const cjs = Object.keys(createRequire(import.meta.url).cache).map((p) => pathToFileURL(p).href);
process.stdout.write(JSON.stringify({ out: globalThis.out, urls: [...urls, ...cjs] }));
`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    cwd: ROOT,
  });
  return JSON.parse(stdout) as { out: unknown; urls: string[] };
}

/** Package names (and dist/ folders) among resolved URLs. */
function packagesOf(urls: string[]): string[] {
  const names = urls.flatMap((url) => {
    const match = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
    return match ? [match[1]!] : [];
  });
  return [...new Set(names)].sort();
}

function distFiles(urls: string[]): string[] {
  const dist = new URL('dist/', `file://${ROOT}`).href;
  return urls.filter((url) => url.startsWith(dist)).map((url) => url.slice(dist.length));
}

/**
 * The src/ modules bundled into the given dist/ files (paths below src/, e.g. 'routing/x.ts'),
 * read from each file's source map: dist/ is bundled (scripts/build.js), so the files a process
 * loads are entries and shared chunks, and what they contain is in their maps' `sources`.
 */
function bundledModules(files: string[]): string[] {
  const modules = files.flatMap((file) => {
    const map = JSON.parse(readFileSync(`${ROOT}dist/${file}.map`, 'utf8')) as {
      sources: string[];
    };
    return map.sources.map((source) => {
      const match = /^(?:\.\.\/)+src\/(.+)$/.exec(source);
      if (!match) throw new Error(`${file}.map: source ${source} is not below src/`);
      return match[1]!;
    });
  });
  return [...new Set(modules)].sort();
}

describe('entry points (compiled dist/, as installed users load them)', () => {
  beforeAll(ensureBuiltDist, BUILD_TIMEOUT_MS);

  it("import('llm-failover') loads no server side: no pino, prom-client, yaml, gateway, config", async () => {
    const { out, urls } = await inChild(
      `globalThis.out = Object.keys(await import('llm-failover')).sort();`,
    );
    const packages = packagesOf(urls);
    for (const heavy of ['pino', 'pino-pretty', 'prom-client', 'yaml', 'tsx', 'esbuild']) {
      expect(packages, heavy).not.toContain(heavy);
    }
    // zod and undici are loaded on first use (issue 7: core import under 100 ms), not at import.
    expect(packages).toEqual(['eventsource-parser']);
    // Only the core entry and shared chunks: no other entry file (server/, testing/, cli/).
    const files = distFiles(urls);
    expect(files).toContain('index.js');
    expect(
      files.filter((file) => file !== 'index.js' && !/^chunks\/[^/]+\.js$/.test(file)),
    ).toEqual([]);
    // What those files hold: a chunk shared with llm-failover/server must not carry server code.
    const modules = bundledModules(files);
    expect(modules).toEqual(expect.arrayContaining(['errors/llm-failover-error.ts']));
    expect(modules.some((file) => file.startsWith('routing/'))).toBe(true);
    const folders = new Set(modules.map((file) => file.split('/')[0]));
    for (const serverSide of ['gateway', 'config', 'server', 'cli', 'testing']) {
      expect(folders, serverSide).not.toContain(serverSide);
    }
    expect(modules).not.toContain('time/manual-clock.ts');
    // The mock upstream is `llm-failover/testing`'s.
    expect(modules.filter((file) => file.startsWith('backends/mock/'))).toEqual([]);
    const names = out as string[];
    expect(names).toEqual(
      expect.arrayContaining(['CloudBackendClient', 'AsyncCircuitBreaker', 'BackendRouter']),
    );
    expect(names).toEqual(expect.arrayContaining(['isLlmFailoverError', 'isCircuitBreakerError']));
    for (const elsewhere of ['startServer', 'createGateway', 'parseConfig', 'ManualClock']) {
      expect(names, elsewhere).not.toContain(elsewhere);
    }
  });

  it('a backend without a dispatcher posts and streams through the pool it loads on first use; zod loads on first parse', async () => {
    // A fresh process, so nothing else has loaded undici's index (which would hide a deep path
    // that moved: resilient-http-client.ts requires undici's pool and request API by path).
    const { out, urls } = await inChild(`
const http = await import('node:http');
const { createRequire: requireFrom } = await import('node:module');
const core = await import('llm-failover');
const loaded = () => Object.keys(requireFrom(import.meta.url).cache);
const has = (part) => loaded().some((file) => file.includes(part));
const server = http.createServer((req, res) => {
  let text = '';
  req.on('data', (chunk) => (text += chunk));
  req.on('end', () => {
    const body = JSON.parse(text);
    const chunk = (content, finish) => 'data: ' + JSON.stringify({ id: 'c1', object: 'chat.completion.chunk',
      created: 1, model: body.model, choices: [{ index: 0, delta: content === undefined ? {} : { content },
      finish_reason: finish }] }) + '\\n\\n';
    if (body.stream) {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(chunk('he', null) + chunk('llo', null) + chunk(undefined, 'stop') + 'data: [DONE]\\n\\n');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: 'c1', object: 'chat.completion', created: 1, model: body.model,
      choices: [{ index: 0, message: { role: 'assistant', content: 'hi ' + body.messages[0].content },
      finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } }));
  });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const before = { undici: has('/node_modules/undici/'), zod: has('/node_modules/zod/') };
const backend = core.createOpenAIBackend({ name: 'local', baseUrl: 'http://127.0.0.1:' + server.address().port + '/v1' });
const afterClient = { undici: has('/node_modules/undici/'), zod: has('/node_modules/zod/') };
// Anthropic in, OpenAI upstream: the request and the answer are parsed (zod) and translated.
const answer = await backend.chat('anthropic', { model: 'm', max_tokens: 9, messages: [{ role: 'user', content: 'there' }] });
const events = [];
for await (const event of backend.chatStream('openai', { model: 'm', stream: true, messages: [{ role: 'user', content: 'x' }] })) {
  events.push(event.data === '[DONE]' ? '[DONE]' : JSON.parse(event.data).choices[0].delta.content ?? '');
}
let invalid;
try { core.parseAnthropicMessagesRequest({ model: 'm', messages: [{ role: 'user', content: 7 }] }); }
catch (err) { invalid = err.message; }
await backend.close?.();
server.close();
globalThis.out = { before, afterClient, afterCalls: { zod: has('/node_modules/zod/') },
  undiciIndex: has('/node_modules/undici/index.js'), answer: answer.body.content, events, invalid };
`);
    expect(out).toEqual({
      before: { undici: false, zod: false },
      afterClient: { undici: true, zod: false },
      afterCalls: { zod: true },
      // Only the pool and the request API, not undici's whole index.
      undiciIndex: false,
      answer: [{ type: 'text', text: 'hi there' }],
      events: ['he', 'llo', '', '[DONE]'],
      invalid: expect.stringMatching(/^invalid Anthropic messages request: messages\.0\.content: /),
    });
    expect(packagesOf(urls)).toEqual(['eventsource-parser', 'undici', 'zod']);
  });

  it("import('llm-failover/server') gives the gateway, config and startServer", async () => {
    const { out, urls } = await inChild(
      `globalThis.out = Object.keys(await import('llm-failover/server')).sort();`,
    );
    expect(out).toEqual(
      expect.arrayContaining([
        'buildBackends',
        'createGateway',
        'createLogger',
        'loadConfigFile',
        'parseConfig',
        'startServer',
      ]),
    );
    expect(packagesOf(urls)).toEqual(expect.arrayContaining(['pino', 'prom-client', 'yaml']));
  });

  it("import('llm-failover/testing') gives the mock upstream and the manual clock", async () => {
    const { out } = await inChild(`
const { ManualClock, MockUpstreamServer } = await import('llm-failover/testing');
const clock = new ManualClock();
const fired = [];
void clock.sleep(50).then(() => fired.push(clock.now()));
await clock.advance(50);
const server = await MockUpstreamServer.start();
const res = await fetch(server.openaiBaseUrl + '/chat/completions', {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }),
});
const body = await res.json();
await server.close();
globalThis.out = { fired, content: body.choices[0].message.content };
`);
    expect(out).toEqual({ fired: [50], content: 'echo: hi' });
  });

  it('the entries share one copy of each class: errors from llm-failover/server are the core classes', async () => {
    // dist/ is one bundle per entry with shared chunks: a class bundled into two entries would
    // break instanceof between them (and double module state such as the lazy schema cache).
    const { out } = await inChild(`
const core = await import('llm-failover');
const server = await import('llm-failover/server');
let err;
try { server.parseConfig('backends: [unclosed'); } catch (caught) { err = caught; }
globalThis.out = {
  instanceofCore: err instanceof core.LlmFailoverError,
  guard: core.isLlmFailoverError(err, 'INVALID_CONFIG'),
};`);
    expect(out).toEqual({ instanceofCore: true, guard: true });
  });

  it('error guards recognise errors thrown by a second copy of the package', async () => {
    // A second install of the same version (two dependents each with their own copy): its own
    // classes, so instanceof fails across copies; the guards check the Symbol.for brand instead.
    const copy = `${ROOT}node_modules/.cache/llm-failover-copy-2/`;
    rmSync(copy, { recursive: true, force: true });
    cpSync(`${ROOT}dist`, `${copy}dist`, { recursive: true });
    writeFileSync(`${copy}package.json`, JSON.stringify({ type: 'module' }));
    try {
      const { out } = await inChild(`
const one = await import('llm-failover');
const two = await import(${JSON.stringify(`file://${copy}dist/index.js`)});
const base = new two.LlmFailoverError('TIMEOUT', 'upstream timed out', { backend: 'b' });
const breaker = new two.CircuitBreakerError('b', 1000);
const all = new two.AllBackendsFailedError('m', [{ backend: 'b', reason: 'TIMEOUT' }], base, 1);
const plain = Object.assign(new Error('x'), { code: 'TIMEOUT' });
globalThis.out = {
  instanceofAcrossCopies: base instanceof one.LlmFailoverError,
  base: one.isLlmFailoverError(base),
  baseWithCode: one.isLlmFailoverError(base, 'TIMEOUT'),
  baseOtherCode: one.isLlmFailoverError(base, 'CONNECTION'),
  breaker: one.isCircuitBreakerError(breaker),
  breakerIsNotAll: one.isAllBackendsFailedError(breaker),
  all: one.isAllBackendsFailedError(all),
  allIsNotBreaker: one.isCircuitBreakerError(all),
  abort: one.isAbortError(new two.LlmFailoverError('ABORTED', 'aborted')),
  lookalike: one.isLlmFailoverError(plain),
  brandNotEnumerable: JSON.stringify(base).includes('llm-failover.error'),
};`);
      expect(out).toEqual({
        instanceofAcrossCopies: false,
        base: true,
        baseWithCode: true,
        baseOtherCode: false,
        breaker: true,
        breakerIsNotAll: false,
        all: true,
        allIsNotBreaker: false,
        abort: true,
        lookalike: false,
        brandNotEnumerable: false,
      });
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});

describe('package shape', () => {
  const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as {
    dependencies: Record<string, string>;
    files: string[];
    scripts: Record<string, string>;
    exports: Record<string, unknown>;
  };

  it('installs no TypeScript runtime for users and builds on install of a checkout', () => {
    expect(Object.keys(pkg.dependencies)).not.toContain('tsx');
    expect(Object.keys(pkg.dependencies)).not.toContain('esbuild');
    expect(pkg.scripts.prepare).toBe('npm run build');
    expect(Object.keys(pkg.exports)).toEqual(['.', './server', './testing', './package.json']);
  });

  it('ships the licence and the docs', () => {
    expect(pkg.files).toEqual(expect.arrayContaining(['dist', 'bin', 'docs', 'LICENSE']));
  });

  it('the layer rule keeps the core entry (src/ root files) off gateway/, server/ and testing/', async () => {
    const eslint = new ESLint({
      cwd: ROOT,
      overrideConfigFile: true,
      overrideConfig: [
        { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } },
        ...importLayerConfigs(),
      ],
    });
    const code = [
      "import { a } from './gateway/index.js';",
      "import { b } from './server/index.js';",
      "import { c } from './testing/index.js';",
      "import { d } from './routing/index.js';",
      '',
    ].join('\n');
    const [result] = await eslint.lintText(code, { filePath: 'src/index.ts' });
    const lines = result!.messages
      .filter((m) => m.ruleId === 'no-restricted-imports')
      .map((m) => m.line);
    expect(lines).toEqual([1, 2, 3]);
  });
});
