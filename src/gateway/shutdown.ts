import { LlmFailoverError, isLlmFailoverError } from '../errors/index.js';
import type { CancelSignal } from '../time/index.js';

/** What a caller cut off by shutdown is told to wait before retrying (another instance, a restart). */
const SHUTDOWN_RETRY_AFTER_MS = 5_000;

/**
 * The abort reason of requests still running when the shutdown grace period ends. The chat
 * handler answers it in the caller's protocol (503 + Retry-After, or the stream's error event)
 * instead of treating the abort as a client that went away.
 */
export function shutdownError(): LlmFailoverError {
  return new LlmFailoverError(
    'SHUTTING_DOWN',
    'the gateway is shutting down and its grace period for running requests has ended',
    { retryAfterMs: SHUTDOWN_RETRY_AFTER_MS },
  );
}

/** The shutdown error when `signal` was aborted by the gateway's shutdown, else undefined. */
export function shutdownReason(signal: CancelSignal): LlmFailoverError | undefined {
  const reason: unknown = signal.reason;
  return signal.aborted && isLlmFailoverError(reason) && reason.code === 'SHUTTING_DOWN'
    ? reason
    : undefined;
}

/**
 * True when the request's end means the client went away (logged 499): its signal was aborted,
 * not by shutdown, and the request was not cut by the server's own request timeout (logged 408).
 */
export function clientWentAway(signal: CancelSignal, errorCode: string | undefined): boolean {
  return signal.aborted && shutdownReason(signal) === undefined && errorCode !== 'REQUEST_TIMEOUT';
}
