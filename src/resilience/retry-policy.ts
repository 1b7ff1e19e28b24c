import { fullJitterBackoffMs } from './backoff.js';
import type { BackoffOptions } from './backoff.js';
import type { RetryBudget } from './retry-budget.js';

/** HTTP statuses worth retrying: timeouts, conflicts, rate limits, server errors, overload. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([
  408, 409, 429, 500, 502, 503, 504, 529,
]);

/** Why a call is not retried. */
export type GiveUpReason = 'not-retryable' | 'max-retries' | 'deadline' | 'budget';

/** The outcome of `decideRetry`. `retryAfterMs` echoes the server's hint when there was one. */
export type RetryDecision =
  { retry: true; delayMs: number } | { retry: false; reason: GiveUpReason; retryAfterMs?: number };

/** What `decideRetry` needs to know about a failed attempt. */
export interface RetryInput {
  /** Retries already made for this call (0 after the first attempt failed). */
  retriesSoFar: number;
  maxRetries: number;
  /** From the status or error class, after any `x-should-retry` override. */
  retryable: boolean;
  /** The server's hint (`parseRetryAfterMs`). */
  retryAfterMs?: number | undefined;
  /** Ms until the call's deadline; Infinity when none. */
  remainingMs: number;
  backoff?: BackoffOptions | undefined;
  /** Consulted last, so a token is withdrawn only for a retry that will happen. */
  budget?: RetryBudget | undefined;
}

/**
 * Decides whether and when to retry. The delay is max(full-jitter backoff, server hint): never
 * earlier than the server asked. When that wait would reach the deadline, gives up at once
 * (reason `deadline`, hint attached) so a router can fail over instead of sleeping.
 */
export function decideRetry(input: RetryInput): RetryDecision {
  const raw = input.retryAfterMs;
  // A NaN or negative hint is no hint at all.
  const hint = raw !== undefined && raw >= 0 ? raw : undefined;
  if (!input.retryable) return giveUp('not-retryable', hint);
  if (input.retriesSoFar >= input.maxRetries) return giveUp('max-retries', hint);
  const backoff = fullJitterBackoffMs(input.retriesSoFar, input.backoff);
  const delayMs = hint !== undefined && hint > backoff ? hint : backoff;
  if (delayMs >= input.remainingMs) return giveUp('deadline', hint);
  if (input.budget !== undefined && !input.budget.tryAcquireRetry()) return giveUp('budget', hint);
  return { retry: true, delayMs };
}

function giveUp(reason: GiveUpReason, retryAfterMs: number | undefined): RetryDecision {
  return retryAfterMs === undefined
    ? { retry: false, reason }
    : { retry: false, reason, retryAfterMs };
}
