import { openAIChatWire } from '../../protocols/index.js';
import { encodeSseEvent } from '../../sse/index.js';
import type { MockTurn } from './mock-turn.js';
import { splitArguments } from './mock-turn.js';

// Strings are assembled by hand around small JSON.stringify calls: this server is the baseline
// of the gateway benchmark, so its happy path must cost as little as possible.

/** `data: [DONE]`, from the protocol module. */
const DONE_EVENT = encodeSseEvent(openAIChatWire.terminalFrame);

function usage(turn: MockTurn): string {
  const total = turn.inputTokens + turn.outputTokens;
  return `{"prompt_tokens":${turn.inputTokens},"completion_tokens":${turn.outputTokens},"total_tokens":${total}}`;
}

const finishReason = (turn: MockTurn): string =>
  turn.toolCalls.length > 0 ? 'tool_calls' : 'stop';

/** The non-streaming `chat.completion` body. */
export function openAIMockJson(turn: MockTurn): string {
  const toolCalls =
    turn.toolCalls.length === 0
      ? ''
      : `,"tool_calls":${JSON.stringify(
          turn.toolCalls.map((c) => ({
            id: c.id,
            type: 'function',
            function: { name: c.name, arguments: c.arguments },
          })),
        )}`;
  return (
    `{"id":"chatcmpl-mock-${turn.seq}","object":"chat.completion","created":${turn.created},` +
    `"model":${JSON.stringify(turn.model)},"choices":[{"index":0,"message":{"role":"assistant",` +
    `"content":${JSON.stringify(turn.text)},"refusal":null${toolCalls}},"logprobs":null,` +
    `"finish_reason":"${finishReason(turn)}"}],"usage":${usage(turn)}}`
  );
}

/**
 * The SSE events of a streamed answer, each a complete `data: ...\n\n` text: role chunk, one
 * chunk per text piece, per tool call a header chunk (id, name) and argument pieces, the finish
 * chunk, the usage chunk when asked, then `[DONE]`.
 */
export function openAIMockEvents(turn: MockTurn): string[] {
  const head =
    `data: {"id":"chatcmpl-mock-${turn.seq}","object":"chat.completion.chunk",` +
    `"created":${turn.created},"model":${JSON.stringify(turn.model)},"choices":[`;
  const delta = (d: string, finish = 'null'): string =>
    `${head}{"index":0,"delta":${d},"logprobs":null,"finish_reason":${finish}}]}\n\n`;
  const events = [delta('{"role":"assistant","content":""}')];
  for (const piece of turn.pieces) events.push(delta(`{"content":${JSON.stringify(piece)}}`));
  turn.toolCalls.forEach((call, index) => {
    const start = {
      index,
      id: call.id,
      type: 'function',
      function: { name: call.name, arguments: '' },
    };
    events.push(delta(`{"tool_calls":[${JSON.stringify(start)}]}`));
    for (const part of splitArguments(call.arguments)) {
      events.push(
        delta(
          `{"tool_calls":[{"index":${index},"function":{"arguments":${JSON.stringify(part)}}}]}`,
        ),
      );
    }
  });
  events.push(delta('{}', `"${finishReason(turn)}"`));
  if (turn.includeUsage) events.push(`${head}],"usage":${usage(turn)}}\n\n`);
  events.push(DONE_EVENT);
  return events;
}

/** The in-band error OpenAI sends inside a 200 stream. */
export const OPENAI_IN_BAND_ERROR_EVENT = encodeSseEvent(
  openAIChatWire.errorEvent(
    openAIChatWire.errorBody({ type: 'server_error', message: 'mock in-band error' }),
  ),
);

/** A broken event: its data is not JSON. */
export const OPENAI_MALFORMED_EVENT = 'data: {"choices": [{"delta": oops\n\n';
