// Public API of llm-failover: the resilient client, the circuit breaker and retry pieces, the two
// protocols and their translators, the backends, the router, the gateway and its config.

export { LlmFailoverError, isLlmFailoverError, isAbortError } from './errors/index.js';
export type { ErrorCode, ErrorFacts } from './errors/index.js';

export { systemClock, ManualClock } from './time/index.js';
export type { Clock, TimerHandle, RandomSource } from './time/index.js';

export {
  AsyncCircuitBreaker,
  CircuitBreakerError,
  RetryBudget,
  Deadline,
  RETRYABLE_STATUSES,
  decideRetry,
  fullJitterBackoffMs,
  parseRetryAfterMs,
  parseShouldRetry,
} from './resilience/index.js';
export type {
  CircuitState,
  CircuitBreakerOptions,
  CircuitStateChange,
  CircuitPermit,
  BackoffOptions,
  RetryBudgetOptions,
  RetryDecision,
} from './resilience/index.js';

export { parseSse, encodeSseEvent } from './sse/index.js';
export type { SseEvent } from './sse/index.js';

export { CloudBackendClient } from './http/index.js';
export type {
  CloudBackendClientOptions,
  RequestOptions,
  PostResult,
  SseStream,
} from './http/index.js';

export {
  parseOpenAIChatRequest,
  parseAnthropicMessagesRequest,
  openAIErrorBody,
  anthropicErrorBody,
} from './protocols/index.js';
export type {
  Protocol,
  OpenAIChatRequest,
  OpenAIChatResponse,
  OpenAIChatChunk,
  OpenAIErrorBody,
  AnthropicMessagesRequest,
  AnthropicMessage,
  AnthropicStreamEvent,
  AnthropicErrorBody,
} from './protocols/index.js';

export {
  openAIRequestToAnthropic,
  anthropicRequestToOpenAI,
  openAIResponseToAnthropic,
  anthropicResponseToOpenAI,
  openAIStreamToAnthropic,
  anthropicStreamToOpenAI,
  isContentEvent,
} from './translate/index.js';
export type { Translated, TranslateOptions } from './translate/index.js';

export {
  OpenAICloudBackend,
  AnthropicCloudBackend,
  createOpenAIBackend,
  createAnthropicBackend,
  createMockBackend,
  MockUpstreamServer,
  OPENAI_COMPATIBLE_PRESETS,
} from './backends/index.js';
export type {
  ChatBackend,
  ChatCallOptions,
  ChatResult,
  ChatStream,
  OpenAIBackendOptions,
  AnthropicBackendOptions,
  MockFault,
} from './backends/index.js';

export { BackendRouter, AllBackendsFailedError } from './routing/index.js';
export type {
  BackendRouterOptions,
  RouteConfig,
  RouteTarget,
  RoutedResult,
  RoutedStream,
} from './routing/index.js';

export { createGateway, GatewayMetrics } from './gateway/index.js';
export type { Gateway, GatewayOptions } from './gateway/index.js';

export { parseConfig, loadConfigFile, buildBackends } from './config/index.js';
export type { GatewayConfig } from './config/index.js';

export { startServer } from './server/index.js';
export type { RunningServer, StartServerOptions } from './server/index.js';
