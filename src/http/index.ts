export { CloudBackendClient } from './cloud-backend-client.js';
export { hideBytes } from './hidden-bytes.js';
export { PLAIN_SSE, ResilientHttpClient } from './resilient-http-client.js';
export type { ResilientHttpClientOptions } from './resilient-http-client.js';
export type { StreamCodec } from './client-core.js';
export type {
  CloudBackendClientOptions,
  RequestOptions,
  PostResult,
  SseStream,
} from './client-options.js';
