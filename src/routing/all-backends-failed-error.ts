import { LlmFailoverError, isLlmFailoverError } from '../errors/index.js';
import { quoteModel } from './model-pattern.js';
import type { Fallback } from './routing-types.js';

/**
 * Every target of a route failed (or was skipped). Carries the last error's status and
 * retryAfterMs as facts, the last error as `cause` and `lastCode`, and each target's reason in
 * `failures`, in order.
 */
export class AllBackendsFailedError extends LlmFailoverError {
  readonly failures: readonly Fallback[];
  /** Code of the last target's error (decides the gateway's status), if it had one. */
  readonly lastCode: string | undefined;

  constructor(model: string, failures: readonly Fallback[], last: unknown, attempts: number) {
    const facts = lastFacts(last);
    const list = failures.map((f) => `${f.backend}: ${f.reason}`).join(', ');
    super(
      'ALL_BACKENDS_FAILED',
      failures.length === 0
        ? `no enabled backend can serve model ${quoteModel(model)}`
        : `every backend failed for model ${quoteModel(model)} (${list})`,
      { ...facts, attempts, cause: last },
    );
    this.name = 'AllBackendsFailedError';
    this.failures = failures;
    this.lastCode = failures.at(-1)?.reason;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), failures: this.failures };
  }
}

/**
 * True when `err` is an AllBackendsFailedError, also one thrown by another copy of llm-failover
 * (checks the error brand and shape, not `instanceof`).
 */
export function isAllBackendsFailedError(err: unknown): err is AllBackendsFailedError {
  return (
    isLlmFailoverError(err, 'ALL_BACKENDS_FAILED') &&
    Array.isArray((err as Partial<AllBackendsFailedError>).failures)
  );
}

function lastFacts(last: unknown): { status?: number; retryAfterMs?: number } {
  if (!isLlmFailoverError(last)) return {};
  const out: { status?: number; retryAfterMs?: number } = {};
  if (last.status !== undefined) out.status = last.status;
  if (last.retryAfterMs !== undefined) out.retryAfterMs = last.retryAfterMs;
  return out;
}
