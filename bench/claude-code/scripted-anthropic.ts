// The Anthropic Messages form of the scripted upstream (scripted-upstream.ts): an answer written
// as a message object or as its event stream.
import type { Answer, Json } from './scripted-upstream.js';

const sse = (event: string, data: unknown): string =>
  `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

export function anthropicStream(model: string, seq: number, a: Answer): string {
  const message = {
    id: `msg_scripted_${seq}`,
    type: 'message',
    role: 'assistant',
    model,
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: { input_tokens: 10, output_tokens: 1 },
  };
  let out = sse('message_start', { type: 'message_start', message });
  if (a.tool !== undefined) {
    const block = { type: 'tool_use', id: a.tool.id, name: a.tool.name, input: {} };
    out += sse('content_block_start', {
      type: 'content_block_start',
      index: 0,
      content_block: block,
    });
    const partial_json = JSON.stringify(a.tool.input);
    const delta = { type: 'input_json_delta', partial_json };
    out += sse('content_block_delta', { type: 'content_block_delta', index: 0, delta });
  } else {
    const block = { type: 'text', text: '' };
    out += sse('content_block_start', {
      type: 'content_block_start',
      index: 0,
      content_block: block,
    });
    const delta = { type: 'text_delta', text: a.text ?? '' };
    out += sse('content_block_delta', { type: 'content_block_delta', index: 0, delta });
  }
  out += sse('content_block_stop', { type: 'content_block_stop', index: 0 });
  const stop_reason = a.tool !== undefined ? 'tool_use' : 'end_turn';
  out += sse('message_delta', {
    type: 'message_delta',
    delta: { stop_reason, stop_sequence: null },
    usage: { output_tokens: 5 },
  });
  return out + sse('message_stop', { type: 'message_stop' });
}

export function anthropicJson(model: string, seq: number, a: Answer): Json {
  const content =
    a.tool !== undefined
      ? [{ type: 'tool_use', id: a.tool.id, name: a.tool.name, input: a.tool.input }]
      : [{ type: 'text', text: a.text ?? '' }];
  return {
    id: `msg_scripted_${seq}`,
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: a.tool !== undefined ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: 10, output_tokens: 5 },
  };
}
