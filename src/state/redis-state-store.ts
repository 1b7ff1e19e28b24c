import { randomUUID } from 'node:crypto';
import type {
  CircuitStoreLink,
  FleetBudgetCounts,
  FleetCircuitState,
  LinkedCircuit,
  RetryBudgetLink,
} from '../resilience/index.js';
import { systemClock } from '../time/index.js';
import type { Clock } from '../time/index.js';
import { RedisConnection } from './redis-connection.js';
import type { ResponseStore } from './response-store.js';
import type { StateLogger } from './redis-connection.js';
import { RedisResponseStore } from './redis-response-store.js';
import { ADD_FAILURE, CLAIM, PUBLISH_CIRCUIT, RELEASE } from './redis-scripts.js';
import type { ProbeVerdict, StateStore, StateStoreStatus, VerdictChannel } from './state-store.js';

/** Options of {@link RedisStateStore.connect}. */
export interface RedisStateStoreOptions {
  /** `redis://[:password@]host:port[/db]`; the password never reaches a log, error or /health. */
  url: string;
  /** Prefix of every key and of the channel, so several fleets can share one Redis. Default `llm-failover:`. */
  keyPrefix?: string | undefined;
  /** Time source (open periods travel as wall-clock times). Default `systemClock`. */
  clock?: Clock | undefined;
  logger?: StateLogger | undefined;
  /** Bound on each Redis command, ms. Default 250. */
  commandTimeoutMs?: number | undefined;
}

/** A linked breaker and what its instance knows of its fleet probe claim. */
interface Member {
  readonly name: string;
  readonly circuit: LinkedCircuit;
  readonly token: string;
  heldUntil: number;
}

interface Message {
  k: 'c' | 'v';
  n: string;
  f: string;
  u?: number;
  v?: ProbeVerdict;
}

// Consecutive-failure counts have no age limit of their own; this only collects abandoned keys.
const FAILURE_COUNT_TTL_MS = 600_000;
const OPEN_RECORD_SLACK_MS = 600_000;

/**
 * The state store of a fleet of gateways: breakers, retry budgets and health verdicts shared
 * through one Redis (client: ioredis), changes pushed to every instance by pub/sub. Nothing is
 * asked of Redis per call while a breaker is closed; failures, state changes, probe claims and
 * budget syncs (batched, at most one per interval) go in the background. When Redis is slow or
 * down every instance goes on with its own state, says so in `status()`, logs it once, and
 * resynchronises when Redis returns: an instance's open breakers are published, and the fleet's
 * open periods adopted.
 */
export class RedisStateStore implements StateStore {
  /** This instance's id in messages, so it ignores its own. */
  private readonly id = randomUUID();
  private readonly members = new Map<string, Set<Member>>();
  private readonly verdictListeners = new Set<(name: string, verdict: ProbeVerdict) => void>();
  private seq = 0;
  private connection!: RedisConnection;

  private constructor(
    private readonly prefix: string,
    private readonly clock: Clock,
  ) {}

  /** Creates the store and starts connecting; resolves without waiting for Redis. */
  static async connect(options: RedisStateStoreOptions): Promise<RedisStateStore> {
    const store = new RedisStateStore(
      options.keyPrefix ?? 'llm-failover:',
      options.clock ?? systemClock,
    );
    store.connection = await RedisConnection.open({
      url: options.url,
      clock: store.clock,
      logger: options.logger,
      commandTimeoutMs: options.commandTimeoutMs,
      channel: `${store.prefix}events`,
      onMessage: (text) => store.receive(text),
      onAvailable: () => void store.resync(),
    });
    return store;
  }

  /** Stored Responses API responses in the same Redis, under this store's prefix. */
  responseStore(local?: ResponseStore): RedisResponseStore {
    return new RedisResponseStore(this.connection, `${this.prefix}response:`, local);
  }

  link(name: string, circuit: LinkedCircuit): CircuitStoreLink {
    const member: Member = {
      name,
      circuit,
      token: `${this.id}:${++this.seq}`,
      heldUntil: -Infinity,
    };
    const group = this.group(name);
    group.add(member);
    if (this.connection.isAvailable) void this.resyncGroup(name, [member]);
    return {
      addFailure: (failMax, openForMs) => void this.addFailure(name, failMax, openForMs),
      clearFailures: () => void this.connection.run((r) => r.del(this.key('failures', name))),
      publish: (state) => this.publish(member, state),
      claimProbe: (ttlMs) => this.claimProbe(member, ttlMs),
      releaseProbe: () => {
        if (member.heldUntil === -Infinity) return;
        member.heldUntil = -Infinity;
        void this.connection.run((r) => r.eval(RELEASE, 1, this.key('probe', name), member.token));
      },
      unlink: () => void group.delete(member),
    };
  }

  linkBudget(name: string): RetryBudgetLink {
    return {
      sync: (window, windowMs, added) => {
        if (!this.connection.isAvailable) return undefined;
        const key = this.key('budget', `${name}:${window}`);
        return this.connection.run(async (redis) => {
          const replies = await redis
            .multi()
            .hincrbyfloat(key, 'deposits', added.deposits)
            .hincrbyfloat(key, 'retries', added.retries)
            .pexpire(key, 2 * windowMs)
            .exec();
          return countsOf(replies);
        });
      },
    };
  }

  claimProbeTurn(name: string, ttlMs: number): boolean | Promise<boolean> {
    if (!this.connection.isAvailable) return true;
    return this.connection
      .run((r) => r.eval(CLAIM, 1, this.key('turn', name), this.id, ttlMs))
      .then((held) => held === undefined || held === 1);
  }

  joinVerdicts(listener: (name: string, verdict: ProbeVerdict) => void): VerdictChannel {
    const entry = (name: string, verdict: ProbeVerdict): void => listener(name, verdict);
    this.verdictListeners.add(entry);
    return {
      publish: (name, verdict) => {
        for (const other of this.verdictListeners) if (other !== entry) other(name, verdict);
        this.connection.publish(JSON.stringify({ k: 'v', n: name, v: verdict, f: this.id }));
      },
      leave: () => void this.verdictListeners.delete(entry),
    };
  }

  status(): StateStoreStatus {
    if (this.connection.isAvailable) return { kind: 'redis', shared: true };
    const since = this.connection.unavailableSince;
    const detail =
      since === undefined
        ? 'connecting to redis: serving on local state'
        : `redis unreachable since ${new Date(since).toISOString()}: serving on local state`;
    return { kind: 'redis', shared: false, detail };
  }

  close(): Promise<void> {
    this.members.clear();
    this.verdictListeners.clear();
    return this.connection.close();
  }

  private async addFailure(name: string, failMax: number, openForMs: number): Promise<void> {
    const keys = [this.key('failures', name), this.key('circuit', name)];
    const until = await this.connection.run((r) =>
      r.eval(
        ADD_FAILURE,
        2,
        ...keys,
        failMax,
        openForMs,
        this.clock.wallNow(),
        FAILURE_COUNT_TTL_MS,
        `${this.prefix}events`,
        name,
      ),
    );
    // The trip is also published to everyone; adopting the answer now spares the wait.
    if (typeof until === 'number' && until > 0)
      this.adoptAll(name, { state: 'open', openUntilWallMs: until });
  }

  private publish(from: Member, state: FleetCircuitState): void {
    for (const member of this.group(from.name)) if (member !== from) member.circuit.adopt(state);
    void this.sendCircuit(from.name, state);
  }

  private sendCircuit(name: string, state: FleetCircuitState): Promise<unknown> {
    const until = state.state === 'open' ? state.openUntilWallMs : 0;
    const ttl = Math.max(1, until - this.clock.wallNow()) + OPEN_RECORD_SLACK_MS;
    const keys = [this.key('failures', name), this.key('circuit', name)];
    return this.connection.run((r) =>
      r.eval(PUBLISH_CIRCUIT, 2, ...keys, until, ttl, `${this.prefix}events`, name, this.id),
    );
  }

  private claimProbe(member: Member, ttlMs: number): boolean | Promise<boolean> {
    const now = this.clock.now();
    if (member.heldUntil > now) return true;
    // Redis unreachable: each instance decides alone, as without a store.
    if (!this.connection.isAvailable) return true;
    const key = this.key('probe', member.name);
    return this.connection
      .run((r) => r.eval(CLAIM, 1, key, member.token, ttlMs))
      .then((held) => {
        if (held === 0) return false;
        member.heldUntil = now + ttlMs;
        return true;
      });
  }

  private receive(text: string): void {
    let message: Message;
    try {
      message = JSON.parse(text) as Message;
    } catch {
      return;
    }
    if (message.f === this.id) return;
    if (message.k === 'v' && (message.v === 'ok' || message.v === 'failed')) {
      for (const listener of this.verdictListeners) listener(message.n, message.v);
    } else if (message.k === 'c' && typeof message.u === 'number') {
      this.adoptAll(
        message.n,
        message.u > 0 ? { state: 'open', openUntilWallMs: message.u } : { state: 'closed' },
      );
    }
  }

  private adoptAll(name: string, state: FleetCircuitState): void {
    for (const member of this.members.get(name) ?? []) member.circuit.adopt(state);
  }

  /** Redis is back (or there for the first time): tell it what we learned, learn what it knows. */
  private async resync(): Promise<void> {
    await Promise.all([...this.members].map(([name, group]) => this.resyncGroup(name, [...group])));
  }

  private async resyncGroup(name: string, group: Member[]): Promise<void> {
    for (const member of group) {
      const local = member.circuit.snapshot();
      if (local.state === 'open') await this.sendCircuit(name, local);
    }
    const until = await this.connection.run((r) => r.hget(this.key('circuit', name), 'until'));
    const ms = Number(until ?? 0);
    if (ms > this.clock.wallNow()) this.adoptAll(name, { state: 'open', openUntilWallMs: ms });
  }

  private group(name: string): Set<Member> {
    let group = this.members.get(name);
    if (group === undefined) {
      group = new Set();
      this.members.set(name, group);
    }
    return group;
  }

  private key(kind: string, name: string): string {
    return `${this.prefix}${kind}:${name}`;
  }
}

function countsOf(replies: [error: Error | null, result: unknown][] | null): FleetBudgetCounts {
  const [deposits, retries] = (replies ?? []).map(([error, value]) => {
    if (error !== null) throw error;
    return Number(value);
  });
  return { deposits: deposits ?? 0, retries: retries ?? 0 };
}
