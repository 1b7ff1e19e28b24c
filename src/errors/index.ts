export { LlmFailoverError, isLlmFailoverError, isAbortError } from './llm-failover-error.js';
export type { ErrorCode, ErrorFacts } from './llm-failover-error.js';
export { backendSecrets, redactSecrets } from './redact.js';
