import type { ResponseStore } from './response-store.js';
import type { CircuitStateStore, RetryBudgetStore } from '../resilience/index.js';

/** A health probe's verdict on a backend. */
export type ProbeVerdict = 'ok' | 'failed';

/**
 * Health-probe verdicts shared by a fleet: one instance probes a backend per interval, and every
 * instance uses its verdict.
 */
export interface HealthVerdictStore {
  /**
   * Asks for the turn to probe backend `name` for `ttlMs` (one probe interval). True: probe it;
   * false: another instance does and its verdict will come. A store that cannot answer says true.
   */
  claimProbeTurn(name: string, ttlMs: number): boolean | Promise<boolean>;
  /** Joins the verdict channel: `listener` gets the verdicts that the other members publish. */
  joinVerdicts(listener: (name: string, verdict: ProbeVerdict) => void): VerdictChannel;
}

/** A member of the verdict channel. */
export interface VerdictChannel {
  /** This instance's verdict on backend `name`, for the others. */
  publish(name: string, verdict: ProbeVerdict): void;
  /** Leaves the channel. */
  leave(): void;
}

/** What /health says about the state store (never a URL or a password). */
export interface StateStoreStatus {
  /** `memory`: this process alone; `redis`: shared by the instances using the same Redis. */
  readonly kind: 'memory' | 'redis';
  /** False while the shared store is unreachable: the instance serves on its local state. */
  readonly shared: boolean;
  /** Why not shared, e.g. `redis unreachable since 2026-12-02T14:00:00.000Z`. */
  readonly detail?: string;
}

/**
 * Everything an instance shares through one store: breakers, retry budgets, health verdicts. The
 * gateway's composition root creates one (`MemoryStateStore` by default, `RedisStateStore` with
 * `state.redis`) and hands it to every backend and the router.
 */
export interface StateStore extends CircuitStateStore, RetryBudgetStore, HealthVerdictStore {
  /** For /health. */
  status(): StateStoreStatus;
  /**
   * Where a fleet keeps the Responses API's stored responses, falling back to `local` while the
   * shared store is unreachable; absent for a store that shares nothing (the gateway then keeps
   * its embedded memory store).
   */
  responseStore?(local: ResponseStore): ResponseStore;
  /** Releases connections and timers. Idempotent. */
  close(): Promise<void>;
}
