import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, startServer } from '../../src/server/index.js';
import { parseConfig } from '../../src/config/index.js';
import { DEFAULT_REQUEST_LIMITS } from '../../src/gateway/index.js';
import { chatRequests, startHarness } from './support/gateway-harness.js';
import type { Harness } from './support/gateway-harness.js';

let h: Harness | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await h?.close();
  h = undefined;
});

const ask = { model: 'llama-3', messages: [{ role: 'user' as const, content: 'hi' }] };
/** Short receive timeouts, checked often: a trickling client is cut well inside the loop bounds. */
const SHORT = { headersTimeoutMs: 200, requestTimeoutMs: 400, timeoutCheckIntervalMs: 50 };

/** A raw loopback connection that records what the server sent and whether it closed. */
async function rawSocket(
  url: string,
): Promise<{ socket: Socket; received: () => string; closed: () => boolean }> {
  const { port } = new URL(url);
  const socket = connect(Number(port), '127.0.0.1');
  sockets.push(socket);
  let data = '';
  let isClosed = false;
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (data += chunk));
  socket.on('error', () => undefined);
  socket.on('close', () => (isClosed = true));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return { socket, received: () => data, closed: () => isClosed };
}

/** Writes `pieces` one every 100 ms until the server closes the connection; bounded by their count. */
async function trickle(
  conn: { socket: Socket; closed: () => boolean },
  pieces: string[],
): Promise<void> {
  for (const piece of pieces) {
    if (conn.closed()) return;
    conn.socket.write(piece);
    await sleep(100);
  }
}

/** Waits (bounded) until `done()` holds. */
async function until(done: () => boolean, what: string, maxMs = 5000): Promise<void> {
  for (let waited = 0; !done(); waited += 20) {
    if (waited > maxMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe('receive timeouts', () => {
  it('cuts a client that trickles its request headers', async () => {
    h = await startHarness({ gateway: { limits: SHORT } });
    const conn = await rawSocket(h.url);
    conn.socket.write('GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    // 100 headers at 100 ms each would take 10 s; the server must close long before.
    await trickle(
      conn,
      Array.from({ length: 100 }, (_, i) => `x-slow-${i}: y\r\n`),
    );
    expect(conn.closed()).toBe(true);
    expect(conn.received()).toMatch(/^HTTP\/1\.1 408/);
  });

  it('cuts a client that trickles its request body', async () => {
    h = await startHarness({ gateway: { limits: SHORT } });
    const conn = await rawSocket(h.url);
    const body = JSON.stringify(ask).padEnd(100, ' ');
    conn.socket.write(
      `POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n`,
    );
    await trickle(conn, [...body]);
    expect(conn.closed()).toBe(true);
    expect(conn.received()).toMatch(/^HTTP\/1\.1 408/);
    expect(chatRequests(h.local)).toBe(0);
  });

  it('never cuts a streamed answer that outlasts the request timeout', async () => {
    // The request arrives at once; the answer then stalls mid-stream well past the request
    // timeout. The timeout is not tiny, so a loaded machine pausing between the request's
    // headers and body cannot cut the request itself.
    h = await startHarness({
      gateway: {
        limits: { headersTimeoutMs: 1000, requestTimeoutMs: 1500, timeoutCheckIntervalMs: 50 },
      },
      localFaults: [{ stallMs: 4000, stallAfterChunks: 2 }],
    });
    const stream = await h.openai.chat.completions.create({ ...ask, stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('echo: hi');
  });

  it('closes an idle keep-alive connection after keepAliveTimeoutMs', async () => {
    h = await startHarness({ gateway: { limits: { keepAliveTimeoutMs: 200 } } });
    const conn = await rawSocket(h.url);
    conn.socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    await until(() => conn.received().includes('"status":"ok"'), 'the health answer');
    expect(conn.received()).toMatch(/keep-alive/i);
    await until(conn.closed, 'the idle connection to close');
  });
});

describe('connection and request caps', () => {
  it('answers 503 with Retry-After in the caller shape beyond maxConcurrentRequests', async () => {
    h = await startHarness({
      gateway: { limits: { maxConcurrentRequests: 2 } },
      localFaults: [{ latencyMs: 30_000 }, { latencyMs: 30_000 }],
    });
    // Two calls held by the stalling upstream; they end with the harness.
    const held = [1, 2].map(() => h!.openai.chat.completions.create(ask).catch(() => undefined));
    await until(() => chatRequests(h!.local) === 2, 'two requests at the upstream');
    const openai = await fetch(`${h.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ask),
    });
    expect(openai.status).toBe(503);
    expect(openai.headers.get('retry-after')).toBe('1');
    expect(await openai.json()).toMatchObject({
      error: { type: 'server_error', code: 'gateway_overloaded' },
    });
    const anthropic = await fetch(`${h.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...ask, max_tokens: 8 }),
    });
    expect(anthropic.status).toBe(503);
    const body = (await anthropic.json()) as { error: { type: string; message: string } };
    expect(body.error.type).toBe('overloaded_error');
    expect(body.error.message).toContain('server.maxConcurrentRequests');
    // Monitoring still answers, and sees the refusals.
    const metrics = await fetch(`${h.url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain(
      'llm_failover_requests_refused_total{reason="overloaded"} 2',
    );
    expect(chatRequests(h.local)).toBe(2);
    await h.close();
    h = undefined;
    await Promise.all(held);
  });

  it('closes connections beyond maxConnections and counts them', async () => {
    h = await startHarness({ gateway: { limits: { maxConnections: 1 } } });
    const first = await rawSocket(h.url);
    first.socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    await until(() => first.received().includes('"status":"ok"'), 'the first connection');
    const second = await rawSocket(h.url);
    second.socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    await until(second.closed, 'the second connection to be dropped');
    expect(second.received()).toBe('');
    first.socket.write('GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    await until(
      () => first.received().includes('llm_failover_requests_refused_total'),
      'the metrics',
    );
    expect(first.received()).toContain(
      'llm_failover_requests_refused_total{reason="max_connections"} 1',
    );
  });
});

describe('config', () => {
  const backends = 'backends: { m: { type: mock } }\n';

  it('has safe defaults: receive timeouts within a minute, capped connections and requests', () => {
    const { server } = parseConfig(backends);
    expect(server.cors).toBeUndefined();
    expect(server.protectInfoEndpoints).toBeUndefined();
    const d = DEFAULT_REQUEST_LIMITS;
    // A trickling request is cut by the time its timeout plus one check interval has passed.
    expect(d.headersTimeoutMs + d.timeoutCheckIntervalMs).toBeLessThanOrEqual(60_000);
    expect(d.requestTimeoutMs + d.timeoutCheckIntervalMs).toBeLessThanOrEqual(60_000);
    expect(d.maxConnections).toBeGreaterThan(d.maxConcurrentRequests);
  });

  it('names the bad field: an origin with a path, a headers timeout over the request timeout', () => {
    expect(() =>
      parseConfig(
        `server: { cors: { allowedOrigins: ["http://localhost:5173/app"] } }\n${backends}`,
      ),
    ).toThrow(/server\.cors\.allowedOrigins\.0: expected a web origin/);
    expect(() =>
      parseConfig(`server: { headersTimeoutMs: 9000, requestTimeoutMs: 5000 }\n${backends}`),
    ).toThrow(/server\.headersTimeoutMs: must not exceed server\.requestTimeoutMs/);
    expect(() =>
      parseConfig(`server: { allowedHosts: ["https://x.example"] }\n${backends}`),
    ).toThrow(/server\.allowedHosts\.0/);
  });

  it('normalizes allowed origins to their serialized form', () => {
    const { server } = parseConfig(
      `server: { cors: { allowedOrigins: ["HTTP://LocalHost:5173/", "*"] } }\n${backends}`,
    );
    expect(server.cors?.allowedOrigins).toEqual(['http://localhost:5173', '*']);
  });
});

describe('startServer', () => {
  it('hands the config keys to the gateway: limits, allowed origins and the info-endpoint key', async () => {
    const configText = [
      'server:',
      '  apiKeys: [gw-key-0123456789]',
      '  protectInfoEndpoints: true',
      '  cors: { allowedOrigins: ["http://localhost:5173"] }',
      '  maxConcurrentRequests: 1',
      'backends: { m: { type: mock, faults: [{ latencyMs: 30000 }] } }',
      'routes: [{ match: "*", targets: [{ backend: m }] }]',
    ].join('\n');
    const server = await startServer({
      configText,
      port: 0,
      env: {},
      logger: createLogger({ level: 'silent' }),
    });
    try {
      expect((await fetch(`${server.url}/health`)).status).toBe(401);
      const key = { authorization: 'Bearer gw-key-0123456789' };
      const models = await fetch(`${server.url}/v1/models`, {
        headers: { ...key, origin: 'http://localhost:5173' },
      });
      expect(models.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
      const post = { method: 'POST', headers: { ...key, 'content-type': 'application/json' } };
      const body = JSON.stringify(ask);
      const held = fetch(`${server.url}/v1/chat/completions`, { ...post, body }).catch(
        () => undefined,
      );
      await until(() => server.router.backendStatus().length > 0, 'the router');
      let overloaded = 0;
      // The held request takes the only slot once it arrives; bounded retries until it has.
      for (let i = 0; i < 100 && overloaded === 0; i += 1) {
        const res = await fetch(`${server.url}/v1/models`, { headers: key });
        if (res.status === 503) overloaded += 1;
        else await sleep(20);
      }
      expect(overloaded).toBe(1);
      await server.close(0);
      await held;
    } finally {
      await server.close(0);
    }
  });
});
