// What the CLI checks (bench/claude-code-check.ts, bench/codex-check.ts) share: the command line,
// the scripted loopback upstream with one gateway per route form (each behind a recording proxy),
// scratch directories, running the CLI with a time limit, the checks every CLI passes (upstream
// credentials, no gateway key forwarded), the report lines and the exit status.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../../src/server/index.js';
import type { RunningServer } from '../../src/server/index.js';
import { startRecordingProxy } from '../claude-code/recording-proxy.js';
import type { ClientRecord } from '../claude-code/recording-proxy.js';
import { startScriptedUpstream } from '../claude-code/scripted-upstream.js';
import type { UpstreamRecord } from '../claude-code/scripted-upstream.js';

/** One CLI run may take this long (the CLI's own retries included) before it is killed. */
const RUN_TIMEOUT_MS = 120_000;

type Upstream = Awaited<ReturnType<typeof startScriptedUpstream>>;
type RecordingProxy = Awaited<ReturnType<typeof startRecordingProxy>>;

/** `<path to the CLI> [--keep DIR]`, read from argv; exits 2 with a usage line without a path. */
export function checkArgs(script: string, cliName: string): { cli: string; keepDir?: string } {
  const cli = process.argv[2];
  if (cli === undefined) {
    process.stderr.write(`usage: tsx ${script} <path to ${cliName}> [--keep DIR]\n`);
    process.exit(2);
  }
  const keepAt = process.argv.indexOf('--keep');
  const keepDir = keepAt === -1 ? undefined : process.argv[keepAt + 1];
  if (keepDir === undefined) return { cli };
  mkdirSync(keepDir, { recursive: true });
  return { cli, keepDir };
}

/**
 * A gateway config that wants `gatewayKey`, holds `backends` (YAML lines `name: { ... }`) and
 * routes every model to `targets` (a YAML list's items), logging errors only.
 */
export function gatewayConfig(gatewayKey: string, backends: string[], targets: string): string {
  return [
    `server: { apiKeys: [${gatewayKey}] }`,
    `backends:`,
    ...backends.map((line) => `  ${line}`),
    `routes:`,
    `  - { match: "*", targets: [${targets}] }`,
    `logging: { level: error }`,
  ].join('\n');
}

/** What a CLI printed. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `cli` with exactly `env` (nothing inherited) in `cwd`; killed after RUN_TIMEOUT_MS. */
export function spawnCli(
  cli: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(cli, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A fresh directory under the system temp dir holding `subdirs`; `cleanup` removes it all. */
export function scratchDir(
  prefix: string,
  subdirs: string[] = [],
): { root: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), prefix));
  for (const dir of subdirs) mkdirSync(join(root, dir));
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** Upstream requests without the gateway's credentials, or with the caller's gateway key. */
export function credentialProblems(seen: UpstreamRecord[], gatewayKey: string): string[] {
  const problems: string[] = [];
  for (const r of seen) {
    if (r.headers['x-api-key'] !== '<redacted>' && r.headers.authorization !== '<redacted>') {
      problems.push(`${r.url}: no upstream credentials`);
    }
    if (JSON.stringify(r).includes(gatewayKey)) problems.push('gateway key forwarded upstream');
  }
  return problems;
}

/** One request the CLI sent, as the report shows it. */
export function describeSent(r: ClientRecord): string {
  const notes = r.notes === undefined ? '' : ` notes: ${r.notes}`;
  const fallback = r.fallback === undefined ? '' : ` fallback: ${r.fallback}`;
  return `${r.method} ${r.url} -> ${r.status ?? 'no answer'}${notes}${fallback}`;
}

/** One request the upstream received: method, path, model, stream, tools, then `extra`. */
export function describeUpstream(r: UpstreamRecord, extra: string[] = []): string {
  const body = (r.body ?? {}) as Record<string, unknown>;
  const parts = [`${r.method} ${r.url}`];
  if (typeof body.model === 'string') parts.push(`model=${body.model}`);
  if (body.stream === true) parts.push('stream');
  if (Array.isArray(body.tools)) parts.push(`tools=${body.tools.length}`);
  return [...parts, ...extra].join(' ');
}

/** What one CLI run through a gateway produced, and what crossed the wire meanwhile. */
export interface Exchange<R extends CliRun> {
  run: R;
  /** What the CLI sent (seen by the recording proxy). */
  sent: ClientRecord[];
  /** What the upstream received. */
  seen: UpstreamRecord[];
}

/**
 * The scripted upstream and the gateways in front of it, one per route form `K`, each behind a
 * recording proxy; collects the failed cases' names and ends the process with their verdict.
 */
export class CliCheck<K extends string> {
  readonly failures: string[] = [];
  private readonly gateways = new Map<K, RunningServer>();
  private readonly proxies = new Map<K, RecordingProxy>();

  private constructor(
    readonly upstream: Upstream,
    private readonly keepDir: string | undefined,
  ) {}

  /** Starts the scripted upstream; `keepDir`: where `exchange` writes each run's records. */
  static async start<K extends string>(keepDir: string | undefined): Promise<CliCheck<K>> {
    return new CliCheck<K>(await startScriptedUpstream(), keepDir);
  }

  /** The forms whose gateway runs, in the order they were added. */
  get forms(): K[] {
    return [...this.proxies.keys()];
  }

  /** Starts a gateway with `configText` and its recording proxy for `form`. */
  async addGateway(form: K, configText: string): Promise<void> {
    const gateway = await startServer({ configText, port: 0 });
    this.gateways.set(form, gateway);
    this.proxies.set(form, await startRecordingProxy(gateway.url));
  }

  /**
   * Runs the CLI (`run`, given the proxy's URL) against `form`'s gateway and returns what it
   * printed, sent and caused upstream; with a keep dir, writes all of it there as `name.*`.
   */
  async exchange<R extends CliRun>(
    form: K,
    name: string,
    run: (baseUrl: string) => Promise<R>,
  ): Promise<Exchange<R>> {
    const proxy = this.proxies.get(form);
    if (proxy === undefined) throw new Error(`no gateway for ${form}`);
    const before = this.upstream.requests.length;
    const sentBefore = proxy.requests.length;
    const result = await run(proxy.url);
    const seen = this.upstream.requests.slice(before);
    const sent = proxy.requests.slice(sentBefore);
    if (this.keepDir !== undefined) {
      const file = join(this.keepDir, name.replaceAll(' ', '_'));
      writeFileSync(`${file}.stdout`, result.stdout);
      writeFileSync(`${file}.stderr`, result.stderr);
      writeFileSync(`${file}.upstream.json`, JSON.stringify(seen, null, 2));
      writeFileSync(`${file}.client.json`, JSON.stringify(sent, null, 2));
    }
    return { run: result, sent, seen };
  }

  /** Prints `PASS`/`FAIL name: answer`, then `lines` and `problems` indented; a FAIL is counted. */
  report(name: string, answer: string, lines: string[], problems: string[]): void {
    process.stdout.write(`${problems.length === 0 ? 'PASS' : 'FAIL'} ${name}: ${answer}\n`);
    for (const line of lines) process.stdout.write(`    ${line}\n`);
    for (const p of problems) process.stdout.write(`    problem: ${p}\n`);
    if (problems.length > 0) this.failures.push(name);
  }

  /** Closes the proxies, then the gateways, then the upstream. */
  async close(): Promise<void> {
    await Promise.all([...this.proxies.values()].map((p) => p.close()));
    await Promise.all([...this.gateways.values()].map((g) => g.close(0)));
    await this.upstream.close();
  }

  /** Prints the verdict and exits: 0 when every case passed, else 1. */
  finish(): never {
    const failures = this.failures;
    process.stdout.write(
      failures.length === 0 ? 'all passed\n' : `FAILED: ${failures.join('; ')}\n`,
    );
    process.exit(failures.length === 0 ? 0 : 1);
  }
}
