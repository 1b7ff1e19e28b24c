export { LlmFailoverError, isLlmFailoverError, isAbortError } from './llm-failover-error.js';
export type { ErrorCode, ErrorFacts } from './llm-failover-error.js';
export { redactSecrets } from './redact.js';
