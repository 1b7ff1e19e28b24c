// The answers of the benchmark's upstream, pre-built once (so the upstream costs next to nothing
// per request), and what a complete answer must contain (so a broken target cannot look fast).

/** Piece `i` of a streamed answer; the whole text is the pieces joined. */
const piece = (i: number): string => `w${i} `;

/** The full answer text of an `n`-chunk answer. */
export function answerText(chunks: number): string {
  return Array.from({ length: chunks }, (_, i) => piece(i)).join('');
}

const MODEL = 'bench-upstream';

/** OpenAI `chat.completion` body. */
export function openAIJson(chunks: number): string {
  return JSON.stringify({
    id: 'chatcmpl-bench',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: MODEL,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: answerText(chunks), refusal: null },
        logprobs: null,
        finish_reason: 'stop',
      },
    ],
    usage: { prompt_tokens: 10, completion_tokens: chunks, total_tokens: 10 + chunks },
  });
}

/** OpenAI stream events: role chunk, `chunks` content chunks, finish chunk, [usage], [DONE]. */
export function openAIEvents(chunks: number, includeUsage: boolean): string[] {
  const head = `data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1700000000,"model":"${MODEL}","choices":[`;
  const delta = (d: string, finish = 'null'): string =>
    `${head}{"index":0,"delta":${d},"logprobs":null,"finish_reason":${finish}}]}\n\n`;
  const events = [delta('{"role":"assistant","content":""}')];
  for (let i = 0; i < chunks; i++) events.push(delta(`{"content":"${piece(i)}"}`));
  events.push(delta('{}', '"stop"'));
  if (includeUsage) {
    events.push(
      `${head}],"usage":{"prompt_tokens":10,"completion_tokens":${chunks},"total_tokens":${10 + chunks}}}\n\n`,
    );
  }
  events.push('data: [DONE]\n\n');
  return events;
}

/** Anthropic `message` body. */
export function anthropicJson(chunks: number): string {
  return JSON.stringify({
    id: 'msg_bench',
    type: 'message',
    role: 'assistant',
    model: MODEL,
    content: [{ type: 'text', text: answerText(chunks) }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: 10, output_tokens: chunks },
  });
}

const event = (type: string, data: string): string =>
  `event: ${type}\ndata: {"type":"${type}"${data === '' ? '' : ','}${data}}\n\n`;

/** Anthropic stream events, in the Messages API's order, `chunks` text deltas. */
export function anthropicEvents(chunks: number): string[] {
  const message = `{"id":"msg_bench","type":"message","role":"assistant","model":"${MODEL}","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":10,"output_tokens":1}}`;
  const events = [
    event('message_start', `"message":${message}`),
    event('content_block_start', '"index":0,"content_block":{"type":"text","text":""}'),
  ];
  for (let i = 0; i < chunks; i++) {
    events.push(
      event('content_block_delta', `"index":0,"delta":{"type":"text_delta","text":"${piece(i)}"}`),
    );
  }
  events.push(event('content_block_stop', '"index":0'));
  events.push(
    event(
      'message_delta',
      `"delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":${chunks}}`,
    ),
  );
  events.push(event('message_stop', ''));
  return events;
}
