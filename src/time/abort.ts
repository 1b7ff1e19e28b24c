/**
 * The error to reject with when `signal` (or any abort source with a `reason`) aborted: its own
 * reason when that is an Error (Node's default is a DOMException named AbortError), otherwise a
 * standard AbortError.
 */
export function abortReason(signal: Pick<AbortSignal, 'reason'>): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error
    ? reason
    : new DOMException('This operation was aborted', 'AbortError');
}
