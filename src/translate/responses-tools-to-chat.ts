import type { OpenAITool, OpenAIToolChoice } from '../protocols/openai-chat/index.js';
import { customToolToChat } from './responses-custom-tools.js';
import { flatToolName, namespacedToolTable } from './responses-tool-names.js';
import { invalidField, isPlainObject, kindOf } from './translated.js';

type Tool = Record<string, unknown>;

/** A Responses function tool (top level or inside a namespace) -> a chat function tool. */
function chatFunction(tool: Tool, name: string, path: string): OpenAITool {
  if (typeof tool.name !== 'string') throw invalidField(`${path}.name`, 'must be a string');
  const fn: NonNullable<OpenAITool['function']> = { name };
  if (typeof tool.description === 'string') fn.description = tool.description;
  if (isPlainObject(tool.parameters)) fn.parameters = tool.parameters;
  // Chat's default is not strict: only `strict: true` says something there.
  if (tool.strict === true) fn.strict = true;
  return { type: 'function', function: fn };
}

/**
 * Responses tools -> chat function tools. Functions of a `namespace` tool are flattened to
 * `namespace__name` (see flatToolName; the response translators restore them); custom (freeform)
 * tools become functions of one string `input` (see customToolToChat); the tools OpenAI runs
 * itself (web_search, file_search, computer_use, mcp, ...) are dropped with a note: no chat model
 * can call them.
 * @throws LlmFailoverError INVALID_REQUEST (400) for a tool that is not an object or has no name;
 *   TRANSLATION_UNSUPPORTED (400) when a flat name would collide with another tool's.
 */
export function responsesToolsToChat(tools: unknown, notes: string[]): OpenAITool[] {
  if (tools === undefined || tools === null) return [];
  if (!Array.isArray(tools)) throw invalidField('tools', 'must be an array');
  namespacedToolTable(tools); // refuses colliding flat names
  const out: OpenAITool[] = [];
  const dropped: string[] = [];
  tools.forEach((tool: unknown, i) => {
    const path = `tools.${i}`;
    if (!isPlainObject(tool)) throw invalidField(path, 'must be an object');
    if (tool.type === 'function') {
      out.push(chatFunction(tool, String(tool.name), path));
    } else if (tool.type === 'custom') {
      out.push(customToolToChat(tool, String(tool.name), path));
    } else if (tool.type === 'namespace' && Array.isArray(tool.tools)) {
      const namespace = String(tool.name);
      tool.tools.forEach((inner: unknown, j) => {
        const at = `${path}.tools.${j}`;
        if (!isPlainObject(inner)) throw invalidField(at, 'must be an object');
        const flat = flatToolName(namespace, String(inner.name));
        if (inner.type === 'function') out.push(chatFunction(inner, flat, at));
        else if (inner.type === 'custom') out.push(customToolToChat(inner, flat, at));
        else dropped.push(`${at} (${kindOf(inner.type)})`);
      });
    } else {
      dropped.push(`${path} (${kindOf(tool.type)})`);
    }
  });
  if (dropped.length > 0) {
    notes.push(`tools dropped (no chat equivalent; OpenAI runs them): ${dropped.join(', ')}`);
  }
  return out;
}

/** Responses `tool_choice` -> chat's; undefined (with a note) when it has no meaning there. */
export function responsesToolChoiceToChat(
  choice: unknown,
  sent: readonly OpenAITool[],
  notes: string[],
): OpenAIToolChoice | undefined {
  if (choice === undefined || choice === null) return undefined;
  if (choice === 'none' || choice === 'auto' || choice === 'required') return choice;
  // A custom tool is a chat function too: forcing it forces that function.
  const named = isPlainObject(choice) && (choice.type === 'function' || choice.type === 'custom');
  if (named && typeof choice.name === 'string') {
    const name =
      typeof choice.namespace === 'string'
        ? flatToolName(choice.namespace, choice.name)
        : choice.name;
    if (sent.some((t) => t.function?.name === name)) {
      return { type: 'function', function: { name } };
    }
    notes.push('tool_choice dropped: it names no function that was sent');
    return undefined;
  }
  const kind = kindOf(isPlainObject(choice) ? choice.type : choice);
  notes.push(`tool_choice "${kind}" dropped: no chat equivalent`);
  return undefined;
}
