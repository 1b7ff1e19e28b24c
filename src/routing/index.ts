export { BackendRouter } from './backend-router.js';
export { AllBackendsFailedError, isAllBackendsFailedError } from './all-backends-failed-error.js';
export { NoEnabledBackendError } from './no-enabled-backend-error.js';
export { RouteTable } from './route-table.js';
export type { ResolvedTarget, RouteChain } from './route-table.js';
export { compileModelPattern, quoteModel } from './model-pattern.js';
export type { ModelMatch, ModelPattern } from './model-pattern.js';
export { shouldFailOver, failureReason } from './failover-policy.js';
export { HealthProber } from './health-prober.js';
export { MAX_PRECOMMIT_EVENTS } from './stream-attempt.js';
// The parsed request the router hands to backends, so its callers need not reach into backends/.
export { parseChatRequest } from '../backends/parsed-chat-request.js';
export type { ParsedChatRequest } from '../backends/parsed-chat-request.js';
export type { HealthProberOptions } from './health-prober.js';
export type {
  BackendRouterOptions,
  BackendStatus,
  DisabledTarget,
  Fallback,
  RouteCallOptions,
  RouteConfig,
  RouteTarget,
  RoutedInfo,
  RoutedResult,
  RoutedStream,
  RouterMetrics,
  StateStatus,
} from './routing-types.js';
