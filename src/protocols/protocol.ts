/** The two wire protocols llm-failover speaks, to callers and to backends. */
export type Protocol = 'openai' | 'anthropic';
