import type { Logger } from 'pino';
import type { ChatBackend } from '../backends/chat-backend.js';
import type { ParsedChatRequest } from '../backends/parsed-chat-request.js';
import type { IncomingHeaders } from '../protocols/index.js';
import type { Protocol } from '../protocols/protocol.js';
import type { SseBatch } from '../sse/sse-batch.js';
import type { SseEvent } from '../sse/sse-event.js';
import type { StateStore, StateStoreStatus } from '../state/index.js';
import type { CancelSignal, Clock } from '../time/index.js';
import type { ModelMatch } from './model-pattern.js';

/** One step of a route's fallback chain. */
export interface RouteTarget {
  /** Name of the backend, as in the config. */
  backend: string;
  /** Model name sent to this backend instead of the requested one. */
  model?: string;
}

/** A route: requests whose model matches go to `targets`, in order. */
export interface RouteConfig {
  match: ModelMatch;
  /** Higher first; ties keep file order. Default 0. */
  priority?: number;
  targets: RouteTarget[];
  /**
   * Targets left out because their backend is disabled, and why (e.g. `its apiKey is empty:
   * ANTHROPIC_API_KEY is unset`): named by the error a route with no enabled backend answers.
   * Targets naming a backend missing from the map are reported as "not enabled" without this.
   */
  disabled?: DisabledTarget[];
}

/** A route target whose backend is not enabled, and why (never a secret). */
export interface DisabledTarget {
  backend: string;
  reason: string;
}

/** Why the router moved on from a backend. `reason` is an error code (e.g. `CONNECTION`). */
export interface Fallback {
  backend: string;
  reason: string;
  /** Upstream HTTP status, when the failure had one. */
  status?: number;
}

/** What the router needs to report to metrics; `GatewayMetrics` implements it. */
export interface RouterMetrics {
  /** A target was tried (or skipped): `outcome` is `success` or the error code. */
  recordAttempt(backend: string, outcome: string, attempts: number): void;
  /** The router moved on from `backend` because of `reason`. */
  recordFallback(backend: string, reason: string): void;
}

/** Options of `BackendRouter`. */
export interface BackendRouterOptions {
  backends: ReadonlyMap<string, ChatBackend>;
  routes: RouteConfig[];
  /** Time source for first-byte deadlines and health probes. Default `systemClock`. */
  clock?: Clock;
  /**
   * Per-target deadline, in ms, for the first content event of a stream; past it the router fails
   * over (and counts a breaker failure). Default 0 = off (the backend's own timeouts apply).
   */
  firstByteTimeoutMs?: number;
  /** Interval of background health probes. Default 0 = off. */
  healthProbeIntervalMs?: number;
  /** Names of the (local) backends to probe; each must implement `probe()`. */
  probeBackends?: string[];
  /** Deadline of one probe, in ms. Default min(interval, 5000). */
  healthProbeTimeoutMs?: number;
  /** Where this instance shares probe verdicts (and reports on in /health). Default: none. */
  stateStore?: StateStore | undefined;
  logger?: Logger;
  metrics?: RouterMetrics;
}

/** Per-call options of the router. */
export interface RouteCallOptions {
  /** The caller's abort (client disconnect): aborts the upstream request at once. */
  signal?: CancelSignal;
  /**
   * `body` already parsed and validated (the gateway's parse, `parseChatRequest`): routed by its
   * model and handed to the backend, which then parses nothing again. Optional for library callers.
   */
  request?: ParsedChatRequest;
  /** The caller's request headers; each backend forwards the ones its allowlist names. */
  callerHeaders?: IncomingHeaders;
}

/** What every routed answer says about how it was obtained. */
export interface RoutedInfo {
  /** Name of the backend that answered. */
  backend: string;
  /** Upstream attempts over all targets tried, retries included. */
  attempts: number;
  /** The targets given up on before `backend`, in order. */
  fallbacks: Fallback[];
  /** Notes of the answering backend (e.g. a clamped temperature). */
  notes: string[];
}

/** A non-streaming routed answer, in the caller's protocol. */
export interface RoutedResult extends RoutedInfo {
  body: Record<string, unknown>;
  /** `body`'s JSON as the upstream sent it, when passed through untouched (see ChatResult). */
  bytes?: Buffer;
}

/**
 * A committed stream: the backend has delivered its first content event. `events` yields the
 * buffered events then the rest, in the caller's protocol; it throws on a failure after the
 * commit (never a clean end), and breaking out of it aborts the upstream.
 */
export interface RoutedStream extends RoutedInfo {
  /** The answer one upstream read at a time, pre-framed for the wire (one write each). */
  batches: AsyncIterable<SseBatch>;
  /** The same answer event by event; read `batches` or `events`, not both. */
  events: AsyncIterable<SseEvent>;
  /** Releases the upstream without reading `events` (e.g. the response could not start). */
  cancel: () => void;
}

/** A backend's state, for /health. */
export interface BackendStatus {
  name: string;
  protocol: Protocol;
  state: string;
  lastErrorCode: string | undefined;
  /** The last background health probe's verdict; undefined when the backend is not probed yet. */
  probe?: 'ok' | 'failed';
}

/** Where an instance keeps its shared state, for /health. */
export type StateStatus = StateStoreStatus;
