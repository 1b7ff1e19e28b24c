import type { OpenAIContentPart, OpenAIMessage } from '../protocols/openai-chat/index.js';
import { invalidField, isPlainObject, unsupported } from './translated.js';
import { isImagePart, isRefusalPart, isTextPart } from './type-guards.js';

const TARGET = 'OpenAI Responses';

type Item = Record<string, unknown>;

/** A user / system part -> a Responses input part. */
function inputPart(part: OpenAIContentPart, path: string): Item {
  if (isTextPart(part)) return { type: 'input_text', text: part.text };
  if (isImagePart(part)) {
    const { url, detail } = part.image_url;
    return detail === undefined
      ? { type: 'input_image', image_url: url }
      : { type: 'input_image', image_url: url, detail };
  }
  if (part.type === 'file' && isPlainObject(part.file)) return { type: 'input_file', ...part.file };
  if (part.type === 'input_audio') return { type: 'input_audio', input_audio: part.input_audio };
  throw unsupported(path, `a "${part.type.slice(0, 40)}" content part`, TARGET);
}

/** Text of a string or text-part content (tool results, which Responses carries as a string). */
function plainText(content: OpenAIMessage['content'], path: string): string {
  if (typeof content === 'string') return content;
  if (content === null || content === undefined) return '';
  return content
    .map((part, k) => {
      if (isTextPart(part)) return part.text;
      throw unsupported(
        `${path}.${k}`,
        `a "${part.type.slice(0, 40)}" part in a tool result`,
        TARGET,
      );
    })
    .join('');
}

/** An assistant message -> reasoning, message and function_call items, in that order. */
function assistantItems(message: OpenAIMessage, path: string, out: Item[]): void {
  const reasoning = message.reasoning_content;
  if (typeof reasoning === 'string' && reasoning !== '') {
    const item: Item = { type: 'reasoning', summary: [{ type: 'summary_text', text: reasoning }] };
    // Our round-trip field: an Anthropic thinking signature or a Responses encrypted_content.
    if (typeof message.reasoning_signature === 'string') {
      item.encrypted_content = message.reasoning_signature;
    }
    out.push(item);
  }
  const parts: Item[] = [];
  const content = message.content;
  if (typeof content === 'string' && content !== '')
    parts.push({ type: 'output_text', text: content });
  if (Array.isArray(content)) {
    content.forEach((part, k) => {
      if (isTextPart(part)) parts.push({ type: 'output_text', text: part.text });
      else if (isRefusalPart(part)) parts.push({ type: 'refusal', refusal: part.refusal });
      else
        throw unsupported(
          `${path}.content.${k}`,
          `a "${part.type.slice(0, 40)}" assistant part`,
          TARGET,
        );
    });
  }
  if (typeof message.refusal === 'string' && message.refusal !== '') {
    parts.push({ type: 'refusal', refusal: message.refusal });
  }
  if (parts.length > 0) out.push({ type: 'message', role: 'assistant', content: parts });
  for (const call of message.tool_calls ?? []) {
    const { id, function: fn } = call;
    out.push({ type: 'function_call', call_id: id, name: fn.name, arguments: fn.arguments });
  }
  if (message.function_call !== undefined && message.function_call !== null) {
    throw unsupported(`${path}.function_call`, 'a legacy function_call (use tool_calls)', TARGET);
  }
}

/**
 * Chat messages -> Responses input items. System, developer and user messages keep their role
 * (parts become input_text / input_image / input_file); an assistant message becomes a reasoning
 * item (from `reasoning_content`, with `reasoning_signature` as `encrypted_content`), a message
 * with output_text / refusal parts and one function_call per tool call; a tool message a
 * function_call_output (`is_error` has no place: dropped with a note).
 * @throws LlmFailoverError TRANSLATION_UNSUPPORTED (400) for the legacy function role or
 *   function_call, and parts Responses cannot carry.
 */
export function chatMessagesToResponses(
  messages: readonly OpenAIMessage[],
  notes: string[],
): Item[] {
  const out: Item[] = [];
  let errorFlags = 0;
  messages.forEach((message, i) => {
    const path = `messages.${i}`;
    const { role, content } = message;
    if (role === 'system' || role === 'developer' || role === 'user') {
      const parts =
        typeof content === 'string' || content === null || content === undefined
          ? (content ?? '')
          : content.map((part, k) => inputPart(part, `${path}.content.${k}`));
      out.push({ type: 'message', role, content: parts });
    } else if (role === 'assistant') {
      assistantItems(message, path, out);
    } else if (role === 'tool') {
      if (message.is_error === true) errorFlags++;
      const output = plainText(content, `${path}.content`);
      const callId = message.tool_call_id;
      if (callId === undefined) throw invalidField(`${path}.tool_call_id`, 'is required');
      out.push({ type: 'function_call_output', call_id: callId, output });
    } else if (role === 'function') {
      throw unsupported(`${path}.role`, 'the legacy function role (use tool messages)', TARGET);
    } else {
      notes.push(`${path} dropped: role "${role.slice(0, 40)}" has no Responses equivalent`);
    }
  });
  if (errorFlags > 0) {
    notes.push(`is_error dropped from ${errorFlags} tool result(s): Responses has no error flag`);
  }
  return out;
}
