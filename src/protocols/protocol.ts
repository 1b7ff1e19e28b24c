/**
 * The wire protocols llm-failover speaks, to callers and to backends: OpenAI Chat Completions,
 * Anthropic Messages and OpenAI Responses.
 */
export type Protocol = 'openai' | 'anthropic' | 'openai-responses';
