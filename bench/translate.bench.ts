// Translation benchmark (npm run bench:translate). A 2,000-event stream (text, then parallel tool
// calls whose arguments stream in pieces) translated each way, against a baseline that only does
// JSON.parse + JSON.stringify of each event: the least any translator must do. Every pipeline reads
// the same pre-encoded `data:` strings from an async iterable (as the SSE parser delivers them) and
// serialises what it produces; rounds alternate so machine noise hits all cases alike. Figures go
// in BENCHMARKS.md. Bounded: a few seconds a case. The parse step is an async generator, as in the
// backends (the protocol module's decodeStream), so the translated pipelines pay one more hop
// than the baseline. The Responses directions (issue 9) use the same stream: the chat chunks as
// Responses events, those events back to chat, and Messages <-> Responses through the chat hub,
// each against the baseline of its own input.
import { cpus } from 'node:os';
import type { AnthropicStreamEvent } from '../src/protocols/anthropic-messages/stream.js';
import type { OpenAIChatChunk } from '../src/protocols/openai-chat/stream.js';
import { systemClock } from '../src/time/index.js';
import { anthropicStreamToOpenAI } from '../src/translate/anthropic-stream-to-openai.js';
import { openAIStreamToAnthropic } from '../src/translate/openai-stream-to-anthropic.js';
import type { OpenAIResponsesStreamEvent } from '../src/protocols/openai-responses/stream.js';
import {
  anthropicStreamToResponses,
  responsesStreamToAnthropic,
} from '../src/translate/anthropic-responses-streams.js';
import { chatStreamToResponses } from '../src/translate/chat-stream-to-responses.js';
import { responsesStreamToChat } from '../src/translate/responses-stream-to-chat.js';

const EVENTS = 2_000;
const TOOLS = 3;
const ARG_PIECES = 150;
const WARMUP_ROUNDS = 30;
const ROUNDS = 150;

function openAIChunk(
  delta: Record<string, unknown>,
  finish: string | null = null,
): OpenAIChatChunk {
  return {
    id: 'chatcmpl-bench',
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model: 'bench-model',
    system_fingerprint: 'fp_bench',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  };
}

/** Exactly EVENTS OpenAI chunks: role, text, TOOLS tool calls in pieces, finish, usage. */
function openAITranscript(): OpenAIChatChunk[] {
  const chunks: OpenAIChatChunk[] = [openAIChunk({ role: 'assistant', content: '' })];
  const textChunks = EVENTS - 3 - TOOLS * (ARG_PIECES + 1);
  for (let i = 0; i < textChunks; i++) chunks.push(openAIChunk({ content: ` word${i} and` }));
  for (let t = 0; t < TOOLS; t++) {
    const fn = { name: `tool_${t}`, arguments: '' };
    chunks.push(
      openAIChunk({ tool_calls: [{ index: t, id: `call_${t}`, type: 'function', function: fn }] }),
    );
    for (let p = 0; p < ARG_PIECES; p++) {
      const piece = p === 0 ? '{"items":["x' : p === ARG_PIECES - 1 ? 'end"]}' : `${p}","x`;
      chunks.push(openAIChunk({ tool_calls: [{ index: t, function: { arguments: piece } }] }));
    }
  }
  chunks.push(openAIChunk({}, 'tool_calls'));
  chunks.push({
    ...openAIChunk({}),
    choices: [],
    usage: { prompt_tokens: 1200, completion_tokens: 1900, total_tokens: 3100 },
  });
  return chunks;
}

/** The SSE parser's output as the pipelines see it: an async iterable of `data:` strings. */
function strings(items: readonly string[]): AsyncIterable<string> {
  return {
    [Symbol.asyncIterator]() {
      let i = 0;
      return {
        next: () =>
          Promise.resolve(
            i < items.length
              ? { done: false, value: items[i++]! }
              : { done: true as const, value: undefined },
          ),
      };
    },
  };
}

async function* parsed<T>(items: AsyncIterable<string>): AsyncGenerator<T> {
  for await (const item of items) yield JSON.parse(item) as T;
}

/** The baseline: parse and re-serialise every event, nothing else. */
async function baseline(data: readonly string[]): Promise<number> {
  let bytes = 0;
  for await (const item of strings(data)) bytes += JSON.stringify(JSON.parse(item)).length;
  return bytes;
}

async function openAIToAnthropic(data: readonly string[]): Promise<number> {
  let bytes = 0;
  const events = openAIStreamToAnthropic(parsed<OpenAIChatChunk>(strings(data)), { model: 'c' });
  for await (const event of events) bytes += JSON.stringify(event).length;
  return bytes;
}

async function anthropicToOpenAI(data: readonly string[]): Promise<number> {
  let bytes = 0;
  const chunks = anthropicStreamToOpenAI(parsed<AnthropicStreamEvent>(strings(data)), {
    includeUsage: true,
    created: 1_700_000_000,
  });
  for await (const chunk of chunks) bytes += JSON.stringify(chunk).length;
  return bytes;
}

const RESPONSES_REQUEST = { model: 'bench-model', input: 'x', stream: true };

async function chatToResponses(data: readonly string[]): Promise<number> {
  let bytes = 0;
  const chunks = parsed<OpenAIChatChunk>(strings(data));
  for await (const e of chatStreamToResponses(chunks, RESPONSES_REQUEST)) {
    bytes += JSON.stringify(e).length;
  }
  return bytes;
}

async function responsesToChat(data: readonly string[]): Promise<number> {
  let bytes = 0;
  const events = parsed<OpenAIResponsesStreamEvent>(strings(data));
  for await (const c of responsesStreamToChat(events, { includeUsage: true })) {
    bytes += JSON.stringify(c).length;
  }
  return bytes;
}

async function anthropicToResponses(data: readonly string[]): Promise<number> {
  let bytes = 0;
  const events = parsed<AnthropicStreamEvent>(strings(data));
  for await (const e of anthropicStreamToResponses(events, RESPONSES_REQUEST)) {
    bytes += JSON.stringify(e).length;
  }
  return bytes;
}

async function responsesToAnthropic(data: readonly string[]): Promise<number> {
  let bytes = 0;
  const events = parsed<OpenAIResponsesStreamEvent>(strings(data));
  for await (const e of responsesStreamToAnthropic(events, { model: 'c' })) {
    bytes += JSON.stringify(e).length;
  }
  return bytes;
}

async function timed(run: (data: readonly string[]) => Promise<number>, data: readonly string[]) {
  const start = systemClock.now();
  await run(data);
  return systemClock.now() - start;
}

const median = (xs: number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

async function main(): Promise<void> {
  const openAIData = openAITranscript().map((c) => JSON.stringify(c));
  const anthropicEvents: AnthropicStreamEvent[] = [];
  for await (const e of openAIStreamToAnthropic(parsed(strings(openAIData)), { model: 'c' })) {
    anthropicEvents.push(e);
  }
  const anthropicData = anthropicEvents.map((e) => JSON.stringify(e));
  const responsesEvents: OpenAIResponsesStreamEvent[] = [];
  for await (const e of chatStreamToResponses(parsed(strings(openAIData)), RESPONSES_REQUEST)) {
    responsesEvents.push(e);
  }
  const responsesData = responsesEvents.map((e) => JSON.stringify(e));
  const cases = [
    { name: 'baseline (parse+stringify), OpenAI chunks', run: baseline, data: openAIData },
    { name: 'baseline (parse+stringify), Anthropic events', run: baseline, data: anthropicData },
    { name: 'OpenAI -> Anthropic', run: openAIToAnthropic, data: openAIData },
    { name: 'Anthropic -> OpenAI', run: anthropicToOpenAI, data: anthropicData },
    { name: 'baseline (parse+stringify), Responses events', run: baseline, data: responsesData },
    { name: 'OpenAI chat -> Responses', run: chatToResponses, data: openAIData },
    { name: 'Responses -> OpenAI chat', run: responsesToChat, data: responsesData },
    { name: 'Anthropic -> Responses (via chat)', run: anthropicToResponses, data: anthropicData },
    { name: 'Responses -> Anthropic (via chat)', run: responsesToAnthropic, data: responsesData },
  ];
  const times = cases.map(() => [] as number[]);
  for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
    for (let i = 0; i < cases.length; i++) {
      const c = cases[(i + round) % cases.length]!;
      const ms = await timed(c.run, c.data);
      if (round >= WARMUP_ROUNDS) times[cases.indexOf(c)]!.push(ms);
    }
  }
  const rate = (i: number) => cases[i]!.data.length / (median(times[i]!) / 1000);
  const best = (i: number) => cases[i]!.data.length / (Math.min(...times[i]!) / 1000);
  console.log(`node ${process.version}, ${cpus().length} cpus (${cpus()[0]?.model ?? '?'})`);
  console.log(
    `input: ${openAIData.length} OpenAI chunks, ${anthropicData.length} Anthropic events, ${responsesData.length} Responses events`,
  );
  console.log(`${ROUNDS} alternating rounds after ${WARMUP_ROUNDS} warm-up rounds; median (best)`);
  for (let i = 0; i < cases.length; i++) {
    const fmt = (n: number): string => Math.round(n).toLocaleString('en');
    console.log(`${cases[i]!.name.padEnd(46)} ${fmt(rate(i))} (${fmt(best(i))}) events/s`);
  }
  // Best rounds are the ones other processes disturbed least: on a shared machine they are the
  // stable estimate of what the code costs (medians are reported too).
  const ratios = [
    ['OpenAI -> Anthropic', best(2) / best(0), rate(2) / rate(0)],
    ['Anthropic -> OpenAI', best(3) / best(1), rate(3) / rate(1)],
    // Each against the baseline of its own input stream.
    ['OpenAI chat -> Responses', best(5) / best(0), rate(5) / rate(0)],
    ['Responses -> OpenAI chat', best(6) / best(4), rate(6) / rate(4)],
    ['Anthropic -> Responses', best(7) / best(1), rate(7) / rate(1)],
    ['Responses -> Anthropic', best(8) / best(4), rate(8) / rate(4)],
  ] as const;
  for (const [name, bestRatio, medianRatio] of ratios) {
    const verdict = bestRatio >= 0.5 ? 'ok' : 'BELOW TARGET';
    console.log(
      `ratio ${name} / baseline: ${bestRatio.toFixed(2)} best rounds, ${medianRatio.toFixed(2)} medians (target >= 0.5: ${verdict})`,
    );
  }
  if (ratios.some(([, bestRatio]) => bestRatio < 0.5)) process.exitCode = 1;
}

await main();
