import type { Logger } from 'pino';
import { loadConfigFile, parseConfig } from '../config/index.js';
import type { DisabledBackend, GatewayConfig } from '../config/index.js';
import type { ChatBackend } from '../backends/chat-backend.js';
import { createGateway } from '../gateway/index.js';
import { warmProtocolSchemas } from '../protocols/index.js';
import type {
  Gateway,
  GatewayMetrics,
  GatewayOptions,
  ResponsesOptions,
} from '../gateway/index.js';
import type { BackendRouter } from '../routing/index.js';
import { MemoryResponseStore } from '../state/index.js';
import type { StateStore } from '../state/index.js';
import { systemClock } from '../time/index.js';
import type { Clock } from '../time/index.js';
import { ConfigReloader } from './config-reloader.js';
import type { ReloadResult } from './config-reloader.js';
import { createLogger, isLogLevel } from './create-logger.js';
import { createStateStore } from './create-state-store.js';
import { packageFile } from './package-file.js';
import { buildGeneration } from './server-generation.js';
import type { ServerGeneration } from './server-generation.js';

/** The shipped config, used when neither `configPath` nor `configText` is given. */
export const DEFAULT_CONFIG_PATH = packageFile('config/default.yaml');

/** Options of {@link startServer}. */
export interface StartServerOptions {
  /** Config file. Default: the shipped `config/default.yaml`. */
  configPath?: string;
  /** Config text (YAML) instead of a file: for tests and benchmarks. */
  configText?: string;
  /** Overrides `server.host`. */
  host?: string;
  /** Overrides `server.port` (0 = any free port). */
  port?: number;
  /** For `${VAR}` expansion and `LOG_LEVEL`. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** A logger to use instead of creating one from the config. */
  logger?: Logger;
  /** Time source of the backends, router and state store (tests). Default `systemClock`. */
  clock?: Clock;
}

/** A listening gateway. `config`, `router`, `backends` and `disabled` are the current ones. */
export interface RunningServer {
  /** `http://host:port` (the real port when 0 was asked). */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly config: GatewayConfig;
  readonly logger: Logger;
  readonly router: BackendRouter;
  readonly backends: ReadonlyMap<string, ChatBackend>;
  readonly disabled: readonly DisabledBackend[];
  /** The gateway's metrics (a cluster worker hands its registry to the primary). */
  readonly metrics: GatewayMetrics;
  /**
   * Reads the config again (the file it started from, or `configText`), validates it and swaps
   * it in: unchanged backends keep their breakers, requests in flight finish on the old config,
   * dropped backends close after them. An invalid config changes nothing; the result says why.
   * `server.*` settings other than `firstByteTimeoutMs` and `logging` need a restart: a change to
   * them is reported in `changes.needsRestart` and logged. Never throws.
   */
  reload(options?: { configText?: string }): Promise<ReloadResult>;
  /** Where breakers, budgets and probe verdicts live (memory, or the fleet's Redis). */
  readonly state: StateStore;
  /**
   * Stops accepting, lets in-flight requests finish for up to `graceMs` (default
   * `server.shutdownGraceMs`), then stops probes and closes every backend. Idempotent.
   */
  close(graceMs?: number): Promise<void>;
}

/**
 * Loads the config, builds the backends (disabling those whose key is unset), the router and the
 * gateway, and listens. Used by `llm-failover serve`, the tests and the benchmark.
 * @throws LlmFailoverError `INVALID_CONFIG` for a bad config; the listen error (e.g. EADDRINUSE).
 */
export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const env = options.env ?? process.env;
  const config = await readConfig(options, env);
  const level = isLogLevel(env.LOG_LEVEL) ? env.LOG_LEVEL : config.logging.level;
  const logger = options.logger ?? createLogger({ level });
  const state = await createStateStore(config, logger, options.clock);
  let generation: ServerGeneration;
  try {
    ({ generation } = buildGeneration(config, logger, { state, clock: options.clock }));
  } catch (error) {
    await state.close();
    throw error;
  }
  const { router, backends, disabled } = generation;
  // zod and the protocol schemas load on first use (a cheap core import): pay for them here, not
  // on the first request. The backends' undici pools were loaded by buildBackends.
  warmProtocolSchemas();
  const responses = responsesOptions(config, state, options.clock);
  // A fleet's response store is this server's to close (after the gateway, before the state).
  const closeStores = async (): Promise<void> => {
    await responses.store?.close();
    await state.close();
  };
  const gateway = createGateway({
    router,
    responses,
    apiKeys: config.server.apiKeys,
    bodyLimitBytes: config.server.bodyLimitBytes,
    maxNestingDepth: config.server.maxNestingDepth,
    shutdownGraceMs: config.server.shutdownGraceMs,
    logger,
    ...edgeOptions(config),
  });
  let address: { host: string; port: number; url: string };
  try {
    const { host, port } = config.server;
    address = await gateway.listen(options.port ?? port, options.host ?? host);
  } catch (err) {
    await closeGeneration(generation);
    await closeStores();
    throw err;
  }
  router.startHealthProbes();
  announce(logger, address, config, backends, disabled);
  const reloader = new ConfigReloader(generation, gateway, logger, { state, clock: options.clock });
  let closing: Promise<void> | undefined;
  return {
    ...address,
    logger,
    metrics: gateway.metrics,
    state,
    get config() {
      return reloader.generation.config;
    },
    get router() {
      return reloader.generation.router;
    },
    get backends() {
      return reloader.generation.backends;
    },
    get disabled() {
      return reloader.generation.disabled;
    },
    reload(reloadOptions = {}) {
      const source = { ...options, ...reloadOptions };
      return reloader.reload(() => readConfig(source, env));
    },
    close(graceMs = config.server.shutdownGraceMs) {
      closing ??= shutDown(gateway, reloader, closeStores, graceMs);
      return closing;
    },
  };
}

function readConfig(options: StartServerOptions, env: NodeJS.ProcessEnv): Promise<GatewayConfig> {
  if (options.configText === undefined) {
    return loadConfigFile(options.configPath ?? DEFAULT_CONFIG_PATH, env);
  }
  return Promise.resolve(parseConfig(options.configText, { env, source: '(inline config)' }));
}

/** The startup line (and a warning when the gateway is reachable beyond loopback, keyless). */
function announce(
  logger: Logger,
  address: { host: string; url: string },
  config: GatewayConfig,
  backends: ReadonlyMap<string, ChatBackend>,
  disabled: readonly DisabledBackend[],
): void {
  if (config.server.apiKeys.length === 0 && !isLoopback(address.host)) {
    logger.warn(
      { host: address.host },
      'listening on a non-loopback address with no gateway key: anyone who can reach it can use your backends',
    );
  }
  logger.info(
    {
      url: address.url,
      backends: [...backends.keys()],
      disabled: disabled.map((d) => d.name),
      gatewayKeys: config.server.apiKeys.length,
    },
    `llm-failover listening on ${address.url}`,
  );
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

async function shutDown(
  gateway: Gateway,
  reloader: ConfigReloader,
  closeStores: () => Promise<void>,
  graceMs: number,
): Promise<void> {
  try {
    await gateway.close(graceMs);
  } finally {
    await reloader.stop();
    await closeGeneration(reloader.generation);
    await closeStores();
  }
}

async function closeGeneration(generation: ServerGeneration): Promise<void> {
  await generation.router.close();
  await Promise.allSettled([...generation.backends.values()].map((backend) => backend.close()));
}

/**
 * The Responses API's store: the embedded memory store, or with a shared state store (Redis) the
 * fleet's, which falls back to a memory store of this instance while Redis is unreachable.
 */
function responsesOptions(
  config: GatewayConfig,
  state: StateStore,
  clock: Clock | undefined,
): ResponsesOptions {
  const limits = config.responses.store;
  const ttlMs = limits.ttlSeconds * 1000;
  if (state.responseStore === undefined) {
    return { maxEntries: limits.maxEntries, maxBytes: limits.maxBytes, ttlMs };
  }
  const local = new MemoryResponseStore({
    maxEntries: limits.maxEntries,
    maxBytes: limits.maxBytes,
    clock: clock ?? systemClock,
  });
  return { store: state.responseStore(local), ttlMs };
}

/** Browser safety and server limits, from `server.*` (docs/config.md). */
function edgeOptions(
  config: GatewayConfig,
): Pick<GatewayOptions, 'browser' | 'limits' | 'protectInfoEndpoints'> {
  const s = config.server;
  return {
    browser: { allowedOrigins: s.cors?.allowedOrigins, allowedHosts: s.allowedHosts },
    limits: {
      headersTimeoutMs: s.headersTimeoutMs,
      requestTimeoutMs: s.requestTimeoutMs,
      keepAliveTimeoutMs: s.keepAliveTimeoutMs,
      maxConnections: s.maxConnections,
      maxConcurrentRequests: s.maxConcurrentRequests,
    },
    protectInfoEndpoints: s.protectInfoEndpoints,
  };
}
