// The core entry, `llm-failover`: the resilient client, the circuit breaker and retry pieces, the
// protocols and their translators, the backends and the router. Nothing here may load the server
// side (gateway, logger, metrics, YAML config): those are `llm-failover/server`; the mock upstream
// and the manual clock are `llm-failover/testing`. test/entry-points.test.ts checks the module
// graph, and the layer rule (eslint/import-layers.js) keeps src/ root files below gateway/.

export { LlmFailoverError, isLlmFailoverError, isAbortError } from './errors/index.js';
export type { ErrorCode, ErrorFacts } from './errors/index.js';

export { systemClock } from './time/index.js';
export type { CancelSignal, Clock, TimerHandle, RandomSource } from './time/index.js';

export {
  AsyncCircuitBreaker,
  CircuitBreakerError,
  isCircuitBreakerError,
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
  CircuitStateStore,
  CircuitStoreLink,
  FleetCircuitState,
  LinkedCircuit,
  RetryBudgetStore,
  RetryBudgetLink,
  FleetBudgetCounts,
} from './resilience/index.js';

// Pluggable state: the memory store here; the Redis one is in `llm-failover/server`.
export { MemoryStateStore } from './state/index.js';
export type {
  StateStore,
  StateStoreStatus,
  HealthVerdictStore,
  ProbeVerdict,
  VerdictChannel,
} from './state/index.js';

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
  parseOpenAIResponsesRequest,
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
  OpenAIResponsesRequest,
  OpenAIResponsesResponse,
  OpenAIResponsesStreamEvent,
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

// From the files, not backends/index.js: that index also exports the mock upstream (node:http and
// a dozen modules), which belongs to `llm-failover/testing`; each module costs import time.
export { OpenAICloudBackend } from './backends/openai-cloud-backend.js';
export { AnthropicCloudBackend } from './backends/anthropic-cloud-backend.js';
export { createOpenAIBackend, createAnthropicBackend } from './backends/create-backends.js';
export { OPENAI_COMPATIBLE_PRESETS } from './backends/openai-compatible-presets.js';
export type {
  ChatBackend,
  ChatCallOptions,
  ChatResult,
  ChatStream,
} from './backends/chat-backend.js';
export type { OpenAIBackendOptions } from './backends/openai-cloud-backend.js';
export type { AnthropicBackendOptions } from './backends/anthropic-cloud-backend.js';

export {
  BackendRouter,
  AllBackendsFailedError,
  isAllBackendsFailedError,
} from './routing/index.js';
export type {
  BackendRouterOptions,
  RouteConfig,
  RouteTarget,
  RoutedResult,
  RoutedStream,
} from './routing/index.js';
