import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = 'bin/llm-failover.js';
const VERSION = (JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8')) as { version: string })
  .version;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real command as users do (`node bin/llm-failover.js ...`), with no key in the env. */
function run(args: string[]): Promise<Run> {
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: ROOT, env }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('bin/llm-failover.js (no build step)', () => {
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
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], { cwd: ROOT, env });
    const lines: Record<string, unknown>[] = [];
    const reader = createInterface({ input: child.stdout });
    const listening = new Promise<string>((resolve) => {
      reader.on('line', (line) => {
        const entry = JSON.parse(line) as Record<string, unknown>;
        lines.push(entry);
        if (typeof entry.url === 'string') resolve(entry.url);
      });
    });
    const url = await listening;
    const res = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'ping' }] }),
    });
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
});
