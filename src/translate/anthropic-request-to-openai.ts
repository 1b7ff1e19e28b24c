import type { AnthropicMessagesRequest } from '../protocols/anthropic-messages/index.js';
import type {
  OpenAIChatRequest,
  OpenAIMessage,
  OpenAITool,
  OpenAIToolChoice,
} from '../protocols/openai-chat/index.js';
import { anthropicMessagesToOpenAI } from './anthropic-messages-to-openai.js';
import { unmappedFields, unsupported } from './translated.js';
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
 * | server tools (typed tools), mcp_servers, container | 400 TRANSLATION_UNSUPPORTED                 |
 * | document, server_tool_use, search blocks | 400 TRANSLATION_UNSUPPORTED                      |
 * | images in a tool_result                 | image parts of the user message after the tool messages, with a note |
 * | cache_control, citations                | dropped silently: caching hints with no OpenAI meaning |
 * | service_tier                            | dropped silently (values differ between providers)     |
 * | thinking (enabled), redacted_thinking   | dropped, with a note                                   |
 * | anything else unknown                   | dropped, with a note                                   |
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
const UNSUPPORTED: Record<string, string> = {
  mcp_servers: 'mcp_servers',
  container: 'container',
};

const FIELDS: FieldPolicy = { mapped: MAPPED, silent: SILENT, unsupported: UNSUPPORTED };

function checkUnmapped(req: AnthropicMessagesRequest, notes: string[]): void {
  const dropped = unmappedFields(req, FIELDS, TARGET);
  if (req.thinking !== undefined && req.thinking.type !== 'disabled') dropped.push('thinking');
  if (dropped.length > 0) notes.push(`dropped (no OpenAI equivalent): ${dropped.join(', ')}`);
}

function tools(req: AnthropicMessagesRequest): OpenAITool[] | undefined {
  if (req.tools === undefined || req.tools.length === 0) return undefined;
  return req.tools.map((tool, i) => {
    // Client tools have no type (or "custom"); typed ones are Anthropic-hosted server tools.
    if (
      (tool.type !== undefined && tool.type !== null && tool.type !== 'custom') ||
      tool.input_schema === undefined
    ) {
      throw unsupported(`tools.${i}`, `server tool "${tool.type ?? tool.name}"`, TARGET);
    }
    const fn: NonNullable<OpenAITool['function']> = {
      name: tool.name,
      parameters: tool.input_schema,
    };
    if (tool.description !== undefined) fn.description = tool.description;
    return { type: 'function', function: fn };
  });
}

function toolChoice(req: AnthropicMessagesRequest): OpenAIToolChoice | undefined {
  const choice = req.tool_choice;
  switch (choice?.type) {
    case undefined:
      return undefined;
    case 'auto':
    case 'none':
      return choice.type;
    case 'any':
      return 'required';
    case 'tool':
      if (choice.name === undefined)
        throw unsupported('tool_choice.name', 'tool_choice "tool" without a name', TARGET);
      return { type: 'function', function: { name: choice.name } };
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
 * @throws LlmFailoverError TRANSLATION_UNSUPPORTED (400) for what OpenAI cannot express.
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
    [options.openAIMaxTokensField ?? 'max_tokens']: req.max_tokens,
  };
  if (typeof req.temperature === 'number') out.temperature = req.temperature;
  if (typeof req.top_p === 'number') out.top_p = req.top_p;
  if (typeof req.top_k === 'number') out.top_k = req.top_k;
  const stop = req.stop_sequences ?? [];
  if (stop.length > 0) out.stop = [...stop];
  if (req.stream === true) {
    out.stream = true;
    out.stream_options = { include_usage: true };
  }
  const toolList = tools(req);
  if (toolList !== undefined) {
    out.tools = toolList;
    const choice = toolChoice(req);
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
