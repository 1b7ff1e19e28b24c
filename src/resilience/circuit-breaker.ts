import { LlmFailoverError } from '../errors/index.js';
import { systemClock } from '../time/index.js';
import type { Clock } from '../time/index.js';
import { CircuitBreakerError } from './circuit-breaker-error.js';
import { Permit, RELEASE, SUCCESS } from './circuit-permit.js';
import type { CircuitPermit, Settle } from './circuit-permit.js';
import type { CircuitStateStore, CircuitStoreLink, FleetCircuitState } from './circuit-store.js';

/** `closed`: calls flow. `open`: calls are refused. `half-open`: one probe call may go through. */
export type CircuitState = 'closed' | 'open' | 'half-open';

/** Options of `AsyncCircuitBreaker`. */
export interface CircuitBreakerOptions {
  /** Consecutive failures that trip the breaker. Default 5. */
  failMax?: number | undefined;
  /** Minimum open period before a probe is allowed, in ms. Default 30_000. */
  resetTimeoutMs?: number | undefined;
  /** Name used in errors and state-change events. Default `'circuit'`. */
  name?: string | undefined;
  /** Time source. Default `systemClock`. */
  clock?: Clock | undefined;
  /**
   * A probe permit neither settled nor released within this many ms frees the probe slot, so an
   * abandoned probe can never keep the breaker half-open forever. The slow probe's own outcome
   * still counts when it comes (a long stream is slow, not abandoned). Default
   * `max(2 * resetTimeoutMs, 1000)`.
   */
  probeTimeoutMs?: number | undefined;
  /**
   * Cap on how far an upstream's Retry-After may stretch the open period, in ms: a server saying
   * `Retry-After: 3600` must not take a backend out for an hour. Default 60_000 (never below
   * `resetTimeoutMs`, which always applies).
   */
  maxRetryAfterMs?: number | undefined;
  /**
   * Where breakers of this name share state (a fleet of gateways: failure count, open period,
   * the one half-open probe). Default: none, this breaker alone. While closed, a call costs the
   * store nothing; failures and state changes are reported in the background.
   */
  store?: CircuitStateStore | undefined;
}

/** Default cap on the open period an upstream's Retry-After can ask for. */
export const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;

/** Emitted to `onStateChange` listeners after each state change. */
export interface CircuitStateChange {
  name: string;
  from: CircuitState;
  to: CircuitState;
}

/**
 * A circuit breaker for async calls whose outcome is reported by hand, so it also fits streams
 * (success only after the terminal event). Timer-free: `open` turns `half-open` lazily when read
 * or checked after the open period. Half-open admits exactly one probe; everyone else is refused
 * at once (no queueing). Every state change bumps a generation, and permits from an older
 * generation are ignored: a slow success from before a trip cannot close the breaker, and a stale
 * failure cannot re-trip it.
 *
 * A probe that outlives `probeTimeoutMs` loses its slot to the next caller but not its say: its
 * success or failure, whenever it comes, still closes or re-opens the breaker (it is evidence from
 * this half-open period). Otherwise calls longer than probeTimeoutMs (LLM streams often are)
 * would each be superseded before finishing and the breaker would never close under load. Only
 * its `release()` is ignored, so it cannot free the slot of the probe that replaced it.
 */
export class AsyncCircuitBreaker {
  /** Name used in errors and state-change events. */
  readonly name: string;
  /** Consecutive failures that trip the breaker. */
  readonly failMax: number;
  /** Minimum open period, in ms. */
  readonly resetTimeoutMs: number;
  /** Time after which an unsettled probe's slot goes to the next caller, in ms. */
  readonly probeTimeoutMs: number;
  /** Cap on the open period a Retry-After hint can ask for, in ms. */
  readonly maxRetryAfterMs: number;
  private readonly clock: Clock;
  private state: CircuitState = 'closed';
  private failures = 0;
  private generation = 0;
  private openUntil = 0;
  private probeBusy = false;
  /** Id of the probe holding the slot; a superseded probe's release must not free it. */
  private probeSlot = 0;
  private probeExpiresAt = 0;
  private readonly listeners = new Set<(change: CircuitStateChange) => void>();
  private readonly link: CircuitStoreLink | undefined;

  /** @throws LlmFailoverError `INVALID_CONFIG` for a non-positive failMax or negative times. */
  constructor(options: CircuitBreakerOptions = {}) {
    this.name = options.name ?? 'circuit';
    this.failMax = options.failMax ?? 5;
    this.resetTimeoutMs = options.resetTimeoutMs ?? 30_000;
    this.probeTimeoutMs = options.probeTimeoutMs ?? Math.max(2 * this.resetTimeoutMs, 1_000);
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
    this.clock = options.clock ?? systemClock;
    if (!Number.isInteger(this.failMax) || this.failMax < 1)
      throw invalid(this.name, `failMax must be a positive integer, got ${this.failMax}`);
    if (!(this.resetTimeoutMs >= 0) || !(this.probeTimeoutMs > 0))
      throw invalid(this.name, 'resetTimeoutMs must be >= 0 and probeTimeoutMs > 0');
    if (!(this.maxRetryAfterMs >= 0))
      throw invalid(this.name, `maxRetryAfterMs must be >= 0, got ${this.maxRetryAfterMs}`);
    this.link = options.store?.link(this.name, {
      adopt: (state) => this.adopt(state),
      snapshot: () => this.snapshot(),
    });
  }

  /** The state now; an expired open period reads as `half-open`. */
  get currentState(): CircuitState {
    this.refresh();
    return this.state;
  }

  /** Consecutive failures recorded since the last success or close. */
  get failCounter(): number {
    return this.failures;
  }

  /** Ms until a probe is allowed: 0 unless open. */
  get retryAfterMs(): number {
    this.refresh();
    return this.state === 'open' ? this.openUntil - this.clock.now() : 0;
  }

  /**
   * Asks to make a call. Closed: a permit. Open period over (or half-open with a free slot): the
   * probe permit. Otherwise throws at once.
   * @throws CircuitBreakerError when open, or half-open with the probe slot taken.
   */
  check(): CircuitPermit {
    // Hot path: one comparison and one allocation.
    if (this.state === 'closed') return new Permit(this.settle, this.generation, 0);
    const claim = this.claim();
    if (claim === true) return this.grantProbe();
    // A fleet claim still on its way: refused now, the next check() learns the answer.
    if (claim !== false) void claim.then((won) => (won ? this.keepClaim() : undefined));
    throw new CircuitBreakerError(this.name, 0, true);
  }

  /**
   * As `check()`, but waits for a shared store's answer to a probe claim (one round trip, only
   * when the open period is over) instead of refusing: with a store, the fleet's one probe goes
   * to the caller that asked first. Closed: no wait beyond a resolved promise.
   * @throws CircuitBreakerError when open, or half-open with the probe slot taken.
   */
  async acquire(): Promise<CircuitPermit> {
    if (this.state === 'closed') return new Permit(this.settle, this.generation, 0);
    const claim = this.claim();
    if (claim === true) return this.grantProbe();
    if (claim === false) throw new CircuitBreakerError(this.name, 0, true);
    const generation = this.generation;
    const won = await claim;
    if (generation === this.generation && won) return this.grantProbe();
    if (won) this.link?.releaseProbe();
    // The fleet moved on meanwhile (a verdict arrived): answer from the state it left.
    const state = this.currentState;
    if (state === 'closed') return new Permit(this.settle, this.generation, 0);
    throw new CircuitBreakerError(this.name, this.retryAfterMs, state === 'half-open');
  }

  /**
   * Takes the probe slot for this caller, or throws. True: granted; false: another instance of
   * the fleet has the probe; a promise: the store's answer is on its way (the slot is held
   * meanwhile, so concurrent callers are refused rather than sending claims of their own).
   */
  private claim(): boolean | Promise<boolean> {
    const now = this.clock.now();
    const from = this.state;
    if (from === 'open' && now < this.openUntil)
      throw new CircuitBreakerError(this.name, this.openUntil - now);
    if (from === 'half-open' && this.probeBusy && now < this.probeExpiresAt)
      throw new CircuitBreakerError(this.name, 0, true);
    if (from === 'open') this.state = 'half-open';
    // Same generation as an expired earlier probe: its outcome still counts, only the slot moves.
    if (from === 'open') this.generation++;
    this.probeBusy = true;
    this.probeExpiresAt = now + this.probeTimeoutMs;
    // Emit only once the slot is taken, so a listener calling check() cannot steal the probe.
    if (from === 'open') this.emit(from, 'half-open');
    if (this.link === undefined) return true;
    // Until the store answers, or while another instance probes, no permit holds the slot.
    this.probeSlot++;
    return this.link.claimProbe(this.probeTimeoutMs);
  }

  private grantProbe(): CircuitPermit {
    return new Permit(this.settle, this.generation, ++this.probeSlot);
  }

  /** A claim answered after check() refused its caller: the slot stays ours for the next one. */
  private keepClaim(): void {
    if (this.state === 'half-open') this.probeBusy = false;
    else this.link?.releaseProbe();
  }

  /** Records a success by hand: closed resets the counter, half-open closes, open ignores it. */
  success(): void {
    this.refresh();
    if (this.state === 'closed') this.failures = 0;
    else if (this.state === 'half-open') this.close();
  }

  /**
   * Records a failure by hand: counts toward failMax when closed, re-opens when half-open, and is
   * ignored when already open (it cannot extend the period). `retryAfterMs` is the backend's hint.
   */
  failure(retryAfterMs?: number): void {
    this.refresh();
    this.recordFailure(retryAfterMs);
  }

  /**
   * Forces the breaker open now for `openForMs` (default resetTimeoutMs), e.g. when a health
   * probe saw the backend down. A longer open period already running (a server's Retry-After) is
   * kept: the server's word wins over ours. Outstanding permits go stale.
   */
  trip(openForMs?: number): void {
    const until = this.clock.now() + (validHint(openForMs) ?? this.resetTimeoutMs);
    this.refresh();
    this.openUntil = this.state === 'open' ? Math.max(this.openUntil, until) : until;
    this.changeState('open');
    this.publishOpen();
  }

  /** Forces the breaker closed with a zero counter. */
  reset(): void {
    if (this.state !== 'closed') this.close();
    else if (this.failures > 0) {
      this.failures = 0;
      this.link?.clearFailures();
    }
  }

  /** Calls `listener` after every state change; listener errors are swallowed. Returns a disposer. */
  onStateChange(listener: (change: CircuitStateChange) => void): () => void {
    // Wrap so the same function may be registered twice and disposed independently.
    const entry = (change: CircuitStateChange): void => listener(change);
    this.listeners.add(entry);
    return () => {
      this.listeners.delete(entry);
    };
  }

  private readonly settle: Settle = (permit, outcome, retryAfterMs) => {
    if (permit.generation !== this.generation) return;
    // Same generation: the state is the one the permit was issued in.
    if (outcome === RELEASE) {
      if (permit.isProbe && permit.probeSlot === this.probeSlot) {
        this.probeBusy = false;
        this.link?.releaseProbe();
      }
    } else if (outcome === SUCCESS) {
      if (permit.isProbe) this.close();
      else if (this.failures > 0) {
        // Only after failures: a healthy closed breaker costs the store nothing per call.
        this.failures = 0;
        this.link?.clearFailures();
      }
    } else {
      this.recordFailure(retryAfterMs);
    }
  };

  private recordFailure(retryAfterMs: number | undefined): void {
    if (this.state === 'open') return;
    this.failures++;
    const hint = Math.min(validHint(retryAfterMs) ?? 0, this.maxRetryAfterMs);
    const openForMs = Math.max(this.resetTimeoutMs, hint);
    if (this.state === 'half-open' || this.failures >= this.failMax) {
      this.openUntil = this.clock.now() + openForMs;
      this.changeState('open');
      this.publishOpen();
    } else {
      this.link?.addFailure(this.failMax, openForMs);
    }
  }

  private close(): void {
    this.failures = 0;
    this.changeState('closed');
    this.link?.publish({ state: 'closed' });
    this.link?.releaseProbe();
  }

  private publishOpen(): void {
    this.link?.publish({ state: 'open', openUntilWallMs: this.toWall(this.openUntil) });
    this.link?.releaseProbe();
  }

  /**
   * The fleet's change, made elsewhere: open until a wall time (the longer period wins), or
   * closed. Permits issued before go stale, as after a local change; nothing is published back.
   */
  private adopt(fleet: FleetCircuitState): void {
    if (fleet.state === 'closed') {
      this.failures = 0;
      if (this.state !== 'closed') this.changeState('closed');
      return;
    }
    const until = fleet.openUntilWallMs - this.clock.wallNow() + this.clock.now();
    this.refresh();
    if (this.state === 'open' && until <= this.openUntil) return;
    this.openUntil = until;
    if (until > this.clock.now()) this.changeState('open');
  }

  private snapshot(): FleetCircuitState {
    this.refresh();
    return this.state === 'open'
      ? { state: 'open', openUntilWallMs: this.toWall(this.openUntil) }
      : { state: 'closed' };
  }

  private toWall(monotonicMs: number): number {
    return monotonicMs - this.clock.now() + this.clock.wallNow();
  }

  /** The lazy open -> half-open move, on read. */
  private refresh(): void {
    if (this.state === 'open' && this.clock.now() >= this.openUntil) this.changeState('half-open');
  }

  private changeState(to: CircuitState): void {
    const from = this.state;
    this.state = to;
    this.generation++;
    this.probeBusy = false;
    if (from !== to) this.emit(from, to);
  }

  private emit(from: CircuitState, to: CircuitState): void {
    if (this.listeners.size === 0) return;
    const change: CircuitStateChange = { name: this.name, from, to };
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch {
        // An observer must never break the breaker or the call that changed its state.
      }
    }
  }
}

/** A usable Retry-After hint: finite and non-negative, else undefined. */
function validHint(ms: number | undefined): number | undefined {
  return ms !== undefined && Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}

function invalid(name: string, problem: string): LlmFailoverError {
  return new LlmFailoverError('INVALID_CONFIG', `Circuit breaker "${name}": ${problem}`);
}
