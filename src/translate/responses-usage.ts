import type { OpenAIUsage } from './usage.js';

/** OpenAI Responses `usage` (on `response.completed` / `response.incomplete` and responses). */
export interface ResponsesUsage {
  input_tokens: number;
  /** `cache_write_tokens` (the openai SDK's field) only when some were written. */
  input_tokens_details: { cached_tokens: number; cache_write_tokens?: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

type WireUsage = Record<string, unknown>;

const count = (n: unknown): number => (typeof n === 'number' && Number.isFinite(n) ? n : 0);
const detail = (details: unknown, key: string): number =>
  typeof details === 'object' && details !== null
    ? count((details as Record<string, unknown>)[key])
    : 0;

/** Cached and cache-written counts, under the names chat and Responses share. */
function cacheDetails(details: unknown): ResponsesUsage['input_tokens_details'] {
  const out: ResponsesUsage['input_tokens_details'] = {
    cached_tokens: detail(details, 'cached_tokens'),
  };
  const written = detail(details, 'cache_write_tokens');
  if (written > 0) out.cache_write_tokens = written;
  return out;
}

/** Chat -> Responses: both count cached tokens inside the input total, so only names change. */
export function chatUsageToResponses(usage: WireUsage): ResponsesUsage {
  const input = count(usage.prompt_tokens);
  const output = count(usage.completion_tokens);
  return {
    input_tokens: input,
    input_tokens_details: cacheDetails(usage.prompt_tokens_details),
    output_tokens: output,
    output_tokens_details: {
      reasoning_tokens: detail(usage.completion_tokens_details, 'reasoning_tokens'),
    },
    total_tokens: typeof usage.total_tokens === 'number' ? usage.total_tokens : input + output,
  };
}

/** Responses -> Chat: the inverse of {@link chatUsageToResponses}. */
export function responsesUsageToChat(usage: WireUsage): OpenAIUsage {
  const prompt = count(usage.input_tokens);
  const completion = count(usage.output_tokens);
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: typeof usage.total_tokens === 'number' ? usage.total_tokens : prompt + completion,
    prompt_tokens_details: cacheDetails(usage.input_tokens_details),
    completion_tokens_details: {
      reasoning_tokens: detail(usage.output_tokens_details, 'reasoning_tokens'),
    },
  };
}
