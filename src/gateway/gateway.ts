import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { LlmFailoverError } from '../errors/index.js';
import type { Protocol } from '../protocols/protocol.js';
import type { BackendRouter } from '../routing/index.js';
import { CancelSource, systemClock } from '../time/index.js';
import type { Clock } from '../time/index.js';
import { ApiKeyGuard } from './api-key-guard.js';
import { BrowserGuard } from './browser-guard.js';
import type { BrowserGuardOptions } from './browser-guard.js';
import { ChatHandler } from './chat-handler.js';
import type { ChatHandlerDeps, ChatHooks } from './chat-handler.js';
import { GatewayMetrics } from './gateway-metrics.js';
import {
  callerProtocol,
  sendHealth,
  sendMetrics,
  sendModel,
  sendModels,
  sendRoot,
} from './info-endpoints.js';
import { serveCountTokens, serveEmbeddings } from './json-endpoints/index.js';
import type { JsonEndpointDeps, JsonExchange } from './json-endpoints/index.js';
import { DEFAULT_BODY_LIMIT_BYTES } from './request-body.js';
import { RequestLimits } from './request-limits.js';
import type { RequestLimitOptions } from './request-limits.js';
import { sendError } from './response-writer.js';
import { shutdownError } from './shutdown.js';
import { ResponseKeeper, serveStoredResponse } from './responses/index.js';
import { DEFAULT_RESPONSE_STORE_LIMITS, MemoryResponseStore } from '../state/index.js';
import type { ResponseStore } from '../state/index.js';

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

/** The Responses API's state (see docs/config.md, `responses.store`). */
export interface ResponsesOptions {
  /**
   * The store; closed by its creator. Default a `MemoryResponseStore` bounded by `maxEntries`
   * and `maxBytes`, created (and closed by `close()`) by the gateway.
   */
  store?: ResponseStore | undefined;
  /** Bound of the embedded store. Default 1000. */
  maxEntries?: number | undefined;
  /** Bound of the embedded store, bytes. Default 64 MiB. */
  maxBytes?: number | undefined;
  /** How long a stored response may be continued from. Default 1 hour. */
  ttlMs?: number | undefined;
}

/** A running (or ready to run) gateway. */
export interface Gateway {
  readonly server: Server;
  readonly metrics: GatewayMetrics;
  /** Listens on `host` (default 127.0.0.1: loopback only) and `port` (0: any free port). */
  listen(port: number, host?: string): Promise<{ host: string; port: number; url: string }>;
  /**
   * Stops accepting, lets in-flight requests finish for up to `graceMs` (default
   * `shutdownGraceMs`), then aborts the rest and closes every connection. Does not close the router.
   */
  close(graceMs?: number): Promise<void>;
  /**
   * Routes every request that arrives from now on with `router` (a config reload). Requests
   * already in flight keep the router they were routed with. Resolves once every request that
   * was in flight at the swap has ended: the old router's backends may then be closed.
   */
  useRouter(router: BackendRouter): Promise<void>;
}

const CHAT_PATHS: Record<string, Protocol> = {
  '/v1/chat/completions': 'openai',
  '/v1/messages': 'anthropic',
  '/v1/responses': 'openai-responses',
};
/** `/v1/responses/{id}` and below: answered from the response store. */
const STORED_RESPONSES = '/v1/responses/';
/** POST endpoints routed by model that answer plain JSON (see json-endpoints/). */
const JSON_ENDPOINTS: Record<
  string,
  { protocol: Protocol; serve: (deps: JsonEndpointDeps, ex: JsonExchange) => Promise<void> }
> = {
  '/v1/messages/count_tokens': { protocol: 'anthropic', serve: serveCountTokens },
  '/v1/embeddings': { protocol: 'openai', serve: serveEmbeddings },
};
const INBOUND_ID = /^[\w.:-]{1,128}$/;
/** After the grace period: how long the shutdown answers (503s, stream error events) may take to go out. */
const ANSWER_FLUSH_MS = 1_000;

/** Creates the dual-protocol HTTP gateway in front of `options.router` (not yet listening). */
export function createGateway(options: GatewayOptions): Gateway {
  return new GatewayServer(options);
}

class GatewayServer implements Gateway {
  readonly server: Server;
  readonly metrics: GatewayMetrics;
  private router: BackendRouter;
  private readonly guard: ApiKeyGuard;
  private readonly browser: BrowserGuard;
  private readonly limits: RequestLimits;
  private readonly protectInfo: boolean;
  private readonly chat: ChatHandler;
  /** POST /v1/responses: the chat handler with the response store's hooks. */
  private readonly responsesChat: ChatHandler;
  private readonly responseStore: ResponseStore;
  /** The store when the gateway created it (so closes it). */
  private readonly ownStore: ResponseStore | undefined;
  private readonly jsonDeps: JsonEndpointDeps;
  private readonly clock: Clock;
  private readonly graceMs: number;
  private readonly inFlight = new Set<CancelSource>();
  private onIdle: (() => void) | undefined;
  /** Called with each request's controller as it ends (reload drains: useRouter). */
  private readonly requestEnded = new Set<(request: CancelSource) => void>();
  private closing: Promise<void> | undefined;

  constructor(options: GatewayOptions) {
    this.router = options.router;
    this.clock = options.clock ?? systemClock;
    this.graceMs = options.shutdownGraceMs ?? 10_000;
    this.guard = new ApiKeyGuard(options.apiKeys);
    this.metrics = options.metrics ?? new GatewayMetrics();
    this.router.useMetrics(this.metrics);
    this.metrics.watchBreakers(() => this.router.backendStatus());
    const bodyLimit = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
    // The handlers read the router through these getters, so a reload (useRouter) reaches them.
    const current = (): BackendRouter => this.router;
    const chatDeps = (hooks?: ChatHooks): ChatHandlerDeps => ({
      get router() {
        return current();
      },
      metrics: this.metrics,
      logger: options.logger,
      clock: this.clock,
      bodyLimitBytes: bodyLimit,
      ...(options.maxNestingDepth === undefined
        ? {}
        : { maxNestingDepth: options.maxNestingDepth }),
      ...(hooks === undefined ? {} : { hooks }),
    });
    this.chat = new ChatHandler(chatDeps());
    const responses = options.responses ?? {};
    this.ownStore =
      responses.store === undefined ? embeddedStore(responses, this.clock) : undefined;
    this.responseStore = responses.store ?? (this.ownStore as ResponseStore);
    const ttlMs = responses.ttlMs ?? DEFAULT_RESPONSE_STORE_LIMITS.ttlSeconds * 1000;
    const keeper = new ResponseKeeper(this.responseStore, ttlMs, options.logger);
    this.responsesChat = new ChatHandler(chatDeps(keeper.hooks()));
    this.jsonDeps = {
      get router() {
        return current();
      },
      metrics: this.metrics,
      logger: options.logger,
      clock: this.clock,
      bodyLimitBytes: bodyLimit,
      maxNestingDepth: options.maxNestingDepth,
    };
    this.browser = new BrowserGuard(options.browser, this.metrics);
    this.limits = new RequestLimits(options.limits, this.metrics);
    this.protectInfo = options.protectInfoEndpoints ?? false;
    this.server = createServer(this.limits.serverOptions(), (req, res) => this.onRequest(req, res));
    this.limits.attach(this.server);
    // node:http would answer `Expect: 100-continue` by itself, inviting a body we will refuse.
    this.server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
      if (!(Number(req.headers['content-length']) > bodyLimit)) res.writeContinue();
      this.onRequest(req, res);
    });
  }

  listen(port: number, host = '127.0.0.1'): Promise<{ host: string; port: number; url: string }> {
    this.browser.allowHost(host);
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen({ port, host }, () => {
        this.server.off('error', reject);
        const address = this.server.address() as AddressInfo;
        const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
        resolve({
          host: address.address,
          port: address.port,
          url: `http://${shown}:${address.port}`,
        });
      });
    });
  }

  close(graceMs = this.graceMs): Promise<void> {
    this.closing ??= this.shutdown(graceMs);
    return this.closing;
  }

  useRouter(router: BackendRouter): Promise<void> {
    router.useMetrics(this.metrics);
    this.router = router;
    const before = new Set(this.inFlight);
    if (before.size === 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const onEnd = (controller: CancelSource): void => {
        before.delete(controller);
        if (before.size > 0) return;
        this.requestEnded.delete(onEnd);
        resolve();
      };
      this.requestEnded.add(onEnd);
    });
  }

  private async shutdown(graceMs: number): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    await this.idleOrAfter(graceMs);
    if (this.inFlight.size > 0) {
      // Each handler answers the abort in its caller's protocol (503, or the stream's error
      // event); the sockets close once those answers are flushed, or after a last short wait.
      const reason = shutdownError();
      for (const controller of this.inFlight) controller.abort(reason);
      await this.idleOrAfter(ANSWER_FLUSH_MS);
    }
    this.server.closeAllConnections();
    await closed;
    await this.ownStore?.close();
  }

  /** Resolves when no request is in flight any more, or after `ms`. */
  private idleOrAfter(ms: number): Promise<void> {
    if (this.inFlight.size === 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = this.clock.setTimer(ms, () => resolve());
      this.onIdle = () => {
        timer.clear();
        resolve();
      };
    });
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const requestId = requestIdOf(req);
    if (this.closing !== undefined) res.shouldKeepAlive = false;
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    if (!this.browser.admit(req, res, path, requestId)) return;
    if (!this.limits.admit(req, res, path, requestId)) return;
    const protocol = CHAT_PATHS[path];
    if (protocol !== undefined) {
      if (!this.admit(req, res, protocol, requestId, 'POST')) return;
      const responses = protocol === 'openai-responses';
      this.startChat(req, res, protocol, requestId, (ex) =>
        (responses ? this.responsesChat : this.chat).handle(ex),
      );
      return;
    }
    if (path.startsWith(STORED_RESPONSES)) {
      this.onStoredResponse(req, res, path, url, requestId);
      return;
    }
    const json = JSON_ENDPOINTS[path];
    if (json !== undefined) {
      if (!this.admit(req, res, json.protocol, requestId, 'POST')) return;
      this.startChat(req, res, json.protocol, requestId, (ex) => json.serve(this.jsonDeps, ex));
      return;
    }
    this.onInfoRequest(req, res, path, requestId);
  }

  private onInfoRequest(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    requestId: string,
  ): void {
    switch (path) {
      case '/':
        // HEAD too: Claude Code checks connectivity with `HEAD /`.
        if (req.method === 'HEAD') sendRoot(res, true, requestId);
        else if (this.admit(req, res, 'openai', requestId, 'GET', false))
          sendRoot(res, false, requestId);
        return;
      case '/v1/models':
        if (this.admit(req, res, 'openai', requestId, 'GET'))
          sendModels(res, this.router, requestId);
        return;
      case '/health':
        if (this.admit(req, res, 'openai', requestId, 'GET', this.protectInfo))
          sendHealth(res, this.router, requestId);
        return;
      case '/metrics':
        if (this.admit(req, res, 'openai', requestId, 'GET', this.protectInfo)) {
          sendMetrics(res, this.metrics).catch((err: unknown) =>
            sendError(res, err, 'openai', requestId),
          );
        }
        return;
      default: {
        const protocol = callerProtocol(req.headers, path);
        if (path.startsWith('/v1/models/')) {
          if (this.admit(req, res, protocol, requestId, 'GET'))
            sendModel(res, this.router, modelId(path), protocol, requestId);
          return;
        }
        const err = new LlmFailoverError(
          'NO_ROUTE',
          `no such endpoint: ${req.method ?? ''} ${path}`.slice(0, 200),
          { status: 404 },
        );
        sendError(res, err, protocol, requestId);
      }
    }
  }

  /** GET / DELETE `/v1/responses/{id}` (and GET `.../input_items`), from the response store. */
  private onStoredResponse(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    url: string,
    requestId: string,
  ): void {
    const method = req.method ?? '';
    const protocol: Protocol = 'openai-responses';
    // The method is checked by the endpoint (GET, or DELETE on the response itself).
    if (!this.admit(req, res, protocol, requestId, method)) return;
    const q = url.indexOf('?');
    const request = {
      method,
      rest: path.slice(STORED_RESPONSES.length),
      query: q === -1 ? '' : url.slice(q + 1),
      protocol,
      requestId,
    };
    serveStoredResponse(this.responseStore, res, request)
      .then((status) => this.metrics.recordRequest(protocol, status))
      .catch((err: unknown) => sendError(res, err, protocol, requestId));
  }

  /** Method and gateway-key checks; answers (405 / 401) and returns false when refused. */
  private admit(
    req: IncomingMessage,
    res: ServerResponse,
    protocol: Protocol,
    requestId: string,
    method: string,
    keyed = true,
  ): boolean {
    if (req.method !== method) {
      res.setHeader('allow', method);
      const err = new LlmFailoverError(
        'INVALID_REQUEST',
        `method ${req.method ?? ''} not allowed here; use ${method}`,
        { status: 405 },
      );
      sendError(res, err, protocol, requestId);
      return false;
    }
    if (keyed && !this.guard.allows(req.headers)) {
      const err = new LlmFailoverError('UNAUTHORIZED', 'missing or invalid gateway API key', {
        status: 401,
      });
      this.metrics.recordRequest(protocol, 401);
      res.setHeader('www-authenticate', 'Bearer');
      sendError(res, err, protocol, requestId);
      return false;
    }
    return true;
  }

  private startChat(
    req: IncomingMessage,
    res: ServerResponse,
    protocol: Protocol,
    requestId: string,
    serve: (ex: JsonExchange) => Promise<void> = (ex) => this.chat.handle(ex),
  ): void {
    // The request's cancel signal (client gone, shutdown): a CancelSource, see there why.
    const controller = new CancelSource();
    this.inFlight.add(controller);
    // In flight until the handler is done and the response closed ('close' comes once, after
    // the answer has reached the socket or when the client went away), so shutdown cannot cut an
    // answer short. One listener and a count: no promise or listener pair per request for it.
    let open = 2;
    const done = (): void => {
      if (--open > 0) return;
      this.inFlight.delete(controller);
      for (const onEnd of this.requestEnded) onEnd(controller);
      if (this.inFlight.size === 0) this.onIdle?.();
    };
    res.once('close', () => {
      // 'close' before the answer ended means the client went away: abort the upstream now.
      // Not `writableFinished`: that stays false while the socket still holds the answer's last
      // bytes, which made nearly every streamed answer abort its finished request (an error
      // built and abort listeners run per request, for nothing).
      if (!res.writableEnded)
        controller.abort(new LlmFailoverError('ABORTED', 'client disconnected'));
      done();
    });
    const startedAt = this.clock.now();
    void serve({ req, res, protocol, requestId, signal: controller, startedAt }).then(done, done);
  }
}

/** The gateway's own response store, with the configured bounds. */
function embeddedStore(options: ResponsesOptions, clock: Clock): MemoryResponseStore {
  return new MemoryResponseStore({
    clock,
    ...(options.maxEntries === undefined ? {} : { maxEntries: options.maxEntries }),
    ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
  });
}

/** The `{id}` of `/v1/models/{id}`, percent-decoded (ids may hold `/`, e.g. `org/model`). */
function modelId(path: string): string {
  const raw = path.slice('/v1/models/'.length);
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

function requestIdOf(req: IncomingMessage): string {
  const inbound = req.headers['x-request-id'];
  return typeof inbound === 'string' && INBOUND_ID.test(inbound) ? inbound : randomUUID();
}
