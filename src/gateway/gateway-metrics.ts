import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { BackendStatus, RouterMetrics } from '../routing/index.js';

const STATE_VALUE: Record<string, number> = { closed: 0, 'half-open': 1, open: 2 };

/** Latency buckets in seconds: sub-millisecond resolution for the gateway's own overhead. */
const FAST_BUCKETS = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
];
const TTFB_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The gateway's Prometheus metrics, in a registry of its own (several gateways in one process, as
 * in tests, never clash). Label values are backend names, protocols, statuses and error codes:
 * never keys, models or anything a caller chose freely.
 */
export class GatewayMetrics implements RouterMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'protocol' | 'status'>;
  private readonly attempts: Counter<'backend' | 'outcome'>;
  private readonly fallbacks: Counter<'backend' | 'reason'>;
  private readonly truncated: Counter<'protocol' | 'backend'>;
  private readonly ttfb: Histogram<'protocol'>;
  private readonly overhead: Histogram<'protocol'>;
  private breakerSource: (() => BackendStatus[]) | undefined;
  private renderer: (() => Promise<{ contentType: string; body: string }>) | undefined;
  /** Bound children by label values: prom-client hashes a label object on every call otherwise. */
  private readonly children = new Map<
    string,
    { inc(n?: number): void } | { observe(v: number): void }
  >();

  constructor() {
    const counter = <L extends string>(name: string, help: string, labelNames: L[]): Counter<L> =>
      new Counter({ name: `llm_failover_${name}`, help, labelNames, registers: [this.registry] });
    const histogram = (name: string, help: string, buckets: number[]): Histogram<'protocol'> =>
      new Histogram({
        name: `llm_failover_${name}`,
        help,
        labelNames: ['protocol'],
        buckets,
        registers: [this.registry],
      });
    this.requests = counter(
      'requests_total',
      'Chat requests answered, by caller protocol and HTTP status',
      ['protocol', 'status'],
    );
    this.attempts = counter(
      'backend_attempts_total',
      'Upstream attempts by backend and outcome (success or error code); a target skipped for an open breaker sends none: see fallbacks_total',
      ['backend', 'outcome'],
    );
    this.fallbacks = counter(
      'fallbacks_total',
      'Times the router moved on from a backend, by reason',
      ['backend', 'reason'],
    );
    this.truncated = counter(
      'truncated_streams_total',
      'Committed streams that ended with an error event instead of their terminal event',
      ['protocol', 'backend'],
    );
    this.ttfb = histogram(
      'time_to_first_byte_seconds',
      'From request arrival to the first byte of a streamed answer',
      TTFB_BUCKETS,
    );
    this.overhead = histogram(
      'gateway_overhead_seconds',
      'Time spent in the gateway itself (reading, validating, writing), excluding the wait for backends',
      FAST_BUCKETS,
    );
    this.breakerGauge();
  }

  private breakerGauge(): void {
    const source = (): BackendStatus[] => this.breakerSource?.() ?? [];
    new Gauge({
      name: 'llm_failover_circuit_state',
      help: 'Circuit breaker state per backend: 0 closed, 1 half-open, 2 open',
      labelNames: ['backend'],
      registers: [this.registry],
      // Across cluster workers (each with its own breakers unless the state is shared) the
      // worst state is the one to show; a sum of states would mean nothing.
      aggregator: 'max',
      collect() {
        for (const b of source()) this.set({ backend: b.name }, STATE_VALUE[b.state] ?? -1);
      },
    });
  }

  /** Where the breaker-state gauge reads from at scrape time (the router's backends). */
  watchBreakers(source: () => BackendStatus[]): void {
    this.breakerSource = source;
  }

  /** Counts `attempts` upstream attempts of `backend` ending in `outcome` (success or a code). */
  recordAttempt(backend: string, outcome: string, attempts: number): void {
    this.counter(this.attempts, 'a', backend, outcome).inc(attempts);
  }

  /** Counts one move away from `backend` because of `reason` (an error code). */
  recordFallback(backend: string, reason: string): void {
    this.counter(this.fallbacks, 'f', backend, reason).inc();
  }

  /** Counts one answered chat request by caller protocol and HTTP status. */
  recordRequest(protocol: string, status: number): void {
    this.counter(this.requests, 'r', protocol, String(status)).inc();
  }

  /** Counts a committed stream that ended with an error event. */
  recordTruncated(protocol: string, backend: string): void {
    this.counter(this.truncated, 'c', protocol, backend).inc();
  }

  /** Observes the time from request arrival to the first streamed byte, in ms. */
  observeTimeToFirstByte(protocol: string, ms: number): void {
    this.histogram(this.ttfb, 't', protocol).observe(ms / 1000);
  }

  /** Observes the gateway's own time for one request (backend waits excluded), in ms. */
  observeOverhead(protocol: string, ms: number): void {
    this.histogram(this.overhead, 'o', protocol).observe(ms / 1000);
  }

  /** The child of a two-label counter for values `a`, `b` (in label order), bound once. */
  private counter<L extends string>(
    metric: Counter<L>,
    tag: string,
    a: string,
    b: string,
  ): { inc(n?: number): void } {
    const key = `${tag}\u0000${a}\u0000${b}`;
    let child = this.children.get(key) as { inc(n?: number): void } | undefined;
    if (child === undefined) {
      child = metric.labels(a, b);
      this.children.set(key, child);
    }
    return child;
  }

  private histogram(
    metric: Histogram<'protocol'>,
    tag: string,
    protocol: string,
  ): { observe(v: number): void } {
    const key = `${tag}\u0000${protocol}`;
    let child = this.children.get(key) as { observe(v: number): void } | undefined;
    if (child === undefined) {
      child = metric.labels(protocol);
      this.children.set(key, child);
    }
    return child;
  }

  /**
   * Makes `render()` (GET /metrics) answer with `render` instead of this registry alone: a
   * cluster worker answers with the sum over every worker, which the primary collects.
   */
  renderWith(render: () => Promise<{ contentType: string; body: string }>): void {
    this.renderer = render;
  }

  /** The Prometheus text exposition and its content type. */
  async render(): Promise<{ contentType: string; body: string }> {
    if (this.renderer !== undefined) return this.renderer();
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
