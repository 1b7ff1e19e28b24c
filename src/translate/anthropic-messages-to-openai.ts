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

/**
 * System content (the top-level `system`, or a `role: "system"` message) -> one OpenAI system
 * message: a string stays a string, text blocks become text parts (their `cache_control` hints
 * dropped); other blocks have no place in a system message: dropped, with a note. None for empty.
 */
function systemMessage(
  content: AnthropicMessagesRequest['system'],
  path: string,
  notes: string[],
): OpenAIMessage[] {
  if (content === undefined || content === null || content === '') return [];
  if (typeof content === 'string') return [{ role: 'system', content }];
  const parts: OpenAIContentPart[] = [];
  content.forEach((block, j) => {
    if (isTextBlock(block)) parts.push({ type: 'text', text: block.text });
    else notes.push(`${path}.${j} dropped: a "${block.type}" block in a system prompt`);
  });
  return parts.length === 0 ? [] : [{ role: 'system', content: parts }];
}

/** Anthropic `system` -> one system message (a string stays a string; blocks become text parts). */
export function anthropicSystemToOpenAI(
  system: AnthropicMessagesRequest['system'],
  notes: string[] = [],
): OpenAIMessage[] {
  return systemMessage(system, 'system', notes);
}

/** A `document` block whose source is plain text -> its text; undefined for PDFs and the like. */
function documentText(block: AnthropicContentBlock): string | undefined {
  if (block.type !== 'document') return undefined;
  const source = (block as { source?: { type?: unknown; data?: unknown } }).source;
  return source?.type === 'text' && typeof source.data === 'string' ? source.data : undefined;
}

/**
 * A tool_result -> a tool message. OpenAI tool messages carry text only: images go to `images`,
 * which the caller sends in the user message that follows the tool messages.
 */
function toolMessage(
  block: AnthropicToolResultBlock,
  path: string,
  images: OpenAIContentPart[],
  notes: string[],
): OpenAIMessage {
  const { content } = block;
  const textParts: OpenAIContentPart[] = [];
  if (Array.isArray(content)) {
    content.forEach((b, k) => {
      const at = `${path}.content.${k}`;
      const text = documentText(b);
      if (isTextBlock(b)) textParts.push({ type: 'text', text: b.text });
      else if (isImageBlock(b)) images.push(blockToPart(b, at));
      else if (text !== undefined) textParts.push({ type: 'text', text });
      // The model still reads the rest of the result; only this block has no OpenAI form.
      else notes.push(`${at} dropped: a "${b.type}" block in a tool result`);
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
      out.push(toolMessage(block, `${path}.${j}`, parts, notes));
      if (parts.length > before) {
        notes.push(
          `${path}.${j}: tool result images sent in the next user message (OpenAI tool messages are text-only)`,
        );
      }
    } else if (isTextBlock(block) || isImageBlock(block)) {
      parts.push(blockToPart(block, `${path}.${j}`));
    } else if (documentText(block) !== undefined) {
      parts.push({ type: 'text', text: documentText(block)! });
    } else if (block.type === 'document') {
      // The content the caller asks about cannot be carried: refusing beats a confident answer
      // about a document the model never saw.
      throw unsupported(`${path}.${j}`, 'a "document" block that is not plain text', TARGET);
    } else {
      notes.push(`${path}.${j} dropped: a "${block.type}" block has no OpenAI equivalent`);
    }
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
    // Redacted thinking, server tool calls and their results ran on Anthropic's side.
    const what = isRedactedThinkingBlock(block) ? 'redacted thinking' : `a "${block.type}" block`;
    notes.push(`${path}.${j} dropped: ${what} has no OpenAI equivalent`);
  });
  return openAIAssistantFields(parts);
}

/**
 * Anthropic `system` + `messages` -> OpenAI messages. A system prompt becomes one leading system
 * message and a `role: "system"` message (the mid-conversation-system beta) a system message in
 * place; a user turn's tool_result blocks become tool messages (in order, before the turn's other
 * content); thinking becomes `reasoning_content` (+ `reasoning_signature`, our extension). Roles
 * and blocks with no OpenAI form are dropped, with a note.
 * @throws TRANSLATION_UNSUPPORTED for a non-text document, or an image source OpenAI cannot take.
 */
export function anthropicMessagesToOpenAI(
  system: AnthropicMessagesRequest['system'],
  messages: readonly AnthropicInputMessage[],
  notes: string[],
): OpenAIMessage[] {
  const out = systemMessage(system, 'system', notes);
  messages.forEach((message, i) => {
    const path = `messages.${i}.content`;
    const { role, content } = message;
    if (role === 'system') out.push(...systemMessage(content, path, notes));
    else if (role !== 'user' && role !== 'assistant') {
      notes.push(`messages.${i} dropped: role "${role.slice(0, 40)}" has no OpenAI equivalent`);
    } else if (typeof content === 'string') out.push({ role, content });
    else if (role === 'user') out.push(...userTurn(content, path, notes));
    else out.push(assistantTurn(content, path, notes));
  });
  return out;
}
