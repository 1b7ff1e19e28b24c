import type { ServerResponse } from 'node:http';
import type { BackendRouter } from '../routing/index.js';
import type { GatewayMetrics } from './gateway-metrics.js';
import { sendJson } from './response-writer.js';

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
  sendJson(res, 200, JSON.stringify({ status: 'ok', backends }), {
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
