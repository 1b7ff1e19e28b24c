import { isDeepStrictEqual } from 'node:util';
import type { Logger } from 'pino';
import type { ChatBackend } from '../backends/chat-backend.js';
import {
  backendDisabledReason,
  buildBackends,
  healthProbePlan,
  resolveRoutes,
} from '../config/index.js';
import type { DisabledBackend, GatewayConfig } from '../config/index.js';
import { BackendRouter } from '../routing/index.js';
import type { StateStore } from '../state/index.js';
import type { Clock } from '../time/index.js';

/** What every generation of one server shares: its state store and its clock. */
export interface GenerationDeps {
  /** Breakers, budgets and probe verdicts (memory, or the fleet's Redis). */
  readonly state: StateStore;
  /** Time source of backends and router (tests); default the system clock. */
  readonly clock?: Clock | undefined;
}

/** What one config made: its backends and the router over them. A reload makes the next one. */
export interface ServerGeneration {
  readonly config: GatewayConfig;
  readonly router: BackendRouter;
  readonly backends: ReadonlyMap<string, ChatBackend>;
  readonly disabled: readonly DisabledBackend[];
}

/** How a new generation differs from the one it replaces, by backend name. */
export interface GenerationChanges {
  /** Same config entry: the very same backend object (its breaker, state and pool) carries on. */
  kept: string[];
  /** New names. */
  added: string[];
  /** Same name, different entry: a new backend (a fresh breaker) replaces the old one. */
  changed: string[];
  /** Gone (or now disabled). */
  removed: string[];
  /** Old backends the new generation does not use: close them once their calls have ended. */
  retired: ChatBackend[];
  /** Settings that changed in the file but only take effect on a restart (`server.port`, ...). */
  needsRestart: string[];
}

/**
 * Builds the backends and the router of `config`. With `previous`, every backend whose config
 * entry is unchanged is reused as it is (so its breaker keeps its state and its pool its
 * connections); the others are built new.
 * @throws LlmFailoverError INVALID_CONFIG for a bad route regex or probe backend.
 */
export function buildGeneration(
  config: GatewayConfig,
  logger: Logger,
  deps: GenerationDeps,
  previous?: ServerGeneration,
): { generation: ServerGeneration; changes: GenerationChanges } {
  const reused = new Map<string, ChatBackend>();
  const toBuild: GatewayConfig['backends'] = {};
  for (const [name, entry] of Object.entries(config.backends)) {
    const old = previous?.backends.get(name);
    const same =
      old !== undefined &&
      backendDisabledReason(entry) === undefined &&
      isDeepStrictEqual(previous?.config.backends[name], entry);
    if (same) reused.set(name, old);
    else toBuild[name] = entry;
  }
  // Budgets are shared only by a fleet: a memory budget stays exactly as without a store.
  const built = buildBackends({ ...config, backends: toBuild }, logger, {
    circuits: deps.state,
    budgets: deps.state.status().kind === 'redis' ? deps.state : undefined,
    clock: deps.clock,
  });
  const backends = new Map<string, ChatBackend>();
  for (const name of Object.keys(config.backends)) {
    const backend = reused.get(name) ?? built.backends.get(name);
    if (backend !== undefined) backends.set(name, backend);
  }
  let router: BackendRouter;
  try {
    router = createRouter(config, backends, logger, built.disabled, deps);
  } catch (err) {
    for (const backend of built.backends.values()) void backend.close();
    throw err;
  }
  const generation = { config, router, backends, disabled: built.disabled };
  return { generation, changes: describeChanges(generation, reused, previous) };
}

function describeChanges(
  next: ServerGeneration,
  reused: ReadonlyMap<string, ChatBackend>,
  previous: ServerGeneration | undefined,
): GenerationChanges {
  const oldBackends = previous?.backends ?? new Map<string, ChatBackend>();
  const changes: GenerationChanges = {
    kept: [...reused.keys()],
    added: [...next.backends.keys()].filter((name) => !oldBackends.has(name)),
    changed: [...next.backends.keys()].filter((n) => oldBackends.has(n) && !reused.has(n)),
    removed: [...oldBackends.keys()].filter((name) => !next.backends.has(name)),
    retired: [...oldBackends.entries()].filter(([n]) => !reused.has(n)).map(([, b]) => b),
    needsRestart: previous === undefined ? [] : restartOnlyChanges(previous.config, next.config),
  };
  return changes;
}

/**
 * The settings a reload cannot apply, named by path (values are never shown: `server.apiKeys`
 * holds secrets). Everything under `server` except `firstByteTimeoutMs` (the router's) is read
 * once by the listening HTTP server, and `logging.level` by the logger made at start.
 */
export function restartOnlyChanges(before: GatewayConfig, after: GatewayConfig): string[] {
  const out: string[] = [];
  const keys = new Set([...Object.keys(before.server), ...Object.keys(after.server)]);
  for (const key of keys) {
    if (key === 'firstByteTimeoutMs') continue;
    const a = (before.server as Record<string, unknown>)[key];
    const b = (after.server as Record<string, unknown>)[key];
    if (!isDeepStrictEqual(a, b)) out.push(`server.${key}`);
  }
  const topLevel = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const key of topLevel) {
    if (key === 'server' || key === 'backends' || key === 'routes') continue;
    const a = (before as Record<string, unknown>)[key];
    const b = (after as Record<string, unknown>)[key];
    if (!isDeepStrictEqual(a, b)) out.push(key === 'logging' ? 'logging.level' : key);
  }
  return out;
}

function createRouter(
  config: GatewayConfig,
  backends: ReadonlyMap<string, ChatBackend>,
  logger: Logger,
  disabled: readonly DisabledBackend[],
  deps: GenerationDeps,
): BackendRouter {
  const routes = resolveRoutes(config.routes, backends, logger, disabled);
  if (routes.length === 0) logger.warn('no usable route: every request will get 404');
  const probes = healthProbePlan(config, backends);
  return new BackendRouter({
    backends,
    routes,
    logger,
    stateStore: deps.state,
    ...(deps.clock === undefined ? {} : { clock: deps.clock }),
    ...(config.server.firstByteTimeoutMs === undefined
      ? {}
      : { firstByteTimeoutMs: config.server.firstByteTimeoutMs }),
    ...(probes.probeBackends.length === 0
      ? {}
      : { healthProbeIntervalMs: probes.intervalMs, probeBackends: probes.probeBackends }),
  });
}
