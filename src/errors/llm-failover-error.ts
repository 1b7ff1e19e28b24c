/** Every stable error code llm-failover throws. Documented in docs/errors.md. */
export type ErrorCode =
  | 'CIRCUIT_OPEN'
  | 'TIMEOUT'
  | 'CONNECTION'
  | 'RATE_LIMITED'
  | 'UPSTREAM_SERVER'
  | 'UPSTREAM_AUTH'
  | 'UPSTREAM_BAD_REQUEST'
  | 'STREAM_TRUNCATED'
  | 'STREAM_UPSTREAM_ERROR'
  | 'UPSTREAM_RESPONSE_TOO_LARGE'
  | 'ABORTED'
  | 'TRANSLATION_UNSUPPORTED'
  | 'INVALID_REQUEST'
  | 'NO_ROUTE'
  | 'ALL_BACKENDS_FAILED'
  | 'NO_ENABLED_BACKEND'
  | 'INVALID_CONFIG'
  | 'UNAUTHORIZED'
  | 'PAYLOAD_TOO_LARGE'
  | 'REQUEST_TIMEOUT'
  | 'SHUTTING_DOWN';

/** Facts an error may carry. None of them may hold a secret. */
export interface ErrorFacts {
  /** Name of the backend (or breaker) the operation targeted. */
  backend?: string;
  /** HTTP status the upstream answered with, when it answered. */
  status?: number;
  /** Attempts sent upstream for this call, retries included. */
  attempts?: number;
  /** Earliest time, in ms from now, at which trying again makes sense. */
  retryAfterMs?: number;
  /** The upstream's error body (parsed JSON when it was JSON, else text). */
  upstreamBody?: unknown;
  /** Dotted path of the offending field, for validation errors. */
  path?: string;
  cause?: unknown;
}

/**
 * The brand every LlmFailoverError carries. `Symbol.for` is one registry per process (realm), so
 * two copies of this package (a dependency installed twice, or loaded once as ESM from two paths)
 * share it, while their classes differ and `instanceof` fails across them. The value is the
 * version of the error's shape (`code` and the facts), should it ever change incompatibly.
 */
const ERROR_BRAND: unique symbol = Symbol.for('llm-failover.error');
const BRAND_VERSION = 1;

/**
 * Base class of every error llm-failover throws. `code` is stable; the rest are facts.
 * Messages name the operation and target, never a key or a request body.
 */
export class LlmFailoverError extends Error {
  readonly code: ErrorCode;
  readonly backend: string | undefined;
  readonly status: number | undefined;
  readonly attempts: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly upstreamBody: unknown;
  readonly path: string | undefined;

  constructor(code: ErrorCode, message: string, facts: ErrorFacts = {}) {
    super(message, facts.cause === undefined ? undefined : { cause: facts.cause });
    this.name = 'LlmFailoverError';
    this.code = code;
    this.backend = facts.backend;
    this.status = facts.status;
    this.attempts = facts.attempts;
    this.retryAfterMs = facts.retryAfterMs;
    this.upstreamBody = facts.upstreamBody;
    this.path = facts.path;
  }

  /** A plain, secret-free view for logs and JSON. The `cause` is summarised, not serialised. */
  toJSON(): Record<string, unknown> {
    const cause: unknown = this.cause;
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      backend: this.backend,
      status: this.status,
      attempts: this.attempts,
      retryAfterMs: this.retryAfterMs,
      upstreamBody: this.upstreamBody,
      path: this.path,
      cause: cause instanceof Error ? { name: cause.name, message: cause.message } : undefined,
    };
  }
}

// On the prototype, not each instance: nothing to copy per error, and not an own enumerable key
// that would show up in logs or JSON.
Object.defineProperty(LlmFailoverError.prototype, ERROR_BRAND, { value: BRAND_VERSION });

/**
 * True when `err` is an LlmFailoverError, optionally with one of the given codes. Checks the
 * brand, not `instanceof`, so an error thrown by another copy of llm-failover counts too.
 */
export function isLlmFailoverError(err: unknown, ...codes: ErrorCode[]): err is LlmFailoverError {
  if (typeof err !== 'object' || err === null) return false;
  if ((err as { [ERROR_BRAND]?: unknown })[ERROR_BRAND] !== BRAND_VERSION) return false;
  return codes.length === 0 || codes.includes((err as LlmFailoverError).code);
}

/** True for an AbortError / ABORTED code, whatever layer raised it. */
export function isAbortError(err: unknown): boolean {
  if (isLlmFailoverError(err, 'ABORTED')) return true;
  return (
    err instanceof Error &&
    (err.name === 'AbortError' || (err as { code?: unknown }).code === 'ABORT_ERR')
  );
}
