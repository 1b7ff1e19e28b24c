export { serveCountTokens, ESTIMATE_HEADER } from './count-tokens.js';
export { ESTIMATE_SOURCE, estimateInputTokens, requestTexts } from './count-tokens-estimate.js';
export { serveEmbeddings } from './embeddings.js';
export { serveJsonEndpoint } from './json-endpoint.js';
export type { JsonAnswer, JsonEndpointDeps, JsonExchange } from './json-endpoint.js';
