import { anthropicMessagesWire } from '../../protocols/index.js';
import { encodeSseEvent } from '../../sse/index.js';
import type { MockTurn } from './mock-turn.js';
import { splitArguments } from './mock-turn.js';

// Hand-assembled around small JSON.stringify calls for the same reason as the OpenAI side:
// the mock is the gateway benchmark's baseline upstream.

/** `message_stop`, from the protocol module. */
const MESSAGE_STOP_EVENT = encodeSseEvent(anthropicMessagesWire.terminalFrame);

const stopReason = (turn: MockTurn): string =>
  turn.toolCalls.length > 0 ? 'tool_use' : 'end_turn';

function contentBlocks(turn: MockTurn): unknown[] {
  const blocks: unknown[] = [{ type: 'text', text: turn.text }];
  for (const call of turn.toolCalls) {
    blocks.push({
      type: 'tool_use',
      id: call.id,
      name: call.name,
      input: JSON.parse(call.arguments) as unknown,
    });
  }
  return blocks;
}

/** The non-streaming `message` body. */
export function anthropicMockJson(turn: MockTurn): string {
  return (
    `{"id":"msg_mock_${turn.seq}","type":"message","role":"assistant",` +
    `"model":${JSON.stringify(turn.model)},"content":${JSON.stringify(contentBlocks(turn))},` +
    `"stop_reason":"${stopReason(turn)}","stop_sequence":null,` +
    `"usage":{"input_tokens":${turn.inputTokens},"output_tokens":${turn.outputTokens}}}`
  );
}

const event = (type: string, data: string): string =>
  `event: ${type}\ndata: {"type":"${type}"${data === '' ? '' : ','}${data}}\n\n`;

/**
 * The named SSE events of a streamed answer, in the exact order the Messages API uses:
 * message_start, a text block (start, ping, deltas, stop), one tool_use block per tool call
 * (start with `input: {}`, input_json_delta pieces, stop), message_delta, message_stop.
 */
export function anthropicMockEvents(turn: MockTurn): string[] {
  const message =
    `{"id":"msg_mock_${turn.seq}","type":"message","role":"assistant",` +
    `"model":${JSON.stringify(turn.model)},"content":[],"stop_reason":null,"stop_sequence":null,` +
    `"usage":{"input_tokens":${turn.inputTokens},"output_tokens":1}}`;
  const events = [
    event('message_start', `"message":${message}`),
    event('content_block_start', '"index":0,"content_block":{"type":"text","text":""}'),
    'event: ping\ndata: {"type": "ping"}\n\n',
  ];
  for (const piece of turn.pieces) {
    events.push(
      event(
        'content_block_delta',
        `"index":0,"delta":{"type":"text_delta","text":${JSON.stringify(piece)}}`,
      ),
    );
  }
  events.push(event('content_block_stop', '"index":0'));
  turn.toolCalls.forEach((call, i) => {
    const index = i + 1;
    const block = { type: 'tool_use', id: call.id, name: call.name, input: {} };
    events.push(
      event('content_block_start', `"index":${index},"content_block":${JSON.stringify(block)}`),
    );
    for (const part of splitArguments(call.arguments)) {
      events.push(
        event(
          'content_block_delta',
          `"index":${index},"delta":{"type":"input_json_delta","partial_json":${JSON.stringify(part)}}`,
        ),
      );
    }
    events.push(event('content_block_stop', `"index":${index}`));
  });
  events.push(
    event(
      'message_delta',
      `"delta":{"stop_reason":"${stopReason(turn)}","stop_sequence":null},` +
        `"usage":{"output_tokens":${turn.outputTokens}}`,
    ),
  );
  events.push(MESSAGE_STOP_EVENT);
  return events;
}

/** The in-band error Anthropic sends inside a 200 stream. */
export const ANTHROPIC_IN_BAND_ERROR_EVENT = encodeSseEvent(
  anthropicMessagesWire.errorEvent(
    anthropicMessagesWire.errorBody({ type: 'overloaded_error', message: 'Overloaded' }),
  ),
);

/** A broken event: its data is not JSON. */
export const ANTHROPIC_MALFORMED_EVENT =
  'event: content_block_delta\ndata: {"type": "content_block_delta", oops\n\n';
