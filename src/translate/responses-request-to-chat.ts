import type { OpenAIChatRequest } from '../protocols/openai-chat/index.js';
import { responsesInputToChat } from './responses-input-to-chat.js';
import type { MessageSource } from './responses-input-to-chat.js';
import type { OpenAIResponsesRequest } from '../protocols/openai-responses/index.js';
import { responsesToolChoiceToChat, responsesToolsToChat } from './responses-tools-to-chat.js';
import { invalidField, isPlainObject, kindOf, unmappedFields, unsupported } from './translated.js';
import type { FieldPolicy, Translated, TranslateOptions } from './translated.js';

const TARGET = 'OpenAI Chat Completions';

/*
 * Responses request field -> Chat Completions, for fields other than the ones mapped below:
 *
 * | Responses field                       | towards Chat                                            |
 * |---------------------------------------|---------------------------------------------------------|
 * | instructions                          | a leading system message                                |
 * | developer / system messages           | system messages in place (every chat server knows system) |
 * | max_output_tokens                     | max_tokens (or max_completion_tokens by option)         |
 * | text.format json_schema / json_object | response_format; text.verbosity -> verbosity            |
 * | reasoning.effort                      | reasoning_effort (reasoning.summary: dropped silently)  |
 * | stream: true                          | stream + stream_options.include_usage (usage is needed for response.completed) |
 * | namespace tools                       | flat function tools (namespace__name), restored on the way back |
 * | custom (freeform) tools              | functions of one string `input`; their calls custom_tool_call items again |
 * | custom_tool_call(_output) items       | a tool call with arguments `{"input": ...}`, a tool message |
 * | tools OpenAI runs (web_search, file_search, computer_use, mcp...) | dropped, with a note        |
 * | hosted tool call items, item types unknown here (shell_call...) | dropped, with a note         |
 * | previous_response_id, conversation, prompt, background: true, top_logprobs > 0 | 400 TRANSLATION_UNSUPPORTED |
 * | item_reference, images by file_id     | 400 TRANSLATION_UNSUPPORTED                             |
 * | store, include, metadata, client_metadata, stream_options, prompt_cache_retention | dropped silently: state and bookkeeping the gateway handles |
 * | truncation: "auto", max_tool_calls, anything else unknown | dropped, with a note               |
 */

const MAPPED = new Set([
  'model',
  'input',
  'instructions',
  'stream',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'max_output_tokens',
  'temperature',
  'top_p',
  'text',
  'reasoning',
  'user',
  'safety_identifier',
  'prompt_cache_key',
  'service_tier',
]);
const SILENT = new Set([
  'store',
  'include',
  'metadata',
  'client_metadata',
  'stream_options',
  'prompt_cache_retention',
]);
const DEFAULTS: Record<string, (v: unknown) => boolean> = {
  background: (v) => v === false,
  top_logprobs: (v) => v === 0,
  truncation: (v) => v === 'disabled',
};
const UNSUPPORTED: Record<string, string> = {
  previous_response_id: 'previous_response_id (stored responses)',
  conversation: 'a stored conversation',
  prompt: 'a stored prompt template',
  background: 'background mode',
  top_logprobs: 'top_logprobs',
};

const FIELDS: FieldPolicy = {
  mapped: MAPPED,
  silent: SILENT,
  defaults: DEFAULTS,
  unsupported: UNSUPPORTED,
};

/** `text` -> `response_format` / `verbosity` on `out`. */
function textFormat(text: unknown, out: OpenAIChatRequest): void {
  if (text === undefined || text === null) return;
  if (!isPlainObject(text)) throw invalidField('text', 'must be an object');
  if (typeof text.verbosity === 'string') out.verbosity = text.verbosity;
  const format = text.format;
  if (format === undefined || format === null) return;
  if (!isPlainObject(format)) throw invalidField('text.format', 'must be an object');
  if (format.type === 'text') return;
  if (format.type === 'json_object') {
    out.response_format = { type: 'json_object' };
  } else if (format.type === 'json_schema') {
    const { type: _type, ...jsonSchema } = format;
    out.response_format = { type: 'json_schema', json_schema: jsonSchema };
  } else {
    throw unsupported('text.format.type', `format "${kindOf(format.type)}"`, TARGET);
  }
}

/** Sampling, limits and bookkeeping fields that keep their meaning under another name (or the same). */
function scalars(
  req: OpenAIResponsesRequest,
  out: OpenAIChatRequest,
  options: TranslateOptions,
): void {
  if (typeof req.max_output_tokens === 'number') {
    out[options.openAIMaxTokensField ?? 'max_tokens'] = req.max_output_tokens;
  }
  if (typeof req.temperature === 'number') out.temperature = req.temperature;
  if (typeof req.top_p === 'number') out.top_p = req.top_p;
  if (req.stream === true) {
    out.stream = true;
    out.stream_options = { include_usage: true };
  }
  const reasoning = req.reasoning;
  if (isPlainObject(reasoning) && typeof reasoning.effort === 'string') {
    out.reasoning_effort = reasoning.effort;
  }
  for (const key of ['user', 'safety_identifier', 'prompt_cache_key', 'service_tier']) {
    if (typeof req[key] === 'string') out[key] = req[key];
  }
}

/** The chat request plus where each message came from (for the Messages composition's errors). */
export interface ResponsesChatTranslation extends Translated<OpenAIChatRequest> {
  sources: MessageSource[];
}

/** {@link responsesRequestToChat} with the message sources. */
export function responsesRequestToChatWithSources(
  req: OpenAIResponsesRequest,
  options: TranslateOptions = {},
): ResponsesChatTranslation {
  const notes: string[] = [];
  const dropped = unmappedFields(req, FIELDS, TARGET);
  if (dropped.length > 0) notes.push(`dropped (no chat equivalent): ${dropped.join(', ')}`);
  const { messages, sources } = responsesInputToChat(req.instructions, req.input, notes);
  const out: OpenAIChatRequest = {
    model: req.model,
    messages: options.roundTripFields === false ? withoutSignatures(messages) : messages,
  };
  scalars(req, out, options);
  textFormat(req.text, out);
  const tools = responsesToolsToChat(req.tools, notes);
  if (tools.length > 0) {
    out.tools = tools;
    const choice = responsesToolChoiceToChat(req.tool_choice, tools, notes);
    if (choice !== undefined) out.tool_choice = choice;
    // Chat servers refuse parallel_tool_calls without tools.
    if (typeof req.parallel_tool_calls === 'boolean') {
      out.parallel_tool_calls = req.parallel_tool_calls;
    }
  }
  return { value: out, notes, sources };
}

/** Messages without our `reasoning_signature` field (strict servers refuse unknown fields). */
function withoutSignatures(messages: OpenAIChatRequest['messages']): OpenAIChatRequest['messages'] {
  return messages.map((message) => {
    if (message.reasoning_signature === undefined) return message;
    const { reasoning_signature: _signature, ...rest } = message;
    return rest;
  });
}

/**
 * OpenAI Responses request -> OpenAI Chat Completions request (pure; `model` and `stream` kept).
 * See the table above for what is dropped and what is refused; namespace tools are flattened
 * (responsesToolNameOf restores the names in responses).
 * @throws LlmFailoverError TRANSLATION_UNSUPPORTED (400) for what chat cannot express;
 *   INVALID_REQUEST (400) naming a malformed field.
 */
export function responsesRequestToChat(
  req: OpenAIResponsesRequest,
  options: TranslateOptions = {},
): Translated<Record<string, unknown>> {
  const { value, notes } = responsesRequestToChatWithSources(req, options);
  return { value, notes };
}
