import { LlmFailoverError, isLlmFailoverError } from '../errors/index.js';

/**
 * Thrown by `AsyncCircuitBreaker.check()` when the breaker is open, or half-open with its one
 * probe slot taken. Code `CIRCUIT_OPEN`; `backend` and `breakerName` are the breaker's name;
 * `retryAfterMs` is the time until a probe is allowed (0 while a probe is already in flight).
 */
export class CircuitBreakerError extends LlmFailoverError {
  /** Name of the breaker that refused the call. */
  readonly breakerName: string;

  constructor(breakerName: string, retryAfterMs: number, probeInFlight = false) {
    const why = probeInFlight
      ? 'is half-open and its probe request is in flight'
      : `is open for another ${Math.ceil(retryAfterMs)} ms`;
    super('CIRCUIT_OPEN', `Circuit breaker "${breakerName}" ${why}; call not sent`, {
      backend: breakerName,
      retryAfterMs,
    });
    this.name = 'CircuitBreakerError';
    this.breakerName = breakerName;
  }
}

/**
 * True when `err` is a CircuitBreakerError, also one thrown by another copy of llm-failover
 * (checks the error brand and shape, not `instanceof`).
 */
export function isCircuitBreakerError(err: unknown): err is CircuitBreakerError {
  return (
    isLlmFailoverError(err, 'CIRCUIT_OPEN') &&
    typeof (err as Partial<CircuitBreakerError>).breakerName === 'string'
  );
}
