import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BUILD_TIMEOUT_MS, ROOT, ensureBuiltDist } from './support/built-dist.js';

// `serve --workers 2` as users run it (bin/llm-failover.js runs dist/): few, bounded tests, each
// one process tree on loopback, stopped at the end whatever happens.
const BIN = 'bin/llm-failover.js';
const TEST_MS = 90_000;
const dir = mkdtempSync(join(tmpdir(), 'llm-failover-cluster-'));
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeConfig(name: string, model: string): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    [
      'backends:',
      '  local: { type: mock, chunkDelayMs: 40 }',
      'routes:',
      `  - { match: ${model}, targets: [{ backend: local }] }`,
    ].join('\n'),
  );
  return path;
}

type Line = Record<string, unknown>;

/** The cluster's JSON log lines (primary and workers share stdout), with a wait for a match. */
class Cluster {
  readonly lines: Line[] = [];
  private waiters: { test: (line: Line) => boolean; resolve: (line: Line) => void }[] = [];

  constructor(readonly child: ChildProcess) {
    createInterface({ input: child.stdout! }).on('line', (text) => {
      const line = JSON.parse(text) as Line;
      this.lines.push(line);
      this.waiters = this.waiters.filter((w) => !(w.test(line) && (w.resolve(line), true)));
    });
  }

  /** The first line (already seen, or to come) that `test` accepts. */
  waitFor(test: (line: Line) => boolean): Promise<Line> {
    const seen = this.lines.find(test);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }

  /** Resolves once `count` lines matching `test` were logged. */
  async waitForCount(test: (line: Line) => boolean, count: number): Promise<Line[]> {
    for (let i = 0; i < 100 && this.lines.filter(test).length < count; i += 1) {
      await new Promise((resolve) => this.waiters.push({ test, resolve }));
    }
    return this.lines.filter(test);
  }
}

async function startCluster(
  config: string,
  pidFile: string,
): Promise<{ cluster: Cluster; url: string }> {
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
  const args = [BIN, 'serve', '--workers', '2', '--port', '0', '-c', config, '--pid-file', pidFile];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const cluster = new Cluster(child);
  const ready = await cluster.waitFor((l) => l.workers === 2 && typeof l.url === 'string');
  return { cluster, url: ready.url as string };
}

/** One request on a connection of its own (so the cluster spreads them over its workers). */
function get(url: string, path: string, body?: unknown): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      agent: false,
      headers: { 'content-type': 'application/json', connection: 'close' },
    });
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

const chat = (model: string, content: string, stream = false) => ({
  model,
  stream,
  messages: [{ role: 'user', content }],
});

describe('llm-failover serve --workers 2', () => {
  beforeAll(ensureBuiltDist, BUILD_TIMEOUT_MS);

  it(
    'answers on one port from both workers, sums both in /metrics, and drains a stream on SIGTERM',
    async () => {
      const { cluster, url } = await startCluster(writeConfig('a.yaml', 'm'), join(dir, 'a.pid'));
      for (let i = 0; i < 6; i += 1) {
        expect(await get(url, '/v1/chat/completions', chat('m', `r${i}`))).toMatchObject({
          status: 200,
        });
      }
      const served = await cluster.waitForCount((l) => l.msg === 'request', 6);
      expect(new Set(served.map((l) => l.pid)).size).toBe(2);
      // Whichever worker answers /metrics, it reports the requests of both.
      for (let i = 0; i < 2; i += 1) {
        const metrics = await get(url, '/metrics');
        expect(metrics.text).toContain(
          'llm_failover_requests_total{protocol="openai",status="200"} 6',
        );
      }

      const words = Array.from({ length: 30 }, (_, i) => `w${i}`).join(' ');
      let streamed = '';
      let markFirst!: () => void;
      const first = new Promise<void>((resolve) => (markFirst = resolve));
      const stream = new Promise<number>((resolve, reject) => {
        const req = request(`${url}/v1/chat/completions`, {
          method: 'POST',
          agent: false,
          headers: { 'content-type': 'application/json' },
        });
        req.on('response', (res) => {
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            streamed += chunk;
            markFirst();
          });
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end(JSON.stringify(chat('m', words, true)));
      });
      await first;
      const exited = once(cluster.child, 'exit');
      cluster.child.kill('SIGTERM');
      expect(await stream).toBe(200);
      expect(streamed).toContain(`"content":"w29"`);
      expect(streamed.trimEnd().endsWith('data: [DONE]')).toBe(true);
      expect(await exited).toEqual([0, null]);
    },
    TEST_MS,
  );

  it(
    'replaces a killed worker on the same port, and reloads every worker on `llm-failover reload`',
    async () => {
      const config = writeConfig('b.yaml', 'm');
      const pidFile = join(dir, 'b.pid');
      const { cluster, url } = await startCluster(config, pidFile);
      const listening = (l: Line): boolean =>
        typeof l.msg === 'string' && l.msg.startsWith('llm-failover listening on');
      const [victim] = await cluster.waitForCount(listening, 2);
      process.kill(victim?.pid as number, 'SIGKILL');
      await cluster.waitFor((l) => l.msg === 'a worker exited unexpectedly: starting a new one');
      const all = await cluster.waitForCount(listening, 3);
      expect(all[2]?.url).toBe(url);
      expect(all[2]?.pid).not.toBe(victim?.pid);

      writeConfig('b.yaml', 'renamed');
      const reload = spawn(process.execPath, [BIN, 'reload', '--pid-file', pidFile], { cwd: ROOT });
      expect(await once(reload, 'exit')).toEqual([0, null]);
      const reloaded = await cluster.waitForCount(
        (l) => l.msg?.toString().startsWith('config reloaded') === true,
        2,
      );
      expect(new Set(reloaded.map((l) => l.pid)).size).toBe(2);
      for (let i = 0; i < 4; i += 1) {
        expect((await get(url, '/v1/chat/completions', chat('renamed', 'x'))).status).toBe(200);
        expect((await get(url, '/v1/chat/completions', chat('m', 'x'))).status).toBe(404);
      }
      const exited = once(cluster.child, 'exit');
      cluster.child.kill('SIGTERM');
      expect(await exited).toEqual([0, null]);
    },
    TEST_MS,
  );
});
