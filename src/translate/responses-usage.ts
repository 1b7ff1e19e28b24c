import type { OpenAIUsage } from './usage.js';

/** OpenAI Responses `usage` (on `response.completed` / `response.incomplete` and responses). */
export interface ResponsesUsage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number };
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

/** Chat -> Responses: both count cached tokens inside the input total, so only names change. */
export function chatUsageToResponses(usage: WireUsage): ResponsesUsage {
  const input = count(usage.prompt_tokens);
  const output = count(usage.completion_tokens);
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: detail(usage.prompt_tokens_details, 'cached_tokens') },
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
    prompt_tokens_details: { cached_tokens: detail(usage.input_tokens_details, 'cached_tokens') },
    completion_tokens_details: {
      reasoning_tokens: detail(usage.output_tokens_details, 'reasoning_tokens'),
    },
  };
}
