/** OpenAI `usage` as it appears on responses and the last stream chunk. */
export interface OpenAIUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  /** `cache_write_tokens`: prompt tokens written to the cache (the openai SDK's field). */
  prompt_tokens_details?: { cached_tokens?: number; cache_write_tokens?: number };
  completion_tokens_details?: { reasoning_tokens?: number };
}

/** Anthropic `usage` on messages and `message_delta` events. */
export interface AnthropicUsage {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens?: number;
  cache_creation_input_tokens?: number;
}

/** Usage as it arrives on the wire: any counter (or OpenAI's details) may be missing or null. */
type WireUsage<T> = { [K in keyof T]?: unknown };

const count = (n: unknown): number => (typeof n === 'number' && Number.isFinite(n) ? n : 0);

/**
 * Anthropic -> OpenAI: OpenAI's prompt count includes cached and cache-written tokens; Anthropic's
 * input does not. Cache writes show as `cache_write_tokens` only when there were some.
 */
export function anthropicUsageToOpenAI(usage: WireUsage<AnthropicUsage>): OpenAIUsage {
  const cacheRead = count(usage.cache_read_input_tokens);
  const cacheWrite = count(usage.cache_creation_input_tokens);
  const prompt = count(usage.input_tokens) + cacheRead + cacheWrite;
  const completion = count(usage.output_tokens);
  const details: NonNullable<OpenAIUsage['prompt_tokens_details']> = { cached_tokens: cacheRead };
  if (cacheWrite > 0) details.cache_write_tokens = cacheWrite;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: details,
  };
}

/**
 * OpenAI -> Anthropic: cached prompt tokens move to `cache_read_input_tokens`, cache-written ones
 * (`cache_write_tokens`) to `cache_creation_input_tokens`.
 */
export function openAIUsageToAnthropic(usage: WireUsage<OpenAIUsage>): AnthropicUsage {
  const details = usage.prompt_tokens_details as Record<string, unknown> | null | undefined;
  const cached = count(details?.cached_tokens);
  const written = count(details?.cache_write_tokens);
  const out: AnthropicUsage = {
    input_tokens: Math.max(0, count(usage.prompt_tokens) - cached - written),
    output_tokens: count(usage.completion_tokens),
  };
  if (cached > 0) out.cache_read_input_tokens = cached;
  if (written > 0) out.cache_creation_input_tokens = written;
  return out;
}

const ANTHROPIC_COUNTERS = [
  'input_tokens',
  'output_tokens',
  'cache_read_input_tokens',
  'cache_creation_input_tokens',
] as const;

/**
 * Copies the Anthropic counters of `from` that are numbers into `into`. Stream events carry
 * cumulative totals, so a later number replaces an earlier one; null or absent counters (local
 * servers, older events) keep what `into` had.
 */
export function mergeAnthropicUsage(
  into: Partial<AnthropicUsage>,
  from: Partial<Record<keyof AnthropicUsage, unknown>> | undefined,
): void {
  if (!from) return;
  for (const key of ANTHROPIC_COUNTERS) {
    const n = from[key];
    if (typeof n === 'number') into[key] = n;
  }
}
