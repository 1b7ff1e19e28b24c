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

const RESPONSE_ID = 'resp_bench';
const ITEM_ID = 'msg_bench';

/** The OpenAI Responses `response` object: in progress (no output, no usage) or completed. */
function responseObject(chunks: number, done: boolean): Record<string, unknown> {
  const message = {
    id: ITEM_ID,
    type: 'message',
    status: 'completed',
    role: 'assistant',
    content: [{ type: 'output_text', annotations: [], text: answerText(chunks) }],
  };
  return {
    id: RESPONSE_ID,
    object: 'response',
    created_at: 1_700_000_000,
    status: done ? 'completed' : 'in_progress',
    error: null,
    incomplete_details: null,
    instructions: null,
    max_output_tokens: null,
    model: MODEL,
    output: done ? [message] : [],
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
    usage: done
      ? {
          input_tokens: 10,
          input_tokens_details: { cached_tokens: 0 },
          output_tokens: chunks,
          output_tokens_details: { reasoning_tokens: 0 },
          total_tokens: 10 + chunks,
        }
      : null,
    metadata: {},
  };
}

/** OpenAI Responses non-streaming body (`response` object, one text message). */
export function responsesJson(chunks: number): string {
  return JSON.stringify(responseObject(chunks, true));
}

/**
 * OpenAI Responses stream events, in the API's order (as src/backends/mock sends them):
 * response.created, response.in_progress, the message item and its text part opened, `chunks`
 * `response.output_text.delta` events, text / part / item done, response.completed with usage.
 */
export function responsesEvents(chunks: number): string[] {
  const events: string[] = [];
  const push = (type: string, fields: Record<string, unknown>): void => {
    const data = JSON.stringify({ type, sequence_number: events.length, ...fields });
    events.push(`event: ${type}\ndata: ${data}\n\n`);
  };
  const at = { item_id: ITEM_ID, output_index: 0, content_index: 0 };
  const part = (text: string) => ({ type: 'output_text', annotations: [], text });
  const item = (done: boolean) => ({
    id: ITEM_ID,
    type: 'message',
    status: done ? 'completed' : 'in_progress',
    role: 'assistant',
    content: done ? [part(answerText(chunks))] : [],
  });
  push('response.created', { response: responseObject(chunks, false) });
  push('response.in_progress', { response: responseObject(chunks, false) });
  push('response.output_item.added', { output_index: 0, item: item(false) });
  push('response.content_part.added', { ...at, part: part('') });
  for (let i = 0; i < chunks; i++) {
    push('response.output_text.delta', { ...at, delta: piece(i), logprobs: [] });
  }
  push('response.output_text.done', { ...at, text: answerText(chunks), logprobs: [] });
  push('response.content_part.done', { ...at, part: part(answerText(chunks)) });
  push('response.output_item.done', { output_index: 0, item: item(true) });
  push('response.completed', { response: responseObject(chunks, true) });
  return events;
}
