import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { systemClock } from '../../time/index.js';
import type { Clock } from '../../time/index.js';
import { ConditionWaiters } from './condition-waiters.js';
import type { MockFault } from './mock-fault.js';
import { parseMockFaultHeader, MOCK_FAULT_HEADER } from './mock-fault.js';
import type { MockResponseContext } from './mock-responder.js';
import { answerRequest } from './mock-answer.js';
import { errorBody, protocolOf, readBody, recordOf } from './mock-routes.js';

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

/**
 * A deterministic upstream speaking the three wire formats on a real node:http server: OpenAI
 * `POST /v1/chat/completions`, Anthropic `POST /v1/messages`, OpenAI Responses
 * `POST /v1/responses` (and each OpenAI path without `/v1`), and `GET /v1/models`. It answers
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
  private readonly waiters = new ConditionWaiters();
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
    this.url = urlOf(server.address() as AddressInfo);
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
    return this.waiters.wait(() => this.received >= count);
  }

  /** Resolves once at least `count` clients have gone away mid-answer. */
  waitForClientDisconnects(count: number): Promise<void> {
    return this.waiters.wait(() => this.disconnects >= count);
  }

  /** Stops listening, ends every pending delay and closes every connection. */
  async close(): Promise<void> {
    this.closing = true;
    for (const controller of this.inFlight) controller.abort();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const exchange = this.track(res);
    try {
      const record = recordOf(req, await readBody(req));
      this.received++;
      if (this.record) this.requests.push(record);
      this.waiters.check();
      const fault = this.takeFault(req, res, record);
      if (fault === undefined) return;
      const clock = this.clock;
      const ctx: MockResponseContext = {
        res,
        fault,
        clock,
        get signal() {
          return exchange.signal();
        },
        chunkDelayMs: this.chunkDelayMs,
        markServerClosed: exchange.markServerClosed,
      };
      await answerRequest(ctx, record, () => ++this.seq);
    } catch {
      // Aborted waits (client gone, server closing) and unreadable requests end here.
      exchange.markServerClosed();
      res.destroy();
    }
  }

  /**
   * Watches one response: counts a client that leaves before the answer is complete and ends
   * the request's waits then. The AbortController exists only once something waits: most
   * answers never do, and one per request is a measurable share of this server's cost.
   */
  private track(res: ServerResponse): { signal: () => AbortSignal; markServerClosed: () => void } {
    let controller: AbortController | undefined;
    let serverClosed = false;
    let gone = false;
    res.once('close', () => {
      gone = true;
      if (controller !== undefined) this.inFlight.delete(controller);
      if (!res.writableFinished && !serverClosed && !this.closing) {
        this.disconnects++;
        controller?.abort();
        this.waiters.check();
      }
    });
    res.on('error', () => undefined);
    return {
      signal: () => {
        if (controller === undefined) {
          controller = new AbortController();
          // A wait starting after the connection closed must end at once, not run its course.
          if (gone) controller.abort();
          else this.inFlight.add(controller);
        }
        return controller.signal;
      },
      markServerClosed: () => {
        serverClosed = true;
      },
    };
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
}

/** The URL clients should use: a wildcard bind is reached through loopback. */
function urlOf(address: AddressInfo): string {
  const { address: host, family, port } = address;
  if (host === '0.0.0.0' || host === '::') return `http://127.0.0.1:${port}`;
  return family === 'IPv6' ? `http://[${host}]:${port}` : `http://${host}:${port}`;
}
