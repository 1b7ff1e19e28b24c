import { isPlainObject, unsupported } from './translated.js';

/** A function as the Responses caller declared it (see {@link flatToolName}). */
export interface ResponsesToolName {
  name: string;
  /** The `namespace` tool the function belongs to, when the caller grouped it in one. */
  namespace?: string;
  /** A `custom` (freeform) tool: its call is a `custom_tool_call` item, not a `function_call`. */
  custom?: boolean;
}

/** Tools a chat model calls as functions: `function`, and `custom` (see responses-custom-tools). */
const isCallable = (tool: Record<string, unknown>): boolean =>
  (tool.type === 'function' || tool.type === 'custom') && typeof tool.name === 'string';

const DELIMITER = '__';

const trimEnd = (s: string): string => {
  let end = s.length;
  while (end > 0 && s[end - 1] === '_') end--;
  return s.slice(0, end);
};
const trimStart = (s: string): string => {
  let start = 0;
  while (start < s.length && s[start] === '_') start++;
  return s.slice(start);
};

/**
 * The chat / Messages function name of a function inside a `namespace` tool. Codex's own flat form
 * (`ToolName::canonical_flat_name`: namespace, `__`, name, stray underscores around the delimiter
 * trimmed), so `mcp__fs__` + `read_file` is `mcp__fs__read_file`, the name models already know.
 */
export function flatToolName(namespace: string, name: string): string {
  return `${trimEnd(namespace)}${DELIMITER}${trimStart(name)}`;
}

const customFlag = (tool: Record<string, unknown>) =>
  tool.type === 'custom' ? { custom: true } : {};

/**
 * Flat name -> the caller's namespace and name, for every function of the request's `namespace`
 * tools (the inverse of {@link flatToolName}, read from the request, so it is exact).
 * @throws LlmFailoverError TRANSLATION_UNSUPPORTED (400) when two tools would share a flat name.
 */
export function namespacedToolTable(tools: unknown): Map<string, ResponsesToolName> {
  const table = new Map<string, ResponsesToolName>();
  if (!Array.isArray(tools)) return table;
  const plain = new Set<string>();
  for (const tool of tools) {
    if (isPlainObject(tool) && isCallable(tool)) plain.add(String(tool.name));
  }
  tools.forEach((tool, i) => {
    if (!isPlainObject(tool) || tool.type !== 'namespace' || !Array.isArray(tool.tools)) return;
    const namespace = typeof tool.name === 'string' ? tool.name : '';
    tool.tools.forEach((inner, j) => {
      if (!isPlainObject(inner) || typeof inner.name !== 'string') return;
      const flat = flatToolName(namespace, inner.name);
      if (plain.has(flat) || table.has(flat)) {
        const what = `a namespaced function whose flat name "${flat.slice(0, 80)}" another tool has`;
        throw unsupported(`tools.${i}.tools.${j}.name`, what, 'a flat tool list');
      }
      table.set(flat, { name: inner.name, namespace, ...customFlag(inner) });
    });
  });
  return table;
}

/**
 * The caller's name for a chat function name: restores the namespace of a flattened function and
 * marks the request's custom tools (`custom: true`), passes any other name unchanged. For the
 * response and stream translators.
 */
export function responsesToolNameOf(request: {
  [key: string]: unknown;
}): (chatName: string) => ResponsesToolName {
  const table = namespacedToolTable(request.tools);
  const tools = Array.isArray(request.tools) ? (request.tools as unknown[]) : [];
  for (const tool of tools) {
    if (isPlainObject(tool) && tool.type === 'custom' && typeof tool.name === 'string') {
      table.set(tool.name, { name: tool.name, custom: true });
    }
  }
  return (chatName) => table.get(chatName) ?? { name: chatName };
}
