// Gateway benchmark (npm run bench:gateway [-- options]). The gateway, run as `llm-failover serve`
// at the shipped log level (info, to a file), against the simplest fast proxy a user would write
// (bench/gateway/minimal-proxy.ts), both in front of a pre-built loopback upstream; each in its own
// process, the load (autocannon, undici) from this one. Loopback only, bounded. Figures go in
// BENCHMARKS.md.
//
// Options: --only json,stream,a2o,o2a,resp,resp-json,r2o,latency (default: the first four and
//          latency)   --rounds 5   --seconds 3   --connections 32
//          --chunks 200   --memory (1,000 slow streams instead)
//          --gateway-cmd "node /other/checkout/bin/llm-failover.js serve" (or BENCH_GATEWAY_CMD):
//          measure another build; `--config F --port N` is appended; it must exec node itself.
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import {
  benchAgent,
  chatBody,
  fmt,
  interleaved,
  percentile,
  timeToFirstContent,
  timedChat,
} from './gateway/latency.js';
import { runMemory } from './gateway/memory.js';
import { SCENARIOS } from './gateway/scenarios.js';
import { DEFAULT_GATEWAY_COMMAND, startTargets } from './gateway/targets.js';
import type { Targets } from './gateway/targets.js';
import { closeVerifyAgent, median, runScenario } from './gateway/throughput.js';
import type { LoadOptions, Round } from './gateway/throughput.js';

/** Targets of issue 7 (ratios to the minimal proxy). */
const TARGETS: Record<string, number> = { json: 0.8, stream: 0.6, a2o: 0.35, o2a: 0.35 };
/**
 * Issue 9: the gateway's overhead on /v1/responses within 10% of /v1/chat/completions, i.e. the
 * Responses scenario's ratio to the proxy at least 0.9 of its chat counterpart's. r2o against a2o
 * (both a translated 200-chunk stream from the chat upstream) is shown without a target.
 */
const ISSUE9: readonly [string, string, number | undefined][] = [
  ['resp', 'stream', 0.9],
  ['resp-json', 'json', 0.9],
  ['r2o', 'a2o', undefined],
];
const LATENCY_N = 500;
const TTFB_N = 300;
const FAILOVER_N = 300;

const { values } = parseArgs({
  options: {
    only: { type: 'string', default: 'json,stream,a2o,o2a,latency' },
    rounds: { type: 'string', default: '5' },
    seconds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '32' },
    chunks: { type: 'string', default: '200' },
    'gateway-cmd': { type: 'string' },
    memory: { type: 'boolean', default: false },
  },
});

function positive(name: string, text: string | undefined): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`--${name} must be a positive integer, got ${text}`);
  return n;
}

const load: LoadOptions = {
  rounds: positive('rounds', values.rounds),
  seconds: positive('seconds', values.seconds),
  connections: positive('connections', values.connections),
  chunks: positive('chunks', values.chunks),
};
const only = new Set(
  (values.only ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);
for (const name of only) {
  if (name !== 'latency' && !SCENARIOS.some((s) => s.name === name)) {
    const parts = [...SCENARIOS.map((s) => s.name), 'latency'].join(', ');
    throw new Error(`--only: unknown part "${name}" (${parts})`);
  }
}
const commandText = values['gateway-cmd'] ?? process.env.BENCH_GATEWAY_CMD;
const gatewayCommand =
  commandText === undefined ? DEFAULT_GATEWAY_COMMAND : commandText.split(/\s+/).filter(Boolean);

function printThroughput(results: Record<string, Record<string, Round[]>>): void {
  console.log(
    `\n## Throughput: ${load.connections} connections, ${load.rounds} rounds x ${load.seconds} s per target (alternating), ${load.chunks} chunks per streamed answer; medians\n`,
  );
  console.log(
    '| scenario | proxy req/s | gateway req/s | **gateway / proxy** | per-round ratios (median, min-max) | target | proxy CPU µs/req | gateway CPU µs/req | CPU ratio | cores busy: proxy / gateway / upstream |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const scenario of SCENARIOS) {
    const rounds = results[scenario.name];
    if (rounds === undefined) continue;
    const m = (target: string, key: keyof Round): number =>
      median((rounds[target] ?? []).map((r) => r[key]));
    const ratio = m('gateway', 'rps') / m('proxy', 'rps');
    const paired = (rounds.gateway ?? []).map((g, r) => g.rps / (rounds.proxy?.[r]?.rps ?? NaN));
    const pairedText = `${fmt(median(paired))} (${fmt(Math.min(...paired))}-${fmt(Math.max(...paired))})`;
    const target = TARGETS[scenario.name];
    const verdict = target === undefined ? '' : ratio >= target ? ' ok' : ' BELOW';
    const upstream = median(
      [...(rounds.proxy ?? []), ...(rounds.gateway ?? [])].map((r) => r.upstreamCores),
    );
    console.log(
      `| ${scenario.name}: ${scenario.description} | ${fmt(m('proxy', 'rps'), 0)} | ${fmt(m('gateway', 'rps'), 0)} | **${fmt(ratio)}x**${verdict} | ${pairedText} | ${target === undefined ? '-' : `>= ${target}x`} | ${fmt(m('proxy', 'cpuPerRequest'), 0)} | ${fmt(m('gateway', 'cpuPerRequest'), 0)} | ${fmt(m('gateway', 'cpuPerRequest') / m('proxy', 'cpuPerRequest'), 1)}x | ${fmt(m('proxy', 'cores'))} / ${fmt(m('gateway', 'cores'))} / ${fmt(upstream)} |`,
    );
  }
  printIssue9(results);
  console.log(
    '\n(every answer read in full and checked before and after each scenario: whole text, terminal event; bytes per response under load at least the complete answer)',
  );
}

/** The gateway / proxy throughput ratio and CPU µs per request of a scenario's rounds. */
function figures(rounds: Record<string, Round[]>): { ratio: number; proxy: number; gw: number } {
  const m = (target: string, key: keyof Round): number =>
    median((rounds[target] ?? []).map((r) => r[key]));
  return {
    ratio: m('gateway', 'rps') / m('proxy', 'rps'),
    proxy: m('proxy', 'cpuPerRequest'),
    gw: m('gateway', 'cpuPerRequest'),
  };
}

function printIssue9(results: Record<string, Record<string, Round[]>>): void {
  const rows = ISSUE9.filter(([a, b]) => results[a] !== undefined && results[b] !== undefined);
  if (rows.length === 0) return;
  console.log(
    '\n## Issue 9: /v1/responses against its /v1/chat/completions counterpart (ratios to the same proxy)\n',
  );
  console.log(
    '| responses / chat | ratio to proxy, responses / chat | **relative** | target | gateway CPU µs/req over the proxy, responses / chat |',
  );
  console.log('|---|---|---|---|---|');
  for (const [resp, chat, target] of rows) {
    const r = figures(results[resp] ?? {});
    const c = figures(results[chat] ?? {});
    const relative = r.ratio / c.ratio;
    const verdict =
      target === undefined ? '-' : `>= ${target} ${relative >= target ? 'ok' : 'BELOW'}`;
    console.log(
      `| ${resp} / ${chat} | ${fmt(r.ratio)}x / ${fmt(c.ratio)}x | **${fmt(relative)}** | ${verdict} | ${fmt(r.gw - r.proxy, 0)} / ${fmt(c.gw - c.proxy, 0)} |`,
    );
  }
}

async function runThroughput(targets: Targets): Promise<void> {
  const { proxy, gateway, upstream } = targets;
  if (proxy === undefined) throw new Error('no proxy');
  const results: Record<string, Record<string, Round[]>> = {};
  for (const scenario of SCENARIOS) {
    if (!only.has(scenario.name)) continue;
    console.log(
      `${new Date().toISOString()} ${scenario.name}... load average ${loadavg()
        .map((x) => fmt(x, 1))
        .join(' ')}`,
    );
    results[scenario.name] = await runScenario(scenario, { proxy, gateway }, upstream, load);
  }
  if (Object.keys(results).length > 0) printThroughput(results);
}

function summary(samples: number[]): { p50: number; p99: number } {
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

function printAdded(set: Record<string, number[]>, names: string[]): void {
  const direct = summary(set.direct ?? []);
  for (const name of names) {
    const { p50, p99 } = summary(set[name] ?? []);
    const added =
      name === 'direct'
        ? ''
        : `  added p50 ${fmt(p50 - direct.p50, 3)}  added p99 ${fmt(p99 - direct.p99, 3)}`;
    console.log(`${name.padEnd(8)} p50 ${fmt(p50, 3)}  p99 ${fmt(p99, 3)}${added}`);
  }
}

async function runLatency(targets: Targets): Promise<void> {
  const { upstream, proxy, gateway } = targets;
  if (proxy === undefined) throw new Error('no proxy');
  const body = chatBody('bench-model');
  const sequential = (url: string) => () => timedChat(url, body);
  const lat = await interleaved(
    {
      direct: sequential(upstream.url),
      proxy: sequential(proxy.url),
      gateway: sequential(gateway.url),
    },
    LATENCY_N,
  );
  const streamBody = chatBody('bench-model', true);
  const ttfbOf = (url: string) => () => timeToFirstContent(url, streamBody);
  const ttfb = await interleaved(
    { direct: ttfbOf(upstream.url), proxy: ttfbOf(proxy.url), gateway: ttfbOf(gateway.url) },
    TTFB_N,
  );
  const failover = await interleaved(
    {
      direct: sequential(upstream.url),
      gateway: sequential(gateway.url),
      refused: () => timedChat(gateway.url, chatBody('failover-refused')),
      breaker: () => timedChat(gateway.url, chatBody('failover-breaker')),
    },
    FAILOVER_N,
  );
  console.log(
    `\n## Sequential latency, non-streaming (N=${LATENCY_N} each, interleaved), ms (added p50 target < 1 ms)`,
  );
  printAdded(lat, ['direct', 'proxy', 'gateway']);
  console.log(
    `\n## Streaming time to first content (N=${TTFB_N} each, interleaved), ms (added p50 target < 1 ms)`,
  );
  printAdded(ttfb, ['direct', 'proxy', 'gateway']);
  console.log(
    `\n## Failover: local = closed port (connection refused), maxRetries 0 (N=${FAILOVER_N}), ms`,
  );
  printAdded(failover, ['direct', 'gateway', 'refused', 'breaker']);
  const refused = summary(failover.refused ?? []);
  const plain = summary(failover.gateway ?? []);
  console.log(
    `added by failover over the gateway's own no-failover path: p50 ${fmt(refused.p50 - plain.p50, 3)} ms (target: added over direct < 5 ms)`,
  );
}

async function runSpeed(): Promise<void> {
  const targets = await startTargets({ gatewayCommand, chunks: load.chunks });
  try {
    await runThroughput(targets);
    if (only.has('latency')) await runLatency(targets);
    console.log(`\n(gateway log: ${targets.logLines()} lines written at level info)`);
  } finally {
    await targets.stopAll();
  }
}

console.log(
  `llm-failover bench:gateway, node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()
    .map((x) => fmt(x, 1))
    .join(' ')}\ngateway command: ${gatewayCommand.join(' ')} --config <tmp> --port <free>`,
);
if (values.memory === true) await runMemory(gatewayCommand);
else await runSpeed();
await benchAgent.close();
await closeVerifyAgent();
