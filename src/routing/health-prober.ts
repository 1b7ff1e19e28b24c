import type { Logger } from 'pino';
import type { ChatBackend } from '../backends/chat-backend.js';
import type { HealthVerdictStore, ProbeVerdict, VerdictChannel } from '../state/index.js';
import type { Clock, TimerHandle } from '../time/index.js';

/** Options of `HealthProber`. */
export interface HealthProberOptions {
  backends: readonly ChatBackend[];
  clock: Clock;
  intervalMs: number;
  timeoutMs: number;
  logger: Logger | undefined;
  /**
   * Shares the probing with a fleet: one instance probes each backend per interval (its turn
   * renewed while it keeps probing), every instance uses its verdict. Default: probe alone.
   */
  store?: HealthVerdictStore | undefined;
}

/**
 * Background liveness probes of local backends: a failed probe trips the backend's breaker
 * before traffic hits a dead server; a good probe closes a breaker that a probe opened. One probe
 * per backend at a time; the next is scheduled only after the last settled.
 */
export class HealthProber {
  private readonly timers: TimerHandle[] = [];
  private readonly inFlight = new Set<AbortController>();
  private closed = false;
  private started = false;
  private readonly verdicts = new Map<string, 'ok' | 'failed'>();
  /** Backends whose breaker is open because a probe failed (only those may a probe close). */
  private readonly tripped = new Set<string>();
  private readonly unsubscribe: (() => void)[] = [];
  private channel: VerdictChannel | undefined;

  constructor(private readonly options: HealthProberOptions) {}

  /**
   * Probes each backend now, then `intervalMs` after its last probe settled; never two probes of
   * one backend at once (a tick due during a probe runs when that probe settles).
   */
  start(): void {
    if (this.started || this.closed) return;
    this.started = true;
    this.channel = this.options.store?.joinVerdicts((name, verdict) => this.heard(name, verdict));
    for (const backend of this.options.backends) {
      if (backend.probe === undefined) continue;
      let busy = false;
      let missed = false;
      const run = (): void => {
        // A probe slower than the interval (timeoutMs may exceed it) must not get company: the
        // tick waits for the one in flight and runs as soon as it settles.
        if (busy) {
          missed = true;
          return;
        }
        busy = true;
        void this.probeInTurn(backend).then(() => {
          busy = false;
          if (this.closed) return;
          if (missed) {
            missed = false;
            run();
          } else handle.refresh();
        });
      };
      const handle = this.options.clock.setTimer(this.options.intervalMs, run);
      this.timers.push(handle);
      // Closed by anything (a good probe, a half-open success, reset()): no longer ours to close.
      const off = backend.circuitBreaker.onStateChange((change) => {
        if (change.to === 'closed') this.tripped.delete(backend.name);
      });
      this.unsubscribe.push(off);
      run();
    }
  }

  /** Stops the timers and aborts probes in flight. */
  stop(): void {
    this.closed = true;
    for (const t of this.timers) t.clear();
    for (const c of this.inFlight) c.abort();
    for (const off of this.unsubscribe) off();
    this.channel?.leave();
    this.timers.length = 0;
    this.unsubscribe.length = 0;
    this.inFlight.clear();
  }

  /** The last probe verdict for the backend named `name` (for /health: why a breaker is open). */
  verdict(name: string): 'ok' | 'failed' | undefined {
    return this.verdicts.get(name);
  }

  /** Probes `backend` when this instance has the fleet's turn (always, without a store). */
  private async probeInTurn(backend: ChatBackend): Promise<void> {
    const store = this.options.store;
    // The turn outlives one interval plus a probe, so its holder keeps it by probing on time.
    const ttlMs = this.options.intervalMs + this.options.timeoutMs;
    const turn = store === undefined ? true : await store.claimProbeTurn(backend.name, ttlMs);
    if (turn && !this.closed) await this.probe(backend);
  }

  /**
   * Another instance's verdict: shown in /health. Its breaker change arrives through the breaker's
   * own store; a failed verdict makes the backend ours to close when our probe passes later.
   */
  private heard(name: string, verdict: ProbeVerdict): void {
    if (this.closed) return;
    this.verdicts.set(name, verdict);
    if (verdict === 'failed') this.tripped.add(name);
  }

  /** Runs one probe of `backend` and applies its verdict to the breaker. Never throws. */
  async probe(backend: ChatBackend): Promise<void> {
    const controller = new AbortController();
    this.inFlight.add(controller);
    const timer = this.options.clock.setTimer(this.options.timeoutMs, () => controller.abort());
    let healthy: boolean;
    try {
      healthy = (await backend.probe?.(controller.signal)) === true;
    } catch {
      healthy = false;
    } finally {
      timer.clear();
      this.inFlight.delete(controller);
    }
    if (this.closed) return;
    this.verdicts.set(backend.name, healthy ? 'ok' : 'failed');
    this.apply(backend, healthy);
    this.channel?.publish(backend.name, healthy ? 'ok' : 'failed');
  }

  private apply(backend: ChatBackend, healthy: boolean): void {
    const breaker = backend.circuitBreaker;
    const state = breaker.currentState;
    if (healthy && state !== 'closed' && this.tripped.has(backend.name)) {
      // Only a breaker a probe opened: one opened by failing requests (a server whose /models
      // answers but whose chats fail with 500) keeps its own half-open trial.
      breaker.reset();
      this.options.logger?.info({ backend: backend.name }, 'health probe passed: breaker closed');
    } else if (!healthy) {
      // Re-trip while down so the open period keeps being extended until a probe passes.
      breaker.trip();
      this.tripped.add(backend.name);
      if (state !== 'open') {
        this.options.logger?.warn({ backend: backend.name }, 'health probe failed: breaker opened');
      }
    }
  }
}
