import type { Logger } from 'pino';
import {
  OPENAI_COMPATIBLE_PRESETS,
  createAnthropicBackend,
  createMockBackend,
  createOpenAIBackend,
  createOpenAIResponsesBackend,
} from '../backends/index.js';
import type { ChatBackend } from '../backends/chat-backend.js';
import type { CircuitStateStore, RetryBudgetStore } from '../resilience/index.js';
import type { RouteConfig } from '../routing/index.js';
import type { Clock } from '../time/index.js';
import { DEFAULT_ANTHROPIC_BASE_URL, MOCK_BASE_URL } from './config-schema.js';
import { backendDisabledReason } from './disabled-reason.js';
import type { BackendConfig, GatewayConfig, RouteEntry } from './config-schema.js';

/** A backend left out at startup, and why (never a secret). */
export interface DisabledBackend {
  name: string;
  reason: string;
}

/** What {@link buildBackends} made of the config's `backends` section. */
export interface BuiltBackends {
  backends: Map<string, ChatBackend>;
  disabled: DisabledBackend[];
}

/** What the backends share beyond this process, and their clock. */
export interface BackendSharing {
  /** Breaker state store (the composition root's StateStore). */
  circuits?: CircuitStateStore | undefined;
  /** Retry budget store: only a fleet's (memory budgets stay exactly as without a store). */
  budgets?: RetryBudgetStore | undefined;
  /** Time source of every backend. Default `systemClock`. */
  clock?: Clock | undefined;
}

/**
 * Creates one ChatBackend per enabled config entry. A backend that declares an `apiKey` which is
 * empty after `${VAR}` expansion (its key variable is unset) is disabled, logged at warn, and
 * left out, instead of failing every request with 401 later.
 */
export function buildBackends(
  config: GatewayConfig,
  log?: Logger,
  sharing: BackendSharing = {},
): BuiltBackends {
  const backends = new Map<string, ChatBackend>();
  const disabled: DisabledBackend[] = [];
  for (const [name, entry] of Object.entries(config.backends)) {
    const reason = backendDisabledReason(entry);
    if (reason !== undefined) {
      disabled.push({ name, reason });
      log?.warn({ backend: name, reason }, `backend "${name}" disabled: ${reason}`);
      continue;
    }
    backends.set(name, createBackend(name, entry, sharing));
  }
  return { backends, disabled };
}

function createBackend(name: string, entry: BackendConfig, sharing: BackendSharing): ChatBackend {
  const options = clientOptions(name, entry, sharing);
  switch (entry.type) {
    case 'mock':
      return createMockBackend({
        ...options,
        protocol: entry.protocol ?? 'openai',
        ...(entry.faults === undefined ? {} : { faults: entry.faults.map(compact) }),
        ...(entry.chunkDelayMs === undefined ? {} : { chunkDelayMs: entry.chunkDelayMs }),
      });
    case 'openai': {
      const baseUrl = entry.baseUrl ?? OPENAI_COMPATIBLE_PRESETS[entry.preset ?? 'openai'].baseUrl;
      const responses = entry.api === 'responses';
      if (baseUrl === MOCK_BASE_URL) {
        return createMockBackend({
          ...options,
          protocol: responses ? 'openai-responses' : 'openai',
        });
      }
      const openai = compact({
        ...options,
        baseUrl,
        apiKey: entry.apiKey,
        healthPath: entry.healthProbe?.path,
        forwardHeaders: entry.forwardHeaders,
      });
      return responses ? createOpenAIResponsesBackend(openai) : createOpenAIBackend(openai);
    }
    case 'anthropic': {
      const baseUrl = entry.baseUrl ?? DEFAULT_ANTHROPIC_BASE_URL;
      if (baseUrl === MOCK_BASE_URL)
        return createMockBackend({ ...options, protocol: 'anthropic' });
      return createAnthropicBackend(
        compact({
          ...options,
          baseUrl,
          apiKey: entry.apiKey,
          healthPath: entry.healthProbe?.path,
          forwardHeaders: entry.forwardHeaders,
        }),
      );
    }
  }
}

/** The client options every backend type shares, without undefined values. */
function clientOptions(name: string, entry: BackendConfig, sharing: BackendSharing) {
  const { retryBudget, circuitBreaker } = entry;
  const { circuits, budgets } = sharing;
  return compact({
    name,
    maxRetries: entry.maxRetries,
    backoffBaseMs: entry.backoffBaseMs,
    backoffCapMs: entry.backoffCapMs,
    timeoutMs: entry.timeoutMs,
    connectTimeoutMs: entry.connectTimeoutMs,
    firstByteTimeoutMs: entry.firstByteTimeoutMs,
    idleTimeoutMs: entry.idleTimeoutMs,
    maxResponseBytes: entry.maxResponseBytes,
    maxStreamEventChars: entry.maxStreamEventChars,
    circuitBreaker:
      circuitBreaker === undefined && circuits === undefined
        ? undefined
        : compact({ ...circuitBreaker, name, store: circuits }),
    retryBudget:
      retryBudget === false || (retryBudget === undefined && budgets === undefined)
        ? retryBudget
        : compact({ ...retryBudget, name, store: budgets }),
    clock: sharing.clock,
    headers: entry.headers,
    defaultMaxTokens: entry.defaultMaxTokens,
    probeTimeoutMs: entry.healthProbe?.timeoutMs,
  });
}

/**
 * The config's routes for the router: targets naming a disabled backend are removed. A route left
 * without targets is KEPT (with a warning, and the disabled targets with their reasons from
 * `disabled`): its models are answered 400 NO_ENABLED_BACKEND naming the backends and why (e.g.
 * `ANTHROPIC_API_KEY is unset`) instead of falling through to a later route, so a `claude-*`
 * request never reaches the local server under the cloud model name just because the Anthropic
 * key is unset.
 */
export function resolveRoutes(
  routes: readonly RouteEntry[],
  enabled: ReadonlyMap<string, unknown>,
  log?: Logger,
  disabled: readonly DisabledBackend[] = [],
): RouteConfig[] {
  const out: RouteConfig[] = [];
  routes.forEach((route, index) => {
    const targets = route.targets
      .filter((target) => enabled.has(target.backend))
      .map((target) => compact({ backend: target.backend, model: target.model }));
    const label = typeof route.match === 'string' ? route.match : `/${route.match.regex}/`;
    if (targets.length === 0) {
      log?.warn(
        { route: index, match: label },
        `route ${index} (${label}) has no enabled backend: its models are answered 400 naming why`,
      );
    }
    const left = route.targets
      .filter((target) => !enabled.has(target.backend))
      .map((target) => ({
        backend: target.backend,
        reason:
          disabled.find((d) => d.name === target.backend)?.reason ??
          'not among the enabled backends',
      }));
    const entry: RouteConfig = compact({ match: route.match, priority: route.priority, targets });
    // Only the route the error is about needs the reasons: the others keep their short form.
    if (targets.length === 0 && left.length > 0) entry.disabled = left;
    out.push(entry);
  });
  return out;
}

/** Names of the enabled backends with a `healthProbe`, and the shortest interval among them. */
export function healthProbePlan(
  config: GatewayConfig,
  enabled: ReadonlyMap<string, unknown>,
): { probeBackends: string[]; intervalMs: number } {
  const probeBackends: string[] = [];
  let intervalMs = 0;
  for (const [name, entry] of Object.entries(config.backends)) {
    if (entry.healthProbe === undefined || !enabled.has(name)) continue;
    probeBackends.push(name);
    const ms = entry.healthProbe.intervalMs;
    intervalMs = intervalMs === 0 ? ms : Math.min(intervalMs, ms);
  }
  return { probeBackends, intervalMs };
}

type Compact<T> = { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>;
};

/** Drops undefined-valued keys (exactOptionalPropertyTypes: "absent" is not "undefined"). */
function compact<T extends object>(value: T): Compact<T> {
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) if (item !== undefined) out[key] = item;
  return out as Compact<T>;
}
