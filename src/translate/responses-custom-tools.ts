import type { OpenAITool, OpenAIToolCall } from '../protocols/openai-chat/index.js';
import { flatToolName } from './responses-tool-names.js';
import type { ResponsesToolName } from './responses-tool-names.js';
import { invalidField, isPlainObject } from './translated.js';

// A Responses `custom` (freeform) tool takes plain text, not JSON arguments: Codex's apply_patch
// is one (with a Lark grammar). Chat and Messages models have no such tool, so it travels as a
// function of one string parameter, `input`; the model's `{"input": "..."}` carries the text back,
// and the response translators turn a call of it into a `custom_tool_call` item again.

type Item = Record<string, unknown>;

/** Characters of a grammar definition quoted in the function's description; more is cut. */
const GRAMMAR_LIMIT = 4000;

/** The one parameter of a custom tool's function (a new object each time: callers may mutate). */
function inputParameters(): Record<string, unknown> {
  return {
    type: 'object',
    properties: { input: { type: 'string' } },
    required: ['input'],
    additionalProperties: false,
  };
}

/** What the model must know that the schema cannot say: the input is free text, maybe a grammar's. */
function inputDescription(format: unknown): string {
  const freeText = 'The input is free text (not JSON), given whole in `input`.';
  if (!isPlainObject(format) || format.type !== 'grammar') return freeText;
  // Responses puts syntax and definition on the format; Chat's custom tools nest them in `grammar`.
  const grammar = isPlainObject(format.grammar) ? format.grammar : format;
  const syntax = typeof grammar.syntax === 'string' ? grammar.syntax.slice(0, 20) : 'a';
  const definition = typeof grammar.definition === 'string' ? grammar.definition : '';
  if (definition === '') return `${freeText} It must follow the tool's ${syntax} grammar.`;
  const cut = definition.length > GRAMMAR_LIMIT;
  const quoted = cut
    ? `${definition.slice(0, GRAMMAR_LIMIT)}\n... (grammar cut short)`
    : definition;
  return `${freeText} It must match this ${syntax} grammar:\n${quoted}`;
}

/**
 * A Responses custom tool -> a chat function tool named `name` (flat, when in a namespace) with
 * one required string parameter `input`; the description says the input is free text and quotes
 * the grammar, if any (at most 4000 characters of it).
 * @throws LlmFailoverError INVALID_REQUEST (400) naming `<path>.name` when the name is not a string.
 */
export function customToolToChat(tool: Item, name: string, path: string): OpenAITool {
  if (typeof tool.name !== 'string') throw invalidField(`${path}.name`, 'must be a string');
  const note = inputDescription(tool.format);
  const description =
    typeof tool.description === 'string' && tool.description !== ''
      ? `${tool.description}\n\n${note}`
      : note;
  return { type: 'function', function: { name, description, parameters: inputParameters() } };
}

const str = (item: Item, key: string, path: string): string => {
  const value = item[key];
  if (typeof value !== 'string') throw invalidField(`${path}.${key}`, 'must be a string');
  return value;
};

/**
 * A `custom_tool_call` input item -> a chat tool call of the tool's function: `id` = call_id,
 * arguments `{"input": <the item's input>}`, a namespaced name flattened as the tools were.
 * @throws LlmFailoverError INVALID_REQUEST (400) naming a field that is not a string.
 */
export function customToolCallToChat(item: Item, path: string): OpenAIToolCall {
  const name = str(item, 'name', path);
  const namespace = item.namespace;
  return {
    id: str(item, 'call_id', path),
    type: 'function',
    function: {
      name: typeof namespace === 'string' ? flatToolName(namespace, name) : name,
      arguments: JSON.stringify({ input: str(item, 'input', path) }),
    },
  };
}

/**
 * A custom tool's input from the chat arguments the model wrote: their string `input`, or, when
 * they are not a JSON object with one (a model that ignored the schema), the arguments text.
 */
export function customToolInput(args: string): string {
  if (args.trimStart().startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(args);
      if (isPlainObject(parsed) && typeof parsed.input === 'string') return parsed.input;
    } catch {
      // Not JSON: the text is the input.
    }
  }
  return args;
}

/** A `custom_tool_call` output item (`id` like `ctc_<core>_<n>`) from a chat call's arguments. */
export function customToolCallItem(
  id: string,
  callId: string,
  tool: ResponsesToolName,
  args: string,
  status: string,
): Item {
  const item: Item = { id, type: 'custom_tool_call', status, call_id: callId, name: tool.name };
  if (tool.namespace !== undefined) item.namespace = tool.namespace;
  item.input = customToolInput(args);
  return item;
}
