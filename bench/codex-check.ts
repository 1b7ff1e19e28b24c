// The Codex CLI through the gateway, end to end (not part of npm test: it needs the CLI).
//
//   npm install --prefix /tmp/codex-cli @openai/codex@0.171.0
//   npx tsx bench/codex-check.ts /tmp/codex-cli/node_modules/.bin/codex [--keep /tmp/codex-log]
//
// Codex speaks only the Responses API (POST /v1/responses). This starts the scripted loopback
// upstream (bench/claude-code/scripted-upstream.ts) and one gateway per upstream form on
// 127.0.0.1: "chat" (a `type: openai` backend: Responses -> Chat Completions), "anthropic"
// (Responses -> Messages), "responses" (`type: openai, api: responses`: pass-through), and the
// built-in mock speaking Chat and Messages. For each it runs `codex exec --json` (bench/codex/
// codex-run.ts: scratch HOME, CODEX_HOME and working directory, workspace-write sandbox, no
// approvals, update check, analytics, feedback and telemetry off, loopback only) for
// (a) a plain prompt and (b) a shell-tool round trip: the upstream answers one `exec_command` call
// that appends a marker to a file, Codex runs it and sends the function_call_output back, the
// upstream's final text quotes the output. Checks the answers, that the command ran exactly once
// (the file holds one marker line), what Codex sent and what the upstream received, prints a
// summary and exits 1 on any failure. --keep DIR writes every request and CLI output there.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ROUNDTRIP_FILE,
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
} from './cli-check/harness.js';
import { itemsOf, runCodex } from './codex/codex-run.js';
import type { CodexRun } from './codex/codex-run.js';

const { cli, keepDir } = checkArgs('bench/codex-check.ts', 'codex');

const GATEWAY_KEY = 'gw-codex-check-key';
const UPSTREAM_KEY = 'upstream-codex-check-key';

type Form = 'chat' | 'anthropic' | 'responses' | 'mock-chat' | 'mock-anthropic';
const FORMS: Form[] = ['chat', 'anthropic', 'responses', 'mock-chat', 'mock-anthropic'];
/** The path each form's upstream is asked on. */
const UPSTREAM_PATH: Partial<Record<Form, string>> = {
  chat: '/v1/chat/completions',
  anthropic: '/v1/messages',
  responses: '/v1/responses',
};

function gatewayConfig(upstream: string, form: Form): string {
  const backend = {
    chat: `{ type: openai, baseUrl: "${upstream}/v1", apiKey: ${UPSTREAM_KEY}, maxRetries: 0 }`,
    anthropic: `{ type: anthropic, baseUrl: "${upstream}", apiKey: ${UPSTREAM_KEY}, maxRetries: 0 }`,
    responses: `{ type: openai, api: responses, baseUrl: "${upstream}/v1", apiKey: ${UPSTREAM_KEY}, maxRetries: 0 }`,
    'mock-chat': `{ type: mock, protocol: openai }`,
    'mock-anthropic': `{ type: mock, protocol: anthropic }`,
  }[form];
  return checkConfig(GATEWAY_KEY, [`up: ${backend}`], '{ backend: up, model: upstream-model }');
}

interface Case {
  form: Form;
  tool: boolean;
}

/** The last agent message, or undefined. */
function answerOf(run: CodexRun): string | undefined {
  const text = itemsOf(run, 'agent_message').at(-1)?.text;
  return typeof text === 'string' ? text : undefined;
}

/** Problems with the CLI's own view of the run: exit code, events, answer. */
function runProblems(c: Case, run: CodexRun): string[] {
  const problems: string[] = [];
  if (run.code !== 0) problems.push(`exit ${run.code}: ${run.stderr.slice(-300)}`);
  if (!run.events.some((e) => e.type === 'turn.completed')) problems.push('no turn.completed');
  for (const e of run.events.filter((e) => e.type === 'turn.failed' || e.type === 'error')) {
    problems.push(`${String(e.type)}: ${JSON.stringify(e).slice(0, 300)}`);
  }
  const answer = answerOf(run) ?? '';
  if (c.form.startsWith('mock')) {
    // The mock echoes the whole last user turn: in Messages form Codex's environment message and
    // the prompt are one turn (consecutive user messages merge), so only the ends are fixed.
    if (!answer.startsWith('echo: ') || !answer.endsWith('say pong')) {
      problems.push(`answer is not the mock's echo of "say pong": ${answer.slice(0, 200)}`);
    }
  } else {
    const expected = c.tool ? `tool said: ${ROUNDTRIP_MARKER}` : TEXT_ANSWER;
    if (!answer.includes(expected)) problems.push(`answer lacks "${expected}": ${answer}`);
  }
  const commands = itemsOf(run, 'command_execution');
  if (c.tool) {
    if (commands.length !== 1) problems.push(`${commands.length} command(s) run, want 1`);
    if (commands[0]?.exit_code !== 0)
      problems.push(`command exit ${String(commands[0]?.exit_code)}`);
    let ran = '';
    try {
      ran = readFileSync(join(run.workDir, ROUNDTRIP_FILE), 'utf8');
    } catch {
      // not written: reported below
    }
    if (ran !== `${ROUNDTRIP_MARKER}\n`)
      problems.push(`${ROUNDTRIP_FILE} holds ${JSON.stringify(ran)}`);
  } else if (commands.length !== 0) {
    problems.push(`${commands.length} command(s) run, want 0`);
  }
  return problems;
}

/** Problems with what crossed the wire: Codex's requests and the upstream's. */
function wireProblems(c: Case, sent: ClientRecord[], seen: UpstreamRecord[]): string[] {
  const problems: string[] = [];
  for (const r of sent) {
    if (r.method !== 'POST' || r.url !== '/v1/responses' || r.status !== 200) {
      problems.push(`codex sent ${r.method} ${r.url} -> ${r.status ?? 'no answer'}`);
    }
  }
  const turns = c.tool ? 2 : 1;
  if (sent.length !== turns) problems.push(`codex sent ${sent.length} request(s), want ${turns}`);
  const path = UPSTREAM_PATH[c.form];
  if (path === undefined) return problems;
  if (seen.length !== turns) problems.push(`upstream saw ${seen.length} request(s), want ${turns}`);
  for (const r of seen) {
    if (r.url.split('?')[0] !== path) problems.push(`upstream asked on ${r.url}, want ${path}`);
  }
  return [...problems, ...credentialProblems(seen, GATEWAY_KEY)];
}

function summarize(sent: ClientRecord[], seen: UpstreamRecord[]): string[] {
  const lines = sent.map((r) => `codex sent: ${describeSent(r)}`);
  for (const r of seen) {
    const body = (r.body ?? {}) as Record<string, unknown>;
    const items = Array.isArray(body.messages) ? body.messages : body.input;
    const extra = Array.isArray(items) ? [`items=${items.length}`] : [];
    lines.push(`upstream: ${describeUpstream(r, extra)}`);
  }
  return lines;
}

const check = await CliCheck.start<Form>(keepDir);
try {
  for (const form of FORMS) {
    try {
      await check.addGateway(form, gatewayConfig(check.upstream.url, form));
    } catch (err) {
      process.stdout.write(`FAIL ${form}: the gateway did not start: ${(err as Error).message}\n`);
      check.failures.push(`${form} gateway`);
    }
  }
  const cases: Case[] = check.forms.flatMap((form) =>
    form.startsWith('mock')
      ? [{ form, tool: false }]
      : [false, true].map((tool) => ({ form, tool })),
  );
  for (const c of cases) {
    const name = `${c.form} ${c.tool ? 'shell round trip' : 'text'}`;
    const prompt = c.tool ? `${ROUNDTRIP_TRIGGER}: run the echo command` : 'say pong';
    const { run, sent, seen } = await check.exchange(c.form, name, (url) =>
      runCodex(cli, url, GATEWAY_KEY, prompt),
    );
    const problems = [...runProblems(c, run), ...wireProblems(c, sent, seen)];
    run.cleanup();
    const answer = (answerOf(run) ?? '').replaceAll('\n', ' ');
    const lines = [
      ...itemsOf(run, 'error').map((item) => `cli note: ${String(item.message)}`),
      ...summarize(sent, seen),
    ];
    check.report(name, answer.length > 80 ? `${answer.slice(0, 80)}...` : answer, lines, problems);
  }
} finally {
  await check.close();
}
check.finish();
