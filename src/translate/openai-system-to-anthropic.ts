import type {
  AnthropicMessagesRequest,
  AnthropicTextBlock,
} from '../protocols/anthropic-messages/index.js';
import type { OpenAIMessage } from '../protocols/openai-chat/index.js';
import { unsupported } from './translated.js';
import { isTextPart } from './type-guards.js';

/**
 * One system/developer message -> an Anthropic system text block: its text parts joined exactly,
 * with the prompt-caching hint (`cache_control`) of its last part that has one. Undefined for an
 * empty message, which adds nothing.
 * @throws TRANSLATION_UNSUPPORTED for a part that is not text.
 */
export function systemBlock(message: OpenAIMessage, path: string): AnthropicTextBlock | undefined {
  const { content } = message;
  if (typeof content === 'string')
    return content === '' ? undefined : { type: 'text', text: content };
  let text = '';
  let cacheControl: unknown;
  (content ?? []).forEach((part, j) => {
    if (!isTextPart(part)) {
      const what = `a "${part.type}" part in a system message`;
      throw unsupported(`${path}.content.${j}`, what, 'Anthropic Messages');
    }
    text += part.text;
    if (part.cache_control !== undefined) cacheControl = part.cache_control;
  });
  if (text === '') return undefined;
  return cacheControl === undefined
    ? { type: 'text', text }
    : { type: 'text', text, cache_control: cacheControl };
}

/**
 * The system blocks of a conversation -> Anthropic `system`: one string, the texts joined in order
 * with a blank line; or, when any block carries `cache_control`, the blocks themselves (a string
 * has nowhere to put the hint, and dropping it would silently turn prompt caching off).
 */
export function anthropicSystem(
  blocks: readonly AnthropicTextBlock[],
): AnthropicMessagesRequest['system'] {
  if (blocks.length === 0) return undefined;
  if (blocks.some((b) => b.cache_control !== undefined)) return [...blocks];
  return blocks.map((b) => b.text).join('\n\n');
}
