import type { Logger } from 'pino';
import { LlmFailoverError, isLlmFailoverError } from '../../errors/index.js';
import type { BackendRouter, RoutedInfo } from '../../routing/index.js';
import type { Clock } from '../../time/index.js';
import type { GatewayMetrics } from '../gateway-metrics.js';
import { readJsonObject } from '../request-body.js';
import { routedHeaders, sendError, sendJson } from '../response-writer.js';
import { clientWentAway, shutdownReason } from '../shutdown.js';
import type { ChatExchange } from '../chat-handler.js';

/** What a routed JSON endpoint needs; shared by every request. */
export interface JsonEndpointDeps {
  router: BackendRouter;
  metrics: GatewayMetrics;
  logger: Logger | undefined;
  clock: Clock;
  bodyLimitBytes: number;
  /** Deepest nesting of a request body. Default DEFAULT_MAX_NESTING_DEPTH. */
  maxNestingDepth?: number | undefined;
}

/** One request to a routed JSON endpoint: the same fields as a chat exchange. */
export type JsonExchange = ChatExchange;

/** A routed answer: the body to send and any headers beyond the routing ones. */
export interface JsonAnswer extends RoutedInfo {
  body: unknown;
  headers?: Record<string, string>;
}

/**
 * Serves one request of a non-chat endpoint that is routed by `model` (count_tokens, embeddings):
 * reads and parses the body, checks `model`, lets `answer` route it, and answers JSON in the
 * caller's protocol (errors too). Logs one line and records the request metric. Never throws.
 */
export async function serveJsonEndpoint(
  deps: JsonEndpointDeps,
  ex: JsonExchange,
  endpoint: string,
  answer: (body: Record<string, unknown>, model: string) => Promise<JsonAnswer>,
): Promise<void> {
  let status: number;
  let model: string | undefined;
  let routed: JsonAnswer | undefined;
  let error: string | undefined;
  try {
    const body = await readJsonObject(ex.req, deps, ex.signal);
    if (typeof body.model !== 'string' || body.model === '') {
      throw new LlmFailoverError('INVALID_REQUEST', 'model: required, a non-empty string', {
        status: 400,
        path: 'model',
      });
    }
    model = body.model;
    routed = await answer(body, model);
    const headers = { ...routedHeaders(routed, ex.protocol, ex.requestId), ...routed.headers };
    sendJson(ex.res, 200, JSON.stringify(routed.body), headers);
    status = 200;
  } catch (caught) {
    // Cut off by shutdown: answer that (503), as the chat handler does.
    const err = shutdownReason(ex.signal) ?? caught;
    if (!ex.req.complete) ex.res.shouldKeepAlive = false;
    status = sendError(ex.res, err, ex.protocol, ex.requestId);
    error = isLlmFailoverError(err) ? err.code : 'INTERNAL';
    if (!isLlmFailoverError(err)) {
      deps.logger?.error({ err, requestId: ex.requestId }, 'unexpected error');
    }
  }
  if (clientWentAway(ex.signal, error) && status >= 400) status = 499;
  deps.metrics.recordRequest(ex.protocol, status);
  deps.logger?.info(
    {
      requestId: ex.requestId,
      endpoint,
      protocol: ex.protocol,
      model: model?.slice(0, 200),
      backend: routed?.backend,
      attempts: routed?.attempts,
      status,
      error,
      ms: Math.round((deps.clock.now() - ex.startedAt) * 100) / 100,
    },
    'request',
  );
}
