import type { IncomingMessage, Server, ServerOptions, ServerResponse } from 'node:http';
import { LlmFailoverError } from '../errors/index.js';
import type { GatewayMetrics } from './gateway-metrics.js';
import { RefusalCounter, protocolOfPath, sendRefusal } from './refusal.js';

/**
 * The server's own limits (config: `server.headersTimeoutMs`, ...). A value of 0 turns a timeout
 * off. Defaults are safe for a gateway on a developer machine or behind a proxy.
 */
export interface RequestLimitOptions {
  /** Longest time to receive a request's headers; then 408 and the connection closes. Default 30 s. */
  headersTimeoutMs?: number | undefined;
  /**
   * Longest time to receive a whole request (headers and body); then 408. Covers receiving only:
   * a long streamed answer is never cut by it. Default 50 s.
   */
  requestTimeoutMs?: number | undefined;
  /** How long an idle keep-alive connection stays open between requests. Default 5 s. */
  keepAliveTimeoutMs?: number | undefined;
  /** Open client connections; beyond it a new connection is closed at once. Default 512. */
  maxConnections?: number | undefined;
  /** Requests handled at once (`/health` and `/metrics` excluded); beyond it 503. Default 256. */
  maxConcurrentRequests?: number | undefined;
  /**
   * How often node checks the two receive timeouts: a trickling request is cut up to this much
   * after its timeout. Default 5 s (node's own default is 30 s). Tests set it small.
   */
  timeoutCheckIntervalMs?: number | undefined;
}

/** Every limit, set. */
export type ResolvedLimits = { [K in keyof RequestLimitOptions]-?: number };

/** The defaults: a request whose headers or body trickle in is cut within a minute. */
export const DEFAULT_REQUEST_LIMITS: ResolvedLimits = {
  headersTimeoutMs: 30_000,
  requestTimeoutMs: 50_000,
  keepAliveTimeoutMs: 5_000,
  // Under the usual 1024 open-file limit, with room for one upstream socket per request.
  maxConnections: 512,
  maxConcurrentRequests: 256,
  timeoutCheckIntervalMs: 5_000,
};

/** Paths never counted against (nor refused by) the request cap: monitoring must see overload. */
const UNCOUNTED_PATHS = new Set(['/health', '/metrics']);
const OVERLOAD_RETRY_AFTER_SECONDS = 1;

/**
 * Applies the receive timeouts and the connection cap to the node:http server, and caps the
 * requests in flight: beyond `maxConcurrentRequests` a request is answered 503 with
 * `Retry-After` in the caller's shape (both SDKs retry that by themselves).
 */
export class RequestLimits {
  readonly limits: ResolvedLimits;
  private inFlight = 0;
  private readonly refusals: RefusalCounter;

  /** @throws LlmFailoverError INVALID_CONFIG when headersTimeoutMs exceeds requestTimeoutMs. */
  constructor(options: RequestLimitOptions = {}, metrics?: GatewayMetrics) {
    const defined = Object.fromEntries(
      Object.entries(options).filter(([, value]) => value !== undefined),
    );
    this.limits = { ...DEFAULT_REQUEST_LIMITS, ...defined };
    const { headersTimeoutMs, requestTimeoutMs } = this.limits;
    if (requestTimeoutMs > 0 && headersTimeoutMs > requestTimeoutMs) {
      // node:http would throw ERR_OUT_OF_RANGE; say it in config terms instead.
      throw new LlmFailoverError(
        'INVALID_CONFIG',
        `server.headersTimeoutMs (${headersTimeoutMs}) must not exceed server.requestTimeoutMs (${requestTimeoutMs})`,
      );
    }
    this.refusals = new RefusalCounter(metrics);
  }

  /** Options for `createServer` (the timeout check interval can only be set there). */
  serverOptions(): ServerOptions {
    return {
      headersTimeout: this.limits.headersTimeoutMs,
      requestTimeout: this.limits.requestTimeoutMs,
      connectionsCheckingInterval: this.limits.timeoutCheckIntervalMs,
    };
  }

  /** Sets what `createServer` does not take, and counts dropped connections. */
  attach(server: Server): void {
    server.keepAliveTimeout = this.limits.keepAliveTimeoutMs;
    server.maxConnections = this.limits.maxConnections;
    server.on('drop', () => this.refusals.count('max_connections'));
  }

  /** Requests being handled now (`/health` and `/metrics` excluded). */
  get requestsInFlight(): number {
    return this.inFlight;
  }

  /**
   * Takes a request slot until the response closes; answers 503 and returns false when none is
   * free. `/health` and `/metrics` always pass and take none.
   */
  admit(req: IncomingMessage, res: ServerResponse, path: string, requestId: string): boolean {
    if (UNCOUNTED_PATHS.has(path)) return true;
    if (this.inFlight >= this.limits.maxConcurrentRequests) {
      this.refusals.count('overloaded');
      const limit = this.limits.maxConcurrentRequests;
      const refusal = {
        status: 503,
        openaiType: 'server_error',
        anthropicType: 'overloaded_error',
        code: 'gateway_overloaded',
        message: `gateway busy: ${limit} requests in flight (server.maxConcurrentRequests); retry shortly`,
        retryAfterSeconds: OVERLOAD_RETRY_AFTER_SECONDS,
      };
      sendRefusal(req, res, refusal, protocolOfPath(path), requestId);
      return false;
    }
    this.inFlight += 1;
    // 'close' comes once per response, finished or cut, so the slot is always given back.
    res.once('close', () => {
      this.inFlight -= 1;
    });
    return true;
  }
}
