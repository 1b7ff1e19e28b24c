// The OpenAI Responses form of the scripted upstream (scripted-upstream.ts): its `input` read as
// chat-like messages for the shared decision, and an answer written as a Responses object or as
// the event stream Codex reads (`response.output_item.done` per item, `response.completed` with
// usage to end the turn).
import type { Answer, Json } from './scripted-upstream.js';
import { isRecord } from './scripted-upstream.js';

/**
 * The `input` items as messages the decision understands: `message` items keep their role and
 * parts (`input_text` parts carry `text`), a `function_call_output` becomes a `tool` message.
 */
export function responsesMessages(input: unknown): Json[] {
  if (typeof input === 'string') return [{ role: 'user', content: input }];
  if (!Array.isArray(input)) return [];
  const out: Json[] = [];
  for (const item of input as unknown[]) {
    if (!isRecord(item)) continue;
    if (item.type === 'function_call_output') {
      out.push({ role: 'tool', content: typeof item.output === 'string' ? item.output : '' });
    } else if (typeof item.role === 'string') {
      out.push({ role: item.role, content: item.content });
    }
  }
  return out;
}

const USAGE = {
  input_tokens: 10,
  input_tokens_details: { cached_tokens: 0 },
  output_tokens: 5,
  output_tokens_details: { reasoning_tokens: 0 },
  total_tokens: 15,
};

function outputItem(seq: number, a: Answer): Json {
  if (a.tool !== undefined) {
    return {
      type: 'function_call',
      id: `fc_scripted_${seq}`,
      call_id: a.tool.id,
      name: a.tool.name,
      arguments: JSON.stringify(a.tool.input),
      status: 'completed',
    };
  }
  return {
    type: 'message',
    id: `msg_scripted_${seq}`,
    role: 'assistant',
    status: 'completed',
    content: [{ type: 'output_text', text: a.text ?? '', annotations: [] }],
  };
}

function envelope(model: string, seq: number, status: string, output: Json[]): Json {
  return {
    id: `resp_scripted_${seq}`,
    object: 'response',
    created_at: 0,
    status,
    model,
    output,
    usage: status === 'completed' ? USAGE : null,
  };
}

/** The non-streamed Responses object. */
export function responsesJson(model: string, seq: number, a: Answer): Json {
  return envelope(model, seq, 'completed', [outputItem(seq, a)]);
}

/** The Responses event stream of one answer: one output item, streamed in one delta. */
export function responsesStream(model: string, seq: number, a: Answer): string {
  let n = 0;
  let out = '';
  const event = (type: string, data: Json): void => {
    out += `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: n++, ...data })}\n\n`;
  };
  const item = outputItem(seq, a);
  const at = { output_index: 0, item_id: item.id };
  event('response.created', { response: envelope(model, seq, 'in_progress', []) });
  event('response.in_progress', { response: envelope(model, seq, 'in_progress', []) });
  if (a.tool !== undefined) {
    event('response.output_item.added', {
      output_index: 0,
      item: { ...item, arguments: '', status: 'in_progress' },
    });
    event('response.function_call_arguments.delta', { ...at, delta: item.arguments });
    event('response.function_call_arguments.done', { ...at, arguments: item.arguments });
  } else {
    const text = a.text ?? '';
    const part = { type: 'output_text', text: '', annotations: [] };
    event('response.output_item.added', {
      output_index: 0,
      item: { ...item, content: [], status: 'in_progress' },
    });
    event('response.content_part.added', { ...at, content_index: 0, part });
    event('response.output_text.delta', { ...at, content_index: 0, delta: text });
    event('response.output_text.done', { ...at, content_index: 0, text });
    event('response.content_part.done', { ...at, content_index: 0, part: { ...part, text } });
  }
  event('response.output_item.done', { output_index: 0, item });
  event('response.completed', { response: envelope(model, seq, 'completed', [item]) });
  return out;
}
