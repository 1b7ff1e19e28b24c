import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { LlmFailoverError } from '../errors/index.js';
import type { Protocol } from '../protocols/protocol.js';
import type { BackendRouter } from '../routing/index.js';
import type { EndpointAdmission } from './endpoint-admission.js';
import type { GatewayMetrics } from './gateway-metrics.js';
import { sendError, sendJson } from './response-writer.js';

/** The product name `GET /` and `HEAD /` answer with. */
export const PRODUCT_NAME = 'llm-failover';

/** What the info endpoints read; `router` is read per request (a reload swaps it). */
export interface InfoEndpointDeps {
  readonly admission: EndpointAdmission;
  readonly router: BackendRouter;
  readonly metrics: GatewayMetrics;
  /** Require the gateway key on `/health` and `/metrics` too. */
  readonly protectInfo: boolean;
}

/**
 * `/`, `/v1/models`, `/v1/models/{id}`, `/health` and `/metrics`; any other path gets 404 in the
 * caller's protocol (the gateway's last resort).
 */
export function serveInfoEndpoint(
  deps: InfoEndpointDeps,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  requestId: string,
): void {
  const { admission } = deps;
  switch (path) {
    case '/':
      // HEAD too: Claude Code checks connectivity with `HEAD /`.
      if (req.method === 'HEAD') sendRoot(res, true, requestId);
      else if (admission.admit(req, res, 'openai', requestId, 'GET', false))
        sendRoot(res, false, requestId);
      return;
    case '/v1/models':
      if (admission.admit(req, res, 'openai', requestId, 'GET'))
        sendModels(res, deps.router, requestId);
      return;
    case '/health':
      if (admission.admit(req, res, 'openai', requestId, 'GET', deps.protectInfo))
        sendHealth(res, deps.router, requestId);
      return;
    case '/metrics':
      if (admission.admit(req, res, 'openai', requestId, 'GET', deps.protectInfo)) {
        sendMetrics(res, deps.metrics).catch((err: unknown) =>
          sendError(res, err, 'openai', requestId),
        );
      }
      return;
    default:
      serveModelOrNoRoute(deps, req, res, path, requestId);
  }
}

/** `GET /v1/models/{id}`, else 404 `no such endpoint`, in the caller's protocol. */
function serveModelOrNoRoute(
  deps: InfoEndpointDeps,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  requestId: string,
): void {
  const protocol = callerProtocol(req.headers, path);
  if (path.startsWith('/v1/models/')) {
    if (deps.admission.admit(req, res, protocol, requestId, 'GET'))
      sendModel(res, deps.router, modelId(path), protocol, requestId);
    return;
  }
  const err = new LlmFailoverError(
    'NO_ROUTE',
    `no such endpoint: ${req.method ?? ''} ${path}`.slice(0, 200),
    { status: 404 },
  );
  sendError(res, err, protocol, requestId);
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

/**
 * The protocol a caller of a path that is not a chat path speaks, for the shape of the answer:
 * Anthropic when it sent `anthropic-version` (the Anthropic SDK and Claude Code always do; an
 * OpenAI client never does) or called under /v1/messages, else OpenAI. `x-api-key` alone does not
 * decide: OpenAI-compatible clients use it too.
 */
export function callerProtocol(headers: IncomingHttpHeaders, path: string): Protocol {
  if (headers['anthropic-version'] !== undefined) return 'anthropic';
  return path.startsWith('/v1/messages') ? 'anthropic' : 'openai';
}

/**
 * `GET /` and `HEAD /`: 200 with the product name, for connectivity checks (Claude Code sends
 * `HEAD /` at start). Says nothing else: no version, backends or config.
 */
export function sendRoot(res: ServerResponse, head: boolean, requestId: string): void {
  const body = JSON.stringify({ name: PRODUCT_NAME, status: 'ok' });
  if (!head) {
    sendJson(res, 200, body, { 'x-request-id': requestId });
    return;
  }
  res.writeHead(200, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    'x-request-id': requestId,
  });
  res.end();
}

/** One model entry in `protocol`'s shape (OpenAI model object, Anthropic model object). */
function modelObject(id: string, protocol: Protocol): Record<string, unknown> {
  return protocol === 'anthropic'
    ? { id, type: 'model', display_name: id, created_at: '1970-01-01T00:00:00Z' }
    : { id, object: 'model', created: 0, owned_by: PRODUCT_NAME };
}

/**
 * `GET /v1/models/{id}`: the model in the caller's protocol shape when a route serves it (by name
 * or by pattern: a `claude-*` route serves `claude-sonnet-4-5`), else 404 `not_found_error`.
 */
export function sendModel(
  res: ServerResponse,
  router: BackendRouter,
  id: string,
  protocol: Protocol,
  requestId: string,
): void {
  if (id === '' || !router.servesModel(id)) {
    const shown = JSON.stringify(id.slice(0, 200));
    const err = new LlmFailoverError('NO_ROUTE', `model ${shown} is not served by any route`, {
      status: 404,
    });
    sendError(res, err, protocol, requestId);
    return;
  }
  sendJson(res, 200, JSON.stringify(modelObject(id, protocol)), { 'x-request-id': requestId });
}

/**
 * GET /v1/models: the names the routes can serve. Each entry carries both the OpenAI fields
 * (`object`, `created`, `owned_by`) and the Anthropic ones (`type`, `display_name`, `created_at`)
 * so either SDK's `models.list()` reads it.
 */
export function sendModels(res: ServerResponse, router: BackendRouter, requestId: string): void {
  const ids = router.listModels();
  const data = ids.map((id) => ({
    id,
    object: 'model',
    created: 0,
    owned_by: 'llm-failover',
    type: 'model',
    display_name: id,
    created_at: '1970-01-01T00:00:00Z',
  }));
  const body = {
    object: 'list',
    data,
    has_more: false,
    first_id: ids[0] ?? null,
    last_id: ids.at(-1) ?? null,
  };
  sendJson(res, 200, JSON.stringify(body), { 'x-request-id': requestId });
}

/** GET /health: liveness plus each backend's breaker state and last error code. No secrets. */
export function sendHealth(res: ServerResponse, router: BackendRouter, requestId: string): void {
  const backends = router.backendStatus().map((b) => ({
    name: b.name,
    protocol: b.protocol,
    state: b.state,
    lastErrorCode: b.lastErrorCode ?? null,
    // A probe-opened breaker has no lastErrorCode: this says why it is open.
    ...(b.probe === undefined ? {} : { probe: b.probe }),
  }));
  // Shared state down is not an outage: still `ok`, and `state` says the instance is on its own.
  const state = router.stateStatus();
  const body = state === undefined ? { status: 'ok', backends } : { status: 'ok', backends, state };
  sendJson(res, 200, JSON.stringify(body), {
    'x-request-id': requestId,
    'cache-control': 'no-store',
  });
}

/** GET /metrics: Prometheus text exposition of the gateway's own registry. */
export async function sendMetrics(res: ServerResponse, metrics: GatewayMetrics): Promise<void> {
  const { contentType, body } = await metrics.render();
  res.writeHead(200, {
    'content-type': contentType,
    'content-length': String(Buffer.byteLength(body)),
  });
  res.end(body);
}
