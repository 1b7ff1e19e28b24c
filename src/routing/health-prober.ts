import type { Logger } from 'pino';
import type { ChatBackend } from '../backends/chat-backend.js';
import type { Clock, TimerHandle } from '../time/index.js';

/** Options of `HealthProber`. */
export interface HealthProberOptions {
  backends: readonly ChatBackend[];
  clock: Clock;
  intervalMs: number;
  timeoutMs: number;
  logger: Logger | undefined;
}

/**
 * Background liveness probes of local backends: a failed probe trips the backend's breaker
 * before traffic hits a dead server; a good probe closes it again. One probe per backend at a
 * time; the next is scheduled only after the last settled.
 */
export class HealthProber {
  private readonly timers: TimerHandle[] = [];
  private readonly inFlight = new Set<AbortController>();
  private closed = false;
  private started = false;
  private readonly verdicts = new Map<string, 'ok' | 'failed'>();

  constructor(private readonly options: HealthProberOptions) {}

  /** Probes each backend now, then every `intervalMs`. */
  start(): void {
    if (this.started || this.closed) return;
    this.started = true;
    for (const backend of this.options.backends) {
      if (backend.probe === undefined) continue;
      const handle = this.options.clock.setTimer(this.options.intervalMs, () => {
        void this.probe(backend).then(() => {
          if (!this.closed) handle.refresh();
        });
      });
      this.timers.push(handle);
      void this.probe(backend);
    }
  }

  /** Stops the timers and aborts probes in flight. */
  stop(): void {
    this.closed = true;
    for (const t of this.timers) t.clear();
    for (const c of this.inFlight) c.abort();
    this.timers.length = 0;
    this.inFlight.clear();
  }

  /** The last probe verdict for the backend named `name` (for /health: why a breaker is open). */
  verdict(name: string): 'ok' | 'failed' | undefined {
    return this.verdicts.get(name);
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
  }

  private apply(backend: ChatBackend, healthy: boolean): void {
    const breaker = backend.circuitBreaker;
    const state = breaker.currentState;
    if (healthy && state !== 'closed') {
      breaker.reset();
      this.options.logger?.info({ backend: backend.name }, 'health probe passed: breaker closed');
    } else if (!healthy) {
      // Re-trip while down so the open period keeps being extended until a probe passes.
      breaker.trip();
      if (state !== 'open') {
        this.options.logger?.warn({ backend: backend.name }, 'health probe failed: breaker opened');
      }
    }
  }
}
