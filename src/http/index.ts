export { CloudBackendClient } from './cloud-backend-client.js';
export type {
  CloudBackendClientOptions,
  RequestOptions,
  PostResult,
  SseStream,
} from './client-options.js';
