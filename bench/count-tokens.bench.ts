// count_tokens estimate benchmark (npx tsx bench/count-tokens.bench.ts). A fixed corpus of
// Anthropic Messages requests (a one-liner, a system prompt with tools, a Claude Code-shaped
// request with 24 tools and reminder parts, a 40-turn conversation, an image) goes through the
// gateway's local estimator (gpt-tokenizer o200k_base + fixed framing costs). It prints, per
// request, the estimate, the chars/4 rule of thumb beside it, and the time per estimate; and the
// one-time cost of loading the tokenizer (paid on the first count_tokens that needs an estimate,
// never at import or gateway start).
//
// What it cannot print: the error against Anthropic's own count. That needs the real
// count_tokens endpoint (network and a key, neither available where this was written) or a
// public fixture pairing request bodies with Anthropic's answers (none found; see BENCHMARKS.md).
// Bounded: a few seconds.
import { performance } from 'node:perf_hooks';
import { estimateInputTokens, requestTexts } from '../src/gateway/json-endpoints/index.js';

type Json = Record<string, unknown>;
const ROUNDS = 200;

function tool(i: number): Json {
  return {
    name: `tool_${i}`,
    description: `Does task number ${i}: reads files, runs commands and reports what it found.`,
    input_schema: {
      type: 'object',
      properties: {
        path: { type: 'string', description: 'Absolute path of the file to act on' },
        limit: { type: 'number', description: 'How many lines at most' },
      },
      required: ['path'],
    },
  };
}

const PROSE =
  'The gateway routes each request by model name to a chain of backends and fails over ' +
  'before the first byte reaches the caller; after that it ends the stream with an error. ';

const CORPUS: { name: string; body: Json }[] = [
  {
    name: 'one-liner',
    body: { model: 'm', messages: [{ role: 'user', content: 'Hello, Claude' }] },
  },
  {
    name: 'system + 1 tool',
    body: {
      model: 'm',
      system: 'You are a scientist',
      tools: [tool(0)],
      messages: [{ role: 'user', content: "What's the weather like in San Francisco?" }],
    },
  },
  {
    name: 'Claude Code-shaped (24 tools, reminders)',
    body: {
      model: 'm',
      system: [
        { type: 'text', text: 'You are Claude Code.', cache_control: { type: 'ephemeral' } },
        { type: 'text', text: PROSE.repeat(20) },
      ],
      tools: Array.from({ length: 24 }, (_, i) => tool(i)),
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: `<system-reminder>\n${PROSE.repeat(5)}</system-reminder>` },
            { type: 'text', text: 'Fix the failing test in src/gateway.' },
          ],
        },
      ],
    },
  },
  {
    name: '40-turn conversation with tool calls',
    body: {
      model: 'm',
      messages: Array.from({ length: 40 }, (_, i) =>
        i % 2 === 0
          ? { role: 'user', content: `${PROSE} (turn ${i})` }
          : {
              role: 'assistant',
              content: [
                { type: 'text', text: 'Let me look.' },
                { type: 'tool_use', id: `t${i}`, name: 'read', input: { path: `/src/f${i}.ts` } },
              ],
            },
      ),
    },
  },
  {
    name: 'image + question',
    body: {
      model: 'm',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBOR' } },
            { type: 'text', text: 'Describe this image.' },
          ],
        },
      ],
    },
  },
];

async function main(): Promise<void> {
  const loadStart = performance.now();
  await estimateInputTokens({ messages: [] });
  const loadMs = performance.now() - loadStart;
  console.log(`node ${process.version}; tokenizer load (first estimate): ${loadMs.toFixed(0)} ms`);
  console.log('request | estimate | chars/4 | ratio | us per estimate');
  for (const { name, body } of CORPUS) {
    const estimate = await estimateInputTokens(body);
    const { texts } = requestTexts(body);
    const chars = texts.reduce((n, t) => n + t.length, 0);
    const rough = Math.ceil(chars / 4);
    for (let i = 0; i < 20; i++) await estimateInputTokens(body);
    const start = performance.now();
    for (let i = 0; i < ROUNDS; i++) await estimateInputTokens(body);
    const us = ((performance.now() - start) / ROUNDS) * 1000;
    const ratio = rough === 0 ? '-' : (estimate / rough).toFixed(2);
    console.log(`${name} | ${estimate} | ${rough} | ${ratio} | ${us.toFixed(0)}`);
  }
}

await main();
