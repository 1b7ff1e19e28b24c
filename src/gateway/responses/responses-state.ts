import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Protocol } from '../../protocols/protocol.js';
import { DEFAULT_RESPONSE_STORE_LIMITS, MemoryResponseStore } from '../../state/index.js';
import type { ResponseStore } from '../../state/index.js';
import type { Clock } from '../../time/index.js';
import type { ChatHooks } from '../chat-handler.js';
import type { EndpointAdmission } from '../endpoint-admission.js';
import type { GatewayMetrics } from '../gateway-metrics.js';
import { sendError } from '../response-writer.js';
import { ResponseKeeper } from './response-keeper.js';
import { serveStoredResponse } from './stored-responses.js';

/** The Responses API's state (see docs/config.md, `responses.store`). */
export interface ResponsesOptions {
  /**
   * The store; closed by its creator. Default a `MemoryResponseStore` bounded by `maxEntries`
   * and `maxBytes`, created (and closed by `close()`) by the gateway.
   */
  store?: ResponseStore | undefined;
  /** Bound of the embedded store. Default 1000. */
  maxEntries?: number | undefined;
  /** Bound of the embedded store, bytes. Default 64 MiB. */
  maxBytes?: number | undefined;
  /** How long a stored response may be continued from. Default 1 hour. */
  ttlMs?: number | undefined;
}

/** What the Responses endpoints share with the rest of the gateway. */
export interface ResponsesStateDeps {
  admission: EndpointAdmission;
  metrics: GatewayMetrics;
  clock: Clock;
  logger: Logger | undefined;
}

/** `/v1/responses/{id}` and below: answered from the response store. */
const STORED_RESPONSES = '/v1/responses/';
const PROTOCOL: Protocol = 'openai-responses';

/**
 * The gateway's Responses-specific part: the response store (its own embedded one unless given
 * one), the hooks POST /v1/responses runs with (continuations, storing answers), and the
 * stored-response endpoints.
 */
export class ResponsesState {
  private readonly store: ResponseStore;
  /** The store when the gateway created it (so closes it). */
  private readonly ownStore: ResponseStore | undefined;
  private readonly keeper: ResponseKeeper;

  constructor(
    options: ResponsesOptions,
    private readonly deps: ResponsesStateDeps,
  ) {
    this.ownStore = options.store === undefined ? embeddedStore(options, deps.clock) : undefined;
    this.store = options.store ?? (this.ownStore as ResponseStore);
    const ttlMs = options.ttlMs ?? DEFAULT_RESPONSE_STORE_LIMITS.ttlSeconds * 1000;
    this.keeper = new ResponseKeeper(this.store, ttlMs, deps.logger);
  }

  /** The chat handler's hooks for POST /v1/responses. */
  hooks(): ChatHooks {
    return this.keeper.hooks();
  }

  /**
   * GET / DELETE `/v1/responses/{id}` (and GET `.../input_items`), from the response store.
   * False (nothing answered) when `path` is not under `/v1/responses/`.
   */
  handleStoredResponse(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    url: string,
    requestId: string,
  ): boolean {
    if (!path.startsWith(STORED_RESPONSES)) return false;
    const method = req.method ?? '';
    // The method is checked by the endpoint (GET, or DELETE on the response itself).
    if (!this.deps.admission.admit(req, res, PROTOCOL, requestId, method)) return true;
    const q = url.indexOf('?');
    const request = {
      method,
      rest: path.slice(STORED_RESPONSES.length),
      query: q === -1 ? '' : url.slice(q + 1),
      protocol: PROTOCOL,
      requestId,
    };
    serveStoredResponse(this.store, res, request)
      .then((status) => this.deps.metrics.recordRequest(PROTOCOL, status))
      .catch((err: unknown) => sendError(res, err, PROTOCOL, requestId));
    return true;
  }

  /** Closes the store when the gateway created it. */
  async close(): Promise<void> {
    await this.ownStore?.close();
  }
}

/** The gateway's own response store, with the configured bounds. */
function embeddedStore(options: ResponsesOptions, clock: Clock): MemoryResponseStore {
  return new MemoryResponseStore({
    clock,
    ...(options.maxEntries === undefined ? {} : { maxEntries: options.maxEntries }),
    ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
  });
}
