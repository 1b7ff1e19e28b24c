import type { Logger } from 'pino';
import type { GatewayConfig } from '../config/index.js';
import { isLlmFailoverError } from '../errors/index.js';
import type { Gateway } from '../gateway/index.js';
import { buildGeneration } from './server-generation.js';
import type { GenerationDeps } from './server-generation.js';
import type { GenerationChanges, ServerGeneration } from './server-generation.js';

/** What a reload did: applied (and how the backends changed), or refused and why. */
export type ReloadResult =
  | { applied: true; changes: Omit<GenerationChanges, 'retired'> }
  | { applied: false; error: string };

/**
 * Swaps a running gateway's config. The new config is read and validated, and its backends and
 * router built, before anything changes; an invalid one keeps the running config. Requests in
 * flight finish on the router they were routed with; old backends the new config does not reuse
 * are closed once every request that was in flight at the swap has ended. One reload at a time.
 */
export class ConfigReloader {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly retiring = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private current: ServerGeneration,
    private readonly gateway: Gateway,
    private readonly logger: Logger,
    private readonly deps: GenerationDeps,
  ) {}

  /** The generation new requests are routed with. */
  get generation(): ServerGeneration {
    return this.current;
  }

  /** Reads the config with `read` and applies it; never throws (a refusal is logged and returned). */
  reload(read: () => Promise<GatewayConfig>): Promise<ReloadResult> {
    const next = this.queue.then(() => this.apply(read));
    this.queue = next;
    return next;
  }

  /**
   * No more reloads; resolves once every retired backend is closed. Call after the gateway
   * closed (its in-flight requests ended), then close the current generation.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.queue;
    await Promise.allSettled([...this.retiring]);
  }

  private async apply(read: () => Promise<GatewayConfig>): Promise<ReloadResult> {
    if (this.stopped) return this.refuse('the server is shutting down');
    let built: ReturnType<typeof buildGeneration>;
    try {
      built = buildGeneration(await read(), this.logger, this.deps, this.current);
    } catch (err) {
      return this.refuse(isLlmFailoverError(err) ? err.message : String(err));
    }
    if (this.stopped) {
      void closeAll(built.generation, built.changes.added.concat(built.changes.changed));
      return this.refuse('the server is shutting down');
    }
    const { generation, changes } = built;
    const old = this.current;
    this.current = generation;
    const drained = this.gateway.useRouter(generation.router);
    // The old probes stop now (the new router probes the backends it has from here on).
    await old.router.close();
    generation.router.startHealthProbes();
    const retire = drained.then(() => closeBackends(changes.retired));
    this.retiring.add(retire);
    void retire.finally(() => this.retiring.delete(retire));
    const { retired, ...summary } = changes;
    this.logger.info(
      { ...summary, retired: retired.length },
      `config reloaded: ${summary.kept.length} backends kept with their state, ${summary.added.length} added, ${summary.changed.length} changed, ${summary.removed.length} removed`,
    );
    if (summary.needsRestart.length > 0) {
      this.logger.warn(
        { needsRestart: summary.needsRestart },
        `config reload: ${summary.needsRestart.join(', ')} changed but only take effect on a restart; running with the old values`,
      );
    }
    return { applied: true, changes: summary };
  }

  private refuse(reason: string): ReloadResult {
    this.logger.error({ reason }, `config reload refused, keeping the running config: ${reason}`);
    return { applied: false, error: reason };
  }
}

async function closeBackends(backends: readonly { close(): Promise<void> }[]): Promise<void> {
  await Promise.allSettled(backends.map((backend) => backend.close()));
}

/** Closes the backends named `names` of a generation that was built but never used. */
async function closeAll(generation: ServerGeneration, names: readonly string[]): Promise<void> {
  await closeBackends(names.flatMap((n) => generation.backends.get(n) ?? []));
}
