/** OpenAI `finish_reason` values (local servers may send others; they map to `end_turn`). */
export type OpenAIFinishReason =
  'stop' | 'length' | 'tool_calls' | 'content_filter' | 'function_call';

/** Anthropic `stop_reason` values. */
export type AnthropicStopReason =
  | 'end_turn'
  | 'max_tokens'
  | 'stop_sequence'
  | 'tool_use'
  | 'pause_turn'
  | 'refusal'
  | 'model_context_window_exceeded';

/**
 * Anthropic stop -> OpenAI finish. `stop_sequence` becomes `stop`; the matched sequence itself
 * travels in the choice's `stop_reason` field, the extension vLLM uses, so it survives a round trip.
 */
export function anthropicStopToOpenAIFinish(reason: string | null | undefined): string | null {
  switch (reason) {
    case null:
    case undefined:
      return null;
    case 'end_turn':
    case 'stop_sequence':
    case 'pause_turn':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      return 'stop';
  }
}

/**
 * OpenAI finish -> Anthropic stop. `matchedStop` is the vLLM-style `stop_reason` string of the
 * choice, when present: it turns a plain `stop` into `stop_sequence` with its value.
 */
export function openAIFinishToAnthropicStop(
  reason: string | null | undefined,
  matchedStop?: unknown,
): { stopReason: AnthropicStopReason | null; stopSequence: string | null } {
  switch (reason) {
    case null:
    case undefined:
      return { stopReason: null, stopSequence: null };
    case 'length':
      return { stopReason: 'max_tokens', stopSequence: null };
    case 'tool_calls':
    case 'function_call':
      return { stopReason: 'tool_use', stopSequence: null };
    case 'content_filter':
      return { stopReason: 'refusal', stopSequence: null };
    default:
      return typeof matchedStop === 'string'
        ? { stopReason: 'stop_sequence', stopSequence: matchedStop }
        : { stopReason: 'end_turn', stopSequence: null };
  }
}
