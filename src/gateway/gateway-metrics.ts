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
  /** Bound children by label values: prom-client hashes a label object on every call otherwise. */
  private readonly children = new Map<
    string,
    { inc(n?: number): void } | { observe(v: number): void }
  >();

  constructor() {
    const registers = [this.registry];
    this.requests = new Counter({
      name: 'llm_failover_requests_total',
      help: 'Chat requests answered, by caller protocol and HTTP status',
      labelNames: ['protocol', 'status'],
      registers,
    });
    this.attempts = new Counter({
      name: 'llm_failover_backend_attempts_total',
      help: 'Upstream attempts by backend and outcome (success or error code; CIRCUIT_OPEN counts skips)',
      labelNames: ['backend', 'outcome'],
      registers,
    });
    this.fallbacks = new Counter({
      name: 'llm_failover_fallbacks_total',
      help: 'Times the router moved on from a backend, by reason',
      labelNames: ['backend', 'reason'],
      registers,
    });
    this.truncated = new Counter({
      name: 'llm_failover_truncated_streams_total',
      help: 'Committed streams that ended with an error event instead of their terminal event',
      labelNames: ['protocol', 'backend'],
      registers,
    });
    this.ttfb = new Histogram({
      name: 'llm_failover_time_to_first_byte_seconds',
      help: 'From request arrival to the first byte of a streamed answer',
      labelNames: ['protocol'],
      buckets: TTFB_BUCKETS,
      registers,
    });
    this.overhead = new Histogram({
      name: 'llm_failover_gateway_overhead_seconds',
      help: 'Time spent in the gateway itself (reading, validating, writing), excluding the wait for backends',
      labelNames: ['protocol'],
      buckets: FAST_BUCKETS,
      registers,
    });
    const source = (): BackendStatus[] => this.breakerSource?.() ?? [];
    new Gauge({
      name: 'llm_failover_circuit_state',
      help: 'Circuit breaker state per backend: 0 closed, 1 half-open, 2 open',
      labelNames: ['backend'],
      registers,
      collect() {
        for (const b of source()) this.set({ backend: b.name }, STATE_VALUE[b.state] ?? -1);
      },
    });
  }

  /** Where the breaker-state gauge reads from at scrape time (the router's backends). */
  watchBreakers(source: () => BackendStatus[]): void {
    this.breakerSource = source;
  }

  recordAttempt(backend: string, outcome: string, attempts: number): void {
    this.attempts.inc({ backend, outcome }, attempts);
  }

  recordFallback(backend: string, reason: string): void {
    this.fallbacks.inc({ backend, reason });
  }

  recordRequest(protocol: string, status: number): void {
    this.counter(this.requests, 'r', protocol, String(status)).inc();
  }

  recordTruncated(protocol: string, backend: string): void {
    this.truncated.inc({ protocol, backend });
  }

  observeTimeToFirstByte(protocol: string, ms: number): void {
    this.histogram(this.ttfb, 't', protocol).observe(ms / 1000);
  }

  observeOverhead(protocol: string, ms: number): void {
    this.histogram(this.overhead, 'o', protocol).observe(ms / 1000);
  }

  private counter(
    metric: Counter<'protocol' | 'status'>,
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

  /** The Prometheus text exposition and its content type. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
