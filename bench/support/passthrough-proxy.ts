import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { Pool } from 'undici';

/** A running pass-through proxy. */
export interface PassthroughProxy {
  url: string;
  close(): Promise<void>;
}

/**
 * The floor cost of one Node hop, for the gateway benchmark's baseline: node:http in, undici Pool
 * out; the JSON body is parsed and re-serialized (as any gateway must), the answer piped back.
 * No validation, routing, logging, retries or timeouts, on purpose.
 */
export async function startPassthroughProxy(upstreamUrl: string): Promise<PassthroughProxy> {
  const pool = new Pool(upstreamUrl, { connections: 2048, pipelining: 1 });
  const server = createServer((req, res) => void forward(pool, req, res));
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.close();
    },
  };
}

async function forward(pool: Pool, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const body = text === '' ? undefined : JSON.stringify(JSON.parse(text));
    const upstream = await pool.request({
      method: req.method === 'GET' ? 'GET' : 'POST',
      path: req.url ?? '/',
      headers: { 'content-type': 'application/json' },
      body: body ?? null,
    });
    const contentType = upstream.headers['content-type'];
    res.writeHead(
      upstream.statusCode,
      contentType === undefined ? {} : { 'content-type': contentType },
    );
    await pipeline(upstream.body, res);
  } catch {
    if (!res.headersSent) res.writeHead(502).end();
    else res.destroy();
  }
}
