import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Protocol } from '../../protocols/protocol.js';
import { systemClock } from '../../time/index.js';
import type { Clock } from '../../time/index.js';
import {
  ANTHROPIC_IN_BAND_ERROR_EVENT,
  ANTHROPIC_MALFORMED_EVENT,
  anthropicMockEvents,
  anthropicMockJson,
} from './anthropic-mock-wire.js';
import type { MockFault } from './mock-fault.js';
import { parseMockFaultHeader, MOCK_FAULT_HEADER } from './mock-fault.js';
import type { MockResponseContext } from './mock-responder.js';
import { resetConnection, writeEvents, writeJson } from './mock-responder.js';
import { buildMockTurn } from './mock-turn.js';
import {
  OPENAI_IN_BAND_ERROR_EVENT,
  OPENAI_MALFORMED_EVENT,
  openAIMockEvents,
  openAIMockJson,
} from './openai-mock-wire.js';
import { errorBody, modelsBody, parseBody, protocolOf, readBody, routeOf } from './mock-routes.js';

/** Options of MockUpstreamServer.start. */
export interface MockUpstreamOptions {
  /** Default `127.0.0.1`. */
  host?: string;
  /** Default 0 (an ephemeral port). */
  port?: number;
  /** Initial fault script, consumed one per request. */
  faults?: MockFault[];
  /** Delay between streamed events. Default 0 (the whole transcript in one write). */
  chunkDelayMs?: number;
  /** Clock for every delay (latency, stalls, chunk delays). Default the system clock. */
  clock?: Clock;
  /** Keep every request in `requests`. Default true; turn off for long benchmark runs (memory). */
  recordRequests?: boolean;
}

/** One request the mock received, as it arrived. */
export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body; the raw text when it was not JSON; undefined when empty. */
  body: unknown;
}

interface Waiter {
  done: () => boolean;
  resolve: () => void;
}

/**
 * A deterministic upstream speaking both wire formats on a real node:http server: OpenAI
 * `POST /v1/chat/completions`, Anthropic `POST /v1/messages`, and `GET /v1/models`. It answers
 * `echo: <last user text>` (tool calls when the request has tools and the text starts with
 * `call tool`), and misbehaves on demand: faults are taken one per request from the script, or
 * from the request's `x-mock-fault` JSON header (which leaves the script untouched). Faults apply
 * to every route, models included, so a health probe can be made to fail too.
 */
export class MockUpstreamServer {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** Base URL for an OpenAI client: `url + '/v1'`. */
  readonly openaiBaseUrl: string;
  /** Base URL for an Anthropic client (the SDK adds `/v1`): `url`. */
  readonly anthropicBaseUrl: string;
  /** Every request received, in arrival order (empty when `recordRequests` is false). */
  readonly requests: RecordedRequest[] = [];
  private readonly queue: MockFault[];
  private readonly inFlight = new Set<AbortController>();
  private readonly waiters: Waiter[] = [];
  private disconnects = 0;
  private received = 0;
  private seq = 0;
  private closing = false;

  private constructor(
    private readonly server: Server,
    private readonly clock: Clock,
    private readonly chunkDelayMs: number,
    faults: MockFault[],
    private readonly record: boolean,
  ) {
    const { port } = server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    this.openaiBaseUrl = `${this.url}/v1`;
    this.anthropicBaseUrl = this.url;
    this.queue = [...faults];
  }

  /** Starts listening (default 127.0.0.1, port 0) and resolves once bound. */
  static async start(options: MockUpstreamOptions = {}): Promise<MockUpstreamServer> {
    const ref: { instance?: MockUpstreamServer } = {};
    const server = createServer((req, res) => {
      void ref.instance?.handle(req, res);
    });
    // Benchmark clients hold connections open between requests; Node's 5 s default would churn them.
    server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const instance = new MockUpstreamServer(
      server,
      options.clock ?? systemClock,
      options.chunkDelayMs ?? 0,
      options.faults ?? [],
      options.recordRequests ?? true,
    );
    ref.instance = instance;
    return instance;
  }

  /** Queues faults, consumed one per request (after any already queued). */
  script(...faults: MockFault[]): void {
    this.queue.push(...faults);
  }

  /** Faults still queued. */
  get pendingFaults(): number {
    return this.queue.length;
  }

  /** Requests whose client closed the connection before the answer was complete. */
  get clientDisconnects(): number {
    return this.disconnects;
  }

  /** Requests received so far (counted even when not recorded). */
  get requestCount(): number {
    return this.received;
  }

  /** Resolves once at least `count` requests have been received. */
  waitForRequests(count: number): Promise<void> {
    return this.waitUntil(() => this.received >= count);
  }

  /** Resolves once at least `count` clients have gone away mid-answer. */
  waitForClientDisconnects(count: number): Promise<void> {
    return this.waitUntil(() => this.disconnects >= count);
  }

  /** Stops listening, ends every pending delay and closes every connection. */
  async close(): Promise<void> {
    this.closing = true;
    for (const controller of this.inFlight) controller.abort();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private waitUntil(done: () => boolean): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise<void>((resolve) => this.waiters.push({ done, resolve }));
  }

  private notify(): void {
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const w = this.waiters[i];
      if (w?.done() === true) {
        this.waiters.splice(i, 1);
        w.resolve();
      }
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // The AbortController exists only once something waits: most answers never do, and an
    // AbortController per request is a measurable share of this server's cost.
    let controller: AbortController | undefined;
    let serverClosed = false;
    let gone = false;
    const signal = (): AbortSignal => {
      if (controller === undefined) {
        controller = new AbortController();
        // A wait starting after the connection closed must end at once, not run its course.
        if (gone) controller.abort();
        else this.inFlight.add(controller);
      }
      return controller.signal;
    };
    res.once('close', () => {
      gone = true;
      if (controller !== undefined) this.inFlight.delete(controller);
      if (!res.writableFinished && !serverClosed && !this.closing) {
        this.disconnects++;
        controller?.abort();
        this.notify();
      }
    });
    res.on('error', () => undefined);
    try {
      const raw = await readBody(req);
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const record: RecordedRequest = {
        method: req.method ?? 'GET',
        path: q === -1 ? url : url.slice(0, q),
        headers: req.headers,
        body: parseBody(raw),
      };
      this.received++;
      if (this.record) this.requests.push(record);
      if (this.waiters.length > 0) this.notify();
      const fault = this.takeFault(req, res, record);
      if (fault === undefined) return;
      const ctx: MockResponseContext = {
        res,
        fault,
        clock: this.clock,
        get signal() {
          return signal();
        },
        chunkDelayMs: this.chunkDelayMs,
        markServerClosed: () => (serverClosed = true),
      };
      await this.respond(ctx, record);
    } catch {
      // Aborted waits (client gone, server closing) and unreadable requests end here.
      serverClosed = true;
      res.destroy();
    }
  }

  /** The header's fault wins over the script; an invalid header is answered 400 at once. */
  private takeFault(
    req: IncomingMessage,
    res: ServerResponse,
    record: RecordedRequest,
  ): MockFault | undefined {
    try {
      const fromHeader = parseMockFaultHeader(req.headers[MOCK_FAULT_HEADER]);
      if (fromHeader !== undefined) return fromHeader;
    } catch (err) {
      const body = errorBody(protocolOf(record), 400, (err as Error).message);
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      return undefined;
    }
    return this.queue.shift() ?? {};
  }

  private async respond(ctx: MockResponseContext, record: RecordedRequest): Promise<void> {
    const { fault } = ctx;
    if (fault.latencyMs !== undefined) await this.clock.sleep(fault.latencyMs, ctx.signal);
    if (fault.resetConnection === true) return resetConnection(ctx);
    const protocol = protocolOf(record);
    if (fault.status !== undefined) {
      const body = fault.body ?? errorBody(protocol, fault.status, `mock fault ${fault.status}`);
      const headers: Record<string, string> = {};
      if (fault.retryAfterSeconds !== undefined)
        headers['retry-after'] = `${fault.retryAfterSeconds}`;
      return writeJson(ctx, fault.status, JSON.stringify(body), headers);
    }
    const route = routeOf(record);
    if (route === 'models') return writeJson(ctx, 200, modelsBody(protocol));
    if (route === undefined) {
      const body = errorBody(protocol, 404, `no route for ${record.method} ${record.path}`);
      return writeJson(ctx, 404, JSON.stringify(body));
    }
    return this.chat(ctx, route, record.body);
  }

  private async chat(ctx: MockResponseContext, protocol: Protocol, body: unknown): Promise<void> {
    if (typeof body !== 'object' || body === null) {
      const err = errorBody(protocol, 400, 'request body must be a JSON object');
      return writeJson(ctx, 400, JSON.stringify(err));
    }
    const created = Math.floor(this.clock.wallNow() / 1000);
    const turn = buildMockTurn(protocol, body as Record<string, unknown>, ++this.seq, created);
    const openai = protocol === 'openai';
    if (!turn.stream) {
      const text = ctx.fault.body !== undefined ? JSON.stringify(ctx.fault.body) : undefined;
      return writeJson(ctx, 200, text ?? (openai ? openAIMockJson(turn) : anthropicMockJson(turn)));
    }
    return openai
      ? writeEvents(ctx, openAIMockEvents(turn), OPENAI_IN_BAND_ERROR_EVENT, OPENAI_MALFORMED_EVENT)
      : writeEvents(
          ctx,
          anthropicMockEvents(turn),
          ANTHROPIC_IN_BAND_ERROR_EVENT,
          ANTHROPIC_MALFORMED_EVENT,
        );
  }
}
