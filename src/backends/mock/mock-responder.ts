import type { ServerResponse } from 'node:http';
import type { Clock } from '../../time/index.js';
import type { MockFault } from './mock-fault.js';

/** What a response writer needs for one request. */
export interface MockResponseContext {
  res: ServerResponse;
  fault: MockFault;
  clock: Clock;
  /** Aborted when the client goes away or the server closes: ends every wait at once. */
  signal: AbortSignal;
  chunkDelayMs: number;
  /** Called before the mock itself closes the connection (so it is not counted as a client disconnect). */
  markServerClosed(): void;
}

const JSON_HEADERS = { 'content-type': 'application/json' };
const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
};

/**
 * Ends the connection once the bytes written so far (`flushed` settles when the last write's
 * callback ran) have gone to the socket: the client sees a truncated body. Ending the socket
 * right after `res.write()` loses those bytes on Node 24, where the write may still be queued
 * in the response when it returns.
 */
async function cut(
  ctx: MockResponseContext,
  flushed: Promise<void> = Promise.resolve(),
): Promise<void> {
  ctx.markServerClosed();
  await flushed;
  ctx.res.socket?.end();
}

/** Writes `chunk`; the promise settles when it has been handed to the socket (or the write failed). */
function written(res: ServerResponse, chunk: string): Promise<void> {
  return new Promise<void>((resolve) => res.write(chunk, () => resolve()));
}

/** Destroys the connection with a TCP reset before any byte of the response. */
export function resetConnection(ctx: MockResponseContext): void {
  ctx.markServerClosed();
  const socket = ctx.res.socket;
  if (socket !== null) socket.resetAndDestroy();
}

/** Writes a JSON answer, applying stall / cut / malformed faults. */
export async function writeJson(
  ctx: MockResponseContext,
  status: number,
  text: string,
  extraHeaders?: Record<string, string>,
): Promise<void> {
  const { res, fault } = ctx;
  if (fault.firstByteDelayMs !== undefined)
    await ctx.clock.sleep(fault.firstByteDelayMs, ctx.signal);
  const body = fault.malformedSse === true ? text.slice(0, Math.ceil(text.length / 2)) : text;
  const headers = { ...JSON_HEADERS, ...extraHeaders, 'content-length': Buffer.byteLength(body) };
  res.writeHead(status, headers);
  if (fault.stallMs !== undefined) {
    res.flushHeaders();
    await ctx.clock.sleep(fault.stallMs, ctx.signal);
  }
  if (fault.cutAfterChunks !== undefined) {
    await cut(ctx, written(res, body.slice(0, Math.floor(body.length / 2))));
    return;
  }
  res.end(body);
}

/**
 * Writes an SSE answer. Without faults or delays the whole transcript goes out in one write
 * (the benchmark path); otherwise event by event so cuts, stalls and delays land between events.
 */
export async function writeEvents(
  ctx: MockResponseContext,
  events: readonly string[],
  inBandError: string,
  malformed: string,
): Promise<void> {
  const { res, fault } = ctx;
  res.writeHead(200, SSE_HEADERS);
  if (fault.errorFirstEvent === true) {
    res.end(inBandError);
    return;
  }
  const plain =
    ctx.chunkDelayMs === 0 &&
    fault.firstByteDelayMs === undefined &&
    fault.cutAfterChunks === undefined &&
    fault.stallMs === undefined &&
    fault.malformedSse !== true;
  if (plain) {
    res.end(events.join(''));
    return;
  }
  res.flushHeaders();
  if (fault.firstByteDelayMs !== undefined)
    await ctx.clock.sleep(fault.firstByteDelayMs, ctx.signal);
  const stallAt = fault.stallMs === undefined ? -1 : (fault.stallAfterChunks ?? 1);
  let flushed = Promise.resolve();
  for (let i = 0; i < events.length; i++) {
    if (i === fault.cutAfterChunks) return cut(ctx, flushed);
    if (i === stallAt) await ctx.clock.sleep(fault.stallMs ?? 0, ctx.signal);
    else if (i > 0 && ctx.chunkDelayMs > 0) await ctx.clock.sleep(ctx.chunkDelayMs, ctx.signal);
    flushed = written(res, events[i] ?? '');
    if (i === 0 && fault.malformedSse === true) flushed = written(res, malformed);
  }
  if (fault.cutAfterChunks !== undefined && fault.cutAfterChunks >= events.length)
    return cut(ctx, flushed);
  res.end();
}
