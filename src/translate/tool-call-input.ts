import { invalidField, isPlainObject } from './translated.js';

/**
 * A tool-call id Anthropic accepts (`^[a-zA-Z0-9_-]+$`): other servers' ids such as Kimi's
 * `functions.get_weather:0` would be a 400 after a failover. Mapped the same way in tool_use and
 * tool_result, so the pairs still match.
 */
export function anthropicToolId(id: string): string {
  return /^[\w-]+$/.test(id) ? id : id.replace(/[^\w-]/g, '_') || 'toolu_';
}

/** Tool-call `arguments` (a JSON string) -> `input` (an object). Empty means no arguments. */
export function parseToolArguments(args: string, path: string): Record<string, unknown> {
  if (args.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(args);
  } catch {
    // The parser's message quotes the input: never echo request content in an error.
    throw invalidField(path, 'tool call arguments are not valid JSON');
  }
  if (!isPlainObject(value)) throw invalidField(path, 'tool call arguments must be a JSON object');
  return value;
}
