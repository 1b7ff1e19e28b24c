import type {
  AnthropicContentBlock,
  AnthropicInputMessage,
  AnthropicMessagesRequest,
  AnthropicToolResultBlock,
  AnthropicToolResultContent,
} from '../protocols/anthropic-messages/index.js';
import type { OpenAIContentPart, OpenAIMessage } from '../protocols/openai-chat/index.js';
import { assistantBlocksToOpenAI, openAIAssistantFields } from './assistant-blocks.js';
import { anthropicSourceToImageUrl } from './image-url.js';
import { unsupported } from './translated.js';
import {
  isImageBlock,
  isRedactedThinkingBlock,
  isTextBlock,
  isToolResultBlock,
} from './type-guards.js';

const TARGET = 'OpenAI Chat Completions';

// Towards OpenAI only the known fields of a block cross over: `cache_control` and `citations` are
// hints with no OpenAI meaning (dropped), and unknown keys could make a strict server refuse.

/** A text or image block -> OpenAI content part. */
function blockToPart(block: AnthropicToolResultContent, path: string): OpenAIContentPart {
  if (isTextBlock(block)) return { type: 'text', text: block.text };
  if (isImageBlock(block)) {
    const url = anthropicSourceToImageUrl(block.source);
    if (url === undefined) {
      throw unsupported(`${path}.source.type`, `a "${block.source.type}" image source`, TARGET);
    }
    return { type: 'image_url', image_url: { url } };
  }
  throw unsupported(path, `a "${block.type}" block in a user turn`, TARGET);
}

/** Anthropic `system` -> one system message (a string stays a string; blocks become text parts). */
export function anthropicSystemToOpenAI(
  system: AnthropicMessagesRequest['system'],
): OpenAIMessage[] {
  if (system === undefined || system === '' || (Array.isArray(system) && system.length === 0)) {
    return [];
  }
  if (typeof system === 'string') return [{ role: 'system', content: system }];
  return [
    { role: 'system', content: system.map((b) => ({ type: 'text' as const, text: b.text })) },
  ];
}

/**
 * A tool_result -> a tool message. OpenAI tool messages carry text only: images go to `images`,
 * which the caller sends in the user message that follows the tool messages.
 */
function toolMessage(
  block: AnthropicToolResultBlock,
  path: string,
  images: OpenAIContentPart[],
): OpenAIMessage {
  const { content } = block;
  const textParts: OpenAIContentPart[] = [];
  if (Array.isArray(content)) {
    content.forEach((b, k) => {
      const at = `${path}.content.${k}`;
      if (isTextBlock(b)) textParts.push({ type: 'text', text: b.text });
      else if (isImageBlock(b)) images.push(blockToPart(b, at));
      else throw unsupported(at, `a "${b.type}" block in a tool result`, TARGET);
    });
  }
  // A result that was only images leaves '' (not an empty part list, which servers may refuse).
  const onlyImages = textParts.length === 0 && Array.isArray(content) && content.length > 0;
  const text =
    typeof content === 'string' ? content : content === undefined || onlyImages ? '' : textParts;
  const message: OpenAIMessage = { role: 'tool', tool_call_id: block.tool_use_id, content: text };
  // OpenAI has no error flag on tool results: an extra field keeps it for the round trip.
  if (block.is_error === true) message.is_error = true;
  return message;
}

/**
 * A user turn -> its tool results as tool messages (first), then the rest as one user message
 * (led by any images the tool results held).
 */
function userTurn(
  content: AnthropicContentBlock[],
  path: string,
  notes: string[],
): OpenAIMessage[] {
  const out: OpenAIMessage[] = [];
  const parts: OpenAIContentPart[] = [];
  content.forEach((block, j) => {
    if (isToolResultBlock(block)) {
      const before = parts.length;
      out.push(toolMessage(block, `${path}.${j}`, parts));
      if (parts.length > before) {
        notes.push(
          `${path}.${j}: tool result images sent in the next user message (OpenAI tool messages are text-only)`,
        );
      }
    } else if (isTextBlock(block) || isImageBlock(block)) {
      parts.push(blockToPart(block, `${path}.${j}`));
    } else throw unsupported(`${path}.${j}`, `a "${block.type}" block in a user turn`, TARGET);
  });
  if (parts.length > 0 || out.length === 0) out.push({ role: 'user', content: parts });
  return out;
}

function assistantTurn(
  content: AnthropicContentBlock[],
  path: string,
  notes: string[],
): OpenAIMessage {
  const parts = assistantBlocksToOpenAI(content, (block, j) => {
    if (!isRedactedThinkingBlock(block)) {
      throw unsupported(`${path}.${j}`, `a "${block.type}" block in an assistant turn`, TARGET);
    }
    notes.push(`${path}.${j} dropped: redacted thinking has no OpenAI equivalent`);
  });
  return openAIAssistantFields(parts);
}

/**
 * Anthropic `system` + `messages` -> OpenAI messages. A system prompt becomes one leading system
 * message; a user turn's tool_result blocks become tool messages (in order, before the turn's
 * other content); thinking becomes `reasoning_content` (+ `reasoning_signature`, our extension).
 * @throws TRANSLATION_UNSUPPORTED for documents and server-tool blocks.
 */
export function anthropicMessagesToOpenAI(
  system: AnthropicMessagesRequest['system'],
  messages: readonly AnthropicInputMessage[],
  notes: string[],
): OpenAIMessage[] {
  const out = anthropicSystemToOpenAI(system);
  messages.forEach((message, i) => {
    const path = `messages.${i}.content`;
    if (typeof message.content === 'string') {
      out.push({ role: message.role, content: message.content });
    } else if (message.role === 'user') {
      out.push(...userTurn(message.content, path, notes));
    } else {
      out.push(assistantTurn(message.content, path, notes));
    }
  });
  return out;
}
