import { openAIResponsesWire } from '../../protocols/index.js';
import { encodeSseEvent } from '../../sse/index.js';
import type { MockTurn } from './mock-turn.js';
import { splitArguments } from './mock-turn.js';

// The mock's answers in OpenAI Responses form: a `response` object, or its named event stream
// (`event: <type>` + data with `type` and `sequence_number`) ending in `response.completed`.

type Json = Record<string, unknown>;

function usage(turn: MockTurn): Json {
  return {
    input_tokens: turn.inputTokens,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: turn.outputTokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: turn.inputTokens + turn.outputTokens,
  };
}

/** The output items: the echo message, then one function_call per tool call. */
function outputItems(turn: MockTurn): Json[] {
  const message = {
    type: 'message',
    id: `msg_mock_${turn.seq}_0`,
    role: 'assistant',
    status: 'completed',
    content: [{ type: 'output_text', text: turn.text, annotations: [] }],
  };
  const calls = turn.toolCalls.map((call, i) => ({
    type: 'function_call',
    id: `fc_mock_${turn.seq}_${i + 1}`,
    call_id: call.id,
    name: call.name,
    arguments: call.arguments,
    status: 'completed',
  }));
  return [message, ...calls];
}

function response(turn: MockTurn, status: string, output: Json[]): Json {
  return {
    id: `resp_mock_${turn.seq}`,
    object: 'response',
    created_at: turn.created,
    status,
    model: turn.model,
    output,
    usage: status === 'completed' ? usage(turn) : null,
  };
}

/** The non-streaming `response` body. */
export function responsesMockJson(turn: MockTurn): string {
  return JSON.stringify(response(turn, 'completed', outputItems(turn)));
}

/**
 * The SSE events of a streamed answer, each a complete text: created, in_progress, the message
 * (added, part added, one delta per text piece, text done, part done, item done), per tool call
 * the item added, argument pieces and done, then `response.completed` with usage.
 */
export function responsesMockEvents(turn: MockTurn): string[] {
  const events: string[] = [];
  const emit = (type: string, data: Json): void => {
    const body = JSON.stringify({ type, sequence_number: events.length, ...data });
    events.push(`event: ${type}\ndata: ${body}\n\n`);
  };
  const items = outputItems(turn);
  emit('response.created', { response: response(turn, 'in_progress', []) });
  emit('response.in_progress', { response: response(turn, 'in_progress', []) });
  const [message, ...calls] = items as [Json, ...Json[]];
  const at = { output_index: 0, item_id: message.id, content_index: 0 };
  const part = { type: 'output_text', text: '', annotations: [] };
  emit('response.output_item.added', {
    output_index: 0,
    item: { ...message, status: 'in_progress', content: [] },
  });
  emit('response.content_part.added', { ...at, part });
  for (const piece of turn.pieces) emit('response.output_text.delta', { ...at, delta: piece });
  emit('response.output_text.done', { ...at, text: turn.text });
  emit('response.content_part.done', { ...at, part: { ...part, text: turn.text } });
  emit('response.output_item.done', { output_index: 0, item: message });
  calls.forEach((call, i) => {
    const output_index = i + 1;
    const args = String(call.arguments);
    emit('response.output_item.added', {
      output_index,
      item: { ...call, arguments: '', status: 'in_progress' },
    });
    for (const delta of splitArguments(args)) {
      emit('response.function_call_arguments.delta', { output_index, item_id: call.id, delta });
    }
    emit('response.function_call_arguments.done', {
      output_index,
      item_id: call.id,
      arguments: args,
    });
    emit('response.output_item.done', { output_index, item: call });
  });
  emit('response.completed', { response: response(turn, 'completed', items) });
  return events;
}

/** The in-band error OpenAI sends inside a 200 Responses stream (`event: error`). */
export const RESPONSES_IN_BAND_ERROR_EVENT = encodeSseEvent(
  openAIResponsesWire.errorEvent(
    openAIResponsesWire.errorBody({ type: 'server_error', message: 'mock in-band error' }),
  ),
);

/** A broken event: its data is not JSON. */
export const RESPONSES_MALFORMED_EVENT =
  'event: response.output_text.delta\ndata: {"delta": oops\n\n';
