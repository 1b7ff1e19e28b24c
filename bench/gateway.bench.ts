// Gateway benchmark (npm run bench:gateway [-- --memory]). Bounded, loopback only, each process
// on its own: the mock upstream, the pass-through proxy and the gateway each in a child process,
// the load generator (autocannon, undici) here. Figures go in BENCHMARKS.md.
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { startChildren } from './support/bench-targets.js';
import { runMemory } from './support/memory-run.js';
import {
  benchAgent,
  chatBody,
  fmt,
  interleaved,
  percentile,
  timeToFirstContent,
  timedChat,
} from './support/measure.js';

const LOAD_SECONDS = 4;
const LOAD_ROUNDS = 2;
const CONNECTIONS = 32;
const LATENCY_N = 500;
const TTFB_N = 300;
const FAILOVER_N = 300;

async function load(url: string, seconds: number): Promise<number> {
  const result = await autocannon({
    url: `${url}/v1/chat/completions`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: chatBody('bench-model'),
    connections: CONNECTIONS,
    duration: seconds,
  });
  if (result.errors + result.timeouts + result.non2xx > 0) {
    throw new Error(
      `${url}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx`,
    );
  }
  return result.requests.average;
}

async function throughput(targets: Record<string, string>): Promise<Record<string, number>> {
  for (const url of Object.values(targets)) await load(url, 1); // warm-up: JIT, pools
  const runs: Record<string, number[]> = {};
  for (let round = 0; round < LOAD_ROUNDS; round++) {
    for (const [name, url] of Object.entries(targets)) {
      (runs[name] ??= []).push(await load(url, LOAD_SECONDS));
    }
  }
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  return Object.fromEntries(Object.entries(runs).map(([name, xs]) => [name, mean(xs)]));
}

function summary(samples: number[]): { p50: number; p99: number } {
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

async function runSpeed(): Promise<void> {
  const logFile = join(tmpdir(), `llm-failover-bench-${process.pid}.jsonl`);
  const logFd = openSync(logFile, 'w');
  const children = await startChildren(0, logFd);
  const { upstream, proxy, gateway, loggedGateway } = children;
  try {
    const targets = {
      direct: upstream.url,
      proxy: proxy.url,
      gateway: gateway.url,
      ...(loggedGateway ? { 'gateway+log': loggedGateway.url } : {}),
    };
    const rps = await throughput(targets);
    const logLines = readFileSync(logFile, 'utf8').split('\n').length - 1;
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
    report(rps, lat, ttfb, failover);
    console.log(
      `(gateway+log: the same gateway at log level info, one JSON line per request to a file: ${logLines} lines written)`,
    );
  } finally {
    await children.stopAll();
    closeSync(logFd);
    rmSync(logFile, { force: true });
  }
}

function report(
  rps: Record<string, number>,
  lat: Record<string, number[]>,
  ttfb: Record<string, number[]>,
  failover: Record<string, number[]>,
): void {
  const r = (name: string): number => rps[name] ?? Number.NaN;
  const s = (set: Record<string, number[]>, name: string) => summary(set[name] ?? []);
  console.log(
    `\n## Throughput (non-streaming, ${CONNECTIONS} connections, ${LOAD_ROUNDS}x${LOAD_SECONDS} s each, alternating)`,
  );
  for (const name of Object.keys(rps)) console.log(`${name.padEnd(12)} ${fmt(r(name), 0)} req/s`);
  console.log(`gateway / direct: ${fmt(r('gateway') / r('direct'))}x`);
  console.log(`gateway / pass-through proxy: ${fmt(r('gateway') / r('proxy'))}x (target >= 0.7)`);
  console.log(`proxy / direct: ${fmt(r('proxy') / r('direct'))}x`);
  console.log(`gateway+log / pass-through proxy: ${fmt(r('gateway+log') / r('proxy'))}x`);
  console.log(`\n## Sequential latency (N=${LATENCY_N} each, interleaved), ms`);
  printAdded(lat, 'p50 target < 1 ms');
  console.log(`\n## Streaming time to first content chunk (N=${TTFB_N} each, interleaved), ms`);
  printAdded(ttfb, 'p50 target < 1 ms');
  console.log(
    `\n## Failover: local = closed port (connection refused), maxRetries 0 (N=${FAILOVER_N}), ms`,
  );
  for (const name of ['direct', 'gateway', 'refused', 'breaker']) {
    const { p50, p99 } = s(failover, name);
    console.log(`${name.padEnd(8)} p50 ${fmt(p50, 3)}  p99 ${fmt(p99, 3)}`);
  }
  const direct = s(failover, 'direct');
  const refused = s(failover, 'refused');
  const plain = s(failover, 'gateway');
  console.log(
    `added by failover over direct-to-next-target: p50 ${fmt(refused.p50 - direct.p50, 3)} ms, p99 ${fmt(refused.p99 - direct.p99, 3)} ms (target < 5 ms)`,
  );
  console.log(
    `added by failover over the gateway's own no-failover path: p50 ${fmt(refused.p50 - plain.p50, 3)} ms`,
  );
}

function printAdded(set: Record<string, number[]>, target: string): void {
  const direct = summary(set.direct ?? []);
  for (const name of ['direct', 'proxy', 'gateway']) {
    const { p50, p99 } = summary(set[name] ?? []);
    const added =
      name === 'direct'
        ? ''
        : `  added p50 ${fmt(p50 - direct.p50, 3)}  added p99 ${fmt(p99 - direct.p99, 3)}`;
    console.log(`${name.padEnd(8)} p50 ${fmt(p50, 3)}  p99 ${fmt(p99, 3)}${added}`);
  }
  console.log(`(${target})`);
}

console.log(
  `llm-failover bench:gateway, node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()
    .map((x) => fmt(x, 1))
    .join(' ')}`,
);
if (process.argv.includes('--memory')) await runMemory();
else await runSpeed();
await benchAgent.close();
