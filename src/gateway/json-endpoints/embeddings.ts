import { LlmFailoverError } from '../../errors/index.js';
import type { JsonEndpointDeps, JsonExchange } from './json-endpoint.js';
import { serveJsonEndpoint } from './json-endpoint.js';

/**
 * POST /v1/embeddings (OpenAI protocol), routed by `model` with failover along the route's
 * OpenAI-protocol backends, the body passed through (only a route's model rename applied).
 * Anthropic-protocol backends have no embeddings endpoint: they are skipped, with a note
 * (`x-llm-failover-notes`); a route with none other answers 400 naming them.
 */
export function serveEmbeddings(deps: JsonEndpointDeps, ex: JsonExchange): Promise<void> {
  return serveJsonEndpoint(deps, ex, 'embeddings', async (body, model) => {
    if (body.input === undefined || body.input === null) {
      throw new LlmFailoverError(
        'INVALID_REQUEST',
        'input: required, a string or an array of strings or token arrays',
        { status: 400, path: 'input' },
      );
    }
    const routed = await deps.router.routeCall(
      model,
      async (backend, options) => {
        const result = await backend.postJson!('/embeddings', body, options);
        return { value: result.body, attempts: result.attempts };
      },
      {
        signal: ex.signal,
        // The backend forwards what its allowlist names (`openai-beta` by default), as for chat.
        callerHeaders: ex.req.headers,
        endpoint: 'POST /v1/embeddings',
        skip: (backend) => {
          if (backend.protocol !== 'openai') {
            return 'speaks the Anthropic protocol, which has no embeddings endpoint';
          }
          return backend.postJson === undefined ? 'cannot post embeddings' : undefined;
        },
      },
    );
    return { ...routed, body: routed.value };
  });
}
