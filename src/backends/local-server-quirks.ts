import { randomUUID } from 'node:crypto';

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Gives every tool call of an OpenAI `chat.completion` body an id (some local servers send none,
 * and Anthropic callers need `tool_use.id` to answer with a `tool_result`). Mutates and returns
 * `body`; bodies that are not chat completions are returned untouched for the schema to judge.
 */
export function fillMissingToolCallIds(body: unknown): unknown {
  if (!isRecord(body) || !Array.isArray(body.choices)) return body;
  let prefix: string | undefined;
  for (const choice of body.choices) {
    const calls =
      isRecord(choice) && isRecord(choice.message) ? choice.message.tool_calls : undefined;
    if (!Array.isArray(calls)) continue;
    calls.forEach((call, index) => {
      if (!isRecord(call) || (typeof call.id === 'string' && call.id !== '')) return;
      prefix ??= randomUUID().replace(/-/g, '').slice(0, 16);
      call.id = `call_${prefix}_${index}`;
    });
  }
  return body;
}
