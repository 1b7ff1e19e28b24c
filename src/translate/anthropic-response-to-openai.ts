import type { AnthropicMessage, AnthropicUsageBody } from '../protocols/anthropic/index.js';
import type {
  OpenAIChatResponse,
  OpenAIChoice,
  OpenAIResponseMessage,
  OpenAIToolCall,
} from '../protocols/openai/index.js';
import { anthropicStopToOpenAIFinish } from './finish-reason.js';
import { toOpenAIResponseId } from './response-id.js';
import { isTextBlock, isThinkingBlock, isToolUseBlock } from './type-guards.js';
import { anthropicUsageToOpenAI } from './usage.js';
import type { AnthropicUsage, OpenAIUsage } from './usage.js';

/** Options of the response translators. */
export interface ResponseTranslateOptions {
  /** `created` (epoch seconds) of the OpenAI response: Anthropic messages carry no timestamp. Default 0. */
  created?: number;
}

/** Anthropic usage (counters may be null) -> OpenAI usage, cached tokens included in the prompt. */
export function anthropicUsageBodyToOpenAI(usage: AnthropicUsageBody): OpenAIUsage {
  const clean: Partial<AnthropicUsage> = {
    input_tokens: usage.input_tokens,
    output_tokens: usage.output_tokens,
  };
  if (typeof usage.cache_read_input_tokens === 'number') {
    clean.cache_read_input_tokens = usage.cache_read_input_tokens;
  }
  if (typeof usage.cache_creation_input_tokens === 'number') {
    clean.cache_creation_input_tokens = usage.cache_creation_input_tokens;
  }
  return anthropicUsageToOpenAI(clean);
}

function assistantMessage(res: AnthropicMessage): OpenAIResponseMessage {
  let text = '';
  let reasoning = '';
  let signature: string | undefined;
  const toolCalls: OpenAIToolCall[] = [];
  for (const block of res.content) {
    if (isTextBlock(block)) text += block.text;
    else if (isThinkingBlock(block)) {
      reasoning += block.thinking;
      if (block.signature !== undefined && block.signature !== '') signature = block.signature;
    } else if (isToolUseBlock(block)) {
      toolCalls.push({
        id: block.id,
        type: 'function',
        function: { name: block.name, arguments: JSON.stringify(block.input) },
      });
    }
    // redacted_thinking and server-tool blocks have no OpenAI form; an OpenAI caller cannot
    // have asked for server tools, and redacted reasoning is unreadable anyway.
  }
  const message: OpenAIResponseMessage = {
    role: 'assistant',
    content: text === '' && toolCalls.length > 0 ? null : text,
    refusal: null,
  };
  if (reasoning !== '') message.reasoning_content = reasoning;
  if (signature !== undefined) message.reasoning_signature = signature;
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  return message;
}

/**
 * Anthropic message -> OpenAI `chat.completion` (pure). Text blocks are joined exactly; thinking
 * becomes `reasoning_content`; `stop_sequence` becomes finish `stop` with the matched sequence in
 * the choice's `stop_reason` (the vLLM extension); the id keeps the upstream id (`chatcmpl-msg_...`).
 */
export function anthropicResponseToOpenAI(
  res: AnthropicMessage,
  options: ResponseTranslateOptions = {},
): OpenAIChatResponse {
  const choice: OpenAIChoice = {
    index: 0,
    message: assistantMessage(res),
    finish_reason: anthropicStopToOpenAIFinish(res.stop_reason),
    logprobs: null,
  };
  if (res.stop_reason === 'stop_sequence' && typeof res.stop_sequence === 'string') {
    choice.stop_reason = res.stop_sequence;
  }
  return {
    id: toOpenAIResponseId(res.id),
    object: 'chat.completion',
    created: options.created ?? 0,
    model: res.model,
    choices: [choice],
    usage: { ...anthropicUsageBodyToOpenAI(res.usage) },
  };
}
