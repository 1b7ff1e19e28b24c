import type { AnthropicContentBlock } from '../protocols/anthropic-messages/index.js';
import type { OpenAIToolCall } from '../protocols/openai-chat/index.js';
import { isTextBlock, isThinkingBlock, isToolUseBlock } from './type-guards.js';

/** An assistant turn's blocks as OpenAI sees them. */
export interface OpenAIAssistantParts {
  /** Text blocks joined exactly (no separator added). */
  text: string;
  /** Thinking blocks joined exactly: `reasoning_content`. */
  reasoning: string;
  /** The last non-empty thinking signature (our `reasoning_signature` extension). */
  signature: string | undefined;
  /** tool_use blocks in order, input as a JSON string. */
  toolCalls: OpenAIToolCall[];
}

/**
 * Anthropic assistant blocks (of a request turn or a response) -> the parts of an OpenAI assistant
 * message. Blocks other than text, thinking and tool_use go to `other` (with their index), which
 * decides whether to skip, note or refuse them.
 */
export function assistantBlocksToOpenAI(
  blocks: readonly AnthropicContentBlock[],
  other: (block: AnthropicContentBlock, index: number) => void,
): OpenAIAssistantParts {
  const parts: OpenAIAssistantParts = {
    text: '',
    reasoning: '',
    signature: undefined,
    toolCalls: [],
  };
  blocks.forEach((block, j) => {
    if (isTextBlock(block)) parts.text += block.text;
    else if (isThinkingBlock(block)) {
      parts.reasoning += block.thinking;
      if (block.signature !== undefined && block.signature !== '')
        parts.signature = block.signature;
    } else if (isToolUseBlock(block)) {
      parts.toolCalls.push({
        id: block.id,
        type: 'function',
        function: { name: block.name, arguments: JSON.stringify(block.input) },
      });
    } else other(block, j);
  });
  return parts;
}

/**
 * The OpenAI assistant message both request and response translators build from the parts (a type
 * alias, not an interface, so it fits the schemas' index-signature message types).
 */
export type OpenAIAssistantFields = {
  role: 'assistant';
  content: string | null;
  reasoning_content?: string;
  reasoning_signature?: string;
  tool_calls?: OpenAIToolCall[];
};

/** Parts -> message fields. With only tool calls the content is null, as OpenAI sends it. */
export function openAIAssistantFields(parts: OpenAIAssistantParts): OpenAIAssistantFields {
  const { text, reasoning, signature, toolCalls } = parts;
  const message: OpenAIAssistantFields = {
    role: 'assistant',
    content: text === '' && toolCalls.length > 0 ? null : text,
  };
  if (reasoning !== '') message.reasoning_content = reasoning;
  if (signature !== undefined) message.reasoning_signature = signature;
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  return message;
}
