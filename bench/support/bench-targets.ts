import { createServer } from 'node:net';
import { forkBenchChild } from './bench-child.js';
import type { BenchChild } from './bench-child.js';

/** Upstream via `${BENCH_UPSTREAM_URL}`; `down` is a closed port (connection refused). */
const GATEWAY_CONFIG = `
server: { host: 127.0.0.1, port: 0 }
backends:
  upstream: { type: openai, baseUrl: "\${BENCH_UPSTREAM_URL}/v1", maxRetries: 0, timeoutMs: 120000, idleTimeoutMs: 60000 }
  # Breaker never opens: every request really meets the refused connection first.
  down: { type: openai, baseUrl: "http://127.0.0.1:\${BENCH_CLOSED_PORT}/v1", maxRetries: 0, circuitBreaker: { failMax: 1000000000 } }
  # Default-ish breaker: opens after 5 refusals, then the target is skipped with no attempt.
  down-breaker: { type: openai, baseUrl: "http://127.0.0.1:\${BENCH_CLOSED_PORT}/v1", maxRetries: 0, circuitBreaker: { failMax: 5, resetTimeoutMs: 3600000 } }
routes:
  - { match: "failover-refused", targets: [{ backend: down }, { backend: upstream }] }
  - { match: "failover-breaker", targets: [{ backend: down-breaker }, { backend: upstream }] }
  - { match: "*", targets: [{ backend: upstream }] }
logging: { level: "\${BENCH_LOG_LEVEL:-error}" }
`;

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** The benchmark's processes. `loggedGateway`: the same gateway logging every request (info). */
export interface BenchTargets {
  upstream: BenchChild;
  proxy: BenchChild;
  gateway: BenchChild;
  loggedGateway?: BenchChild;
  stopAll(): Promise<void>;
}

/**
 * Forks the upstream (with `chunkDelayMs` between streamed events), the pass-through proxy and
 * the gateway, each in its own process; with `logTo` (a file descriptor), also a second gateway
 * that logs one JSON line per request there, as `npm start` does.
 */
export async function startChildren(chunkDelayMs: number, logTo?: number): Promise<BenchTargets> {
  const upstream = await forkBenchChild('./upstream.ts', {
    BENCH_CHUNK_DELAY_MS: String(chunkDelayMs),
  });
  const env = {
    BENCH_UPSTREAM_URL: upstream.url,
    BENCH_CLOSED_PORT: String(await closedPort()),
    BENCH_GATEWAY_CONFIG: GATEWAY_CONFIG,
  };
  const proxy = await forkBenchChild('./passthrough-process.ts', env);
  const gateway = await forkBenchChild('./gateway-process.ts', env);
  const loggedGateway =
    logTo === undefined
      ? undefined
      : await forkBenchChild('./gateway-process.ts', { ...env, BENCH_LOG_LEVEL: 'info' }, logTo);
  const children = [upstream, proxy, gateway, ...(loggedGateway ? [loggedGateway] : [])];
  return {
    upstream,
    proxy,
    gateway,
    ...(loggedGateway ? { loggedGateway } : {}),
    stopAll: async () => {
      await Promise.all(children.map((child) => child.stop()));
    },
  };
}
