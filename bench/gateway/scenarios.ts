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
];
