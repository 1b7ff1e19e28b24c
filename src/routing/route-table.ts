import type { ChatBackend } from '../backends/chat-backend.js';
import { LlmFailoverError } from '../errors/index.js';
import { compileModelPattern } from './model-pattern.js';
import type { ModelPattern } from './model-pattern.js';
import type { DisabledTarget, RouteConfig } from './routing-types.js';

/** A target with its backend resolved. */
export interface ResolvedTarget {
  readonly name: string;
  readonly backend: ChatBackend;
  /** The model to send upstream; undefined keeps the requested one. */
  readonly model: string | undefined;
}

/** A route's chain; empty when every target names a backend that is not enabled. */
export interface RouteChain {
  readonly route: string;
  readonly targets: readonly ResolvedTarget[];
  /** The route's targets whose backend is not enabled, with why. */
  readonly disabled: readonly DisabledTarget[];
}

interface CompiledRoute {
  pattern: ModelPattern;
  chain: RouteChain;
}

/** Model names come from callers, so the cache is bounded in entries and in key length. */
const CACHE_LIMIT = 1024;
const CACHEABLE_MODEL_LENGTH = 256;

/**
 * Routes sorted by priority (higher first, ties in file order), compiled once. `resolve()` caches
 * model -> chain so the per-request cost is one Map lookup.
 */
export class RouteTable {
  private readonly routes: CompiledRoute[];
  private readonly cache = new Map<string, RouteChain | null>();
  /** Target backend names that are not in the backend map (disabled at startup). */
  readonly missingBackends: string[] = [];

  /** @throws LlmFailoverError INVALID_CONFIG for a `{ regex }` that does not compile. */
  constructor(routes: readonly RouteConfig[], backends: ReadonlyMap<string, ChatBackend>) {
    const compiled = routes.map((route, index) => ({ route, index, pattern: compile(route) }));
    compiled.sort((a, b) => (b.route.priority ?? 0) - (a.route.priority ?? 0) || a.index - b.index);
    this.routes = compiled.map(({ route, pattern }) => ({
      pattern,
      chain: {
        route: pattern.source,
        targets: this.resolveTargets(route, backends),
        disabled: disabledTargets(route, backends),
      },
    }));
  }

  /** The chain of the first route matching `model`, or undefined when none matches. */
  resolve(model: string): RouteChain | undefined {
    const cached = this.cache.get(model);
    if (cached !== undefined) return cached ?? undefined;
    const chain = this.routes.find((r) => r.pattern.test(model))?.chain;
    if (model.length <= CACHEABLE_MODEL_LENGTH) {
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      this.cache.set(model, chain ?? null);
    }
    return chain;
  }

  /** Models the routes can serve by name: literal patterns and target renames, deduplicated. */
  listModels(): string[] {
    const out = new Set<string>();
    for (const r of this.routes) {
      if (r.pattern.literal !== undefined) out.add(r.pattern.literal);
      for (const t of r.chain.targets) if (t.model !== undefined) out.add(t.model);
    }
    return [...out];
  }

  private resolveTargets(
    route: RouteConfig,
    backends: ReadonlyMap<string, ChatBackend>,
  ): ResolvedTarget[] {
    const out: ResolvedTarget[] = [];
    for (const t of route.targets) {
      const backend = backends.get(t.backend);
      if (backend === undefined) {
        // A disabled backend (e.g. its key is unset) drops out of the chain; the route still
        // matches so its models never leak to another route's backends.
        if (!this.missingBackends.includes(t.backend)) this.missingBackends.push(t.backend);
        continue;
      }
      out.push({ name: t.backend, backend, model: t.model });
    }
    return out;
  }
}

/** The route's disabled targets: those its config lists, then any other missing backend. */
function disabledTargets(
  route: RouteConfig,
  backends: ReadonlyMap<string, ChatBackend>,
): DisabledTarget[] {
  const out = [...(route.disabled ?? [])];
  for (const t of route.targets) {
    if (!backends.has(t.backend) && !out.some((d) => d.backend === t.backend)) {
      out.push({ backend: t.backend, reason: 'not among the enabled backends' });
    }
  }
  return out;
}

function compile(route: RouteConfig): ModelPattern {
  try {
    return compileModelPattern(route.match);
  } catch (cause) {
    const source = typeof route.match === 'string' ? route.match : route.match.regex;
    throw new LlmFailoverError(
      'INVALID_CONFIG',
      `route match ${JSON.stringify(source)} is not a valid regular expression`,
      { cause },
    );
  }
}
