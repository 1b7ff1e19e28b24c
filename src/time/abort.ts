/**
 * The error to reject with when `signal` aborted: its own reason when that is an Error (Node's
 * default is a DOMException named AbortError), otherwise a standard AbortError.
 */
export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error
    ? reason
    : new DOMException('This operation was aborted', 'AbortError');
}
