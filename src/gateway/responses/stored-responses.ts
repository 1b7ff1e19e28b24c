import type { ServerResponse } from 'node:http';
import { LlmFailoverError, isLlmFailoverError } from '../../errors/index.js';
import type { Protocol } from '../../protocols/protocol.js';
import type { ResponseStore, StoredResponse } from '../../state/index.js';
import { sendError, sendJson } from '../response-writer.js';

/** The endpoints under `/v1/responses/{id}` the store answers. */
export interface StoredResponseRequest {
  method: string;
  /** The path after `/v1/responses/`: `{id}` or `{id}/input_items`. */
  rest: string;
  /** The query string (without `?`), for input_items' `order`, `limit` and `after`. */
  query: string;
  protocol: Protocol;
  requestId: string;
}

/**
 * `GET /v1/responses/{id}` (the response as it was answered), `DELETE /v1/responses/{id}`
 * (`{id, object: "response", deleted: true}`) and `GET /v1/responses/{id}/input_items` (the
 * conversation before the output, newest first unless `order=asc`), from the gateway's store.
 * 404 naming the id when it does not hold it. Returns the status sent.
 */
export async function serveStoredResponse(
  store: ResponseStore,
  res: ServerResponse,
  request: StoredResponseRequest,
): Promise<number> {
  const { protocol, requestId } = request;
  try {
    const [rawId = '', sub, extra] = request.rest.split('/');
    const id = decodeId(rawId);
    const items = sub === 'input_items' && extra === undefined;
    if (id === '' || (sub !== undefined && !items)) throw noEndpoint(request);
    if (request.method === 'DELETE' && sub === undefined) {
      if (!(await store.delete(id))) throw notFound(id);
      sendJson(
        res,
        200,
        JSON.stringify({ id, object: 'response', deleted: true }),
        header(requestId),
      );
      return 200;
    }
    if (request.method !== 'GET') throw notAllowed(request.method, sub === undefined);
    const stored = await store.get(id);
    if (stored === undefined) throw notFound(id);
    const body = items
      ? inputItemList(stored, new URLSearchParams(request.query))
      : stored.response;
    sendJson(res, 200, JSON.stringify(body), header(requestId));
    return 200;
  } catch (err) {
    if (isLlmFailoverError(err) && err.status === 405) {
      res.setHeader('allow', request.rest.includes('/') ? 'GET' : 'GET, DELETE');
    }
    return sendError(res, err, protocol, requestId);
  }
}

function header(requestId: string): Record<string, string> {
  return { 'x-request-id': requestId };
}

/**
 * The input items of `stored` (its conversation without its own output) as the API lists them:
 * each with an `id` (made from the response id and position when the item had none).
 */
function inputItemList(stored: StoredResponse, query: URLSearchParams): Record<string, unknown> {
  const output = stored.response.output;
  const outputCount = Array.isArray(output) ? output.length : 0;
  const responseId = String(stored.response.id);
  let data = stored.items.slice(0, stored.items.length - outputCount).map((item, i) => {
    const obj = typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : {};
    return typeof obj.id === 'string' ? obj : { id: `${responseId}_in_${i}`, ...obj };
  });
  if (query.get('order') !== 'asc') data.reverse();
  const after = query.get('after');
  if (after !== null) data = data.slice(data.findIndex((item) => item.id === after) + 1);
  const limit = Math.min(100, Math.max(1, Number(query.get('limit') ?? 20) || 20));
  const page = data.slice(0, limit);
  return {
    object: 'list',
    data: page,
    first_id: page[0]?.id ?? null,
    last_id: page.at(-1)?.id ?? null,
    has_more: data.length > page.length,
  };
}

function decodeId(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

function notFound(id: string): LlmFailoverError {
  return new LlmFailoverError(
    'NO_ROUTE',
    `no stored response with id ${JSON.stringify(id.slice(0, 200))} (unknown, expired, or stored with store: false)`,
    { status: 404 },
  );
}

function noEndpoint(request: StoredResponseRequest): LlmFailoverError {
  return new LlmFailoverError(
    'NO_ROUTE',
    `no such endpoint: ${request.method} /v1/responses/${request.rest}`.slice(0, 200),
    { status: 404 },
  );
}

function notAllowed(method: string, deletable: boolean): LlmFailoverError {
  return new LlmFailoverError(
    'INVALID_REQUEST',
    `method ${method} not allowed here; use ${deletable ? 'GET or DELETE' : 'GET'}`,
    { status: 405 },
  );
}
