// The soak's callers: OpenAI chat completions and Anthropic messages, JSON or streaming, each
// request bounded by a client timeout (past it the answer counts as hung).
import { Pool } from 'undici';
import { requestMessage } from './answers.js';
import type { CallerProtocol, Received } from './classify.js';
import { Draw } from './random.js';

/** The shape of request `id`: caller protocol, streaming or not, which route (backend order). */
export interface Shape {
  protocol: CallerProtocol;
  stream: boolean;
  model: 'soak-ab' | 'soak-ba';
}

export function shapeOf(seed: number, id: number): Shape {
  const draw = new Draw(seed, 'shape', id);
  return {
    protocol: draw.float() < 0.5 ? 'openai' : 'anthropic',
    stream: draw.float() < 0.5,
    model: draw.float() < 0.5 ? 'soak-ab' : 'soak-ba',
  };
}

function requestOf(
  shape: Shape,
  id: number,
): { path: string; headers: Record<string, string>; body: string } {
  const messages = [{ role: 'user', content: requestMessage(id) }];
  if (shape.protocol === 'openai') {
    return {
      path: '/v1/chat/completions',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: shape.model, stream: shape.stream, messages }),
    };
  }
  return {
    path: '/v1/messages',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
    body: JSON.stringify({ model: shape.model, max_tokens: 256, stream: shape.stream, messages }),
  };
}

/** Sends request `id` through `pool` and collects what came back. */
export async function send(
  pool: Pool,
  shape: Shape,
  id: number,
  timeoutMs: number,
): Promise<Received> {
  const { path, headers, body } = requestOf(shape, id);
  const received: Received = {
    protocol: shape.protocol,
    stream: shape.stream,
    status: 0,
    body: '',
  };
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const answer = await pool.request({ path, method: 'POST', headers, body, signal });
    received.status = answer.statusCode;
    const label = answer.headers['x-llm-failover-backend'];
    if (typeof label === 'string') received.backendHeader = label;
    answer.body.setEncoding('utf8');
    for await (const chunk of answer.body) received.body += chunk as string;
  } catch {
    received.transport = signal.aborted ? 'timeout' : 'error';
  }
  return received;
}

/** A connection pool to the gateway, one connection per concurrent caller; no timeouts of its own. */
export function gatewayPool(url: string, concurrency: number): Pool {
  return new Pool(url, {
    connections: concurrency,
    headersTimeout: 0,
    bodyTimeout: 0,
    pipelining: 1,
  });
}
