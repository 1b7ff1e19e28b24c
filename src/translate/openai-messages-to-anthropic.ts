import type {
  AnthropicContentBlock,
  AnthropicInputMessage,
  AnthropicMessagesRequest,
  AnthropicTextBlock,
  AnthropicToolResultContent,
} from '../protocols/anthropic-messages/index.js';
import type { OpenAIContentPart, OpenAIMessage } from '../protocols/openai-chat/index.js';
import { ANTHROPIC_IMAGE_MEDIA_TYPES, imageUrlToAnthropicSource } from './image-url.js';
import { anthropicSystem, systemBlock } from './openai-system-to-anthropic.js';
import { anthropicToolId, parseToolArguments } from './tool-call-input.js';
import { invalidField, unsupported } from './translated.js';
import {
  isBase64Source,
  isImagePart,
  isRefusalPart,
  isTextBlock,
  isTextPart,
} from './type-guards.js';

const TARGET = 'Anthropic Messages';

/** What OpenAI messages become on the Anthropic side. */
export interface AnthropicConversation {
  /**
   * All system/developer texts, in order, joined with a blank line (or as text blocks when one
   * carries `cache_control`); undefined when there are none.
   */
  system: AnthropicMessagesRequest['system'];
  /** Strictly alternating turns (consecutive same-role messages merged). */
  messages: AnthropicInputMessage[];
}

type Blocks = AnthropicContentBlock[];

/** Only the prompt-caching hint crosses over on parts: any other unknown key would be a 400 there. */
function withCacheControl<T extends Record<string, unknown>>(
  out: T,
  part: Record<string, unknown>,
): T {
  if (part.cache_control !== undefined) return { ...out, cache_control: part.cache_control };
  return out;
}

/** A user or tool-result part -> block. Text and images only. */
function partToBlock(part: OpenAIContentPart, path: string): AnthropicToolResultContent {
  if (isTextPart(part)) return withCacheControl({ type: 'text' as const, text: part.text }, part);
  if (isImagePart(part)) {
    const source = imageUrlToAnthropicSource(part.image_url.url);
    if (source === undefined) {
      throw unsupported(
        `${path}.image_url.url`,
        'an image URL that is neither http(s) nor a base64 data URL',
        TARGET,
      );
    }
    // Anthropic refuses other media types (svg, bmp, ...) with a 400 that names no field.
    if (isBase64Source(source) && !ANTHROPIC_IMAGE_MEDIA_TYPES.has(source.media_type)) {
      const what = `an image of type ${source.media_type.slice(0, 40)}`;
      throw unsupported(`${path}.image_url.url`, what, TARGET);
    }
    // `detail` has no Anthropic equivalent and only tunes resolution: dropped.
    return withCacheControl({ type: 'image' as const, source }, part);
  }
  throw unsupported(path, `a "${part.type}" content part`, TARGET);
}

/**
 * Anthropic refuses text blocks that are empty or only whitespace; OpenAI allows them, and local
 * models often put "\n\n" before their tool calls. Such a text says nothing: it is skipped.
 */
const blank = (text: string): boolean => text.trim() === '';

/** Parts -> blocks, blank text parts skipped. */
function partsToBlocks(parts: readonly OpenAIContentPart[], path: string): Blocks {
  const blocks: Blocks = [];
  parts.forEach((part, j) => {
    if (!isTextPart(part) || !blank(part.text))
      blocks.push(partToBlock(part, `${path}.content.${j}`));
  });
  return blocks;
}

function userContent(message: OpenAIMessage, path: string): string | Blocks {
  const { content } = message;
  if (typeof content === 'string') return content;
  if (content === null || content === undefined) return [];
  return partsToBlocks(content, path);
}

/** Assistant text, text/refusal parts and the `refusal` field -> text blocks (blank texts skipped). */
function assistantTextBlocks(message: OpenAIMessage, path: string): Blocks {
  const blocks: Blocks = [];
  const { content } = message;
  if (typeof content === 'string' && !blank(content)) blocks.push({ type: 'text', text: content });
  if (Array.isArray(content)) {
    content.forEach((part, j) => {
      if (isTextPart(part)) {
        if (!blank(part.text)) {
          blocks.push(withCacheControl({ type: 'text' as const, text: part.text }, part));
        }
      } else if (isRefusalPart(part)) {
        blocks.push({ type: 'text', text: part.refusal });
      } else {
        const what = `a "${part.type}" part in an assistant message`;
        throw unsupported(`${path}.content.${j}`, what, TARGET);
      }
    });
  }
  // A refusal in the history is what the assistant said.
  if (typeof message.refusal === 'string' && message.refusal !== '') {
    blocks.push({ type: 'text', text: message.refusal });
  }
  return blocks;
}

function assistantContent(message: OpenAIMessage, path: string, notes: string[]): string | Blocks {
  // Legacy function calls and audio replies have no Anthropic form (and must not vanish).
  for (const key of ['function_call', 'audio'] as const) {
    if (message[key] !== null && message[key] !== undefined) {
      throw unsupported(`${path}.${key}`, `an assistant ${key}`, TARGET);
    }
  }
  const blocks: Blocks = [];
  const reasoning = message.reasoning_content;
  if (typeof reasoning === 'string' && reasoning !== '') {
    const signature = message.reasoning_signature;
    // Anthropic rejects a thinking block without the signature it issued with it.
    if (typeof signature === 'string') {
      blocks.push({ type: 'thinking', thinking: reasoning, signature });
    } else {
      notes.push(`${path}.reasoning_content dropped: Anthropic needs its thinking signature`);
    }
  }
  blocks.push(...assistantTextBlocks(message, path));
  (message.tool_calls ?? []).forEach((call, j) => {
    const argsPath = `${path}.tool_calls.${j}.function.arguments`;
    const input = parseToolArguments(call.function.arguments, argsPath);
    blocks.push({
      type: 'tool_use',
      id: anthropicToolId(call.id),
      name: call.function.name,
      input,
    });
  });
  // A lone text keeps the caller's string form.
  const only = blocks[0];
  if (blocks.length === 1 && only !== undefined && isTextBlock(only)) {
    if (only.text === message.content) return only.text;
  }
  return blocks;
}

function toolResult(message: OpenAIMessage, path: string): Blocks {
  if (typeof message.tool_call_id !== 'string') {
    throw invalidField(`${path}.tool_call_id`, 'a tool message needs tool_call_id');
  }
  const { content } = message;
  const block: AnthropicContentBlock = {
    type: 'tool_result',
    tool_use_id: anthropicToolId(message.tool_call_id),
  };
  if (typeof content === 'string') block.content = content;
  else if (content !== null && content !== undefined) {
    block.content = partsToBlocks(content, path);
  }
  // `is_error` is our round-trip marker on OpenAI tool messages (OpenAI has no error flag).
  if (message.is_error === true) block.is_error = true;
  return [block];
}

const asBlocks = (content: string | Blocks): Blocks =>
  typeof content !== 'string' ? content : content === '' ? [] : [{ type: 'text', text: content }];

/** Anthropic wants tool results first in a user turn; keeps each group's order. */
function toolResultsFirst(content: string | Blocks): string | Blocks {
  if (typeof content === 'string') return content;
  const results = content.filter((b) => b.type === 'tool_result');
  if (results.length === 0 || results.length === content.length) return content;
  return [...results, ...content.filter((b) => b.type !== 'tool_result')];
}

/**
 * OpenAI `messages` -> Anthropic `system` + alternating `messages`. System and developer messages
 * (any position) are hoisted into `system`, joined in order with a blank line. Tool messages become
 * `tool_result` blocks; consecutive same-role turns are merged into one turn.
 * @throws TRANSLATION_UNSUPPORTED for audio/file parts, odd image URLs; INVALID_REQUEST for bad tool calls.
 */
export function openAIMessagesToAnthropic(
  messages: readonly OpenAIMessage[],
  notes: string[],
): AnthropicConversation {
  const system: AnthropicTextBlock[] = [];
  const turns: AnthropicInputMessage[] = [];
  const push = (role: 'user' | 'assistant', content: string | Blocks): void => {
    const last = turns[turns.length - 1];
    if (last?.role === role) last.content = [...asBlocks(last.content), ...asBlocks(content)];
    else turns.push({ role, content });
  };
  messages.forEach((message, i) => {
    const path = `messages.${i}`;
    switch (message.role) {
      case 'system':
      case 'developer': {
        // An empty one adds nothing (and must not add a stray blank line to the join).
        const block = systemBlock(message, path);
        if (block !== undefined) system.push(block);
        break;
      }
      case 'user':
        push('user', userContent(message, path));
        break;
      case 'tool':
        push('user', toolResult(message, path));
        break;
      case 'assistant': {
        const content = assistantContent(message, path, notes);
        // Anthropic refuses an empty turn; one that said nothing (local models do) is left out.
        if (content.length > 0) push('assistant', content);
        else notes.push(`${path} left out: an empty assistant message`);
        break;
      }
      case 'function':
        // Legacy function results have no tool_call_id to pair with a tool_use block.
        throw unsupported(`${path}.role`, 'a legacy "function" message (use tool)', TARGET);
      default:
        notes.push(
          `${path} dropped: role "${message.role.slice(0, 40)}" has no Anthropic equivalent`,
        );
    }
  });
  for (const turn of turns) if (turn.role === 'user') turn.content = toolResultsFirst(turn.content);
  return { system: anthropicSystem(system), messages: turns };
}
