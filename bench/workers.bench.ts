// Workers benchmark (npx tsx bench/workers.bench.ts [-- options]): throughput and CPU per request
// of `llm-failover serve --workers 2` against `--workers 1`, in one run, both in front of the same
// pre-built loopback upstream, the load (autocannon) from this process. Rounds alternate between
// the two gateways. CPU is read from /proc for the whole process tree (primary + workers).
// Loopback only, bounded. Figures go in BENCHMARKS.md.
//
// Options: --only json,stream   --rounds 5   --seconds 3   --connections 64   --chunks 200
import { closeSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, startProcess } from './gateway/processes.js';
import type { BenchProcess } from './gateway/processes.js';
import { SCENARIOS } from './gateway/scenarios.js';
import { closeVerifyAgent, median, runScenario } from './gateway/throughput.js';
import type { LoadOptions, Round } from './gateway/throughput.js';

const { values } = parseArgs({
  options: {
    only: { type: 'string', default: 'json,stream' },
    rounds: { type: 'string', default: '5' },
    seconds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '64' },
    chunks: { type: 'string', default: '200' },
  },
});
const load: LoadOptions = {
  rounds: Number(values.rounds),
  seconds: Number(values.seconds),
  connections: Number(values.connections),
  chunks: Number(values.chunks),
};
const scenarios = SCENARIOS.filter((s) => (values.only ?? '').split(',').includes(s.name));
const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));
const TICKS_PER_SECOND = 100;

/** User + system CPU of `pid` and every live descendant, µs (cluster workers are children). */
function treeCpuMicros(root: number): number {
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      stats.set(Number(entry), {
        ppid: Number(fields[1]),
        ticks: Number(fields[11]) + Number(fields[12]),
      });
    } catch {
      // Gone between readdir and read.
    }
  }
  let ticks = 0;
  const queue = [root];
  for (let pid = queue.pop(); pid !== undefined; pid = queue.pop()) {
    ticks += stats.get(pid)?.ticks ?? 0;
    for (const [child, s] of stats) if (s.ppid === pid) queue.push(child);
  }
  return (ticks * 1e6) / TICKS_PER_SECOND;
}

function gatewayConfig(upstream: string): string {
  return `
server: { host: 127.0.0.1, port: 0 }
backends:
  oai: { type: openai, baseUrl: "${upstream}/v1", apiKey: bench-key, maxRetries: 0 }
routes:
  - { match: "*", targets: [{ backend: oai }] }
logging: { level: info }
`;
}

async function startGateway(workers: number, configFile: string, log: string) {
  const fd = openSync(log, 'w');
  const port = await freePort();
  const bin = here('../bin/llm-failover.js');
  const command = [process.execPath, bin, 'serve', '--workers', String(workers)];
  const gateway = await startProcess(
    `workers-${workers}`,
    [...command, '--config', configFile, '--port', String(port)],
    port,
    { LOG_LEVEL: undefined },
    fd,
  );
  // The port accepts as soon as one worker listens: wait for every worker's startup line.
  for (let i = 0; i < 600; i += 1) {
    if (readFileSync(log, 'utf8').split('llm-failover listening on').length - 1 >= workers) break;
    await sleep(100);
  }
  const tree: BenchProcess = { ...gateway, cpuMicros: () => treeCpuMicros(gateway.pid) };
  return { gateway: tree, close: () => closeSync(fd) };
}

async function main(): Promise<void> {
  const base = join(tmpdir(), `llm-failover-workers-bench-${process.pid}`);
  const configFile = `${base}.yaml`;
  const upstreamPort = await freePort();
  const upstream = await startProcess(
    'upstream',
    [process.execPath, '--import', import.meta.resolve('tsx'), here('./gateway/upstream.ts')],
    upstreamPort,
    { PORT: String(upstreamPort), BENCH_CHUNKS: String(load.chunks), BENCH_CHUNK_DELAY_MS: '0' },
  );
  writeFileSync(configFile, gatewayConfig(upstream.url));
  const one = await startGateway(1, configFile, `${base}-1.log`);
  const two = await startGateway(2, configFile, `${base}-2.log`);
  console.log(
    `# llm-failover --workers 2 vs --workers 1 (${availableParallelism()} cores, load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}, ${new Date().toISOString()})`,
  );
  console.log(
    `\n${load.connections} connections, ${load.rounds} rounds x ${load.seconds} s per target (alternating), ${load.chunks} chunks per stream; medians\n`,
  );
  console.log(
    '| scenario | workers 1 req/s | workers 2 req/s | **2 / 1** | CPU µs/req 1 / 2 | cores busy gateway 1 / 2 | upstream cores 1 / 2 | load generator cores |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  try {
    for (const scenario of scenarios) {
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const rounds = await runScenario(
        scenario,
        { one: one.gateway, two: two.gateway },
        upstream,
        load,
      );
      const used = process.cpuUsage(cpu0);
      const loadCores = (used.user + used.system) / ((performance.now() - t0) * 1000);
      printRow(scenario.name, rounds.one ?? [], rounds.two ?? [], loadCores);
    }
  } finally {
    await Promise.all([one.gateway.stop(), two.gateway.stop(), upstream.stop()]);
    one.close();
    two.close();
    await closeVerifyAgent();
    for (const file of [configFile, `${base}-1.log`, `${base}-2.log`])
      rmSync(file, { force: true });
  }
}

function printRow(name: string, one: Round[], two: Round[], loadCores: number): void {
  const m = (rounds: Round[], key: keyof Round): number => median(rounds.map((r) => r[key]));
  const ratio = m(two, 'rps') / m(one, 'rps');
  console.log(
    `| ${name} | ${m(one, 'rps').toFixed(0)} | ${m(two, 'rps').toFixed(0)} | **${ratio.toFixed(2)}** | ${m(one, 'cpuPerRequest').toFixed(0)} / ${m(two, 'cpuPerRequest').toFixed(0)} | ${m(one, 'cores').toFixed(2)} / ${m(two, 'cores').toFixed(2)} | ${m(one, 'upstreamCores').toFixed(2)} / ${m(two, 'upstreamCores').toFixed(2)} | ${loadCores.toFixed(2)} (whole scenario) |`,
  );
}

await main();
