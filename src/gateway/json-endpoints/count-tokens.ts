import type { IncomingHttpHeaders } from 'node:http';
import { LlmFailoverError } from '../../errors/index.js';
import { ESTIMATE_SOURCE, estimateInputTokens } from './count-tokens-estimate.js';
import type { JsonEndpointDeps, JsonExchange } from './json-endpoint.js';
import { serveJsonEndpoint } from './json-endpoint.js';

/** Response header saying the count is a local estimate, and whose. */
export const ESTIMATE_HEADER = 'x-llm-failover-estimate';

/**
 * The caller's Anthropic protocol headers, forwarded on pass-through: the beta list changes what
 * the body may hold (and so the count), the version its meaning. Nothing else (never credentials).
 */
function anthropicHeaders(headers: IncomingHttpHeaders): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const name of ['anthropic-beta', 'anthropic-version']) {
    const value = headers[name];
    if (typeof value === 'string') out[name] = value;
    else if (Array.isArray(value)) out[name] = value.join(',');
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

/**
 * POST /v1/messages/count_tokens (Anthropic protocol; `?beta=true` accepted), routed like
 * /v1/messages: Anthropic-protocol backends answer upstream with the body passed through (and
 * the caller's `anthropic-beta` / `anthropic-version`); OpenAI-protocol backends have no such
 * endpoint, so the gateway answers with a local estimate and says so in `x-llm-failover-estimate`.
 * Open breakers are skipped and upstream failures fail over, as for chat.
 */
export function serveCountTokens(deps: JsonEndpointDeps, ex: JsonExchange): Promise<void> {
  return serveJsonEndpoint(deps, ex, 'count_tokens', async (body, model) => {
    if (!Array.isArray(body.messages)) {
      throw new LlmFailoverError('INVALID_REQUEST', 'messages: required, an array of messages', {
        status: 400,
        path: 'messages',
      });
    }
    const headers = anthropicHeaders(ex.req.headers);
    let estimated = false;
    const routed = await deps.router.routeCall(
      model,
      async (backend, options) => {
        if (backend.protocol === 'openai') {
          estimated = true;
          return { value: { input_tokens: await estimateInputTokens(body) }, attempts: 0 };
        }
        estimated = false;
        // Checked by `skip`: only backends with postJson get here.
        const post = backend.postJson?.bind(backend);
        const call = headers === undefined ? options : { ...options, headers };
        const result = await post!('/messages/count_tokens', body, call);
        return { value: result.body, attempts: result.attempts };
      },
      {
        signal: ex.signal,
        endpoint: 'POST /v1/messages/count_tokens',
        skip: (backend) =>
          backend.protocol === 'anthropic' && backend.postJson === undefined
            ? 'this backend cannot post count_tokens'
            : undefined,
      },
    );
    const extra = estimated ? { [ESTIMATE_HEADER]: ESTIMATE_SOURCE } : undefined;
    return { ...routed, body: routed.value, ...(extra === undefined ? {} : { headers: extra }) };
  });
}
