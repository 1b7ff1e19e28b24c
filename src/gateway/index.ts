export { createGateway } from './gateway.js';
export type { Gateway, GatewayOptions } from './gateway.js';
export { GatewayMetrics } from './gateway-metrics.js';
export { ApiKeyGuard } from './api-key-guard.js';
export { describeError, errorBody, errorResponse, streamErrorEvent } from './error-response.js';
export type { ErrorDescription, ErrorResponse } from './error-response.js';
export { DEFAULT_BODY_LIMIT_BYTES, parseJsonObject, readBody } from './request-body.js';
