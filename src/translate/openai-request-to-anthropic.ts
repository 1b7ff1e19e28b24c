import type {
  AnthropicMessagesRequest,
  AnthropicTool,
  AnthropicToolChoice,
} from '../protocols/anthropic-messages/index.js';
import type { OpenAIChatRequest } from '../protocols/openai-chat/index.js';
import { openAIMessagesToAnthropic } from './openai-messages-to-anthropic.js';
import { DEFAULT_MAX_TOKENS, isPlainObject, unmappedFields, unsupported } from './translated.js';
import type { FieldPolicy, Translated, TranslateOptions } from './translated.js';

const TARGET = 'Anthropic Messages';

/*
 * OpenAI request field -> Anthropic, for fields other than the ones mapped below:
 *
 * | OpenAI field                     | towards Anthropic                                           |
 * |----------------------------------|-------------------------------------------------------------|
 * | n > 1                            | 400 TRANSLATION_UNSUPPORTED (one answer only)               |
 * | logprobs: true, top_logprobs > 0 | 400 TRANSLATION_UNSUPPORTED                                 |
 * | response_format json_*           | 400 TRANSLATION_UNSUPPORTED (no JSON mode)                  |
 * | logit_bias (non-empty)           | 400 TRANSLATION_UNSUPPORTED                                 |
 * | audio, modalities with "audio"   | 400 TRANSLATION_UNSUPPORTED                                 |
 * | functions, function_call         | 400 TRANSLATION_UNSUPPORTED (legacy; use tools)             |
 * | web_search_options               | 400 TRANSLATION_UNSUPPORTED                                 |
 * | tools of a type other than function | dropped, with a note (custom, hosted tools...)            |
 * | tool_choice of another kind, or naming a dropped tool | dropped, with a note                    |
 * | roles other than system/developer/user/assistant/tool/function | dropped, with a note           |
 * | audio / file content parts       | 400 TRANSLATION_UNSUPPORTED                                 |
 * | stream_options                   | dropped silently: Anthropic streams always carry usage      |
 * | user (else safety_identifier)    | metadata.user_id                                            |
 * | metadata, store, service_tier, prediction, prompt_cache_key | dropped silently: bookkeeping / hints |
 * | assistant function_call / audio  | 400 TRANSLATION_UNSUPPORTED                                 |
 * | image_url.detail, message `name` | dropped silently: no equivalent, does not change meaning    |
 * | n: 1, logprobs: false, response_format text, penalties 0 | dropped silently (defaults)         |
 * | seed, penalties != 0, reasoning_effort, verbosity, anything else unknown | dropped, with a note |
 * | top_k, thinking (extensions)     | forwarded as-is (Anthropic fields)                          |
 * | cache_control on parts           | forwarded on the block                                      |
 * | reasoning_content without reasoning_signature | dropped with a note (Anthropic needs the signature) |
 */

const MAPPED = new Set([
  'model',
  'messages',
  'max_tokens',
  'max_completion_tokens',
  'temperature',
  'top_p',
  'top_k',
  'stop',
  'stream',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'user',
  'safety_identifier',
  'thinking',
]);
const SILENT = new Set([
  'stream_options',
  'metadata',
  'store',
  'service_tier',
  'prediction',
  'prompt_cache_key',
]);
const DEFAULTS: Record<string, (v: unknown) => boolean> = {
  n: (v) => v === 1,
  logprobs: (v) => v === false,
  top_logprobs: (v) => v === 0,
  frequency_penalty: (v) => v === 0,
  presence_penalty: (v) => v === 0,
  response_format: (v) => isPlainObject(v) && v.type === 'text',
  logit_bias: (v) => isPlainObject(v) && Object.keys(v).length === 0,
  modalities: (v) => Array.isArray(v) && v.every((m) => m === 'text'),
};
const UNSUPPORTED: Record<string, string> = {
  n: 'n > 1 (several choices)',
  logprobs: 'logprobs',
  top_logprobs: 'top_logprobs',
  response_format: 'a JSON response_format',
  logit_bias: 'logit_bias',
  modalities: 'audio output',
  audio: 'audio output',
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

/** Fields with no Anthropic equivalent: the untranslatable ones throw; the others are noted. */
function checkUnmapped(req: OpenAIChatRequest, notes: string[]): void {
  const dropped = unmappedFields(req, FIELDS, TARGET);
  if (dropped.length > 0) notes.push(`dropped (no Anthropic equivalent): ${dropped.join(', ')}`);
}

function tools(req: OpenAIChatRequest, notes: string[]): AnthropicTool[] | undefined {
  if (req.tools === null || req.tools === undefined || req.tools.length === 0) return undefined;
  const out: AnthropicTool[] = [];
  req.tools.forEach((tool, i) => {
    const fn = tool.function;
    if (tool.type !== 'function' || fn === undefined) {
      notes.push(
        `tools.${i} dropped: a "${tool.type.slice(0, 40)}" tool has no Anthropic equivalent`,
      );
      return;
    }
    const anthropicTool: AnthropicTool = {
      name: fn.name,
      input_schema: fn.parameters ?? { type: 'object', properties: {} },
    };
    if (fn.description !== undefined) anthropicTool.description = fn.description;
    // Anthropic's strict tool schemas need a beta header: the guarantee is not carried over.
    if (fn.strict === true) notes.push(`tools.${i}.function.strict dropped: no strict mode`);
    if (tool.cache_control !== undefined) anthropicTool.cache_control = tool.cache_control;
    out.push(anthropicTool);
  });
  return out.length > 0 ? out : undefined;
}

/** `stop` -> `stop_sequences`. Anthropic refuses empty or whitespace-only ones ("\n" is common). */
function stopSequences(req: OpenAIChatRequest): string[] {
  const stop = typeof req.stop === 'string' ? [req.stop] : (req.stop ?? []);
  stop.forEach((sequence, i) => {
    if (sequence.trim() === '') {
      const path = typeof req.stop === 'string' ? 'stop' : `stop.${i}`;
      throw unsupported(path, 'an empty or whitespace-only stop sequence', TARGET);
    }
  });
  return stop;
}

function toolChoice(
  req: OpenAIChatRequest,
  sent: readonly AnthropicTool[],
  notes: string[],
): AnthropicToolChoice | undefined {
  const choice = req.tool_choice;
  let out: AnthropicToolChoice | undefined;
  if (choice === 'none' || choice === 'auto') out = { type: choice };
  else if (choice === 'required') out = { type: 'any' };
  else if (typeof choice === 'string') {
    notes.push(`tool_choice "${choice.slice(0, 40)}" dropped: no Anthropic equivalent`);
  } else if (choice !== null && choice !== undefined) {
    const name = choice.function?.name;
    if (choice.type === 'function' && sent.some((t) => t.name === name)) {
      out = { type: 'tool', name };
    } else {
      notes.push(
        `tool_choice "${choice.type.slice(0, 40)}" dropped: it names no tool that was sent`,
      );
    }
  }
  if (req.parallel_tool_calls === false && out?.type !== 'none') {
    out = { ...(out ?? { type: 'auto' }), disable_parallel_tool_use: true };
  }
  return out;
}

/**
 * OpenAI Chat Completions request -> Anthropic Messages request (pure). See the table above for
 * what is dropped and what is refused. `max_tokens` = max_completion_tokens ?? max_tokens ??
 * `options.defaultMaxTokens` (4096). Temperature above 1 is clamped to 1, with a note.
 * @throws LlmFailoverError TRANSLATION_UNSUPPORTED (400) for what Anthropic cannot express;
 *   INVALID_REQUEST (400) for tool-call arguments that are not a JSON object.
 */
export function openAIRequestToAnthropic(
  req: OpenAIChatRequest,
  options: TranslateOptions = {},
): Translated<AnthropicMessagesRequest> {
  const notes: string[] = [];
  checkUnmapped(req, notes);
  const { system, messages } = openAIMessagesToAnthropic(req.messages, notes);
  const out: AnthropicMessagesRequest = {
    model: req.model,
    max_tokens:
      req.max_completion_tokens ?? req.max_tokens ?? options.defaultMaxTokens ?? DEFAULT_MAX_TOKENS,
    messages,
  };
  if (system !== undefined) out.system = system;
  if (typeof req.temperature === 'number') {
    out.temperature = Math.min(req.temperature, 1);
    if (req.temperature > 1) notes.push(`temperature ${req.temperature} clamped to 1`);
  }
  if (typeof req.top_p === 'number') out.top_p = req.top_p;
  if (typeof req.top_k === 'number') out.top_k = req.top_k;
  const stop = stopSequences(req);
  if (stop.length > 0) out.stop_sequences = stop;
  if (req.stream === true) out.stream = true;
  const toolList = tools(req, notes);
  if (toolList !== undefined) out.tools = toolList;
  if (toolList !== undefined) {
    const choice = toolChoice(req, toolList, notes);
    if (choice !== undefined) out.tool_choice = choice;
  }
  const userId = req.user ?? req.safety_identifier;
  if (typeof userId === 'string') out.metadata = { user_id: userId };
  if (isPlainObject(req.thinking))
    out.thinking = req.thinking as AnthropicMessagesRequest['thinking'];
  return { value: out, notes };
}
