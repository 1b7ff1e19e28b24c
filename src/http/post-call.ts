import { isUtf8 } from 'node:buffer';
import { LlmFailoverError } from '../errors/index.js';
import { Deadline, decideRetry } from '../resilience/index.js';
import type { CircuitPermit, RetryDecision } from '../resilience/index.js';
import { abortedError, callError, errorFailure, statusFailureOf } from './attempt-failure.js';
import { BufferedExchange } from './buffered-exchange.js';
import { hideBytes } from './hidden-bytes.js';
import type { AttemptFailure } from './attempt-failure.js';
import type { ClientCore } from './client-core.js';
import { AttemptGuard } from './client-core.js';
import type { PostResult, RequestOptions } from './client-options.js';

/**
 * One non-streaming POST: one breaker permit for the whole call, retries inside it, one outcome.
 *
 * The retry loop is ours, not undici's `RetryHandler`: that one does not retry POST by default,
 * has no full jitter, ignores `retry-after-ms`, knows no total deadline ("give up now with the
 * hint, so a router can fail over") and no retry budget.
 */
export async function runPost<T>(
  core: ClientCore,
  path: string,
  body: unknown,
  options: RequestOptions,
): Promise<PostResult<T>> {
  const signal = options.signal;
  if (signal?.aborted === true) throw abortedError(core, 'POST', path, 0, signal);
  // Stringified once per call, whatever the number of attempts; before taking the permit, so a
  // body that cannot be serialised (or a throwing buildHeaders) cannot strand a probe slot.
  const payload = wirePayload(body);
  const headers = core.headers(options.headers);
  // acquire(), not check(), once not closed: with a shared store the fleet's one probe may take a
  // round trip. Closed, both hand out the same permit; check() does so without an await.
  const breaker = core.breaker;
  const permit = breaker.currentState === 'closed' ? breaker.check() : await breaker.acquire();
  const deadline = new Deadline(core.timeoutMs, core.clock);
  // The total deadline is kept by the client's shared DeadlineList: no timer of our own.
  const guard = new AttemptGuard(core.clock, signal, Infinity, 'call');
  core.deadlines?.add(guard);
  const request = {
    origin: core.origin,
    path: core.basePath + path,
    method: 'POST' as const,
    headers,
    body: payload,
  };
  core.budget?.recordFirstAttempt();
  let attempts = 0;
  try {
    for (;;) {
      attempts++;
      let failure: AttemptFailure;
      const exchange = new BufferedExchange(guard.source, core.maxResponseBytes);
      try {
        const response = await exchange.send(core.dispatcher, request);
        if (response.status >= 200 && response.status < 300) {
          const parsed = JSON.parse(response.text) as T;
          permit.success();
          core.noteSuccess();
          const result: PostResult<T> = {
            status: response.status,
            headers: response.headers as Record<string, string>,
            body: parsed,
            attempts,
          };
          if (isExactText(response.bytes)) hideBytes(result, response.bytes);
          return result;
        }
        failure = statusFailureOf(core, response.status, response.headers, response.text);
      } catch (err) {
        if (guard.callerAborted)
          throw release(permit, abortedError(core, 'POST', path, attempts, signal));
        failure = errorFailure(err, guard.timedOut, exchange.status === 0 ? 'request' : 'body');
      }
      const decision = decide(core, failure, attempts, deadline);
      if (!decision.retry)
        throw settle(
          core,
          permit,
          failure,
          callError(core, 'POST', path, failure, attempts, decision.reason),
        );
      try {
        await core.clock.sleep(decision.delayMs, signal);
      } catch {
        // Only the caller's signal ends a wait early: the retry decision kept it inside the deadline.
        core.budget?.refundRetry();
        throw release(permit, abortedError(core, 'POST', path, attempts, signal));
      }
    }
  } finally {
    core.deadlines?.remove(guard);
    guard.dispose();
  }
}

/** The request body as sent: a string or bytes as they are, anything else as its JSON. */
export function wirePayload(body: unknown): string | Uint8Array {
  return typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body);
}

/**
 * True when `bytes` are the UTF-8 encoding of the text decoded from them: valid UTF-8 (invalid
 * bytes decode to U+FFFD) and no byte-order mark (dropped from the text). A native SIMD scan.
 */
function isExactText(bytes: Buffer): boolean {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return false;
  return isUtf8(bytes);
}

/** The retry decision for one failed attempt. */
export function decide(
  core: ClientCore,
  failure: AttemptFailure,
  attempts: number,
  deadline: Deadline,
): RetryDecision {
  const input = {
    retriesSoFar: attempts - 1,
    maxRetries: core.maxRetries,
    retryable: failure.retryable,
    remainingMs: deadline.remainingMs(),
    backoff: core.backoff,
    budget: core.budget,
  };
  return decideRetry(
    failure.retryAfterMs === undefined ? input : { ...input, retryAfterMs: failure.retryAfterMs },
  );
}

/** Records the call's one outcome for `failure` and returns `error` for throwing. */
export function settle(
  core: ClientCore,
  permit: CircuitPermit,
  failure: AttemptFailure,
  error: LlmFailoverError,
): LlmFailoverError {
  if (failure.blameBackend) {
    permit.failure(failure.retryAfterMs);
    core.noteFailure(failure);
  } else {
    permit.release();
  }
  return error;
}

/** Releases the permit (neither success nor failure) and returns `error` for throwing. */
export function release(permit: CircuitPermit, error: LlmFailoverError): LlmFailoverError {
  permit.release();
  return error;
}

/** A GET without retry or breaker (health probes): resolves for any status. */
export async function runGet(
  core: ClientCore,
  path: string,
  options: RequestOptions & { timeoutMs?: number },
): Promise<{ status: number; body: unknown }> {
  const signal = options.signal;
  if (signal?.aborted === true) throw abortedError(core, 'GET', path, 0, signal);
  const guard = new AttemptGuard(core.clock, signal, options.timeoutMs ?? core.timeoutMs, 'GET');
  const exchange = new BufferedExchange(guard.source, core.maxResponseBytes);
  try {
    const response = await exchange.send(core.dispatcher, {
      origin: core.origin,
      path: core.basePath + path,
      method: 'GET',
      headers: core.headers(options.headers),
    });
    let body: unknown = response.text;
    try {
      body = JSON.parse(response.text) as unknown;
    } catch {
      // not JSON: the text is the body
    }
    return { status: response.status, body };
  } catch (err) {
    if (guard.callerAborted) throw abortedError(core, 'GET', path, 1, signal);
    const failure = errorFailure(err, guard.timedOut, exchange.status === 0 ? 'request' : 'body');
    throw new LlmFailoverError(
      failure.code,
      `${core.name}: GET ${path} failed: ${failure.detail}`,
      {
        backend: core.name,
        attempts: 1,
        cause: err,
      },
    );
  } finally {
    guard.dispose();
  }
}
