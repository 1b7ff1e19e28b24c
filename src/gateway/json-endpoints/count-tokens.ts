import { LlmFailoverError } from '../../errors/index.js';
import { ESTIMATE_SOURCE, estimateInputTokens } from './count-tokens-estimate.js';
import type { JsonEndpointDeps, JsonExchange } from './json-endpoint.js';
import { serveJsonEndpoint } from './json-endpoint.js';

/** Response header saying the count is a local estimate, and whose. */
export const ESTIMATE_HEADER = 'x-llm-failover-estimate';

/**
 * POST /v1/messages/count_tokens (Anthropic protocol; `?beta=true` accepted), routed like
 * /v1/messages: Anthropic-protocol backends answer upstream with the body passed through (and
 * the caller's headers the backend forwards: `anthropic-beta` / `anthropic-version` by default); OpenAI-protocol backends have no such
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
        const result = await post!('/messages/count_tokens', body, options);
        return { value: result.body, attempts: result.attempts };
      },
      {
        signal: ex.signal,
        // The backend forwards what its allowlist names (see forwardedHeaders): the beta list
        // changes what the body may hold (and so the count), the version its meaning.
        callerHeaders: ex.req.headers,
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
