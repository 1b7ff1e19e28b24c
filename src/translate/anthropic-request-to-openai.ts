import type { AnthropicMessagesRequest } from '../protocols/anthropic-messages/index.js';
import type {
  OpenAIChatRequest,
  OpenAIMessage,
  OpenAITool,
  OpenAIToolChoice,
} from '../protocols/openai-chat/index.js';
import { anthropicMessagesToOpenAI } from './anthropic-messages-to-openai.js';
import { unmappedFields } from './translated.js';
import type { FieldPolicy, Translated, TranslateOptions } from './translated.js';

const TARGET = 'OpenAI Chat Completions';

/*
 * Anthropic request field -> OpenAI, for fields other than the ones mapped below:
 *
 * | Anthropic field                         | towards OpenAI                                         |
 * |-----------------------------------------|--------------------------------------------------------|
 * | max_tokens                              | max_tokens (what local servers read), or max_completion_tokens by option |
 * | top_k                                   | top_k, an extension vLLM / llama.cpp accept            |
 * | stream: true                            | stream + stream_options.include_usage: true (always)   |
 * | metadata.user_id                        | user                                                   |
 * | tool_result is_error                    | `is_error: true` on the tool message (our extension; with roundTripFields false: dropped, with a note) |
 * | thinking block signature                | `reasoning_signature` on the message (our extension; with roundTripFields false: dropped) |
 * | server tools (typed tools), mcp_servers, container | dropped, with a note (the model cannot call them) |
 * | tool_choice naming a dropped tool, or of an unknown type | dropped, with a note              |
 * | role "system" inside messages           | a system message in place                              |
 * | other unknown roles                     | dropped, with a note                                   |
 * | document with a text source             | a text part                                            |
 * | other documents, unknown blocks in a user turn | 400 TRANSLATION_UNSUPPORTED (the content the caller asks about cannot be carried) |
 * | server_tool_use, *_tool_result, unknown blocks in an assistant turn | dropped, with a note |
 * | images in a tool_result                 | image parts of the user message after the tool messages, with a note |
 * | cache_control, citations                | dropped silently: caching hints with no OpenAI meaning |
 * | service_tier                            | dropped silently (values differ between providers)     |
 * | thinking (enabled, adaptive), redacted_thinking | dropped, with a note                           |
 * | context_management, output_config, anything else unknown | dropped, with a note                  |
 * | a final assistant turn (prefill)        | sent as is, with a note: OpenAI servers do not continue it |
 */

const MAPPED = new Set([
  'model',
  'max_tokens',
  'messages',
  'system',
  'temperature',
  'top_p',
  'top_k',
  'stop_sequences',
  'stream',
  'tools',
  'tool_choice',
  'metadata',
  'thinking',
]);
const SILENT = new Set(['service_tier']);

const FIELDS: FieldPolicy = { mapped: MAPPED, silent: SILENT, unsupported: {} };

function checkUnmapped(req: AnthropicMessagesRequest, notes: string[]): void {
  const dropped = unmappedFields(req, FIELDS, TARGET);
  if (req.thinking !== undefined && req.thinking !== null && req.thinking.type !== 'disabled') {
    dropped.push('thinking');
  }
  if (dropped.length > 0) notes.push(`dropped (no OpenAI equivalent): ${dropped.join(', ')}`);
}

/**
 * Client tools -> function tools. Typed tools (Anthropic-hosted server tools: web search, code
 * execution, bash...) run on Anthropic's side and have no OpenAI form: dropped, with a note.
 */
function tools(req: AnthropicMessagesRequest, notes: string[]): OpenAITool[] {
  const out: OpenAITool[] = [];
  const dropped: string[] = [];
  (req.tools ?? []).forEach((tool, i) => {
    const typed = tool.type !== undefined && tool.type !== null && tool.type !== 'custom';
    if (typed || tool.input_schema === undefined || tool.name === undefined) {
      dropped.push(`tools.${i} (${String(tool.type ?? tool.name ?? 'no type')})`);
      return;
    }
    const fn: NonNullable<OpenAITool['function']> = {
      name: tool.name,
      parameters: tool.input_schema,
    };
    if (tool.description !== undefined) fn.description = tool.description;
    out.push({ type: 'function', function: fn });
  });
  if (dropped.length > 0) {
    notes.push(`server tools dropped (no OpenAI equivalent): ${dropped.join(', ')}`);
  }
  return out;
}

/** `tool_choice` -> OpenAI's; undefined (with a note) when it has no meaning there. */
function toolChoice(
  req: AnthropicMessagesRequest,
  sent: readonly OpenAITool[],
  notes: string[],
): OpenAIToolChoice | undefined {
  const choice = req.tool_choice;
  if (choice === undefined || choice === null) return undefined;
  switch (choice.type) {
    case 'auto':
    case 'none':
      return choice.type;
    case 'any':
      return 'required';
    case 'tool':
      if (choice.name !== undefined && sent.some((t) => t.function?.name === choice.name)) {
        return { type: 'function', function: { name: choice.name } };
      }
      notes.push('tool_choice dropped: it names no tool that was sent');
      return undefined;
    default:
      notes.push(`tool_choice "${choice.type.slice(0, 40)}" dropped: no OpenAI equivalent`);
      return undefined;
  }
}

/** Messages without our `is_error` / `reasoning_signature` fields (copied only when present). */
function withoutRoundTripFields(messages: OpenAIMessage[], notes: string[]): OpenAIMessage[] {
  let errorFlags = 0;
  const out = messages.map((message) => {
    if (message.is_error === undefined && message.reasoning_signature === undefined) return message;
    const { is_error: isError, reasoning_signature: _signature, ...rest } = message;
    if (isError === true) errorFlags++;
    return rest;
  });
  // The model still reads the result text (which names the failure); only the flag has no place.
  if (errorFlags > 0)
    notes.push(`is_error dropped from ${errorFlags} tool result(s): OpenAI has no error flag`);
  return out;
}

/**
 * Anthropic Messages request -> OpenAI Chat Completions request (pure). Streaming requests always
 * ask for `stream_options.include_usage` so the Anthropic caller gets real token counts.
 * See the table above for what is dropped and what is refused.
 * @throws LlmFailoverError TRANSLATION_UNSUPPORTED (400) only for user content OpenAI cannot carry
 *   (a PDF document, an unknown block in a user turn); everything else is mapped or noted.
 */
export function anthropicRequestToOpenAI(
  req: AnthropicMessagesRequest,
  options: TranslateOptions = {},
): Translated<OpenAIChatRequest> {
  const notes: string[] = [];
  checkUnmapped(req, notes);
  const messages = anthropicMessagesToOpenAI(req.system, req.messages, notes);
  const out: OpenAIChatRequest = {
    model: req.model,
    messages:
      options.roundTripFields === false ? withoutRoundTripFields(messages, notes) : messages,
  };
  // Anthropic requires it; a caller that left it out lets the upstream choose (OpenAI's default).
  if (typeof req.max_tokens === 'number') {
    out[options.openAIMaxTokensField ?? 'max_tokens'] = req.max_tokens;
  }
  if (typeof req.temperature === 'number') out.temperature = req.temperature;
  if (typeof req.top_p === 'number') out.top_p = req.top_p;
  if (typeof req.top_k === 'number') out.top_k = req.top_k;
  const stop = req.stop_sequences ?? [];
  if (stop.length > 0) out.stop = [...stop];
  if (req.stream === true) {
    out.stream = true;
    out.stream_options = { include_usage: true };
  }
  const toolList = tools(req, notes);
  if (toolList.length > 0) {
    out.tools = toolList;
    const choice = toolChoice(req, toolList, notes);
    if (choice !== undefined) out.tool_choice = choice;
    if (req.tool_choice?.disable_parallel_tool_use === true) out.parallel_tool_calls = false;
  }
  if (req.messages[req.messages.length - 1]?.role === 'assistant') {
    // Anthropic continues a final assistant turn (prefill); OpenAI servers treat it as finished.
    notes.push('final assistant turn (prefill) sent as an ordinary assistant message');
  }
  const userId = req.metadata?.user_id;
  if (typeof userId === 'string') out.user = userId;
  return { value: out, notes };
}
