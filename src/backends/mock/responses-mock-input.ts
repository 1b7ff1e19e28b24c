// The mock reads a Responses request as the Chat request it stands for, so one decision
// (mock-turn.ts) serves every protocol: `input` items as messages, function tools by name.

type Json = Record<string, unknown>;

const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null;

/** Content as chat content: `input_text` / `output_text` parts become `text` parts. */
function contentOf(content: unknown): unknown {
  if (!Array.isArray(content)) return content;
  return (content as unknown[]).map((part) =>
    isRecord(part) && (part.type === 'input_text' || part.type === 'output_text')
      ? { type: 'text', text: part.text }
      : part,
  );
}

/**
 * `input` as chat messages: a string is one user message; `message` items (and untyped ones with
 * a role) keep role and content (their `input_text` / `output_text` parts carry `text`); a
 * `function_call_output` is a `tool` message, so a round trip ends with a text answer.
 */
function messagesOf(input: unknown): Json[] {
  if (typeof input === 'string') return [{ role: 'user', content: input }];
  if (!Array.isArray(input)) return [];
  const out: Json[] = [];
  for (const item of input as unknown[]) {
    if (!isRecord(item)) continue;
    if (item.type === 'function_call_output') {
      out.push({ role: 'tool', content: typeof item.output === 'string' ? item.output : '' });
    } else if (
      (item.type === undefined || item.type === 'message') &&
      typeof item.role === 'string'
    ) {
      out.push({ role: item.role, content: contentOf(item.content) });
    }
  }
  return out;
}

/** Function tools as chat tools (namespaces and built-in tools have no name the mock calls). */
function toolsOf(tools: unknown): Json[] {
  if (!Array.isArray(tools)) return [];
  return (tools as unknown[])
    .filter((t): t is Json => isRecord(t) && t.type === 'function' && typeof t.name === 'string')
    .map((t) => ({ type: 'function', function: { name: t.name } }));
}

/** The Chat request body a Responses request body stands for, as far as the mock reads it. */
export function responsesAsChat(body: Json): Json {
  return {
    model: body.model,
    stream: body.stream,
    messages: messagesOf(body.input),
    tools: toolsOf(body.tools),
  };
}
