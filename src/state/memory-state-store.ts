import type {
  CircuitStoreLink,
  FleetBudgetCounts,
  FleetCircuitState,
  LinkedCircuit,
  RetryBudgetLink,
} from '../resilience/index.js';
import { systemClock } from '../time/index.js';
import type { Clock } from '../time/index.js';
import type { ProbeVerdict, StateStore, StateStoreStatus, VerdictChannel } from './state-store.js';

/** Breakers of one name in this process. */
interface CircuitGroup {
  readonly members: Set<LinkedCircuit>;
  failures: number;
  probeHolder: object | undefined;
  probeExpiresAt: number;
}

/**
 * The embedded state store: state shared by the breakers, budgets and probers of one process,
 * with nothing to install. A gateway has one breaker per backend name, so it behaves exactly as
 * breakers with no store; several gateways started in one process (tests, embedding) share
 * their state through one instance as a fleet does through Redis, synchronously.
 */
export class MemoryStateStore implements StateStore {
  private readonly circuits = new Map<string, CircuitGroup>();
  private readonly budgets = new Map<string, { window: number } & FleetBudgetCounts>();
  private readonly turns = new Map<string, number>();
  private readonly verdictListeners = new Set<(name: string, verdict: ProbeVerdict) => void>();

  /** @param clock Time source for probe-claim expiry. Default `systemClock`. */
  constructor(private readonly clock: Clock = systemClock) {}

  link(name: string, circuit: LinkedCircuit): CircuitStoreLink {
    const group = this.group(name);
    group.members.add(circuit);
    const token = {};
    const others = (state: FleetCircuitState): void => {
      for (const member of group.members) if (member !== circuit) member.adopt(state);
    };
    return {
      addFailure: (failMax, openForMs) => {
        group.failures++;
        if (group.failures < failMax) return;
        group.failures = 0;
        const state = { state: 'open', openUntilWallMs: this.clock.wallNow() + openForMs } as const;
        for (const member of [...group.members]) member.adopt(state);
      },
      clearFailures: () => void (group.failures = 0),
      publish: (state) => {
        group.failures = 0;
        others(state);
      },
      claimProbe: (ttlMs) => {
        const now = this.clock.now();
        const free = group.probeHolder === undefined || now >= group.probeExpiresAt;
        if (!free && group.probeHolder !== token) return false;
        group.probeHolder = token;
        group.probeExpiresAt = now + ttlMs;
        return true;
      },
      releaseProbe: () => {
        if (group.probeHolder === token) group.probeHolder = undefined;
      },
      unlink: () => void group.members.delete(circuit),
    };
  }

  linkBudget(name: string): RetryBudgetLink {
    return {
      sync: (window, _windowMs, added) => {
        const known = this.budgets.get(name);
        const base = known?.window === window ? known : { window, deposits: 0, retries: 0 };
        const next = {
          window,
          deposits: base.deposits + added.deposits,
          retries: base.retries + added.retries,
        };
        this.budgets.set(name, next);
        return { deposits: next.deposits, retries: next.retries };
      },
    };
  }

  claimProbeTurn(name: string, ttlMs: number): boolean {
    const now = this.clock.now();
    if (now < (this.turns.get(name) ?? -Infinity)) return false;
    this.turns.set(name, now + ttlMs);
    return true;
  }

  joinVerdicts(listener: (name: string, verdict: ProbeVerdict) => void): VerdictChannel {
    const entry = (name: string, verdict: ProbeVerdict): void => listener(name, verdict);
    this.verdictListeners.add(entry);
    return {
      publish: (name, verdict) => {
        for (const other of this.verdictListeners) if (other !== entry) other(name, verdict);
      },
      leave: () => void this.verdictListeners.delete(entry),
    };
  }

  status(): StateStoreStatus {
    return { kind: 'memory', shared: true };
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private group(name: string): CircuitGroup {
    let group = this.circuits.get(name);
    if (group === undefined) {
      group = { members: new Set(), failures: 0, probeHolder: undefined, probeExpiresAt: 0 };
      this.circuits.set(name, group);
    }
    return group;
  }
}
