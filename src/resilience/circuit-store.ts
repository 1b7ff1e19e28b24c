/**
 * What a fleet knows of one breaker: closed, or open until a wall-clock time (epoch ms). Wall
 * time, because instances share no monotonic origin; each breaker converts to its own clock.
 * Half-open is not shared: every instance sees an open period end by itself, and the one probe
 * is arbitrated by {@link CircuitStoreLink.claimProbe}.
 */
export type FleetCircuitState =
  { readonly state: 'closed' } | { readonly state: 'open'; readonly openUntilWallMs: number };

/** The breaker side of a link: the store pushes the fleet's changes and reads the local state. */
export interface LinkedCircuit {
  /** Another instance opened or closed the breaker of this name (never this one's own change). */
  adopt(state: FleetCircuitState): void;
  /** This breaker's state, for a store resynchronising after an outage. */
  snapshot(): FleetCircuitState;
}

/**
 * A breaker's connection to a pluggable state store. Every method returns at once: whatever a
 * store does remotely happens in the background and never fails or delays a call. A store that
 * cannot reach its backing service answers from local knowledge (a probe claim is granted).
 */
export interface CircuitStoreLink {
  /**
   * The breaker counted a failure while closed and did not trip by its own count. The store adds
   * it to the fleet's count and, at `failMax`, opens every linked breaker (this one included)
   * for `openForMs`.
   */
  addFailure(failMax: number, openForMs: number): void;
  /** A success after failures: the fleet's count starts again. */
  clearFailures(): void;
  /** This breaker opened or closed: tell the others (and reset the fleet's count). */
  publish(state: FleetCircuitState): void;
  /**
   * Asks for the fleet's single half-open probe for `ttlMs` (after which it frees itself). A
   * promise when the answer takes a round trip; true when the store cannot answer.
   */
  claimProbe(ttlMs: number): boolean | Promise<boolean>;
  /** Gives the probe back (it settled or was abandoned). */
  releaseProbe(): void;
  /** Stops receiving changes. */
  unlink(): void;
}

/**
 * Where breakers of the same name share their state: one process (`MemoryStateStore`) or a fleet
 * (`RedisStateStore`, in llm-failover/server). Pass it as `store` to `AsyncCircuitBreaker`.
 */
export interface CircuitStateStore {
  /** Links the breaker named `name`; the store may call `circuit.adopt` at once (fleet state). */
  link(name: string, circuit: LinkedCircuit): CircuitStoreLink;
}

/** The fleet's totals of one retry-budget window. */
export interface FleetBudgetCounts {
  readonly deposits: number;
  readonly retries: number;
}

/** A retry budget's connection to a pluggable state store. */
export interface RetryBudgetLink {
  /**
   * Adds this instance's counts since its last sync to the fleet's window `window` (an index of
   * wall-clock windows) and answers the fleet's totals for it, or undefined when the store
   * cannot answer (the budget then goes on with what it knows). Called at most once per sync
   * interval, never awaited by a call.
   */
  sync(
    window: number,
    windowMs: number,
    added: FleetBudgetCounts,
  ): FleetBudgetCounts | undefined | Promise<FleetBudgetCounts | undefined>;
}

/** Where retry budgets of the same name share their counts. Pass it as `store` to `RetryBudget`. */
export interface RetryBudgetStore {
  /** Links the budget named `name`. */
  linkBudget(name: string): RetryBudgetLink;
}
