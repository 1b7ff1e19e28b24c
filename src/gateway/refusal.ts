import type { IncomingMessage, ServerResponse } from 'node:http';
import { Counter } from 'prom-client';
import type { Protocol } from '../protocols/protocol.js';
import type { ErrorDescription } from './error-response.js';
import { errorBody } from './error-response.js';
import type { GatewayMetrics } from './gateway-metrics.js';

/** Why the gateway refused a request before handling it (a metric label: a fixed set). */
export type RefusalReason = 'origin' | 'host' | 'content_type' | 'overloaded' | 'max_connections';

/** The refusal of one request, before it is put in the caller's protocol shape. */
export interface Refusal {
  status: number;
  openaiType: string;
  anthropicType: string;
  /** Lower-case code for the OpenAI `code` field. */
  code: string;
  message: string;
  retryAfterSeconds?: number;
}

/**
 * The caller's protocol as far as the path tells it before routing: the Anthropic SDK's paths
 * all start with `/v1/messages`; everything else is answered in the OpenAI shape (as gateway.ts).
 */
export function protocolOfPath(path: string): Protocol {
  return path.startsWith('/v1/messages') ? 'anthropic' : 'openai';
}

/** Answers a refusal in the caller's protocol shape, with the request id. */
export function sendRefusal(
  req: IncomingMessage,
  res: ServerResponse,
  refusal: Refusal,
  protocol: Protocol,
  requestId: string,
): void {
  const description: ErrorDescription = {
    status: refusal.status,
    openaiType: refusal.openaiType,
    anthropicType: refusal.anthropicType,
    code: refusal.code,
    message: refusal.message,
    param: null,
    retryAfterSeconds: refusal.retryAfterSeconds,
    failures: undefined,
  };
  const body = JSON.stringify(errorBody(description, protocol, requestId));
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    'x-request-id': requestId,
  };
  if (protocol === 'anthropic') headers['request-id'] = requestId;
  if (refusal.retryAfterSeconds !== undefined) {
    headers['retry-after'] = String(refusal.retryAfterSeconds);
  }
  // A body left unread would otherwise be read to its end to keep the connection alive.
  if (!req.complete) res.shouldKeepAlive = false;
  res.writeHead(refusal.status, headers);
  res.end(body);
}

const REFUSED_METRIC = 'llm_failover_requests_refused_total';

/** Counts refusals by reason in the gateway's registry (`llm_failover_requests_refused_total`). */
export class RefusalCounter {
  private readonly counter: Counter<'reason'> | undefined;

  /** Guard and limits share one counter per registry (prom-client refuses a second one). */
  constructor(metrics: GatewayMetrics | undefined) {
    if (metrics === undefined) return;
    const existing = metrics.registry.getSingleMetric(REFUSED_METRIC);
    this.counter =
      existing instanceof Counter
        ? existing
        : new Counter({
            name: REFUSED_METRIC,
            help: 'Requests refused before routing, by reason (origin, host, content_type, overloaded, max_connections)',
            labelNames: ['reason'],
            registers: [metrics.registry],
          });
  }

  count(reason: RefusalReason): void {
    this.counter?.labels(reason).inc();
  }
}

/** 403 in both SDKs' permission-error shape (`PermissionDeniedError`). */
export function forbidden(code: string, message: string): Refusal {
  return {
    status: 403,
    openaiType: 'permission_error',
    anthropicType: 'permission_error',
    code,
    message,
  };
}

/** A caller-chosen header value made safe to quote in a message (bounded, printable). */
export function quoted(value: string): string {
  const clean = value.replace(/[^\x20-\x7e]/g, '?');
  return JSON.stringify(clean.length > 120 ? `${clean.slice(0, 120)}...` : clean);
}
