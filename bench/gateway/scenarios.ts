// The throughput scenarios: what the caller sends, and how a complete answer is recognised.
import { answerText } from './answers.js';

/** One scenario: the same request goes to the proxy and to the gateway. */
export interface Scenario {
  readonly name: string;
  readonly description: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string;
  /** Throws unless `text` is the complete answer (full text, terminal event). */
  verify(text: string, chunks: number): void;
}

const OPENAI_HEADERS = { 'content-type': 'application/json' };
const ANTHROPIC_HEADERS = { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' };
const messages = [{ role: 'user', content: 'hello from the benchmark' }];

function openAIRequest(model: string, stream: boolean): string {
  return JSON.stringify({ model, stream, messages });
}

// store: false, as Codex sends it: the minimal proxy keeps nothing, so the gateway's response
// store would be a cost the baseline does not have (it is measured apart, if ever).
function responsesRequest(model: string, stream: boolean): string {
  return JSON.stringify({ model, stream, store: false, input: 'hello from the benchmark' });
}

function anthropicRequest(model: string, stream: boolean): string {
  return JSON.stringify({ model, max_tokens: 1024, stream, messages });
}

/** The `data:` payloads of an SSE text (events separated by a blank line). */
function dataOf(text: string): string[] {
  const out: string[] = [];
  for (const block of text.split(/\r?\n\r?\n/)) {
    const data = block
      .split(/\r?\n/)
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(5).trimStart());
    if (data.length > 0) out.push(data.join('\n'));
  }
  return out;
}

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`incomplete answer: ${what}`);
}

function verifyOpenAIJson(text: string, chunks: number): void {
  const body = JSON.parse(text) as { choices?: { message?: { content?: string } }[] };
  check(body.choices?.[0]?.message?.content === answerText(chunks), 'OpenAI JSON content');
}

function verifyOpenAIStream(text: string, chunks: number): void {
  const data = dataOf(text);
  check(data.at(-1) === '[DONE]', 'OpenAI stream does not end with [DONE]');
  let content = '';
  for (const item of data.slice(0, -1)) {
    const chunk = JSON.parse(item) as { choices?: { delta?: { content?: string | null } }[] };
    content += chunk.choices?.[0]?.delta?.content ?? '';
  }
  check(content === answerText(chunks), `OpenAI stream text (${content.length} chars)`);
}

function verifyAnthropicStream(text: string, chunks: number): void {
  const events = dataOf(text).map(
    (d) => JSON.parse(d) as { type?: string; delta?: { text?: string } },
  );
  check(events.at(-1)?.type === 'message_stop', 'Anthropic stream does not end with message_stop');
  const content = events
    .filter((e) => e.type === 'content_block_delta')
    .map((e) => e.delta?.text ?? '')
    .join('');
  check(content === answerText(chunks), `Anthropic stream text (${content.length} chars)`);
}

interface ResponsesMessage {
  type?: string;
  content?: { type?: string; text?: string }[];
}
interface ResponsesBody {
  status?: string;
  output?: ResponsesMessage[];
}

/** The text of a `response` object's output_text parts. */
function outputText(response: ResponsesBody | undefined): string {
  return (response?.output ?? [])
    .filter((item) => item.type === 'message')
    .flatMap((item) => item.content ?? [])
    .filter((part) => part.type === 'output_text')
    .map((part) => part.text ?? '')
    .join('');
}

function verifyResponsesJson(text: string, chunks: number): void {
  const body = JSON.parse(text) as ResponsesBody;
  check(body.status === 'completed', `Responses status ${body.status}`);
  check(outputText(body) === answerText(chunks), 'Responses JSON output_text');
}

function verifyResponsesStream(text: string, chunks: number): void {
  const events = dataOf(text).map(
    (d) => JSON.parse(d) as { type?: string; delta?: string; response?: ResponsesBody },
  );
  const last = events.at(-1);
  check(
    last?.type === 'response.completed',
    'Responses stream does not end with response.completed',
  );
  check(last?.response?.status === 'completed', 'response.completed status');
  const content = events
    .filter((e) => e.type === 'response.output_text.delta')
    .map((e) => e.delta ?? '')
    .join('');
  check(content === answerText(chunks), `Responses stream text (${content.length} chars)`);
  check(outputText(last?.response) === answerText(chunks), 'response.completed output_text');
}

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'json',
    description: 'non-streaming, OpenAI caller -> OpenAI upstream',
    path: '/v1/chat/completions',
    headers: OPENAI_HEADERS,
    body: openAIRequest('bench-model', false),
    verify: verifyOpenAIJson,
  },
  {
    name: 'stream',
    description: 'same-protocol stream, OpenAI -> OpenAI',
    path: '/v1/chat/completions',
    headers: OPENAI_HEADERS,
    body: openAIRequest('bench-model', true),
    verify: verifyOpenAIStream,
  },
  {
    name: 'a2o',
    description: 'translated stream, Anthropic caller -> OpenAI upstream',
    path: '/v1/messages',
    headers: ANTHROPIC_HEADERS,
    body: anthropicRequest('bench-model', true),
    verify: verifyAnthropicStream,
  },
  {
    name: 'o2a',
    description: 'translated stream, OpenAI caller -> Anthropic upstream',
    path: '/v1/chat/completions',
    headers: OPENAI_HEADERS,
    body: openAIRequest('to-anthropic', true),
    verify: verifyOpenAIStream,
  },
  {
    name: 'resp',
    description: 'same-protocol stream, Responses -> Responses',
    path: '/v1/responses',
    headers: OPENAI_HEADERS,
    body: responsesRequest('to-responses', true),
    verify: verifyResponsesStream,
  },
  {
    name: 'resp-json',
    description: 'non-streaming, Responses -> Responses',
    path: '/v1/responses',
    headers: OPENAI_HEADERS,
    body: responsesRequest('to-responses', false),
    verify: verifyResponsesJson,
  },
  {
    name: 'r2o',
    description: 'translated stream, Responses caller -> OpenAI chat upstream',
    path: '/v1/responses',
    headers: OPENAI_HEADERS,
    body: responsesRequest('bench-model', true),
    verify: verifyResponsesStream,
  },
];
