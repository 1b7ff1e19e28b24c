// Throughput rounds: autocannon against the proxy and the gateway in turn, the CPU time of each
// child read from /proc around every round, every answer checked for completeness before and after.
import autocannon from 'autocannon';
import { Agent, request } from 'undici';
import type { BenchProcess } from './processes.js';
import type { Scenario } from './scenarios.js';

/** How the load is run. */
export interface LoadOptions {
  rounds: number;
  seconds: number;
  connections: number;
  chunks: number;
}

/** One round of one target. */
export interface Round {
  rps: number;
  /** CPU time of the target process per completed request, µs. */
  cpuPerRequest: number;
  /** CPU use of the target process during the round, in cores (1 = one core busy). */
  cores: number;
  /** CPU use of the upstream process during the round, in cores. */
  upstreamCores: number;
}

const verifyAgent = new Agent({ keepAliveTimeout: 10_000 });

/** Sends the scenario's request once; throws unless the answer is complete. Resolves its size. */
export async function verifyAnswer(
  target: BenchProcess,
  scenario: Scenario,
  chunks: number,
): Promise<number> {
  const res = await request(`${target.url}${scenario.path}`, {
    method: 'POST',
    headers: scenario.headers,
    body: scenario.body,
    dispatcher: verifyAgent,
  });
  const text = await res.body.text();
  try {
    if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}: ${text.slice(0, 300)}`);
    scenario.verify(text, chunks);
  } catch (err) {
    throw new Error(`${scenario.name} via ${target.name}: ${(err as Error).message}`);
  }
  return Buffer.byteLength(text);
}

async function load(
  target: BenchProcess,
  upstream: BenchProcess,
  scenario: Scenario,
  seconds: number,
  connections: number,
): Promise<Round & { bytesPerResponse: number }> {
  const cpu0 = target.cpuMicros();
  const up0 = upstream.cpuMicros();
  const t0 = performance.now();
  const result = await autocannon({
    url: `${target.url}${scenario.path}`,
    method: 'POST',
    headers: scenario.headers,
    body: scenario.body,
    connections,
    duration: seconds,
  });
  const wallMicros = (performance.now() - t0) * 1000;
  const cpu = target.cpuMicros() - cpu0;
  const upstreamCpu = upstream.cpuMicros() - up0;
  if (result.errors + result.timeouts + result.non2xx > 0) {
    throw new Error(
      `${scenario.name} via ${target.name}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx`,
    );
  }
  const completed = result.requests.total;
  return {
    rps: completed / result.duration,
    cpuPerRequest: cpu / completed,
    cores: cpu / wallMicros,
    upstreamCores: upstreamCpu / wallMicros,
    bytesPerResponse: result.throughput.total / completed,
  };
}

/**
 * Runs `rounds` rounds per target, alternating which goes first, after a 1 s warm-up each.
 * Throws if an answer is incomplete (checked with a full read before and after the rounds, and
 * by the bytes per response under load, which must be at least the complete answer's size).
 */
export async function runScenario(
  scenario: Scenario,
  targets: Record<string, BenchProcess>,
  upstream: BenchProcess,
  options: LoadOptions,
): Promise<Record<string, Round[]>> {
  const sizes: Record<string, number> = {};
  for (const [name, target] of Object.entries(targets)) {
    sizes[name] = await verifyAnswer(target, scenario, options.chunks);
  }
  for (const target of Object.values(targets)) {
    await load(target, upstream, scenario, 1, options.connections);
  }
  const rounds: Record<string, Round[]> = {};
  const names = Object.keys(targets);
  for (let r = 0; r < options.rounds; r++) {
    const order = r % 2 === 0 ? names : [...names].reverse();
    for (const name of order) {
      const target = targets[name];
      if (target === undefined) continue;
      const { bytesPerResponse, ...round } = await load(
        target,
        upstream,
        scenario,
        options.seconds,
        options.connections,
      );
      // Headers and chunk framing come on top of the body: fewer bytes means cut-short answers.
      if (bytesPerResponse < (sizes[name] ?? 0)) {
        throw new Error(
          `${scenario.name} via ${name}: ${bytesPerResponse.toFixed(0)} bytes per response under load, the complete answer has ${sizes[name]}`,
        );
      }
      (rounds[name] ??= []).push(round);
    }
  }
  for (const target of Object.values(targets)) await verifyAnswer(target, scenario, options.chunks);
  return rounds;
}

/** The median of `xs`. */
export function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? NaN)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export async function closeVerifyAgent(): Promise<void> {
  await verifyAgent.close();
}
