import { openAIResponsesWire } from '../../protocols/index.js';
import { encodeSseEvent } from '../../sse/index.js';
import type { MockToolCall, MockTurn } from './mock-turn.js';
import { splitArguments } from './mock-turn.js';

// The OpenAI Responses answers of the mock: the same turn as the Chat and Messages answers, in
// the `response` object and the event sequence the API sends. Request fields the API echoes
// (instructions, tools, temperature...) are answered with fixed defaults, not echoed.

type Json = Record<string, unknown>;

const messageId = (turn: MockTurn): string => `msg_mock_${turn.seq}`;
const callItemId = (turn: MockTurn, index: number): string => `fc_mock_${turn.seq}_${index}`;

function usage(turn: MockTurn): Json {
  return {
    input_tokens: turn.inputTokens,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: turn.outputTokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: turn.inputTokens + turn.outputTokens,
  };
}

const textPart = (text: string): Json => ({ type: 'output_text', annotations: [], text });

function messageItem(turn: MockTurn, done: boolean): Json {
  return {
    id: messageId(turn),
    type: 'message',
    status: done ? 'completed' : 'in_progress',
    role: 'assistant',
    content: done ? [textPart(turn.text)] : [],
  };
}

function callItem(turn: MockTurn, call: MockToolCall, index: number, done: boolean): Json {
  return {
    id: callItemId(turn, index),
    type: 'function_call',
    status: done ? 'completed' : 'in_progress',
    arguments: done ? call.arguments : '',
    call_id: call.id,
    name: call.name,
  };
}

/** The `response` object: in progress (no output, no usage) or completed. */
function responseObject(turn: MockTurn, done: boolean): Json {
  const output = done
    ? [messageItem(turn, true), ...turn.toolCalls.map((c, i) => callItem(turn, c, i, true))]
    : [];
  return {
    id: `resp_mock_${turn.seq}`,
    object: 'response',
    created_at: turn.created,
    status: done ? 'completed' : 'in_progress',
    error: null,
    incomplete_details: null,
    instructions: null,
    max_output_tokens: null,
    model: turn.model,
    output,
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    store: false,
    temperature: 1,
    text: { format: { type: 'text' } },
    tool_choice: 'auto',
    tools: [],
    top_p: 1,
    truncation: 'disabled',
    usage: done ? usage(turn) : null,
    metadata: {},
  };
}

/** The non-streaming `response` body. */
export function responsesMockJson(turn: MockTurn): string {
  return JSON.stringify(responseObject(turn, true));
}

/** The text message's events: item and part opened, one delta per piece, then closed. */
function messageEvents(turn: MockTurn, push: (type: string, fields: Json) => void): void {
  const at = { item_id: messageId(turn), output_index: 0, content_index: 0 };
  push('response.output_item.added', { output_index: 0, item: messageItem(turn, false) });
  push('response.content_part.added', { ...at, part: textPart('') });
  for (const delta of turn.pieces) {
    push('response.output_text.delta', { ...at, delta, logprobs: [] });
  }
  push('response.output_text.done', { ...at, text: turn.text, logprobs: [] });
  push('response.content_part.done', { ...at, part: textPart(turn.text) });
  push('response.output_item.done', { output_index: 0, item: messageItem(turn, true) });
}

/** One function call's events: item opened, argument pieces, arguments done, item done. */
function callEvents(
  turn: MockTurn,
  call: MockToolCall,
  index: number,
  push: (type: string, fields: Json) => void,
): void {
  const output_index = index + 1;
  const at = { item_id: callItemId(turn, index), output_index };
  push('response.output_item.added', { output_index, item: callItem(turn, call, index, false) });
  for (const delta of splitArguments(call.arguments)) {
    push('response.function_call_arguments.delta', { ...at, delta });
  }
  push('response.function_call_arguments.done', {
    ...at,
    name: call.name,
    arguments: call.arguments,
  });
  push('response.output_item.done', { output_index, item: callItem(turn, call, index, true) });
}

/**
 * The named SSE events of a streamed answer, each a complete `event: ...\ndata: ...\n\n` text,
 * numbered from 0 in the API's order: response.created, response.in_progress, the text message,
 * one function_call item per tool call, response.completed (with usage).
 */
export function responsesMockEvents(turn: MockTurn): string[] {
  const events: string[] = [];
  const push = (type: string, fields: Json): void => {
    const data = JSON.stringify({ type, sequence_number: events.length, ...fields });
    events.push(`event: ${type}\ndata: ${data}\n\n`);
  };
  push('response.created', { response: responseObject(turn, false) });
  push('response.in_progress', { response: responseObject(turn, false) });
  messageEvents(turn, push);
  turn.toolCalls.forEach((call, index) => callEvents(turn, call, index, push));
  push('response.completed', { response: responseObject(turn, true) });
  return events;
}

/** The in-band error the Responses API sends inside a 200 stream (`event: error`). */
export const RESPONSES_IN_BAND_ERROR_EVENT = encodeSseEvent(
  openAIResponsesWire.errorEvent(
    openAIResponsesWire.errorBody({ type: 'server_error', message: 'mock in-band error' }),
  ),
);

/** A broken event: its data is not JSON. */
export const RESPONSES_MALFORMED_EVENT =
  'event: response.output_text.delta\ndata: {"type": "response.output_text.delta", oops\n\n';
