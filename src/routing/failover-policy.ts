import { isLlmFailoverError } from '../errors/index.js';
import type { ErrorCode } from '../errors/index.js';

/**
 * Codes that say "this backend could not answer" rather than "the request is wrong". Stream codes
 * count only before the commit; the router never sees them after it.
 */
const FAILOVER_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'CIRCUIT_OPEN',
  'CONNECTION',
  'TIMEOUT',
  'UPSTREAM_SERVER',
  // The client retries a 429 while the deadline allows; one that reaches us waited too long.
  'RATE_LIMITED',
  // Our key for that backend is wrong: another backend may still answer.
  'UPSTREAM_AUTH',
  'STREAM_UPSTREAM_ERROR',
  'STREAM_TRUNCATED',
  // Not retried on the same backend (it would send the same answer) and no breaker failure, but
  // another backend (another model) may answer within the limit: the caller gets an answer.
  'UPSTREAM_RESPONSE_TOO_LARGE',
]);

/**
 * True when the router should try the next target after `err`. Caller errors
 * (UPSTREAM_BAD_REQUEST, INVALID_REQUEST, TRANSLATION_UNSUPPORTED), aborts and unknown errors
 * (bugs) are returned as they are: another backend would not make them right.
 */
export function shouldFailOver(err: unknown): boolean {
  return isLlmFailoverError(err) && FAILOVER_CODES.has(err.code);
}

/** The reason recorded for a failed target: the error code, or `INTERNAL` for a non-library error. */
export function failureReason(err: unknown): string {
  return isLlmFailoverError(err) ? err.code : 'INTERNAL';
}
