// Claude Code through the gateway, end to end (not part of npm test: it needs the CLI).
//
//   npm install --prefix /tmp/cc @anthropic-ai/claude-code
//   npx tsx bench/claude-code-check.ts /tmp/cc/node_modules/.bin/claude [--keep /tmp/cc-log]
//
// Starts a scripted loopback upstream (bench/claude-code/scripted-upstream.ts) and three gateways
// on 127.0.0.1: "pass-through" routes every model to an Anthropic-protocol backend, "translated"
// to an OpenAI-protocol backend, "failover" to a dead local OpenAI server first, then Anthropic. Runs the CLI headless (`-p`, default tools)
// against each with `--output-format json` and `stream-json`, once for a text answer and once
// for a tool round trip (the upstream asks for `Bash` `echo roundtrip-ok-42`, the CLI runs it and
// sends the output back). Checks each answer and what the upstream received (anthropic-beta on
// pass-through, no caller credentials), prints a summary of the requests and exits 1 on any
// failure. The CLI runs with a scratch HOME, telemetry, error reporting and updates off; only
// loopback addresses are used. --keep DIR writes every upstream request and CLI output there.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../src/server/index.js';
import type { RunningServer } from '../src/server/index.js';
import {
  ROUNDTRIP_MARKER,
  ROUNDTRIP_TRIGGER,
  TEXT_ANSWER,
  startScriptedUpstream,
} from './claude-code/scripted-upstream.js';
import type { UpstreamRecord } from './claude-code/scripted-upstream.js';
import { startRecordingProxy } from './claude-code/recording-proxy.js';
import type { ClientRecord } from './claude-code/recording-proxy.js';

const cli = process.argv[2];
if (cli === undefined) {
  process.stderr.write('usage: tsx bench/claude-code-check.ts <path to claude> [--keep DIR]\n');
  process.exit(2);
}
const keepAt = process.argv.indexOf('--keep');
const keepDir = keepAt === -1 ? undefined : process.argv[keepAt + 1];
if (keepDir !== undefined) mkdirSync(keepDir, { recursive: true });

const GATEWAY_KEY = 'gw-check-key';
const UPSTREAM_KEY = 'upstream-check-key';
const MODEL = 'claude-sonnet-4-5';
/** One CLI run may take this long (the CLI's own retries included) before it is killed. */
const RUN_TIMEOUT_MS = 120_000;

type Route = 'anthropic' | 'openai' | 'failover';

/** `failover`: a dead local OpenAI-protocol server first (connection refused), then Anthropic. */
function gatewayConfig(upstream: string, route: Route): string {
  const anthropic = `{ type: anthropic, baseUrl: "${upstream}", apiKey: ${UPSTREAM_KEY}, maxRetries: 0 }`;
  const openai = `{ type: openai, baseUrl: "${upstream}/v1", apiKey: ${UPSTREAM_KEY}, maxRetries: 0 }`;
  const dead = `{ type: openai, baseUrl: "http://127.0.0.1:1/v1", maxRetries: 0 }`;
  const backends = {
    anthropic: [`  up: ${anthropic}`],
    openai: [`  up: ${openai}`],
    failover: [`  local: ${dead}`, `  up: ${anthropic}`],
  }[route];
  const targets = {
    anthropic: '{ backend: up }',
    openai: '{ backend: up, model: local-model }',
    failover: '{ backend: local, model: local-model }, { backend: up }',
  }[route];
  return [
    `server: { apiKeys: [${GATEWAY_KEY}] }`,
    `backends:`,
    ...backends,
    `routes:`,
    `  - { match: "*", targets: [${targets}] }`,
    `logging: { level: error }`,
  ].join('\n');
}

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCli(
  baseUrl: string,
  args: string[],
  home: string,
  extraEnv: Record<string, string> = {},
): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    ANTHROPIC_BASE_URL: baseUrl,
    ANTHROPIC_API_KEY: GATEWAY_KEY,
    ...extraEnv,
    DISABLE_TELEMETRY: '1',
    DISABLE_ERROR_REPORTING: '1',
    DISABLE_AUTOUPDATER: '1',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_NON_ESSENTIAL_MODEL_CALLS: '1',
    NO_PROXY: '127.0.0.1,localhost',
  };
  // An empty value means "unset" here (ANTHROPIC_API_KEY when the Bearer token is tested).
  for (const [key, value] of Object.entries(env)) if (value === '') delete env[key];
  return new Promise((resolve, reject) => {
    const child = spawn(cli as string, args, { env, cwd: home, stdio: ['ignore', 'pipe', 'pipe'] });
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

/** The final `result` object of a json or stream-json run. */
function resultOf(format: 'json' | 'stream-json', stdout: string): Record<string, unknown> {
  if (format === 'json') return JSON.parse(stdout) as Record<string, unknown>;
  const lines = stdout.split('\n').filter((l) => l.trim() !== '');
  const events = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  const result = events.findLast((e) => e.type === 'result');
  if (result === undefined) throw new Error('no result event in the stream-json output');
  return result;
}

function summarize(requests: UpstreamRecord[]): string[] {
  return requests.map((r) => {
    const body = (r.body ?? {}) as Record<string, unknown>;
    const parts = [`${r.method} ${r.url}`];
    if (typeof body.model === 'string') parts.push(`model=${body.model}`);
    const max = body.max_tokens ?? body.max_completion_tokens;
    if (typeof max === 'number') parts.push(`max_tokens=${max}`);
    if (body.stream === true) parts.push('stream');
    if (Array.isArray(body.tools)) parts.push(`tools=${body.tools.length}`);
    const beta = r.headers['anthropic-beta'];
    if (beta !== undefined) parts.push(`anthropic-beta=${String(beta)}`);
    return parts.join(' ');
  });
}

function summarizeSent(requests: ClientRecord[]): string[] {
  return requests.map((r) => {
    const notes = r.notes === undefined ? '' : ` notes: ${r.notes}`;
    const fallback = r.fallback === undefined ? '' : ` fallback: ${r.fallback}`;
    return `${r.method} ${r.url} -> ${r.status ?? 'no answer'}${notes}${fallback}`;
  });
}

interface Case {
  route: Route;
  format: 'json' | 'stream-json';
  tool: boolean;
  /** undefined: the CLI's own default model (newer models bring other body fields and betas). */
  model: string | undefined;
  /** CLAUDE_CODE_MAX_OUTPUT_TOKENS: the CLI's own cap, for backends that refuse its 32k-128k. */
  maxOutputTokens?: number;
  /** Send the gateway key as ANTHROPIC_AUTH_TOKEN (`Authorization: Bearer`) instead of x-api-key. */
  authToken?: boolean;
}

const failures: string[] = [];
const upstream = await startScriptedUpstream();
const gateways: Record<Case['route'], RunningServer> = {
  anthropic: await startServer({ configText: gatewayConfig(upstream.url, 'anthropic'), port: 0 }),
  openai: await startServer({ configText: gatewayConfig(upstream.url, 'openai'), port: 0 }),
  failover: await startServer({ configText: gatewayConfig(upstream.url, 'failover'), port: 0 }),
};
const proxies = {
  anthropic: await startRecordingProxy(gateways.anthropic.url),
  openai: await startRecordingProxy(gateways.openai.url),
  failover: await startRecordingProxy(gateways.failover.url),
};
const home = mkdtempSync(join(tmpdir(), 'cc-home-'));

try {
  const cases: Case[] = [];
  for (const route of ['anthropic', 'openai'] as const) {
    for (const format of ['json', 'stream-json'] as const) {
      for (const tool of [false, true]) cases.push({ route, format, tool, model: MODEL });
    }
    cases.push({ route, format: 'stream-json', tool: true, model: undefined });
  }
  cases.push({
    route: 'openai',
    format: 'json',
    tool: false,
    model: undefined,
    maxOutputTokens: 8192,
  });
  cases.push({ route: 'anthropic', format: 'json', tool: false, model: MODEL, authToken: true });
  cases.push({ route: 'failover', format: 'stream-json', tool: true, model: undefined });
  for (const c of cases) {
    const name = [
      { anthropic: 'pass-through', openai: 'translated', failover: 'failover local->anthropic' }[
        c.route
      ],
      c.format,
      c.tool ? 'tool round trip' : 'text',
      c.model ?? 'default model',
      ...(c.maxOutputTokens === undefined ? [] : [`max output ${c.maxOutputTokens}`]),
      ...(c.authToken === true ? ['ANTHROPIC_AUTH_TOKEN'] : []),
    ].join(' ');
    const prompt = c.tool ? `${ROUNDTRIP_TRIGGER}: run the echo command` : 'say pong';
    const args = ['-p', prompt, '--output-format', c.format];
    if (c.model !== undefined) args.push('--model', c.model);
    if (c.format === 'stream-json') args.push('--verbose');
    if (c.tool) args.push('--allowedTools', 'Bash(echo:*)');
    const before = upstream.requests.length;
    const proxy = proxies[c.route];
    const sentBefore = proxy.requests.length;
    const extraEnv: Record<string, string> = {};
    if (c.maxOutputTokens !== undefined) {
      extraEnv.CLAUDE_CODE_MAX_OUTPUT_TOKENS = String(c.maxOutputTokens);
    }
    if (c.authToken === true) {
      extraEnv.ANTHROPIC_AUTH_TOKEN = GATEWAY_KEY;
      extraEnv.ANTHROPIC_API_KEY = '';
    }
    const run = await runCli(proxy.url, args, home, extraEnv);
    const seen = upstream.requests.slice(before);
    const sent = proxy.requests.slice(sentBefore);
    if (keepDir !== undefined) {
      const file = join(keepDir, name.replaceAll(' ', '_'));
      writeFileSync(`${file}.stdout`, run.stdout);
      writeFileSync(`${file}.stderr`, run.stderr);
      writeFileSync(`${file}.upstream.json`, JSON.stringify(seen, null, 2));
      writeFileSync(`${file}.client.json`, JSON.stringify(sent, null, 2));
    }
    const problems: string[] = [];
    let answer = '';
    try {
      const result = resultOf(c.format, run.stdout);
      answer = String(result.result);
      if (result.is_error === true) problems.push(`is_error: ${answer}`);
    } catch (err) {
      problems.push(`unreadable output (${(err as Error).message}): ${run.stdout.slice(0, 300)}`);
    }
    if (run.code !== 0) problems.push(`exit ${run.code}: ${run.stderr.slice(0, 300)}`);
    const expected = c.tool ? ROUNDTRIP_MARKER : TEXT_ANSWER;
    if (!answer.includes(expected)) problems.push(`answer lacks "${expected}": ${answer}`);
    const chats = seen.filter((r) => r.method === 'POST' && !r.url.includes('count_tokens'));
    if (c.authToken === true && !sent.every((r) => r.headers.authorization === '<redacted>')) {
      problems.push('the CLI did not send Authorization: Bearer');
    }
    if (c.maxOutputTokens !== undefined) {
      const sentMax = chats.map((r) => (r.body as Record<string, unknown>).max_tokens);
      if (!sentMax.every((m) => m === c.maxOutputTokens)) {
        problems.push(`upstream max_tokens ${sentMax.join(',')}, want ${c.maxOutputTokens}`);
      }
    }
    if (c.tool && chats.length < 2) problems.push(`${chats.length} chat request(s), want >= 2`);
    for (const r of seen) {
      if (r.headers['x-api-key'] !== '<redacted>' && r.headers.authorization !== '<redacted>') {
        problems.push(`${r.url}: no upstream credentials`);
      }
      if (JSON.stringify(r.headers).includes(GATEWAY_KEY)) problems.push('gateway key forwarded');
    }
    if (c.route === 'failover' && !sent.every((r) => r.fallback !== undefined)) {
      problems.push('a failover answer lacked x-llm-failover-fallback');
    }
    if (c.route !== 'openai' && !chats.every((r) => r.headers['anthropic-beta'] !== undefined)) {
      problems.push('a pass-through request lacked anthropic-beta');
    }
    process.stdout.write(
      `${problems.length === 0 ? 'PASS' : 'FAIL'} ${name}: ${answer.slice(0, 80)}\n`,
    );
    for (const line of summarizeSent(sent)) process.stdout.write(`    cli sent: ${line}\n`);
    for (const line of summarize(seen)) process.stdout.write(`    upstream: ${line}\n`);
    for (const p of problems) process.stdout.write(`    problem: ${p}\n`);
    if (problems.length > 0) failures.push(name);
  }
} finally {
  await Promise.all(Object.values(proxies).map((p) => p.close()));
  await Promise.all(Object.values(gateways).map((g) => g.close(0)));
  await upstream.close();
}
process.stdout.write(failures.length === 0 ? 'all passed\n' : `FAILED: ${failures.join('; ')}\n`);
process.exit(failures.length === 0 ? 0 : 1);
