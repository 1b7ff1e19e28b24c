import { assertNestingDepth, DEFAULT_MAX_NESTING_DEPTH } from './nesting-depth.js';
import type { IncomingMessage } from 'node:http';
import { LlmFailoverError, isLlmFailoverError } from '../errors/index.js';
import type { CancelSignal } from '../time/index.js';

/** Default request body limit: 10 MiB (images as data URLs make bodies large). */
export const DEFAULT_BODY_LIMIT_BYTES = 10 * 1024 * 1024;

function tooLarge(limit: number): LlmFailoverError {
  return new LlmFailoverError(
    'PAYLOAD_TOO_LARGE',
    `request body exceeds the limit of ${limit} bytes`,
    { status: 413 },
  );
}

/**
 * Why a request body stopped coming in before its end: node:http's `requestTimeout` (it answered
 * 408 itself and destroyed the socket with ERR_HTTP_REQUEST_TIMEOUT: a client too slow, not one
 * that left), or the client went away.
 */
function cutError(req: IncomingMessage, cause: unknown): LlmFailoverError {
  const errored = (req.socket as { errored?: { code?: unknown } | null } | null)?.errored;
  if (errored?.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return new LlmFailoverError(
      'REQUEST_TIMEOUT',
      'the request was not received in time (server.requestTimeoutMs)',
      { status: 408 },
    );
  }
  return new LlmFailoverError('ABORTED', 'client went away while sending the request', { cause });
}

/**
 * Reads the request body up to `limit` bytes. A declared `content-length` over the limit is
 * refused before reading anything; a body that grows past it stops being buffered at once.
 * `signal` stops the read: its reason (e.g. SHUTTING_DOWN when shutdown's grace ends) is thrown.
 * @throws LlmFailoverError PAYLOAD_TOO_LARGE (413), REQUEST_TIMEOUT (408, cut by the server's
 *   requestTimeout), ABORTED when the client goes away, or `signal`'s LlmFailoverError reason.
 */
export function readBody(
  req: IncomingMessage,
  limit: number,
  signal?: CancelSignal,
): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) return Promise.reject(tooLarge(limit));
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
      signal?.removeEventListener('abort', onAbort);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        chunks.length = 0;
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    };
    const onError = (cause: Error): void => {
      cleanup();
      reject(cutError(req, cause));
    };
    const onClose = (): void => {
      if (!req.complete) onError(new Error('request closed before its end'));
    };
    const onAbort = (): void => {
      const reason: unknown = signal?.reason;
      cleanup();
      reject(isLlmFailoverError(reason, 'SHUTTING_DOWN') ? reason : cutError(req, reason));
    };
    if (signal?.aborted === true) {
      onAbort();
      return;
    }
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
    signal?.addEventListener('abort', onAbort);
  });
}

/** Limits on a JSON request body. */
export interface JsonBodyLimits {
  /** Largest body, bytes (413 beyond). */
  bodyLimitBytes: number;
  /** Deepest nesting of arrays/objects (400 beyond). Default DEFAULT_MAX_NESTING_DEPTH. */
  maxNestingDepth?: number | undefined;
}

/**
 * Reads a request body and parses it as a JSON object, within `limits`: the one way every
 * endpoint that takes a JSON body reads it (size before buffering, nesting before parsing).
 * @throws as readBody, assertNestingDepth and parseJsonObject.
 */
export async function readJsonObject(
  req: IncomingMessage,
  limits: JsonBodyLimits,
  signal?: CancelSignal,
): Promise<Record<string, unknown>> {
  return (await readJsonBody(req, limits, signal)).value;
}

/** A JSON object request body and the bytes it was parsed from. */
export interface JsonBody {
  value: Record<string, unknown>;
  raw: Buffer;
}

/** As readJsonObject, also returning the body's bytes (a same-protocol route sends them on). */
export async function readJsonBody(
  req: IncomingMessage,
  limits: JsonBodyLimits,
  signal?: CancelSignal,
): Promise<JsonBody> {
  const raw = await readBody(req, limits.bodyLimitBytes, signal);
  assertNestingDepth(raw, limits.maxNestingDepth ?? DEFAULT_MAX_NESTING_DEPTH);
  return { value: parseJsonObject(raw), raw };
}

/**
 * Parses a request body as a JSON object.
 * @throws LlmFailoverError INVALID_REQUEST (400) naming the JSON problem, or saying what the
 * top-level value was instead of an object.
 */
export function parseJsonObject(raw: Buffer): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch (cause) {
    // V8 quotes a slice of the input in some messages; the body must never reach logs, so the
    // SyntaxError is not kept as `cause` either (toJSON() would print its message).
    const detail =
      cause instanceof Error
        ? cause.message.replace(/, ".*" is not valid JSON$/s, '')
        : 'unparsable';
    throw new LlmFailoverError('INVALID_REQUEST', `malformed JSON in request body: ${detail}`, {
      status: 400,
    });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const got = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
    throw new LlmFailoverError(
      'INVALID_REQUEST',
      `request body must be a JSON object, got ${got}`,
      { status: 400 },
    );
  }
  return value as Record<string, unknown>;
}
