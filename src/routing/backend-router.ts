import type { Logger } from 'pino';
import type { ChatBackend, ChatCallOptions, ChatResult } from '../backends/chat-backend.js';
import { LlmFailoverError, isLlmFailoverError } from '../errors/index.js';
import { hideBytes } from '../http/index.js';
import type { Protocol } from '../protocols/protocol.js';
import { systemClock } from '../time/index.js';
import type { Clock } from '../time/index.js';
import { AllBackendsFailedError } from './all-backends-failed-error.js';
import { NoEnabledBackendError } from './no-enabled-backend-error.js';
import { failureReason, shouldFailOver } from './failover-policy.js';
import { HealthProber } from './health-prober.js';
import { RouteTable } from './route-table.js';
import type { ResolvedTarget, RouteChain } from './route-table.js';
import type {
  BackendRouterOptions,
  BackendStatus,
  Fallback,
  StateStatus,
  RouteCallOptions,
  RoutedInfo,
  RoutedResult,
  RoutedStream,
  RouterMetrics,
} from './routing-types.js';
import { quoteModel } from './model-pattern.js';
import { openStreamAttempt } from './stream-attempt.js';

/** The outcome of one target: an answer, or an error and whether to go on. */
type TargetOutcome<T> =
  { ok: true; value: T; attempts: number } | { ok: false; error: unknown; attempts: number };

/**
 * Routes a request by model to a route's chain of backends and fails over along it: open
 * breakers are skipped without a request, backend failures move on, caller errors are returned
 * as they are. Streams commit at their first content event; before it failover is free.
 */
export class BackendRouter {
  private readonly table: RouteTable;
  private readonly backends: ReadonlyMap<string, ChatBackend>;
  private readonly clock: Clock;
  private readonly firstByteTimeoutMs: number;
  private metrics: RouterMetrics | undefined;
  private readonly logger: Logger | undefined;
  private readonly prober: HealthProber | undefined;
  private readonly stateStore: BackendRouterOptions['stateStore'];

  /** @throws LlmFailoverError INVALID_CONFIG for a bad route regex or an unknown probe backend. */
  constructor(options: BackendRouterOptions) {
    this.backends = options.backends;
    this.table = new RouteTable(options.routes, options.backends);
    this.clock = options.clock ?? systemClock;
    this.firstByteTimeoutMs = options.firstByteTimeoutMs ?? 0;
    this.metrics = options.metrics;
    this.logger = options.logger;
    this.stateStore = options.stateStore;
    this.prober = this.createProber(options);
    if (this.table.missingBackends.length > 0) {
      this.logger?.warn(
        { backends: this.table.missingBackends },
        'routes name backends that are not enabled; skipped',
      );
    }
  }

  /**
   * Answers `body` (a request in `protocol`) without streaming.
   * @throws LlmFailoverError NO_ROUTE, ABORTED, a caller error as is, or AllBackendsFailedError.
   */
  async chat(
    protocol: Protocol,
    body: Record<string, unknown>,
    options: RouteCallOptions = {},
  ): Promise<RoutedResult> {
    const routed = await this.run(body, options, async (target) => {
      try {
        const result: ChatResult = await target.backend.chat(
          protocol,
          body,
          callOptions(target, options),
        );
        return { ok: true, value: result, attempts: result.attempts };
      } catch (error) {
        return { ok: false, error, attempts: attemptsOf(error) };
      }
    });
    // Fields named, not `{ ...info }`: object rest and spread are slow paths on every request.
    const { value } = routed;
    const result: RoutedResult = {
      backend: routed.backend,
      attempts: routed.attempts,
      fallbacks: routed.fallbacks,
      body: value.body,
      notes: value.notes,
    };
    if (value.bytes !== undefined) hideBytes(result, value.bytes);
    return result;
  }

  /**
   * Opens a stream for `body`, failing over until a backend delivers its first content event.
   * @throws as `chat()`; failures after the commit are thrown by `events` instead.
   */
  async chatStream(
    protocol: Protocol,
    body: Record<string, unknown>,
    options: RouteCallOptions = {},
  ): Promise<RoutedStream> {
    const routed = await this.run(body, options, async (target) => {
      const outcome = await openStreamAttempt({
        protocol,
        body,
        request: options.request,
        target,
        signal: options.signal,
        callerHeaders: options.callerHeaders,
        clock: this.clock,
        firstByteTimeoutMs: this.firstByteTimeoutMs,
      });
      return outcome.ok ? { ok: true, value: outcome, attempts: outcome.attempts } : outcome;
    });
    const { value } = routed;
    return {
      backend: routed.backend,
      attempts: routed.attempts,
      fallbacks: routed.fallbacks,
      batches: value.batches,
      events: value.events,
      notes: value.notes,
      cancel: value.cancel,
    };
  }

  /**
   * Runs `call` along the route for `model` with chat's rules (open breakers skipped, backend
   * failures fail over, caller errors returned): for endpoints other than chat (count_tokens,
   * embeddings). `skip` returns why a backend cannot serve `endpoint`: it is then passed over
   * without a request or a failure, and the reason becomes a note.
   * @throws as `chat()`; LlmFailoverError INVALID_REQUEST (400) naming the backends and why,
   *   when `skip` passes over every target of the route.
   */
  async routeCall<T>(
    model: string,
    call: (
      backend: ChatBackend,
      options: ChatCallOptions,
    ) => Promise<{ value: T; attempts: number }>,
    options: RouteCallOptions & {
      endpoint: string;
      skip?: (backend: ChatBackend) => string | undefined;
    },
  ): Promise<RoutedInfo & { value: T }> {
    const notes: string[] = [];
    const eligible = (target: ResolvedTarget): boolean => {
      const reason = options.skip?.(target.backend);
      if (reason !== undefined) notes.push(`skipped ${target.name}: ${reason}`);
      return reason === undefined;
    };
    const attempt = async (
      target: ResolvedTarget,
    ): Promise<TargetOutcome<{ notes: string[]; value: T }>> => {
      try {
        const r = await call(target.backend, callOptions(target, options));
        return { ok: true, value: { value: r.value, notes }, attempts: r.attempts };
      } catch (error) {
        return { ok: false, error, attempts: attemptsOf(error) };
      }
    };
    const none = (): LlmFailoverError =>
      new LlmFailoverError(
        'INVALID_REQUEST',
        `no backend on the route for model ${quoteModel(model)} serves ${options.endpoint}: ${notes.join('; ')}`,
        { status: 400 },
      );
    const routed = await this.run({ model }, options, attempt, { eligible, none });
    return { ...routed, value: routed.value.value, notes };
  }

  /** Reports to `metrics` unless metrics were given at construction (the gateway's default). */
  useMetrics(metrics: RouterMetrics): void {
    this.metrics ??= metrics;
  }

  /** True when a route matches `model` (for GET /v1/models/{id}); its backends may be disabled. */
  servesModel(model: string): boolean {
    return this.table.resolve(model) !== undefined;
  }

  /** Model names the routes can serve by name (for GET /v1/models). */
  listModels(): string[] {
    return this.table.listModels();
  }

  /** Each backend's breaker state and last error code (for GET /health). No secrets. */
  backendStatus(): BackendStatus[] {
    return [...this.backends.values()].map((b) => {
      const status: BackendStatus = {
        name: b.name,
        protocol: b.protocol,
        state: b.circuitBreaker.currentState,
        lastErrorCode: (b as { lastErrorCode?: string }).lastErrorCode,
      };
      const probe = this.prober?.verdict(b.name);
      if (probe !== undefined) status.probe = probe;
      return status;
    });
  }

  /** Where breakers and verdicts are kept and whether they are shared now (for /health). */
  stateStatus(): StateStatus | undefined {
    return this.stateStore?.status();
  }

  /** Starts the background health probes, when configured. Idempotent until `close()`. */
  startHealthProbes(): void {
    this.prober?.start();
  }

  /** Stops the health probes. Backends are owned (and closed) by whoever created them. */
  close(): Promise<void> {
    this.prober?.stop();
    return Promise.resolve();
  }

  private async run<T extends { notes: string[] }>(
    body: Record<string, unknown>,
    options: RouteCallOptions,
    attempt: (target: ResolvedTarget) => Promise<TargetOutcome<T>>,
    filter?: { eligible: (target: ResolvedTarget) => boolean; none: () => Error },
  ): Promise<{ value: T; backend: string; attempts: number; fallbacks: Fallback[] }> {
    const signal = options.signal;
    const model = options.request?.model ?? (typeof body.model === 'string' ? body.model : '');
    const chain = this.resolve(model);
    if (chain.targets.length === 0) throw new NoEnabledBackendError(model, chain.disabled);
    const targets = filter === undefined ? chain.targets : chain.targets.filter(filter.eligible);
    if (filter !== undefined && targets.length === 0) {
      throw filter.none();
    }
    const fallbacks: Fallback[] = [];
    let attempts = 0;
    let last: unknown;
    for (const target of targets) {
      if (target.backend.circuitBreaker.currentState === 'open') {
        last = skipped(target);
        this.fallBack(fallbacks, target.name, last, 0);
        continue;
      }
      const outcome = await attempt(target);
      attempts += outcome.attempts;
      if (outcome.ok) {
        this.metrics?.recordAttempt(target.name, 'success', outcome.attempts);
        return { value: outcome.value, backend: target.name, attempts, fallbacks };
      }
      if (signal?.aborted === true) throw aborted(outcome.error);
      if (!shouldFailOver(outcome.error)) {
        this.metrics?.recordAttempt(target.name, failureReason(outcome.error), outcome.attempts);
        throw outcome.error;
      }
      last = outcome.error;
      this.fallBack(fallbacks, target.name, last, outcome.attempts);
    }
    throw new AllBackendsFailedError(model, fallbacks, last, attempts);
  }

  private resolve(model: string): RouteChain {
    const chain = this.table.resolve(model);
    if (chain === undefined) {
      throw new LlmFailoverError('NO_ROUTE', `no route matches model ${quoteModel(model)}`, {
        status: 404,
      });
    }
    return chain;
  }

  private fallBack(fallbacks: Fallback[], backend: string, error: unknown, attempts: number): void {
    const reason = failureReason(error);
    const fallback: Fallback = { backend, reason };
    // A stream error inside a 200 says nothing more with its status.
    if (isLlmFailoverError(error) && error.status !== undefined && error.status >= 400) {
      fallback.status = error.status;
    }
    fallbacks.push(fallback);
    this.metrics?.recordAttempt(backend, reason, attempts);
    this.metrics?.recordFallback(backend, reason);
  }

  private createProber(options: BackendRouterOptions): HealthProber | undefined {
    const intervalMs = options.healthProbeIntervalMs ?? 0;
    if (intervalMs <= 0 || options.probeBackends === undefined) return undefined;
    const backends = options.probeBackends.map((name) => {
      const backend = options.backends.get(name);
      if (backend?.probe === undefined) {
        throw new LlmFailoverError(
          'INVALID_CONFIG',
          `probe backend ${JSON.stringify(name)} is not enabled or cannot be probed`,
        );
      }
      return backend;
    });
    return new HealthProber({
      backends,
      clock: this.clock,
      intervalMs,
      timeoutMs: options.healthProbeTimeoutMs ?? Math.min(intervalMs, 5000),
      logger: options.logger,
      store: options.stateStore,
    });
  }
}

/**
 * The backend's options: the caller's signal as it is (one abort path), the parse, the caller's
 * headers (the backend picks what it forwards), the rename.
 */
function callOptions(target: ResolvedTarget, route: RouteCallOptions): ChatCallOptions {
  const options: ChatCallOptions = {};
  if (route.signal !== undefined) options.signal = route.signal;
  if (route.request !== undefined) options.request = route.request;
  if (route.callerHeaders !== undefined) options.callerHeaders = route.callerHeaders;
  if (target.model !== undefined) options.model = target.model;
  return options;
}

function attemptsOf(error: unknown): number {
  if (!isLlmFailoverError(error)) return 1;
  return error.attempts ?? (error.code === 'CIRCUIT_OPEN' ? 0 : 1);
}

function skipped(target: ResolvedTarget): LlmFailoverError {
  const breaker = target.backend.circuitBreaker;
  return new LlmFailoverError('CIRCUIT_OPEN', `backend ${target.name} skipped: circuit open`, {
    backend: target.name,
    retryAfterMs: breaker.retryAfterMs,
  });
}

function aborted(cause: unknown): LlmFailoverError {
  return isLlmFailoverError(cause, 'ABORTED')
    ? cause
    : new LlmFailoverError('ABORTED', 'request aborted by the caller', { cause });
}
