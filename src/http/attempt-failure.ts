import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import { LlmFailoverError, redactSecrets } from '../errors/index.js';
import type { ErrorCode, ErrorFacts } from '../errors/index.js';
import { RETRYABLE_STATUSES, parseRetryAfterMs, parseShouldRetry } from '../resilience/index.js';
import type { GiveUpReason } from '../resilience/index.js';
import type { ClientCore } from './client-core.js';
import type { CancelSignal } from '../time/index.js';

/** What went wrong with one attempt, and what it means for retry and breaker. */
export interface AttemptFailure {
  code: ErrorCode;
  /** Worth another attempt; any `x-should-retry` override is already applied. */
  retryable: boolean;
  /** True: a breaker failure. False: the caller's fault (400, 404, ...): release the permit. */
  blameBackend: boolean;
  /** Short, secret-free description for the message ("HTTP 503", "connection refused"). */
  detail: string;
  status?: number;
  retryAfterMs?: number;
  upstreamBody?: unknown;
  cause?: unknown;
}

/** Where in an attempt an error surfaced. */
export type AttemptPhase = 'request' | 'body';

// Error bodies are facts for logs and callers, not payloads: keep them bounded.
const MAX_ERROR_BODY_CHARS = 16_384;
/**
 * Bytes of an error body worth holding: MAX_ERROR_BODY_CHARS characters of any UTF-8 plus 1,024
 * more, so a key (shorter than that) starting inside the kept part is whole when it is redacted.
 */
export const MAX_ERROR_BODY_BYTES = 4 * (MAX_ERROR_BODY_CHARS + 1_024);

/** Default largest 2xx body of a non-streaming answer: 32 MiB, far above any real chat answer. */
export const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

/**
 * Abort reason when an answer outgrows its limit. Why not a breaker failure or a retry: the
 * backend answered (it is up); the same request would bring the same oversized answer again.
 */
export class ResponseTooLarge extends Error {
  constructor(readonly detail: string) {
    super(detail);
    this.name = 'ResponseTooLarge';
  }
}

/** The failure of an answer over a size limit: not retried, not held against the backend. */
export function tooLargeFailure(detail: string, status?: number): AttemptFailure {
  const failure: AttemptFailure = {
    code: 'UPSTREAM_RESPONSE_TOO_LARGE',
    retryable: false,
    blameBackend: false,
    detail,
  };
  if (status !== undefined) failure.status = status;
  return failure;
}

function codeForStatus(status: number): ErrorCode {
  if (status === 401 || status === 403) return 'UPSTREAM_AUTH';
  if (status === 429) return 'RATE_LIMITED';
  if (status === 408) return 'TIMEOUT';
  if (status >= 500 || status === 409) return 'UPSTREAM_SERVER';
  return 'UPSTREAM_BAD_REQUEST';
}

/** Classifies a non-2xx streamed response; reads (and redacts) its body. */
export async function statusFailure(
  core: ClientCore,
  response: Dispatcher.ResponseData,
): Promise<AttemptFailure> {
  let text = '';
  try {
    text = await readErrorBody(response.body);
  } catch {
    // the body broke off: the status alone is the fact
  }
  return statusFailureOf(core, response.statusCode, response.headers, text);
}

/** Reads at most about MAX_ERROR_BODY_BYTES of an error body; an endless one is not waited out. */
async function readErrorBody(body: Dispatcher.ResponseData['body']): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= MAX_ERROR_BODY_BYTES) break; // leaving the loop destroys the rest of the body
  }
  const text = Buffer.concat(chunks, size).toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // a UTF-8 BOM is not content
}

/** Classifies a non-2xx response whose body was read as `text` (redacted here). */
export function statusFailureOf(
  core: ClientCore,
  status: number,
  headers: IncomingHttpHeaders,
  text: string,
): AttemptFailure {
  const code = codeForStatus(status);
  const shouldRetry = parseShouldRetry(headers);
  const failure: AttemptFailure = {
    code,
    retryable: shouldRetry ?? RETRYABLE_STATUSES.has(status),
    // 401/403 mean this backend is unusable for now; other 4xx (but 408/409/429) are the caller's.
    blameBackend: code !== 'UPSTREAM_BAD_REQUEST',
    detail: `HTTP ${status}`,
    status,
  };
  const retryAfterMs = parseRetryAfterMs(headers, core.clock.wallNow());
  if (retryAfterMs !== undefined) failure.retryAfterMs = retryAfterMs;
  const body = errorBody(core, text);
  if (body !== undefined) failure.upstreamBody = body;
  return failure;
}

function errorBody(core: ClientCore, text: string): unknown {
  if (text.length === 0) return undefined;
  // Upstreams sometimes echo request headers back: never let the key through. Redact before
  // cutting, or a key straddling the cut would leave its first characters behind.
  const redacted = redactSecrets(text, core.secrets).slice(0, MAX_ERROR_BODY_CHARS);
  try {
    return JSON.parse(redacted) as unknown;
  } catch {
    return redacted;
  }
}

const TIMEOUT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
]);
// The client's own pool was closed (`close()`): nothing was sent, and no retry or breaker failure
// makes sense; the backend did nothing wrong.
const CLOSED_CODES = new Set(['UND_ERR_CLOSED', 'UND_ERR_DESTROYED']);
const CALLER_BUG_CODES = new Set([
  'UND_ERR_INVALID_ARG',
  'UND_ERR_NOT_SUPPORTED',
  'ERR_INVALID_ARG_TYPE',
]);

/** Classifies a thrown error (network, timeout, broken body). Caller aborts are handled before. */
export function errorFailure(err: unknown, timedOut: boolean, phase: AttemptPhase): AttemptFailure {
  if (err instanceof ResponseTooLarge) return tooLargeFailure(err.detail);
  const errCode = errorCodeOf(err);
  if (timedOut || TIMEOUT_CODES.has(errCode))
    return {
      code: 'TIMEOUT',
      retryable: true,
      blameBackend: true,
      detail: 'timed out',
      cause: err,
    };
  if (CALLER_BUG_CODES.has(errCode))
    return {
      code: 'UPSTREAM_BAD_REQUEST',
      retryable: false,
      blameBackend: false,
      detail: `invalid request (${errCode})`,
      cause: err,
    };
  if (CLOSED_CODES.has(errCode))
    return {
      code: 'CONNECTION',
      retryable: false,
      blameBackend: false,
      detail: `the client was closed (${errCode})`,
      cause: err,
    };
  // No `cause`: V8 quotes the start of the body (the model's answer) in a SyntaxError's message.
  if (err instanceof SyntaxError)
    return {
      code: 'UPSTREAM_SERVER',
      retryable: false,
      blameBackend: true,
      detail: 'invalid JSON in a 2xx response',
    };
  return {
    code: 'CONNECTION',
    retryable: true,
    blameBackend: true,
    detail: `${phase === 'body' ? 'connection lost while reading the body' : 'connection failed'}${errCode === '' ? '' : ` (${errCode})`}`,
    cause: err,
  };
}

function errorCodeOf(err: unknown): string {
  if (typeof err !== 'object' || err === null) return '';
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : '';
}

const GIVE_UP_NOTES: Record<GiveUpReason, string> = {
  'not-retryable': '',
  'max-retries': '',
  deadline: ' (no time left for another attempt before the deadline)',
  budget: ' (retry budget exhausted: the backend is failing broadly)',
};

/** The error a call finally throws for `failure`. Never contains the API key. */
export function callError(
  core: ClientCore,
  method: string,
  path: string,
  failure: AttemptFailure,
  attempts: number,
  reason: GiveUpReason,
): LlmFailoverError {
  const plural = attempts === 1 ? '' : 's';
  const message = `${core.name}: ${method} ${path} failed after ${attempts} attempt${plural}: ${failure.detail}${GIVE_UP_NOTES[reason]}`;
  const facts: ErrorFacts = { backend: core.name, attempts };
  if (failure.status !== undefined) facts.status = failure.status;
  if (failure.retryAfterMs !== undefined) facts.retryAfterMs = failure.retryAfterMs;
  if (failure.upstreamBody !== undefined) facts.upstreamBody = failure.upstreamBody;
  if (failure.cause !== undefined) facts.cause = failure.cause;
  return new LlmFailoverError(failure.code, redactSecrets(message, core.secrets), facts);
}

/** The error thrown when the caller aborted (neither success nor failure was recorded). */
export function abortedError(
  core: ClientCore,
  method: string,
  path: string,
  attempts: number,
  signal: CancelSignal | undefined,
): LlmFailoverError {
  const facts: ErrorFacts = { backend: core.name, attempts };
  if (signal?.reason !== undefined) facts.cause = signal.reason;
  return new LlmFailoverError(
    'ABORTED',
    redactSecrets(`${core.name}: ${method} ${path} aborted by the caller`, core.secrets),
    facts,
  );
}
