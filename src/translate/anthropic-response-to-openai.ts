import type { AnthropicMessage } from '../protocols/anthropic-messages/index.js';
import type {
  OpenAIChatResponse,
  OpenAIChoice,
  OpenAIResponseMessage,
} from '../protocols/openai-chat/index.js';
import { assistantBlocksToOpenAI, openAIAssistantFields } from './assistant-blocks.js';
import { anthropicStopToOpenAIFinish } from './finish-reason.js';
import { toOpenAIResponseId } from './response-id.js';
import { anthropicUsageToOpenAI } from './usage.js';

/** Options of the response translators. */
export interface ResponseTranslateOptions {
  /** `created` (epoch seconds) of the OpenAI response: Anthropic messages carry no timestamp. Default 0. */
  created?: number;
}

function assistantMessage(res: AnthropicMessage): OpenAIResponseMessage {
  // redacted_thinking and server-tool blocks have no OpenAI form: an OpenAI caller cannot have
  // asked for server tools, and redacted reasoning is unreadable anyway.
  const parts = assistantBlocksToOpenAI(res.content, () => undefined);
  return { ...openAIAssistantFields(parts), refusal: null };
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
    usage: { ...anthropicUsageToOpenAI(res.usage ?? {}) },
  };
}
