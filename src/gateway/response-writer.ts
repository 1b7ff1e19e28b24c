import type { ServerResponse } from 'node:http';
import { wireProtocolOf } from '../protocols/index.js';
import type { Protocol } from '../protocols/protocol.js';
import type { RoutedInfo } from '../routing/index.js';
import type { SseBatch } from '../sse/sse-batch.js';
import { errorResponse } from './error-response.js';
import { fallbackHeader, headerSafe, notesHeader } from './header-values.js';

/** The x-llm-failover-* headers that say how an answer was obtained. */
export function routedHeaders(
  info: RoutedInfo,
  protocol: Protocol,
  requestId: string,
): Record<string, string> {
  const headers: Record<string, string> = {
    'x-request-id': requestId,
    'x-llm-failover-backend': headerSafe(info.backend),
    'x-llm-failover-attempts': String(info.attempts),
  };
  if (info.fallbacks.length > 0) {
    headers['x-llm-failover-fallback'] = fallbackHeader(info.fallbacks);
  }
  const idHeader = wireProtocolOf(protocol).requestIdHeader;
  if (idHeader !== undefined) headers[idHeader] = requestId;
  if (info.notes.length > 0) headers['x-llm-failover-notes'] = notesHeader(info.notes);
  return headers;
}

/** Sends a complete JSON answer (text, or its UTF-8 bytes). */
export function sendJson(
  res: ServerResponse,
  status: number,
  json: string | Buffer,
  headers: Record<string, string>,
): void {
  headers['content-type'] = 'application/json';
  headers['content-length'] = String(
    typeof json === 'string' ? Buffer.byteLength(json) : json.length,
  );
  res.writeHead(status, headers);
  res.end(json);
}

/**
 * Answers `err` in the caller's protocol and returns the status sent. Nothing is written when the
 * response has already started or the client is gone (the status is still reported, for logs).
 */
export function sendError(
  res: ServerResponse,
  err: unknown,
  protocol: Protocol,
  requestId: string,
): number {
  const answer = errorResponse(err, protocol, requestId);
  if (res.headersSent || res.destroyed) return answer.status;
  res.writeHead(answer.status, answer.headers);
  res.end(answer.body);
  return answer.status;
}

/** Headers of a committed event stream. */
export function sseHeaders(
  info: RoutedInfo,
  protocol: Protocol,
  requestId: string,
): Record<string, string> {
  const headers = routedHeaders(info, protocol, requestId);
  headers['content-type'] = 'text/event-stream; charset=utf-8';
  headers['cache-control'] = 'no-cache';
  // Reverse proxies (nginx) must not hold events back.
  headers['x-accel-buffering'] = 'no';
  return headers;
}

/** Resolves when `res` can take more data, or when it closed (the writer then stops). */
export function drained(res: ServerResponse): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/**
 * Writes a committed stream: one `res.write` per batch (its text is already framed), waiting on
 * backpressure. Stops quietly when the client is gone; errors of `batches` propagate so the caller
 * can end with the protocol's error event. `onFirstWrite` runs once, after the first write.
 */
export async function writeSseBatches(
  res: ServerResponse,
  batches: AsyncIterable<SseBatch>,
  onFirstWrite: () => void,
): Promise<void> {
  let first = true;
  for await (const batch of batches) {
    if (res.destroyed) break;
    if (batch.text.length === 0) continue;
    // The upstream's own bytes when the batch has them: no second UTF-8 encoding of the text.
    const writable = res.write(batch.bytes ?? batch.text);
    if (first) {
      first = false;
      onFirstWrite();
    }
    if (!writable) await drained(res);
  }
}
