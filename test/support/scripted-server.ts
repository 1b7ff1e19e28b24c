import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { SseEvent } from '../../src/sse/sse-event.js';
import { encodeSseEvent } from '../../src/sse/encode-sse-event.js';

/** One step of a scripted SSE transcript. */
export type SseStep =
  /** An event, encoded with `encodeSseEvent`. */
  | SseEvent
  /** Raw text written as is (comments such as `: ping\n\n`, malformed lines). */
  | { raw: string }
  /** Wait for this promise before writing the next step (lets a test pace the stream). */
  | { wait: Promise<unknown> };

/** What the server answers one request with. */
export type ScriptedResponse =
  /** A JSON (or raw text when `text` is given) response, sent once `wait` (if any) settles. */
  | {
      type: 'json';
      wait?: Promise<unknown>;
      status?: number;
      headers?: Record<string, string>;
      body?: unknown;
      text?: string;
    }
  /**
   * An SSE transcript. After `cutAfter` steps the socket is destroyed (a cut); after `stallAfter`
   * steps nothing more is written until the server closes; otherwise the body ends cleanly after
   * the last step (whether or not the transcript holds a terminal event).
   */
  | {
      type: 'sse';
      status?: number;
      headers?: Record<string, string>;
      events: SseStep[];
      cutAfter?: number;
      stallAfter?: number;
    }
  /** Never answer (the request hangs until the client gives up or the server closes). */
  | { type: 'stall' }
  /** Destroy the socket before writing any byte. */
  | { type: 'reset' };

/** A request as the server saw it. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** The raw request body text. */
  body: string;
}

/** Options of `ScriptedServer.start`. */
export interface ScriptedServerOptions {
  /** Answer for requests when the script queue is empty. Default: 200 `{ ok: true }`. */
  fallback?: ScriptedResponse | ((request: RecordedRequest, index: number) => ScriptedResponse);
}

/**
 * A scripted upstream on 127.0.0.1:0 for loopback tests and benchmarks: each request takes the
 * next queued response (or the fallback), every request is recorded, and connections the client
 * closed while a response was still in flight are counted.
 *
 * @example
 * const server = await ScriptedServer.start();
 * const hold = gate();
 * server.script(
 *   { type: 'json', status: 503, headers: { 'retry-after': '1' } },
 *   { type: 'sse', events: [{ data: '{"n":0}' }, { wait: hold.promise }, { data: '[DONE]' }] },
 * );
 * // ... drive the client; hold.open() releases the rest of the stream
 * expect(server.requests).toHaveLength(2);
 * await server.waitForClientClose(1); // e.g. after the consumer broke out early
 * await server.close();
 */
export class ScriptedServer {
  readonly requests: RecordedRequest[] = [];
  /** Total TCP connections accepted. */
  connections = 0;
  /** Responses whose connection the client closed before the server ended them. */
  closedByClient = 0;
  private readonly queue: ScriptedResponse[] = [];
  private fallback: NonNullable<ScriptedServerOptions['fallback']>;
  private readonly sockets = new Set<Socket>();
  private readonly waiters: { check: () => boolean; resolve: () => void }[] = [];
  private closing = false;
  /** Responses the server itself cut (reset, cutAfter): their close is not the client's doing. */
  private readonly cutByServer = new WeakSet<ServerResponse>();
  private releaseStalls!: () => void;
  private readonly stalled: Promise<void>;

  private constructor(
    private readonly server: Server,
    options: ScriptedServerOptions,
  ) {
    this.fallback = options.fallback ?? { type: 'json', status: 200, body: { ok: true } };
    this.stalled = new Promise<void>((resolve) => (this.releaseStalls = resolve));
  }

  /** Starts a server on 127.0.0.1 with an OS-assigned port. */
  static async start(options: ScriptedServerOptions = {}): Promise<ScriptedServer> {
    const server = createServer();
    const scripted = new ScriptedServer(server, options);
    server.keepAliveTimeout = 60_000;
    server.on('connection', (socket: Socket) => scripted.onConnection(socket));
    server.on('request', (req: IncomingMessage, res: ServerResponse) =>
      scripted.onRequest(req, res),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return scripted;
  }

  /** `http://127.0.0.1:PORT` */
  get url(): string {
    const address = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${address.port}`;
  }

  /** Queues responses, one per upcoming request, in order. */
  script(...responses: ScriptedResponse[]): this {
    this.queue.push(...responses);
    return this;
  }

  /** Replaces the answer used once the queue is empty. */
  setFallback(fallback: NonNullable<ScriptedServerOptions['fallback']>): this {
    this.fallback = fallback;
    return this;
  }

  /** Resolves once at least `count` requests have arrived. */
  waitForRequests(count: number): Promise<void> {
    return this.waitUntil(() => this.requests.length >= count);
  }

  /** Resolves once the client has closed at least `count` in-flight responses. */
  waitForClientClose(count = 1): Promise<void> {
    return this.waitUntil(() => this.closedByClient >= count);
  }

  /** Stops listening and destroys every open connection (stalled responses included). */
  async close(): Promise<void> {
    this.closing = true;
    this.releaseStalls();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private onConnection(socket: Socket): void {
    this.connections++;
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      const index = this.requests.length;
      this.requests.push(recorded);
      res.on('close', () => {
        if (!res.writableFinished && !this.closing && !this.cutByServer.has(res))
          this.closedByClient++;
        this.notify();
      });
      const next = this.queue.shift() ?? this.fallback;
      const response = typeof next === 'function' ? next(recorded, index) : next;
      this.notify();
      void this.respond(res, response);
    });
  }

  private async respond(res: ServerResponse, response: ScriptedResponse): Promise<void> {
    switch (response.type) {
      case 'json': {
        if (response.wait !== undefined) {
          await Promise.race([response.wait, this.stalled]);
          if (this.closing || res.destroyed) return;
        }
        const text = response.text ?? JSON.stringify(response.body ?? {});
        res.writeHead(response.status ?? 200, {
          'content-type': response.text === undefined ? 'application/json' : 'text/plain',
          'content-length': Buffer.byteLength(text),
          ...response.headers,
        });
        res.end(text);
        return;
      }
      case 'sse':
        return this.respondSse(res, response);
      case 'stall':
        return;
      case 'reset':
        this.cutByServer.add(res);
        res.socket?.destroy();
        return;
    }
  }

  private async respondSse(
    res: ServerResponse,
    response: Extract<ScriptedResponse, { type: 'sse' }>,
  ): Promise<void> {
    res.writeHead(response.status ?? 200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      ...response.headers,
    });
    res.flushHeaders();
    let written = 0;
    let flushed: Promise<void> = Promise.resolve();
    for (const step of response.events) {
      if (written === response.cutAfter) break;
      if (written === response.stallAfter) break;
      if ('wait' in step) {
        await Promise.race([step.wait, this.stalled]);
        if (this.closing || res.destroyed) return;
        continue;
      }
      if (res.destroyed) return;
      flushed = new Promise<void>((resolve) =>
        res.write('raw' in step ? step.raw : encodeSseEvent(step), () => resolve()),
      );
      written++;
    }
    if (written === response.cutAfter) {
      // Let the written bytes leave before the cut, as a real mid-stream failure would.
      await flushed;
      this.cutByServer.add(res);
      res.socket?.destroy();
      return;
    }
    if (written === response.stallAfter) return;
    res.end();
  }

  private waitUntil(check: () => boolean): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise<void>((resolve) => this.waiters.push({ check, resolve }));
  }

  private notify(): void {
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const waiter = this.waiters[i];
      if (waiter !== undefined && waiter.check()) {
        this.waiters.splice(i, 1);
        waiter.resolve();
      }
    }
  }
}

/** A promise plus the function that resolves it, for pacing scripted streams. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}
