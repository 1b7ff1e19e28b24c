import type { OpenAIChatRequest } from '../protocols/openai-chat/index.js';
import { chatMessagesToResponses } from './chat-messages-to-responses.js';
import { isPlainObject, kindOf, unmappedFields, unsupported } from './translated.js';
import type { FieldPolicy, Translated, TranslateOptions } from './translated.js';

const TARGET = 'OpenAI Responses';

/** OpenAI refuses a smaller `max_output_tokens` (400 "integer below minimum value"). */
const MIN_OUTPUT_TOKENS = 16;

/*
 * Chat Completions request field -> Responses, for fields other than the ones mapped below:
 *
 * | Chat field                         | towards Responses                                          |
 * |------------------------------------|------------------------------------------------------------|
 * | max_completion_tokens ?? max_tokens | max_output_tokens (at least 16, OpenAI's minimum; with a note) |
 * | response_format json_schema / json_object | text.format; verbosity -> text.verbosity            |
 * | reasoning_effort                   | reasoning.effort                                           |
 * | tools (function)                   | function tools (strict: false unless asked: Responses defaults to strict) |
 * | other tool types (custom...)       | dropped, with a note                                       |
 * | n > 1, logprobs, top_logprobs, logit_bias, audio, stop, functions, function_call, web_search_options | 400 TRANSLATION_UNSUPPORTED |
 * | store                              | store: false always (the gateway keeps no state at OpenAI for chat callers) |
 * | stream_options, prediction         | dropped silently (usage always comes; hints)               |
 * | seed, penalties != 0, top_k, anything else unknown | dropped, with a note                       |
 */

const MAPPED = new Set([
  'model',
  'messages',
  'max_tokens',
  'max_completion_tokens',
  'temperature',
  'top_p',
  'stream',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'response_format',
  'reasoning_effort',
  'verbosity',
  'user',
  'safety_identifier',
  'prompt_cache_key',
  'service_tier',
  'metadata',
]);
const SILENT = new Set(['stream_options', 'store', 'prediction']);
const DEFAULTS: Record<string, (v: unknown) => boolean> = {
  n: (v) => v === 1,
  logprobs: (v) => v === false,
  top_logprobs: (v) => v === 0,
  frequency_penalty: (v) => v === 0,
  presence_penalty: (v) => v === 0,
  logit_bias: (v) => isPlainObject(v) && Object.keys(v).length === 0,
  modalities: (v) => Array.isArray(v) && v.every((m) => m === 'text'),
  stop: (v) => Array.isArray(v) && v.length === 0,
};
const UNSUPPORTED: Record<string, string> = {
  n: 'n > 1 (several choices)',
  logprobs: 'logprobs',
  top_logprobs: 'top_logprobs',
  logit_bias: 'logit_bias',
  modalities: 'audio output',
  audio: 'audio output',
  stop: 'stop sequences',
  functions: 'legacy functions (use tools)',
  function_call: 'legacy function_call (use tool_choice)',
  web_search_options: 'web_search_options',
};

const FIELDS: FieldPolicy = {
  mapped: MAPPED,
  silent: SILENT,
  defaults: DEFAULTS,
  unsupported: UNSUPPORTED,
};

type Body = Record<string, unknown>;

function tools(req: OpenAIChatRequest, notes: string[]): Body[] {
  const out: Body[] = [];
  (req.tools ?? []).forEach((tool, i) => {
    const fn = tool.function;
    if (tool.type !== 'function' || fn === undefined) {
      notes.push(
        `tools.${i} dropped: a "${tool.type.slice(0, 40)}" tool has no Responses equivalent`,
      );
      return;
    }
    const item: Body = { type: 'function', name: fn.name };
    if (fn.description !== undefined) item.description = fn.description;
    item.parameters = fn.parameters ?? { type: 'object', properties: {} };
    item.strict = fn.strict === true;
    out.push(item);
  });
  return out;
}

function toolChoice(req: OpenAIChatRequest, sent: readonly Body[], notes: string[]): unknown {
  const choice = req.tool_choice;
  if (choice === undefined || choice === null) return undefined;
  if (choice === 'none' || choice === 'auto' || choice === 'required') return choice;
  if (typeof choice !== 'string' && choice.type === 'function') {
    const name = choice.function?.name;
    if (sent.some((t) => t.name === name)) return { type: 'function', name };
    notes.push('tool_choice dropped: it names no tool that was sent');
    return undefined;
  }
  const kind = typeof choice === 'string' ? choice : choice.type;
  notes.push(`tool_choice "${kind.slice(0, 40)}" dropped: no Responses equivalent`);
  return undefined;
}

/** `response_format` + `verbosity` -> `text`, or undefined. */
function text(req: OpenAIChatRequest): Body | undefined {
  const out: Body = {};
  const format = req.response_format;
  if (isPlainObject(format) && format.type === 'json_object') out.format = { type: 'json_object' };
  else if (isPlainObject(format) && format.type === 'json_schema') {
    const schema = isPlainObject(format.json_schema) ? format.json_schema : {};
    out.format = { type: 'json_schema', ...schema };
  } else if (isPlainObject(format) && format.type !== 'text') {
    throw unsupported('response_format.type', `format "${kindOf(format.type)}"`, TARGET);
  }
  if (typeof req.verbosity === 'string') out.verbosity = req.verbosity;
  return Object.keys(out).length > 0 ? out : undefined;
}

function maxOutputTokens(req: OpenAIChatRequest, out: Body, notes: string[]): void {
  const max = req.max_completion_tokens ?? req.max_tokens;
  if (typeof max !== 'number') return;
  out.max_output_tokens = Math.max(max, MIN_OUTPUT_TOKENS);
  if (max < MIN_OUTPUT_TOKENS)
    notes.push(`max tokens ${max} raised to ${MIN_OUTPUT_TOKENS} (the Responses minimum)`);
}

/**
 * OpenAI Chat Completions request -> OpenAI Responses request (pure; `model` and `stream` kept,
 * `store: false`). See the table above for what is dropped and what is refused.
 * @throws LlmFailoverError TRANSLATION_UNSUPPORTED (400) for what Responses cannot express.
 */
export function chatRequestToResponses(
  req: OpenAIChatRequest,
  _options: TranslateOptions = {},
): Translated<Record<string, unknown>> {
  const notes: string[] = [];
  const dropped = unmappedFields(req, FIELDS, TARGET);
  if (dropped.length > 0) notes.push(`dropped (no Responses equivalent): ${dropped.join(', ')}`);
  const out: Body = { model: req.model, input: chatMessagesToResponses(req.messages, notes) };
  maxOutputTokens(req, out, notes);
  if (typeof req.temperature === 'number') out.temperature = req.temperature;
  if (typeof req.top_p === 'number') out.top_p = req.top_p;
  if (req.stream === true) out.stream = true;
  const toolList = tools(req, notes);
  if (toolList.length > 0) {
    out.tools = toolList;
    const choice = toolChoice(req, toolList, notes);
    if (choice !== undefined) out.tool_choice = choice;
    if (typeof req.parallel_tool_calls === 'boolean')
      out.parallel_tool_calls = req.parallel_tool_calls;
  }
  const format = text(req);
  if (format !== undefined) out.text = format;
  if (typeof req.reasoning_effort === 'string') out.reasoning = { effort: req.reasoning_effort };
  for (const key of ['user', 'safety_identifier', 'prompt_cache_key', 'service_tier']) {
    if (typeof req[key] === 'string') out[key] = req[key];
  }
  if (isPlainObject(req.metadata)) out.metadata = req.metadata;
  out.store = false;
  return { value: out, notes };
}
