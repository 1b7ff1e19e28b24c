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
import {
  ROUNDTRIP_MARKER,
  ROUNDTRIP_TRIGGER,
  TEXT_ANSWER,
} from './claude-code/scripted-upstream.js';
import type { UpstreamRecord } from './claude-code/scripted-upstream.js';
import type { ClientRecord } from './claude-code/recording-proxy.js';
import {
  CliCheck,
  checkArgs,
  credentialProblems,
  describeSent,
  describeUpstream,
  gatewayConfig as checkConfig,
  scratchDir,
  spawnCli,
} from './cli-check/harness.js';
import type { CliRun } from './cli-check/harness.js';

const { cli, keepDir } = checkArgs('bench/claude-code-check.ts', 'claude');

const GATEWAY_KEY = 'gw-check-key';
const UPSTREAM_KEY = 'upstream-check-key';
const MODEL = 'claude-sonnet-4-5';

type Route = 'anthropic' | 'openai' | 'failover';
const ROUTES: Route[] = ['anthropic', 'openai', 'failover'];

/** `failover`: a dead local OpenAI-protocol server first (connection refused), then Anthropic. */
function gatewayConfig(upstream: string, route: Route): string {
  const anthropic = `{ type: anthropic, baseUrl: "${upstream}", apiKey: ${UPSTREAM_KEY}, maxRetries: 0 }`;
  const openai = `{ type: openai, baseUrl: "${upstream}/v1", apiKey: ${UPSTREAM_KEY}, maxRetries: 0 }`;
  const dead = `{ type: openai, baseUrl: "http://127.0.0.1:1/v1", maxRetries: 0 }`;
  const backends = {
    anthropic: [`up: ${anthropic}`],
    openai: [`up: ${openai}`],
    failover: [`local: ${dead}`, `up: ${anthropic}`],
  }[route];
  const targets = {
    anthropic: '{ backend: up }',
    openai: '{ backend: up, model: local-model }',
    failover: '{ backend: local, model: local-model }, { backend: up }',
  }[route];
  return checkConfig(GATEWAY_KEY, backends, targets);
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
  return spawnCli(cli, args, env, home);
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

/** The upstream requests, with what the Claude Code check looks at besides the common fields. */
function summarize(requests: UpstreamRecord[]): string[] {
  return requests.map((r) => {
    const body = (r.body ?? {}) as Record<string, unknown>;
    const extra: string[] = [];
    const max = body.max_tokens ?? body.max_completion_tokens;
    if (typeof max === 'number') extra.push(`max_tokens=${max}`);
    const beta = r.headers['anthropic-beta'];
    if (beta !== undefined) extra.push(`anthropic-beta=${String(beta)}`);
    return describeUpstream(r, extra);
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

/** Every case: each route and output format, text and tool round trip, plus the special ones. */
function allCases(): Case[] {
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
  return cases;
}

function caseName(c: Case): string {
  return [
    { anthropic: 'pass-through', openai: 'translated', failover: 'failover local->anthropic' }[
      c.route
    ],
    c.format,
    c.tool ? 'tool round trip' : 'text',
    c.model ?? 'default model',
    ...(c.maxOutputTokens === undefined ? [] : [`max output ${c.maxOutputTokens}`]),
    ...(c.authToken === true ? ['ANTHROPIC_AUTH_TOKEN'] : []),
  ].join(' ');
}

/** The CLI's arguments and extra environment for `c`. */
function invocation(c: Case): { args: string[]; extraEnv: Record<string, string> } {
  const prompt = c.tool ? `${ROUNDTRIP_TRIGGER}: run the echo command` : 'say pong';
  const args = ['-p', prompt, '--output-format', c.format];
  if (c.model !== undefined) args.push('--model', c.model);
  if (c.format === 'stream-json') args.push('--verbose');
  if (c.tool) args.push('--allowedTools', 'Bash(echo:*)');
  const extraEnv: Record<string, string> = {};
  if (c.maxOutputTokens !== undefined) {
    extraEnv.CLAUDE_CODE_MAX_OUTPUT_TOKENS = String(c.maxOutputTokens);
  }
  if (c.authToken === true) {
    extraEnv.ANTHROPIC_AUTH_TOKEN = GATEWAY_KEY;
    extraEnv.ANTHROPIC_API_KEY = '';
  }
  return { args, extraEnv };
}

/** The answer the CLI printed and the problems with the run; `sent`/`seen`: the wire. */
function judge(
  c: Case,
  run: CliRun,
  sent: ClientRecord[],
  seen: UpstreamRecord[],
): { answer: string; problems: string[] } {
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
  problems.push(...credentialProblems(seen, GATEWAY_KEY));
  if (c.route === 'failover' && !sent.every((r) => r.fallback !== undefined)) {
    problems.push('a failover answer lacked x-llm-failover-fallback');
  }
  if (c.route !== 'openai' && !chats.every((r) => r.headers['anthropic-beta'] !== undefined)) {
    problems.push('a pass-through request lacked anthropic-beta');
  }
  return { answer, problems };
}

const check = await CliCheck.start<Route>(keepDir);
const home = scratchDir('cc-home-');
try {
  for (const route of ROUTES)
    await check.addGateway(route, gatewayConfig(check.upstream.url, route));
  for (const c of allCases()) {
    const name = caseName(c);
    const { args, extraEnv } = invocation(c);
    const { run, sent, seen } = await check.exchange(c.route, name, (url) =>
      runCli(url, args, home.root, extraEnv),
    );
    const { answer, problems } = judge(c, run, sent, seen);
    const lines = [
      ...sent.map((r) => `cli sent: ${describeSent(r)}`),
      ...summarize(seen).map((line) => `upstream: ${line}`),
    ];
    check.report(name, answer.slice(0, 80), lines, problems);
  }
} finally {
  await check.close();
  home.cleanup();
}
check.finish();
