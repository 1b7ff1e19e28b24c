// The benchmark's upstream, in its own process: OpenAI chat completions, OpenAI Responses and
// Anthropic messages, JSON or SSE, every answer pre-built at start so the upstream is never the
// bottleneck. A stream goes out in one write (as a fast server's would when the answer is ready),
// or one event every BENCH_CHUNK_DELAY_MS ms (the memory run's slow streams).
// Env: PORT, BENCH_CHUNKS (content chunks per answer, default 200), BENCH_CHUNK_DELAY_MS.
import { createServer } from 'node:http';
import type { ServerResponse } from 'node:http';
import {
  anthropicEvents,
  anthropicJson,
  openAIEvents,
  openAIJson,
  responsesEvents,
  responsesJson,
} from './answers.js';

const chunks = Number(process.env.BENCH_CHUNKS ?? '200');
const delayMs = Number(process.env.BENCH_CHUNK_DELAY_MS ?? '0');

const JSON_HEADERS = { 'content-type': 'application/json' };
const SSE_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' };

interface Answers {
  json: Buffer;
  stream: string[];
  streamWithUsage: string[];
}
const openAI: Answers = {
  json: Buffer.from(openAIJson(chunks)),
  stream: openAIEvents(chunks, false),
  streamWithUsage: openAIEvents(chunks, true),
};
// Neither Messages nor Responses has include_usage (their streams always carry usage): one
// array serves both, so `whole` knows it.
const anthropicStream = anthropicEvents(chunks);
const anthropic: Answers = {
  json: Buffer.from(anthropicJson(chunks)),
  stream: anthropicStream,
  streamWithUsage: anthropicStream,
};
const responsesStream = responsesEvents(chunks);
const responses: Answers = {
  json: Buffer.from(responsesJson(chunks)),
  stream: responsesStream,
  streamWithUsage: responsesStream,
};
const whole = new Map<string[], Buffer>(
  [openAI.stream, openAI.streamWithUsage, anthropic.stream, responses.stream].map((e) => [
    e,
    Buffer.from(e.join('')),
  ]),
);

const ANSWERS = new Map<string, Answers>([
  ['/v1/chat/completions', openAI],
  ['/v1/messages', anthropic],
  ['/v1/responses', responses],
]);

function sendStream(res: ServerResponse, events: string[]): void {
  res.writeHead(200, SSE_HEADERS);
  if (delayMs <= 0) {
    res.end(whole.get(events));
    return;
  }
  let i = 0;
  const next = (): void => {
    if (res.destroyed) return;
    if (i === events.length) return void res.end();
    res.write(events[i++]);
    setTimeout(next, delayMs);
  };
  next();
}

const server = createServer((req, res) => {
  const answers = ANSWERS.get(req.url ?? '') ?? null;
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => (body += chunk));
  req.on('end', () => {
    if (answers === null || req.method !== 'POST') return void res.writeHead(404).end();
    if (!body.includes('"stream":true'))
      return void res.writeHead(200, JSON_HEADERS).end(answers.json);
    const usage = body.includes('"include_usage":true');
    sendStream(res, usage ? answers.streamWithUsage : answers.stream);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT ?? '4001'), '127.0.0.1');
process.once('disconnect', () => process.exit(0));
