import type { OpenAIContentPart } from '../protocols/openai-chat/index.js';
import { invalidField, isPlainObject, kindOf, unsupported } from './translated.js';

const TARGET = 'OpenAI Chat Completions';

/** `value` when it is a string. @throws LlmFailoverError INVALID_REQUEST naming `path`. */
export function stringAt(value: unknown, path: string): string {
  if (typeof value !== 'string') throw invalidField(path, 'must be a string');
  return value;
}

/**
 * A user / system / developer part of a Responses input item -> a chat part (OpenAI Chat has the
 * same kinds).
 * @throws LlmFailoverError INVALID_REQUEST naming a malformed part; TRANSLATION_UNSUPPORTED for an
 *   image by file_id, a file by URL or a part type chat has no form for.
 */
export function responsesPartToChat(part: unknown, path: string): OpenAIContentPart {
  if (!isPlainObject(part)) throw invalidField(path, 'must be an object');
  switch (part.type) {
    case 'input_text':
    case 'output_text':
      return { type: 'text', text: stringAt(part.text, `${path}.text`) };
    case 'input_image': {
      if (typeof part.image_url !== 'string') {
        throw unsupported(`${path}.file_id`, 'an image given by file_id', TARGET);
      }
      const detail = typeof part.detail === 'string' ? { detail: part.detail } : {};
      return { type: 'image_url', image_url: { url: part.image_url, ...detail } };
    }
    case 'input_file': {
      if (part.file_url !== undefined) {
        throw unsupported(`${path}.file_url`, 'a file given by URL', TARGET);
      }
      const file: Record<string, unknown> = {};
      for (const key of ['file_data', 'file_id', 'filename']) {
        if (typeof part[key] === 'string') file[key] = part[key];
      }
      return { type: 'file', file };
    }
    case 'input_audio':
      return { type: 'input_audio', input_audio: part.input_audio };
    default:
      throw unsupported(path, `a "${kindOf(part.type)}" content part`, TARGET);
  }
}

/** What a tool output becomes: the tool message's text, and images chat can only send apart. */
export interface ChatToolOutput {
  text: string;
  images: OpenAIContentPart[];
}

/**
 * The `output` of a function_call_output (or custom_tool_call_output) item: a string, or parts
 * whose texts are joined and whose images are set aside.
 * @throws LlmFailoverError INVALID_REQUEST naming `<path>.output`; TRANSLATION_UNSUPPORTED for a
 *   part that is neither text nor image.
 */
export function toolOutputToChat(output: unknown, path: string): ChatToolOutput {
  const result: ChatToolOutput = { text: '', images: [] };
  if (typeof output === 'string') result.text = output;
  else if (Array.isArray(output)) {
    output.forEach((part, k) => {
      const chat = responsesPartToChat(part, `${path}.output.${k}`);
      if (chat.type === 'text') result.text += String(chat.text);
      else if (chat.type === 'image_url') result.images.push(chat);
      else throw unsupported(`${path}.output.${k}`, `a "${chat.type}" tool output`, TARGET);
    });
  } else throw invalidField(`${path}.output`, 'must be a string or array');
  return result;
}
