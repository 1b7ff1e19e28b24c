import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILD_TIMEOUT_MS, ROOT, ensureBuiltDist } from './support/built-dist.js';

const BIN = 'bin/llm-failover.js';
const VERSION = (JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8')) as { version: string })
  .version;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real command as users do (`node bin/llm-failover.js ...`), with no key in the env. */
function run(args: string[], cwd = ROOT): Promise<Run> {
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd, env }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

interface Serving {
  child: ReturnType<typeof spawn>;
  lines: Record<string, unknown>[];
  reader: ReturnType<typeof createInterface>;
  url: string;
}

/** `llm-failover serve --port 0` with the shipped config; resolves once it logged its URL. */
async function serve(): Promise<Serving> {
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], { cwd: ROOT, env });
  const lines: Record<string, unknown>[] = [];
  const reader = createInterface({ input: child.stdout });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`serve exited early with ${code}`)));
    reader.on('line', (line) => {
      const entry = JSON.parse(line) as Record<string, unknown>;
      lines.push(entry);
      if (typeof entry.url === 'string') resolve(entry.url);
    });
  });
  return { child, lines, reader, url };
}

function chat(url: string, content: string): Promise<Response> {
  return fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content }] }),
  });
}

describe('bin/llm-failover.js (runs the compiled dist/)', () => {
  beforeAll(ensureBuiltDist, BUILD_TIMEOUT_MS);

  it('prints the package version with --version and exits 0', async () => {
    const result = await run(['--version']);
    expect(result).toMatchObject({ code: 0, stdout: `${VERSION}\n` });
  });

  it('validates the shipped default config and prints a summary without keys', async () => {
    const result = await run(['check-config', 'config/default.yaml']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^OK config\/default\.yaml\n/);
    expect(result.stdout).toContain('local: openai -> built-in mock');
    expect(result.stdout).toContain('OPENAI_API_KEY is unset');
  });

  it('exits 1 with the file and field path on an invalid config', async () => {
    const result = await run(['check-config', 'test/cli/fixtures/bad-url.yaml']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'test/cli/fixtures/bad-url.yaml: backends.local.baseUrl: Invalid URL',
    );
    expect(result.stdout).toBe('');
  });

  it('serve listens, answers, logs one JSON line per request, and exits 0 on SIGTERM', async () => {
    const { child, lines, url } = await serve();
    const res = await chat(url, 'ping');
    expect(await res.json()).toMatchObject({ choices: [{ message: { content: 'echo: ping' } }] });
    child.kill('SIGTERM');
    const [code] = (await once(child, 'close')) as [number | null];
    expect(code).toBe(0);
    expect(lines).toContainEqual(
      expect.objectContaining({
        msg: 'request',
        protocol: 'openai',
        backend: 'local',
        status: 200,
      }),
    );
    expect(lines.at(-1), JSON.stringify(lines.map((l) => l.msg))).toMatchObject({ msg: 'stopped' });
  });

  it('loses no request line of its buffered log when stopped with SIGTERM while stdout is stalled', async () => {
    // Lines are buffered in the process (src/server/create-logger.ts). Not reading stdout while
    // the requests run and until SIGTERM has been sent keeps them pending in the child (the pipe
    // fills up: each line is ~300 bytes), so every line after the first few dozen is only
    // delivered if the shutdown path flushes the buffer before exiting.
    const N = 400;
    const { child, lines, reader, url } = await serve();
    reader.pause();
    const statuses: number[] = [];
    for (let batch = 0; batch < N / 8; batch += 1) {
      const answers = await Promise.all(
        Array.from({ length: 8 }, async (_, i) => {
          const res = await chat(url, `line ${batch * 8 + i}`);
          await res.arrayBuffer();
          return res.status;
        }),
      );
      statuses.push(...answers);
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(N);
    child.kill('SIGTERM');
    reader.resume();
    const [code] = (await once(child, 'close')) as [number | null];
    expect(code).toBe(0);
    const requestLines = lines.filter((l) => l.msg === 'request');
    expect(requestLines).toHaveLength(N);
    expect(requestLines.every((l) => l.status === 200)).toBe(true);
    expect(lines.at(-1)).toMatchObject({ msg: 'stopped' });
  });
});

describe('bin/llm-failover.js never runs a missing or stale build', () => {
  // A scratch package: the real bin script, a fake dist/cli/main.js whose main() resolves 7, and
  // (for a checkout) a src/ file. File times are set explicitly: no sleeping.
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'llm-failover-bin-'));
    mkdirSync(join(dir, 'bin'));
    copyFileSync(join(ROOT, BIN), join(dir, BIN));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function writeDist(mtimeSeconds: number): void {
    mkdirSync(join(dir, 'dist/cli'), { recursive: true });
    writeFileSync(join(dir, 'dist/cli/main.js'), 'export async function main() { return 7; }\n');
    utimesSync(join(dir, 'dist/cli/main.js'), mtimeSeconds, mtimeSeconds);
  }
  function writeSource(mtimeSeconds: number): void {
    mkdirSync(join(dir, 'src/cli'), { recursive: true });
    writeFileSync(join(dir, 'src/cli/main.ts'), '// changed\n');
    utimesSync(join(dir, 'src/cli/main.ts'), mtimeSeconds, mtimeSeconds);
  }

  it('refuses with a message naming npm run build when dist/ is missing', async () => {
    rmSync(join(dir, 'dist'), { recursive: true, force: true });
    const result = await run(['--version'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no compiled build: dist/cli/main.js is missing');
    expect(result.stderr).toContain('npm run build');
  });

  it('refuses when a file in src/ is newer than the build, naming the file', async () => {
    writeDist(1_700_000_000);
    writeSource(1_700_000_100);
    const result = await run(['--version'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('older than src/ (src/cli/main.ts changed after it)');
    expect(result.stdout).toBe('');
  });

  it('runs dist/ when it is newer than every file in src/', async () => {
    writeSource(1_700_000_000);
    writeDist(1_700_000_100);
    expect((await run(['--version'], dir)).code).toBe(7);
  });

  it('runs dist/ in an installed package (no src/)', async () => {
    rmSync(join(dir, 'src'), { recursive: true, force: true });
    writeDist(1_700_000_000);
    expect((await run(['--version'], dir)).code).toBe(7);
  });
});
