import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChatStream } from '../../src/backends/index.js';
import { encodeSseEvent } from '../../src/sse/index.js';
import type { SseEvent } from '../../src/sse/index.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire JSON is probed field by field
export type Json = any;

/** Drains a ChatStream, returning every event; rethrows with the events seen so far attached. */
export async function collect(stream: AsyncIterable<SseEvent>): Promise<SseEvent[]> {
  const out: SseEvent[] = [];
  try {
    for await (const event of stream) out.push(event);
  } catch (err) {
    (err as { seen?: SseEvent[] }).seen = out;
    throw err;
  }
  return out;
}

/** Runs `fn` expecting it to reject; returns the error and the events seen before it. */
export async function collectFailure(
  stream: AsyncIterable<SseEvent>,
): Promise<{ error: Json; seen: SseEvent[] }> {
  try {
    await collect(stream);
  } catch (err) {
    return { error: err, seen: (err as { seen: SseEvent[] }).seen };
  }
  throw new Error('expected the stream to fail');
}

/** A loopback node:http server on 127.0.0.1:0. */
export async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ server: Server; url: string; close: () => Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A server that answers every request by writing the stream `make()` returns as SSE: how the
 * gateway will serve a ChatStream, so the official SDKs can judge the encoding.
 */
export function serveChatStream(make: () => ChatStream) {
  return listen((req, res) => {
    req.resume();
    req.once('end', () => {
      void (async () => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        try {
          for await (const event of make()) res.write(encodeSseEvent(event));
          res.end();
        } catch {
          res.destroy();
        }
      })();
    });
  });
}

/** A server that answers every POST with a fixed SSE transcript (written as given). */
export function rawSseServer(transcript: string) {
  const bodies: Json[] = [];
  const started = listen((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.once('end', () => {
      bodies.push(JSON.parse(raw));
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(transcript);
    });
  });
  return { started, bodies };
}
