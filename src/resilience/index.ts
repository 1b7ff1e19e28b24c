export { AsyncCircuitBreaker } from './circuit-breaker.js';
export type { CircuitState, CircuitBreakerOptions, CircuitStateChange } from './circuit-breaker.js';
export type { CircuitPermit } from './circuit-permit.js';
export { CircuitBreakerError, isCircuitBreakerError } from './circuit-breaker-error.js';
export { fullJitterBackoffMs } from './backoff.js';
export type { BackoffOptions } from './backoff.js';
export { parseRetryAfterMs, parseShouldRetry } from './retry-after.js';
export type { HeaderBag } from './retry-after.js';
export { RETRYABLE_STATUSES, decideRetry } from './retry-policy.js';
export type { RetryDecision, RetryInput, GiveUpReason } from './retry-policy.js';
export { RetryBudget } from './retry-budget.js';
export type { RetryBudgetOptions } from './retry-budget.js';
export { Deadline } from './deadline.js';
export type {
  CircuitStateStore,
  CircuitStoreLink,
  FleetBudgetCounts,
  FleetCircuitState,
  LinkedCircuit,
  RetryBudgetLink,
  RetryBudgetStore,
} from './circuit-store.js';
