import type {
  AnthropicBase64Source,
  AnthropicContentBlock,
  AnthropicImageBlock,
  AnthropicImageSource,
  AnthropicRedactedThinkingBlock,
  AnthropicTextBlock,
  AnthropicThinkingBlock,
  AnthropicToolResultBlock,
  AnthropicToolResultContent,
  AnthropicToolUseBlock,
  AnthropicUrlSource,
} from '../protocols/anthropic-messages/index.js';
import type {
  OpenAIContentPart,
  OpenAIImagePart,
  OpenAIRefusalPart,
  OpenAITextPart,
} from '../protocols/openai-chat/index.js';

// The schemas are open tagged unions (unknown `type`s are kept), so TypeScript cannot narrow on
// `type` alone; a parsed value whose `type` is known has been validated against that shape.

type Block = AnthropicContentBlock | AnthropicToolResultContent;

export const isTextBlock = (b: Block): b is AnthropicTextBlock => b.type === 'text';
export const isImageBlock = (b: Block): b is AnthropicImageBlock => b.type === 'image';
export const isToolUseBlock = (b: Block): b is AnthropicToolUseBlock => b.type === 'tool_use';
export const isToolResultBlock = (b: Block): b is AnthropicToolResultBlock =>
  b.type === 'tool_result';
export const isThinkingBlock = (b: Block): b is AnthropicThinkingBlock => b.type === 'thinking';
export const isRedactedThinkingBlock = (b: Block): b is AnthropicRedactedThinkingBlock =>
  b.type === 'redacted_thinking';
export const isBase64Source = (s: AnthropicImageSource): s is AnthropicBase64Source =>
  s.type === 'base64';
export const isUrlSource = (s: AnthropicImageSource): s is AnthropicUrlSource => s.type === 'url';

export const isTextPart = (p: OpenAIContentPart): p is OpenAITextPart => p.type === 'text';
export const isImagePart = (p: OpenAIContentPart): p is OpenAIImagePart => p.type === 'image_url';
export const isRefusalPart = (p: OpenAIContentPart): p is OpenAIRefusalPart => p.type === 'refusal';
