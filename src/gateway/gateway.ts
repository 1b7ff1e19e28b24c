import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Protocol } from '../protocols/protocol.js';
import type { BackendRouter } from '../routing/index.js';
import { systemClock } from '../time/index.js';
import type { Clock } from '../time/index.js';
import { ApiKeyGuard } from './api-key-guard.js';
import { BrowserGuard } from './browser-guard.js';
import { ChatHandler } from './chat-handler.js';
import type { ChatHandlerDeps, ChatHooks } from './chat-handler.js';
import { EndpointAdmission } from './endpoint-admission.js';
import { GatewayMetrics } from './gateway-metrics.js';
import type { GatewayOptions } from './gateway-options.js';
import { InFlightRequests } from './in-flight-requests.js';
import { serveInfoEndpoint } from './info-endpoints.js';
import type { InfoEndpointDeps } from './info-endpoints.js';
import { serveCountTokens, serveEmbeddings } from './json-endpoints/index.js';
import type { JsonEndpointDeps, JsonExchange } from './json-endpoints/index.js';
import { DEFAULT_BODY_LIMIT_BYTES } from './request-body.js';
import { RequestLimits } from './request-limits.js';
import { ResponsesState } from './responses/index.js';
import { shutdownError } from './shutdown.js';

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
  private readonly admission: EndpointAdmission;
  private readonly browser: BrowserGuard;
  private readonly limits: RequestLimits;
  private readonly chat: ChatHandler;
  /** POST /v1/responses: the chat handler with the response store's hooks. */
  private readonly responsesChat: ChatHandler;
  private readonly responses: ResponsesState;
  private readonly jsonDeps: JsonEndpointDeps;
  private readonly infoDeps: InfoEndpointDeps;
  private readonly clock: Clock;
  private readonly graceMs: number;
  private readonly inFlight: InFlightRequests;
  private closing: Promise<void> | undefined;

  constructor(options: GatewayOptions) {
    this.router = options.router;
    this.clock = options.clock ?? systemClock;
    this.graceMs = options.shutdownGraceMs ?? 10_000;
    this.inFlight = new InFlightRequests(this.clock);
    this.metrics = options.metrics ?? new GatewayMetrics();
    this.router.useMetrics(this.metrics);
    this.metrics.watchBreakers(() => this.router.backendStatus());
    this.admission = new EndpointAdmission(new ApiKeyGuard(options.apiKeys), this.metrics);
    const bodyLimit = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
    // The JSON endpoints read what the chat handler reads (no hooks): one deps object for both.
    const plainDeps = this.chatDeps(options, bodyLimit);
    this.jsonDeps = plainDeps;
    this.chat = new ChatHandler(plainDeps);
    this.responses = new ResponsesState(options.responses ?? {}, {
      admission: this.admission,
      metrics: this.metrics,
      clock: this.clock,
      logger: options.logger,
    });
    this.responsesChat = new ChatHandler(this.chatDeps(options, bodyLimit, this.responses.hooks()));
    // The router is read through a getter, so a reload (useRouter) reaches the info endpoints.
    const current = (): BackendRouter => this.router;
    this.infoDeps = {
      get router() {
        return current();
      },
      admission: this.admission,
      metrics: this.metrics,
      protectInfo: options.protectInfoEndpoints ?? false,
    };
    this.browser = new BrowserGuard(options.browser, this.metrics);
    this.limits = new RequestLimits(options.limits, this.metrics);
    this.server = createServer(this.limits.serverOptions(), (req, res) => this.onRequest(req, res));
    this.limits.attach(this.server);
    // node:http would answer `Expect: 100-continue` by itself, inviting a body we will refuse.
    this.server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
      if (!(Number(req.headers['content-length']) > bodyLimit)) res.writeContinue();
      this.onRequest(req, res);
    });
  }

  /** A chat handler's deps; it reads the router through a getter, so a reload reaches it. */
  private chatDeps(options: GatewayOptions, bodyLimit: number, hooks?: ChatHooks): ChatHandlerDeps {
    const current = (): BackendRouter => this.router;
    return {
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
    };
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
    return this.inFlight.drained();
  }

  private async shutdown(graceMs: number): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    await this.inFlight.idleOrAfter(graceMs);
    if (this.inFlight.size > 0) {
      // Each handler answers the abort in its caller's protocol (503, or the stream's error
      // event); the sockets close once those answers are flushed, or after a last short wait.
      this.inFlight.abortAll(shutdownError());
      await this.inFlight.idleOrAfter(ANSWER_FLUSH_MS);
    }
    this.server.closeAllConnections();
    await closed;
    await this.responses.close();
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
      if (!this.admission.admit(req, res, protocol, requestId, 'POST')) return;
      const handler = protocol === 'openai-responses' ? this.responsesChat : this.chat;
      this.startChat(req, res, protocol, requestId, (ex) => handler.handle(ex));
      return;
    }
    if (this.responses.handleStoredResponse(req, res, path, url, requestId)) return;
    const json = JSON_ENDPOINTS[path];
    if (json !== undefined) {
      if (!this.admission.admit(req, res, json.protocol, requestId, 'POST')) return;
      this.startChat(req, res, json.protocol, requestId, (ex) => json.serve(this.jsonDeps, ex));
      return;
    }
    serveInfoEndpoint(this.infoDeps, req, res, path, requestId);
  }

  /** Runs `serve` as a request in flight (aborted when the client goes away or at shutdown). */
  private startChat(
    req: IncomingMessage,
    res: ServerResponse,
    protocol: Protocol,
    requestId: string,
    serve: (ex: JsonExchange) => Promise<void>,
  ): void {
    this.inFlight.track(res, (signal) => {
      const startedAt = this.clock.now();
      return serve({ req, res, protocol, requestId, signal, startedAt });
    });
  }
}

function requestIdOf(req: IncomingMessage): string {
  const inbound = req.headers['x-request-id'];
  return typeof inbound === 'string' && INBOUND_ID.test(inbound) ? inbound : randomUUID();
}
