import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChatResult, ChatStream } from '../../src/backends/index.js';
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
 * A server that answers every POST by handing its JSON body to `make` and writing the ChatStream
 * it returns as SSE (or, for a ChatResult, as JSON): how the gateway will serve them, so the
 * official SDKs can judge the encoding. A stream failure destroys the response, as a cut would.
 */
export function serveBackend(
  make: (body: Record<string, unknown>) => ChatStream | Promise<ChatResult>,
) {
  return listen((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.once('end', () => {
      void (async () => {
        try {
          const answer = make(JSON.parse(raw) as Record<string, unknown>);
          if (answer instanceof Promise) {
            const result = await answer;
            res.writeHead(200, { 'content-type': 'application/json' });
            res.end(JSON.stringify(result.body));
            return;
          }
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          for await (const event of answer) res.write(encodeSseEvent(event));
          res.end();
        } catch {
          res.destroy();
        }
      })();
    });
  });
}

/** A server that answers every POST with a fixed SSE transcript (written as given). */
export function rawSseServer(transcript: string, contentType = 'text/event-stream') {
  const bodies: Json[] = [];
  const started = listen((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.once('end', () => {
      bodies.push(JSON.parse(raw));
      res.writeHead(200, { 'content-type': contentType });
      res.end(transcript);
    });
  });
  return { started, bodies };
}
