import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createAnthropicBackend, createOpenAIBackend } from '../../src/backends/index.js';
import type { ChatBackend, ChatStream } from '../../src/backends/index.js';
import { createGateway } from '../../src/gateway/index.js';
import type { Protocol } from '../../src/protocols/protocol.js';
import { BackendRouter } from '../../src/routing/index.js';
import { batchesOf } from '../../src/sse/index.js';
import { ManualClock } from '../../src/time/manual-clock.js';

const FIRST_BYTE_MS = 1_000;
const PINGS = 200;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(
  handler: (res: ServerResponse) => void,
): Promise<{ baseUrl: string; requests: () => number; closed: Promise<void> }> {
  let requests = 0;
  let onClosed!: () => void;
  const closed = new Promise<void>((resolve) => (onClosed = resolve));
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    requests++;
    res.on('close', onClosed);
    req.resume();
    req.on('end', () => handler(res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const { port } = server.address() as AddressInfo;
  return { baseUrl: `http://127.0.0.1:${port}`, requests: () => requests, closed };
}

const MESSAGE_START = {
  type: 'message_start',
  message: {
    id: 'msg_1',
    type: 'message',
    role: 'assistant',
    model: 'm',
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: { input_tokens: 1, output_tokens: 0 },
  },
};
const ROLE_CHUNK = {
  id: 'c',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'm',
  choices: [{ index: 0, delta: { role: 'assistant' }, finish_reason: null }],
};

/**
 * An upstream that opens its stream, then only keeps it alive: Anthropic `message_start` and
 * pings, or an OpenAI role-only chunk and SSE comments; then it stays open, sending nothing.
 */
function keepAliveOnly(protocol: Protocol): (res: ServerResponse) => void {
  return (res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(
      protocol === 'anthropic'
        ? `event: message_start\ndata: ${JSON.stringify(MESSAGE_START)}\n\n` +
            'event: ping\ndata: {"type": "ping"}\n\n'.repeat(PINGS)
        : `data: ${JSON.stringify(ROLE_CHUNK)}\n\n${': keep-alive\n\n'.repeat(PINGS)}`,
    );
  };
}

/** A healthy OpenAI upstream streaming "ok". */
function healthy(res: ServerResponse): void {
  const chunk = (delta: object, finish: string | null) =>
    `data: ${JSON.stringify({ ...ROLE_CHUNK, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  res.end(
    `${chunk({ role: 'assistant', content: 'ok' }, null)}${chunk({}, 'stop')}data: [DONE]\n\n`,
  );
}

/** `backend`, counting the events its streams hand to the router (nothing else changes). */
function counting(backend: ChatBackend): { backend: ChatBackend; seen: () => number } {
  let seen = 0;
  // A plain delegate: the backends keep their state in #private fields.
  const wrapped: ChatBackend = {
    name: backend.name,
    protocol: backend.protocol,
    circuitBreaker: backend.circuitBreaker,
    chat: (protocol, body, options) => backend.chat(protocol, body, options),
    close: () => backend.close(),
    chatStream: (protocol, body, options) => streamOf(protocol, body, options),
  };
  const streamOf: ChatBackend['chatStream'] = (protocol, body, options): ChatStream => {
    const inner = backend.chatStream(protocol, body, options);
    async function* batches() {
      for await (const batch of batchesOf(inner)) {
        seen += batch.events.length;
        yield batch;
      }
    }
    return {
      get attempts() {
        return inner.attempts;
      },
      notes: inner.notes,
      batches,
      [Symbol.asyncIterator]: () => {
        throw new Error('read through batches()');
      },
    };
  };
  return { backend: wrapped, seen: () => seen };
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 10_000 && !condition(); i++)
    await new Promise<void>((resolve) => setImmediate(resolve));
  expect(condition()).toBe(true);
}

describe('keep-alive-only upstreams', () => {
  it.each([
    ['anthropic', 'anthropic', 1 + PINGS],
    ['openai', 'openai', 1],
    ['openai', 'anthropic', 1],
    ['anthropic', 'openai', 1],
  ] as const)(
    'a %s caller is not committed to a %s upstream that only keeps the stream alive: it fails over at the first-content deadline',
    async (caller, upstreamProtocol, expectedEvents) => {
      const clock = new ManualClock();
      const idle = await serve(keepAliveOnly(upstreamProtocol));
      const good = await serve(healthy);
      const common = { apiKey: 'sk-test-key-123456', maxRetries: 0, clock };
      const timers = { firstByteTimeoutMs: FIRST_BYTE_MS, idleTimeoutMs: 600_000 };
      const first = counting(
        upstreamProtocol === 'openai'
          ? createOpenAIBackend({
              ...common,
              ...timers,
              name: 'idle',
              baseUrl: `${idle.baseUrl}/v1`,
            })
          : createAnthropicBackend({ ...common, ...timers, name: 'idle', baseUrl: idle.baseUrl }),
      );
      const second = createOpenAIBackend({
        ...common,
        name: 'good',
        baseUrl: `${good.baseUrl}/v1`,
      });
      const router = new BackendRouter({
        backends: new Map([
          ['idle', first.backend],
          ['good', second],
        ]),
        routes: [{ match: '*', targets: [{ backend: 'idle' }, { backend: 'good' }] }],
        clock,
      });
      const gateway = createGateway({ router });
      const { url } = await gateway.listen(0);
      cleanups.push(async () => {
        await gateway.close(0);
        await Promise.all([first.backend.close(), second.close()]);
      });

      const path = caller === 'openai' ? '/v1/chat/completions' : '/v1/messages';
      const answer = fetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'm',
          max_tokens: 10,
          stream: true,
          messages: [{ role: 'user', content: 'hi' }],
        }),
      });
      // Everything the first upstream sent has reached the router (past MAX_PRECOMMIT_EVENTS
      // pings for the Anthropic pass-through), and still no commit: no time has passed yet.
      await until(() => first.seen() >= expectedEvents);
      await clock.advance(FIRST_BYTE_MS);

      const res = await answer;
      expect(res.status).toBe(200);
      expect(res.headers.get('x-llm-failover-backend')).toBe('good');
      const text = await res.text();
      expect(text).toContain('ok');
      expect(text).not.toContain('error');
      await idle.closed;
      expect(idle.requests()).toBe(1);
      expect(good.requests()).toBe(1);
      // A backend that sent no content in time is unhealthy for this request: one failure.
      expect(first.backend.circuitBreaker.failCounter).toBe(1);
    },
  );
});
