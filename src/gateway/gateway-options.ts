import type { Logger } from 'pino';
import type { BackendRouter } from '../routing/index.js';
import type { Clock } from '../time/index.js';
import type { BrowserGuardOptions } from './browser-guard.js';
import type { GatewayMetrics } from './gateway-metrics.js';
import type { RequestLimitOptions } from './request-limits.js';
import type { ResponsesOptions } from './responses/index.js';

/** Options of `createGateway`. */
export interface GatewayOptions {
  router: BackendRouter;
  /** Gateway keys callers must present (`Authorization: Bearer` or `x-api-key`). None: open. */
  apiKeys?: string[];
  /** Request body limit in bytes; larger bodies get 413. Default 10 MiB. */
  bodyLimitBytes?: number;
  /** Deepest array/object nesting a request body may have; deeper gets 400. Default 128. */
  maxNestingDepth?: number;
  /** One info line per request. Default: none. */
  logger?: Logger;
  /** Default: a new registry; the router reports to it unless it already has metrics. */
  metrics?: GatewayMetrics;
  /** How long `close()` lets in-flight requests finish. Default 10_000 ms. */
  shutdownGraceMs?: number;
  /** Time source for latency metrics and the shutdown grace. Default `systemClock`. */
  clock?: Clock;
  /** Origin / Host / content-type checks and the CORS allowlist. Default: no origin allowed. */
  browser?: BrowserGuardOptions | undefined;
  /** Receive timeouts, connection and request caps. Default `DEFAULT_REQUEST_LIMITS`. */
  limits?: RequestLimitOptions | undefined;
  /** Require the gateway key on `/health` and `/metrics` too. Default false. */
  protectInfoEndpoints?: boolean | undefined;
  /** Where `/v1/responses` keeps the responses it produced. Default: an embedded memory store. */
  responses?: ResponsesOptions | undefined;
}
