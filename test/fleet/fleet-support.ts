import { startServer } from '../../src/server/index.js';
import type { RunningServer } from '../../src/server/index.js';
import type { ManualClock } from '../../src/testing/index.js';
import { createLogger } from '../../src/server/index.js';

/** The shared part of a fleet test's gateway config. */
export interface FleetOptions {
  /** Redis URL; absent = each gateway on its own memory store. */
  redisUrl?: string | undefined;
  /** Key prefix (one per test, so tests share nothing through Redis). */
  prefix: string;
  /** Base URL of the backend under test (`flaky`), e.g. `http://127.0.0.1:PORT/v1`. */
  flakyUrl: string;
  failMax: number;
  clock: ManualClock;
}

/**
 * One gateway's config: `flaky` (the backend under test, no retries) then `spare` (the mock) on
 * every model, so a request succeeds whatever `flaky` does and its headers say what it cost.
 */
export function fleetConfig(options: FleetOptions): string {
  const state =
    options.redisUrl === undefined
      ? ''
      : // A generous command bound: a busy shared test machine stalls its event loop for longer
        // than the 250 ms default, and a command timing out means "decide alone" (two probes).
        `state: { redis: { url: '${options.redisUrl}', keyPrefix: '${options.prefix}', commandTimeoutMs: 2000 } }\n`;
  return `${state}server: { host: 127.0.0.1, port: 0 }
backends:
  flaky:
    type: openai
    baseUrl: '${options.flakyUrl}'
    maxRetries: 0
    retryBudget: false
    circuitBreaker: { failMax: ${options.failMax}, resetTimeoutMs: 10000 }
  spare: { type: mock }
routes:
  - match: '*'
    targets: [{ backend: flaky }, { backend: spare }]
logging: { level: silent }
`;
}

/** Starts `count` gateways on the same config; they share state only through Redis. */
export async function startFleet(count: number, options: FleetOptions): Promise<RunningServer[]> {
  const configText = fleetConfig(options);
  const logger = createLogger({ level: 'silent' });
  return Promise.all(
    Array.from({ length: count }, () =>
      startServer({ configText, env: {}, port: 0, clock: options.clock, logger }),
    ),
  );
}

/** What one chat request through a gateway cost `flaky`, from the gateway's own headers. */
export interface ChatOutcome {
  status: number;
  backend: string | null;
  /** Attempts on flaky: total attempts minus the spare's one when the spare answered. */
  flakyAttempts: number;
}

export async function chat(gateway: RunningServer, content = 'hi'): Promise<ChatOutcome> {
  const response = await fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content }] }),
  });
  await response.arrayBuffer();
  const backend = response.headers.get('x-llm-failover-backend');
  const attempts = Number(response.headers.get('x-llm-failover-attempts') ?? '0');
  return {
    status: response.status,
    backend,
    flakyAttempts: backend === 'spare' ? attempts - 1 : attempts,
  };
}

export function breakerOf(gateway: RunningServer, name = 'flaky') {
  const backend = gateway.backends.get(name);
  if (backend === undefined) throw new Error(`no backend ${name}`);
  return backend.circuitBreaker;
}
