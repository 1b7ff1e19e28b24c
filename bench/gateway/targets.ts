// Starts the benchmark's processes: the upstream, the minimal proxy and the gateway, each on its
// own, the gateway exactly as `llm-failover serve` runs it, at the shipped log level (info).
import { closeSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startProcess } from './processes.js';
import type { BenchProcess } from './processes.js';

const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));
const TSX = ['--import', import.meta.resolve('tsx')];

/** The default gateway command: this checkout's `llm-failover serve`. */
export const DEFAULT_GATEWAY_COMMAND = [
  process.execPath,
  here('../../bin/llm-failover.js'),
  'serve',
];

/**
 * Model `to-anthropic` goes to the Anthropic backend, `to-responses` to the OpenAI one spoken to
 * in the Responses API, everything else to the OpenAI chat one; the `failover-*` models meet a
 * refused connection (a closed port) first.
 */
function gatewayConfig(upstream: string, closedPort: number): string {
  const down = `http://127.0.0.1:${closedPort}/v1`;
  return `
server: { host: 127.0.0.1, port: 0 }
backends:
  oai: { type: openai, baseUrl: "${upstream}/v1", apiKey: bench-key, maxRetries: 0 }
  resp: { type: openai, api: responses, baseUrl: "${upstream}/v1", apiKey: bench-key, maxRetries: 0 }
  ant: { type: anthropic, baseUrl: "${upstream}", apiKey: bench-key, maxRetries: 0 }
  # Breaker never opens: every request really meets the refused connection first.
  down: { type: openai, baseUrl: "${down}", maxRetries: 0, circuitBreaker: { failMax: 1000000000 } }
  # Opens after 5 refusals, then the target is skipped with no attempt.
  down-breaker: { type: openai, baseUrl: "${down}", maxRetries: 0, circuitBreaker: { failMax: 5, resetTimeoutMs: 3600000 } }
routes:
  - { match: "to-anthropic", targets: [{ backend: ant }] }
  - { match: "to-responses", targets: [{ backend: resp }] }
  - { match: "failover-refused", targets: [{ backend: down }, { backend: oai }] }
  - { match: "failover-breaker", targets: [{ backend: down-breaker }, { backend: oai }] }
  - { match: "*", targets: [{ backend: oai }] }
logging: { level: info }
`;
}

/** What {@link startTargets} needs. */
export interface TargetOptions {
  /** The gateway command, to which `--config F --port N` is appended. */
  gatewayCommand: readonly string[];
  /** Content chunks per answer. */
  chunks: number;
  /** Delay between streamed events (0: the whole stream in one write). */
  chunkDelayMs?: number;
  /** Also start the minimal proxy (default true). */
  proxy?: boolean;
}

/** The running processes. */
export interface Targets {
  upstream: BenchProcess;
  proxy?: BenchProcess;
  gateway: BenchProcess;
  /** Lines the gateway has logged so far. */
  logLines(): number;
  stopAll(): Promise<void>;
}

export async function startTargets(options: TargetOptions): Promise<Targets> {
  const dir = join(tmpdir(), `llm-failover-bench-${process.pid}`);
  const configFile = `${dir}.yaml`;
  const logFile = `${dir}.log`;
  const logFd = openSync(logFile, 'w');
  const started: BenchProcess[] = [];
  const stopAll = async (): Promise<void> => {
    await Promise.all(started.map((p) => p.stop()));
    closeSync(logFd);
    rmSync(configFile, { force: true });
    rmSync(logFile, { force: true });
  };
  try {
    const upstreamPort = await freePort();
    const upstream = await startProcess(
      'upstream',
      [process.execPath, ...TSX, here('./upstream.ts')],
      upstreamPort,
      {
        PORT: String(upstreamPort),
        BENCH_CHUNKS: String(options.chunks),
        BENCH_CHUNK_DELAY_MS: String(options.chunkDelayMs ?? 0),
      },
    );
    started.push(upstream);
    let proxy: BenchProcess | undefined;
    if (options.proxy !== false) {
      const port = await freePort();
      proxy = await startProcess(
        'proxy',
        [process.execPath, ...TSX, here('./minimal-proxy.ts')],
        port,
        { PORT: String(port), UPSTREAM_URL: upstream.url },
      );
      started.push(proxy);
    }
    writeFileSync(configFile, gatewayConfig(upstream.url, await freePort()));
    const gatewayPort = await freePort();
    const gateway = await startProcess(
      'gateway',
      [...options.gatewayCommand, '--config', configFile, '--port', String(gatewayPort)],
      gatewayPort,
      { LOG_LEVEL: undefined },
      logFd,
    );
    started.push(gateway);
    return {
      upstream,
      ...(proxy ? { proxy } : {}),
      gateway,
      logLines: () => readFileSync(logFile, 'utf8').split('\n').length - 1,
      stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
