import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { isLlmFailoverError } from '../errors/index.js';
import type { Protocol } from '../protocols/protocol.js';
import { isAllBackendsFailedError, parseChatRequest } from '../routing/index.js';
import type {
  BackendRouter,
  Fallback,
  ParsedChatRequest,
  RoutedInfo,
  RoutedStream,
} from '../routing/index.js';
import { encodeSseEvent } from '../sse/index.js';
import type { SseBatch } from '../sse/sse-batch.js';
import type { CancelSignal, Clock } from '../time/index.js';
import { streamErrorBody } from './error-response.js';
import { wireProtocolOf } from '../protocols/index.js';
import type { SseEvent } from '../sse/sse-event.js';
import type { GatewayMetrics } from './gateway-metrics.js';
import { readJsonBody } from './request-body.js';
import { clientWentAway, shutdownReason } from './shutdown.js';
import {
  routedHeaders,
  sendError,
  sendJson,
  sseHeaders,
  writeSseBatches,
} from './response-writer.js';

/** One chat request in flight, with what its log line will say. */
export interface ChatExchange {
  req: IncomingMessage;
  res: ServerResponse;
  protocol: Protocol;
  requestId: string;
  /** Aborted when the client disconnects or the gateway shuts down. */
  signal: CancelSignal;
  startedAt: number;
}

interface Outcome {
  status: number;
  model?: string;
  stream?: boolean;
  routed?: RoutedInfo;
  error?: string;
  /** Time spent in the gateway itself, excluding the wait for backends. */
  overheadMs?: number;
  /** What an all-backends failure tried. */
  failed?: { attempts: number; fallbacks: readonly Fallback[] };
}

type Body = Record<string, unknown>;

/**
 * What an endpoint adds around routing (the Responses API's state): the body to route, and what
 * to do with the answer. Each may wait (a store), and none may fail the request once it is
 * answered.
 */
export interface ChatHooks {
  /** The body to route instead of the caller's (e.g. a continuation made self-contained). */
  prepare(body: Body): Promise<Body>;
  /** Runs before a non-streamed `answer` to the routed `body` is sent. */
  answered(body: Body, answer: Body): Promise<void>;
  /** The committed stream's batches as they are to be written (watched, not changed). */
  watch(body: Body, batches: AsyncIterable<SseBatch>): WatchedStream;
}

/** A committed stream as an endpoint's hooks watch it. */
export interface WatchedStream {
  batches: AsyncIterable<SseBatch>;
  /**
   * The event that ends the stream after a failure, given the error body in the caller's
   * protocol (Responses: `response.failed` for the response the caller saw created); undefined
   * for the protocol's own error event.
   */
  failedEvent(errorBody: Body): SseEvent | undefined;
}

/** What a chat handler needs; shared by every request. */
export interface ChatHandlerDeps {
  router: BackendRouter;
  metrics: GatewayMetrics;
  logger: Logger | undefined;
  clock: Clock;
  bodyLimitBytes: number;
  /** Deepest array/object nesting a request body may have (400 beyond). */
  maxNestingDepth?: number;
  /** The endpoint's hooks around routing; none for chat and messages. */
  hooks?: ChatHooks;
}

/**
 * POST /v1/chat/completions and /v1/messages: read and validate the body, route it, answer in the
 * caller's protocol. Streams are written as events arrive, with backpressure.
 */
export class ChatHandler {
  /**
   * The per-request line's logger: the same lines, without the redaction walk. Its fields are
   * fixed names (none a redact path) holding strings and numbers (no object a path could reach
   * into), so redaction could never censor anything in it, while its wildcard paths ran on every
   * field of every request (~1% of the busy time at the shipped level, issue 7).
   */
  private readonly requestLog: Logger | undefined;

  constructor(private readonly deps: ChatHandlerDeps) {
    this.requestLog = deps.logger?.child({}, { redact: [] });
  }

  /** Handles one exchange to the end; never throws. */
  async handle(ex: ChatExchange): Promise<void> {
    const outcome: Outcome = { status: 0 };
    try {
      const read = await readJsonBody(ex.req, this.deps, ex.signal);
      const hooks = this.deps.hooks;
      const body = hooks === undefined ? read.value : await hooks.prepare(read.value);
      // The one check of this request, of what routing reads (model, stream): router and backend
      // use it as it is; the rest is the upstream's (same protocol) or the translator's to judge.
      // The caller's bytes go along while they are still what `body` says (hooks that change a
      // body return a new object).
      const raw = body === read.value ? read.raw : undefined;
      const request = parseChatRequest(ex.protocol, body, raw);
      outcome.model = request.model;
      outcome.stream = request.stream;
      Object.assign(
        outcome,
        await (request.stream ? this.stream(ex, request) : this.plain(ex, request)),
      );
    } catch (caught) {
      // Cut off by shutdown: answer that (503), not the abort it caused downstream.
      const err = shutdownReason(ex.signal) ?? caught;
      // A body left unread (over the limit) would otherwise be read and discarded to its end.
      if (!ex.req.complete) ex.res.shouldKeepAlive = false;
      outcome.status = sendError(ex.res, err, ex.protocol, ex.requestId);
      outcome.error = isLlmFailoverError(err) ? err.code : 'INTERNAL';
      if (isAllBackendsFailedError(err)) {
        outcome.failed = { attempts: err.attempts ?? 0, fallbacks: err.failures };
      }
      if (!isLlmFailoverError(err)) {
        this.deps.logger?.error({ err, requestId: ex.requestId }, 'unexpected error');
      }
    }
    this.finish(ex, outcome);
  }

  private async plain(ex: ChatExchange, request: ParsedChatRequest): Promise<Outcome> {
    const routedAt = this.deps.clock.now();
    const result = await this.deps.router.chat(ex.protocol, request.body, {
      signal: ex.signal,
      request,
      callerHeaders: ex.req.headers,
    });
    const answeredAt = this.deps.clock.now();
    // Stored before it is sent: a caller that continues from it at once finds it.
    if (this.deps.hooks !== undefined) await this.deps.hooks.answered(request.body, result.body);
    // A same-protocol answer goes out as the upstream's bytes: its JSON, not re-stringified.
    sendJson(
      ex.res,
      200,
      result.bytes ?? JSON.stringify(result.body),
      routedHeaders(result, ex.protocol, ex.requestId),
    );
    const overheadMs = routedAt - ex.startedAt + (this.deps.clock.now() - answeredAt);
    return { status: 200, routed: result, overheadMs };
  }

  private async stream(ex: ChatExchange, request: ParsedChatRequest): Promise<Outcome> {
    const routedAt = this.deps.clock.now();
    const routed = await this.deps.router.chatStream(ex.protocol, request.body, {
      signal: ex.signal,
      request,
      callerHeaders: ex.req.headers,
    });
    const committedAt = this.deps.clock.now();
    try {
      ex.res.writeHead(200, sseHeaders(routed, ex.protocol, ex.requestId));
    } catch (err) {
      routed.cancel();
      throw err;
    }
    const hooks = this.deps.hooks;
    const watched =
      hooks === undefined ? { batches: routed.batches } : hooks.watch(request.body, routed.batches);
    const error = await this.pump(ex, routed, watched, committedAt - routedAt);
    return error === undefined ? { status: 200, routed } : { status: 200, routed, error };
  }

  /** Writes the events; returns the error code when the stream failed after the commit. */
  private async pump(
    ex: ChatExchange,
    routed: RoutedStream,
    watched: Partial<WatchedStream> & Pick<WatchedStream, 'batches'>,
    routingMs: number,
  ): Promise<string | undefined> {
    const { res } = ex;
    try {
      await writeSseBatches(res, watched.batches, () => {
        const elapsed = this.deps.clock.now() - ex.startedAt;
        this.deps.metrics.observeTimeToFirstByte(ex.protocol, elapsed);
        // Everything up to the first byte except the wait for the backend's first content.
        this.deps.metrics.observeOverhead(ex.protocol, elapsed - routingMs);
      });
      res.end();
      return undefined;
    } catch (caught) {
      const shutdown = shutdownReason(ex.signal);
      if (res.destroyed || (ex.signal.aborted && shutdown === undefined)) return 'ABORTED';
      const err = shutdown ?? caught;
      // Committed: never a clean end. The error event, and no [DONE] / message_stop.
      const body = streamErrorBody(err, ex.protocol, ex.requestId);
      const event = watched.failedEvent?.(body) ?? wireProtocolOf(ex.protocol).errorEvent(body);
      res.end(encodeSseEvent(event));
      this.deps.metrics.recordTruncated(ex.protocol, routed.backend);
      return isLlmFailoverError(err) ? err.code : 'INTERNAL';
    }
  }

  private finish(ex: ChatExchange, outcome: Outcome): void {
    const { metrics, clock } = this.deps;
    const logger = this.requestLog;
    // A client that went away (nginx's 499); a shutdown answered its callers itself.
    const clientGone = clientWentAway(ex.signal, outcome.error);
    const status = clientGone && outcome.status >= 400 ? 499 : outcome.status;
    metrics.recordRequest(ex.protocol, status);
    if (outcome.overheadMs !== undefined) metrics.observeOverhead(ex.protocol, outcome.overheadMs);
    if (logger === undefined) return;
    const r = outcome.routed ?? outcome.failed;
    const fallbacks = r?.fallbacks ?? [];
    logger.info(
      {
        requestId: ex.requestId,
        protocol: ex.protocol,
        // Caller-chosen: cut so a huge name cannot bloat the log.
        model: outcome.model?.slice(0, 200),
        stream: outcome.stream,
        backend: outcome.routed?.backend,
        attempts: r?.attempts,
        fallbacks:
          fallbacks.length > 0
            ? fallbacks.map((f) => `${f.backend}:${f.reason}`).join(',')
            : undefined,
        status,
        error: outcome.error,
        ms: Math.round((clock.now() - ex.startedAt) * 100) / 100,
      },
      'request',
    );
  }
}
