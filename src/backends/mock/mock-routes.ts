import type { IncomingMessage } from 'node:http';
import { wireProtocolOf } from '../../protocols/index.js';
import type { Protocol } from '../../protocols/protocol.js';
import type { RecordedRequest } from './mock-upstream-server.js';

// Request decoding and routing of the mock upstream: kept apart from the server's lifecycle.

/** The whole request body. */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () =>
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)),
    );
    req.once('error', reject);
  });
}

/** The record of one request: path without the query string, parsed body. */
export function recordOf(req: IncomingMessage, raw: Buffer): RecordedRequest {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  return {
    method: req.method ?? 'GET',
    path: q === -1 ? url : url.slice(0, q),
    headers: req.headers,
    body: parseBody(raw),
  };
}

/** Parsed JSON; the raw text when it is not JSON; undefined when empty. */
function parseBody(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  const text = raw.toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** What a mock path serves besides chat. */
export type MockSideRoute = 'models' | 'count_tokens' | 'embeddings';

/**
 * Which chat protocol a path serves, or the other endpoint it is (model list, Anthropic
 * count_tokens, OpenAI embeddings); undefined for anything else.
 */
export function routeOf(record: RecordedRequest): Protocol | MockSideRoute | undefined {
  const { method, path } = record;
  if (method === 'POST' && path === '/v1/messages/count_tokens') return 'count_tokens';
  if (method === 'POST' && (path === '/v1/embeddings' || path === '/embeddings')) {
    return 'embeddings';
  }
  if (method === 'POST' && (path === '/v1/chat/completions' || path === '/chat/completions')) {
    return 'openai';
  }
  if (method === 'POST' && path === '/v1/messages') return 'anthropic';
  if (method === 'POST' && (path === '/v1/responses' || path === '/responses')) {
    return 'openai-responses';
  }
  if (method === 'GET' && (path === '/v1/models' || path === '/models')) return 'models';
  return undefined;
}

/** The protocol to shape errors in: by route, else Anthropic when the client sent its version header. */
export function protocolOf(record: RecordedRequest): Protocol {
  if (record.path.endsWith('/messages') || record.path.endsWith('/messages/count_tokens')) {
    return 'anthropic';
  }
  if (record.path.endsWith('/chat/completions')) return 'openai';
  if (record.path.endsWith('/responses')) return 'openai-responses';
  return record.headers['anthropic-version'] === undefined ? 'openai' : 'anthropic';
}

/** An error body in `protocol`'s shape, its type from the protocol's status table. */
export function errorBody(protocol: Protocol, status: number, message: string): unknown {
  const wire = wireProtocolOf(protocol);
  return wire.errorBody({ type: wire.errorTypes.typeForStatus(status), message });
}

const MOCK_MODELS = ['mock-model'];

/** The model list, in the shape of the protocol asking. */
export function modelsBody(protocol: Protocol): string {
  if (protocol === 'anthropic') {
    const data = MOCK_MODELS.map((id) => ({
      type: 'model',
      id,
      display_name: id,
      created_at: '2026-01-01T00:00:00Z',
    }));
    return JSON.stringify({ data, has_more: false, first_id: 'mock-model', last_id: 'mock-model' });
  }
  const data = MOCK_MODELS.map((id) => ({ id, object: 'model', created: 0, owned_by: 'mock' }));
  return JSON.stringify({ object: 'list', data });
}
