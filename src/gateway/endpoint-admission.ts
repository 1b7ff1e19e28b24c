import type { IncomingMessage, ServerResponse } from 'node:http';
import { LlmFailoverError } from '../errors/index.js';
import type { Protocol } from '../protocols/protocol.js';
import type { ApiKeyGuard } from './api-key-guard.js';
import type { GatewayMetrics } from './gateway-metrics.js';
import { sendError } from './response-writer.js';

/** The checks every endpoint runs before its work: the method, then the gateway key. */
export class EndpointAdmission {
  constructor(
    private readonly guard: ApiKeyGuard,
    private readonly metrics: GatewayMetrics,
  ) {}

  /**
   * False, with the refusal answered in `protocol`'s shape, when `req` is not `method` (405 with
   * `allow`) or, when `keyed`, lacks a valid gateway key (401 with `www-authenticate`).
   */
  admit(
    req: IncomingMessage,
    res: ServerResponse,
    protocol: Protocol,
    requestId: string,
    method: string,
    keyed = true,
  ): boolean {
    if (req.method !== method) {
      res.setHeader('allow', method);
      const err = new LlmFailoverError(
        'INVALID_REQUEST',
        `method ${req.method ?? ''} not allowed here; use ${method}`,
        { status: 405 },
      );
      sendError(res, err, protocol, requestId);
      return false;
    }
    if (keyed && !this.guard.allows(req.headers)) {
      const err = new LlmFailoverError('UNAUTHORIZED', 'missing or invalid gateway API key', {
        status: 401,
      });
      this.metrics.recordRequest(protocol, 401);
      res.setHeader('www-authenticate', 'Bearer');
      sendError(res, err, protocol, requestId);
      return false;
    }
    return true;
  }
}
