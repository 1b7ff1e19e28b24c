import type { OpenAIContentPart, OpenAIMessage } from '../protocols/openai-chat/index.js';
import { openAIAssistantFields } from './assistant-blocks.js';
import type { OpenAIAssistantParts } from './assistant-blocks.js';
import { customToolCallToChat } from './responses-custom-tools.js';
import { responsesPartToChat, stringAt, toolOutputToChat } from './responses-parts-to-chat.js';
import { flatToolName } from './responses-tool-names.js';
import { reasoningText } from './responses-reasoning.js';
import { invalidField, isPlainObject, kindOf, unsupported } from './translated.js';

const TARGET = 'OpenAI Chat Completions';

type Item = Record<string, unknown>;

/** Where a chat message came from, so a later step's error can name the caller's field. */
export interface MessageSource {
  /** `instructions` or `input.<i>`. */
  path: string;
  /** Per tool call of an assistant message: the `function_call` item it came from. */
  toolCalls?: string[];
}

/** Chat messages plus their sources (same indices). */
export interface ChatConversation {
  messages: OpenAIMessage[];
  sources: MessageSource[];
}

/** Items run by OpenAI itself: their results cannot be replayed to another model. */
const HOSTED_ITEMS = new Set([
  'web_search_call',
  'file_search_call',
  'code_interpreter_call',
  'image_generation_call',
  'mcp_call',
  'mcp_list_tools',
  'mcp_approval_request',
  'mcp_approval_response',
]);

/** Builds chat messages from Responses input items, one item at a time. */
class InputReader {
  readonly out: ChatConversation = { messages: [], sources: [] };
  private assistant:
    (OpenAIAssistantParts & { refusal: string; source: MessageSource }) | undefined;
  /** Images of function_call_output items: a user message once the tool messages end. */
  private images: OpenAIContentPart[] = [];

  constructor(private readonly notes: string[]) {}

  push(message: OpenAIMessage, path: string): void {
    this.out.messages.push(message);
    this.out.sources.push({ path });
  }

  /** Ends the open assistant message and any pending tool-output images. */
  close(keepImages = false): void {
    const a = this.assistant;
    if (a !== undefined) {
      this.assistant = undefined;
      const message: OpenAIMessage = openAIAssistantFields(a);
      if (a.refusal !== '') message.refusal = a.refusal;
      this.out.messages.push(message);
      this.out.sources.push(a.source);
    }
    if (!keepImages && this.images.length > 0) {
      this.push({ role: 'user', content: this.images }, 'input');
      this.notes.push('images of function_call_output items sent in a user message after them');
      this.images = [];
    }
  }

  openAssistant(path: string): NonNullable<InputReader['assistant']> {
    if (this.images.length > 0) this.close();
    this.assistant ??= {
      text: '',
      reasoning: '',
      signature: undefined,
      toolCalls: [],
      refusal: '',
      source: { path, toolCalls: [] },
    };
    return this.assistant;
  }

  message(item: Item, path: string): void {
    const role = item.role;
    if (role === 'assistant') return this.assistantMessage(item, path);
    if (role !== 'user' && role !== 'system' && role !== 'developer') {
      this.notes.push(`${path} dropped: role "${kindOf(role)}" has no chat equivalent`);
      return;
    }
    this.close();
    const content = item.content;
    const parts =
      typeof content === 'string'
        ? content
        : Array.isArray(content)
          ? content.map((part, k) => responsesPartToChat(part, `${path}.content.${k}`))
          : stringAt(content, `${path}.content`);
    // Every chat server knows `system`; OpenAI reads it as `developer` for the models that have one.
    this.push({ role: role === 'user' ? 'user' : 'system', content: parts }, path);
  }

  assistantMessage(item: Item, path: string): void {
    const a = this.openAssistant(path);
    const content = item.content;
    if (typeof content === 'string') {
      a.text += content;
      return;
    }
    if (!Array.isArray(content)) throw invalidField(`${path}.content`, 'must be a string or array');
    content.forEach((part: unknown, k) => {
      const at = `${path}.content.${k}`;
      if (!isPlainObject(part)) throw invalidField(at, 'must be an object');
      if (part.type === 'output_text' || part.type === 'input_text') {
        a.text += stringAt(part.text, `${at}.text`);
      } else if (part.type === 'refusal') a.refusal += stringAt(part.refusal, `${at}.refusal`);
      else throw unsupported(at, `a "${kindOf(part.type)}" assistant part`, TARGET);
    });
  }

  functionCall(item: Item, path: string): void {
    const a = this.openAssistant(path);
    const name = stringAt(item.name, `${path}.name`);
    const namespace = item.namespace;
    a.toolCalls.push({
      id: stringAt(item.call_id, `${path}.call_id`),
      type: 'function',
      function: {
        name: typeof namespace === 'string' ? flatToolName(namespace, name) : name,
        arguments: stringAt(item.arguments, `${path}.arguments`),
      },
    });
    a.source.toolCalls?.push(path);
  }

  /** A custom (freeform) tool's call: a call of the function the tool became (`{input}`). */
  customToolCall(item: Item, path: string): void {
    const a = this.openAssistant(path);
    a.toolCalls.push(customToolCallToChat(item, path));
    a.source.toolCalls?.push(path);
  }

  reasoning(item: Item, path: string): void {
    const a = this.openAssistant(path);
    a.reasoning += reasoningText(item);
    if (typeof item.encrypted_content === 'string') a.signature = item.encrypted_content;
  }

  functionCallOutput(item: Item, path: string): void {
    this.close(true);
    const { text, images } = toolOutputToChat(item.output, path);
    this.images.push(...images);
    const callId = stringAt(item.call_id, `${path}.call_id`);
    this.push({ role: 'tool', tool_call_id: callId, content: text }, path);
  }

  item(item: unknown, path: string): void {
    if (!isPlainObject(item)) throw invalidField(path, 'must be an object');
    // An item without `type` is an "easy" message ({role, content}).
    const type = item.type ?? (item.role !== undefined ? 'message' : undefined);
    if (type === 'message') this.message(item, path);
    else if (type === 'function_call') this.functionCall(item, path);
    else if (type === 'custom_tool_call') this.customToolCall(item, path);
    // A custom tool's output is a function's: a string or parts.
    else if (type === 'function_call_output' || type === 'custom_tool_call_output') {
      this.functionCallOutput(item, path);
    } else if (type === 'reasoning') this.reasoning(item, path);
    else if (typeof type === 'string' && HOSTED_ITEMS.has(type)) {
      this.notes.push(`${path} dropped: a "${type}" item runs only on OpenAI`);
    } else if (type === 'item_reference') {
      throw unsupported(path, 'an item_reference (stored items)', TARGET);
    } else {
      // Tolerant in: an item type OpenAI adds tomorrow must not fail today's conversations.
      this.notes.push(`${path} dropped: a "${kindOf(type)}" item has no chat equivalent`);
    }
  }
}

/**
 * `instructions` + `input` -> chat messages. Instructions become a leading system message;
 * developer and system messages system messages in place; consecutive reasoning, assistant
 * message and function_call items one assistant message (`reasoning_content`, content,
 * `tool_calls`; `encrypted_content` -> `reasoning_signature`); each function_call_output a tool
 * message (images in it: a user message after the tool messages, with a note); custom_tool_call
 * items and their outputs as a function's (arguments `{"input": ...}`). Items of a type chat has
 * no form for (hosted tool calls, types unknown here) are dropped with a note.
 * @throws LlmFailoverError INVALID_REQUEST (400) naming a malformed item's path;
 *   TRANSLATION_UNSUPPORTED (400) for items and parts chat cannot carry (item_reference, images
 *   by file_id...).
 */
export function responsesInputToChat(
  instructions: unknown,
  input: unknown,
  notes: string[],
): ChatConversation {
  const reader = new InputReader(notes);
  if (typeof instructions === 'string' && instructions !== '') {
    reader.push({ role: 'system', content: instructions }, 'instructions');
  } else if (instructions !== undefined && instructions !== null && instructions !== '') {
    throw unsupported('instructions', 'instructions that are not a string', TARGET);
  }
  if (typeof input === 'string') reader.push({ role: 'user', content: input }, 'input');
  else if (Array.isArray(input)) input.forEach((item, i) => reader.item(item, `input.${i}`));
  else if (input !== undefined && input !== null)
    throw invalidField('input', 'must be a string or array');
  reader.close();
  return reader.out;
}
