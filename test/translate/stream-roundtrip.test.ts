import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AnthropicStreamEvent } from '../../src/protocols/anthropic-messages/stream.js';
import type { OpenAIChatChunk } from '../../src/protocols/openai-chat/stream.js';
import { anthropicStreamToOpenAI } from '../../src/translate/anthropic-stream-to-openai.js';
import { openAIStreamToAnthropic } from '../../src/translate/openai-stream-to-anthropic.js';
import { chunk, collect, source, toolDelta, usageChunk } from './stream-fixtures.js';

interface ToolSpec {
  id: string;
  name: string;
  args: string;
  pieces: string[];
}

/** Splits `text` at the given cut points (empty pieces allowed: servers send them). */
function split(text: string, cuts: number[]): string[] {
  const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const pieces: string[] = [];
  let from = 0;
  for (const p of points) {
    pieces.push(text.slice(from, p));
    from = p;
  }
  pieces.push(text.slice(from));
  return pieces;
}

const toolArb = fc
  .record({
    name: fc.stringMatching(/^[a-z_]{1,8}$/),
    input: fc.dictionary(fc.stringMatching(/^[a-z]{1,5}$/), fc.jsonValue({ maxDepth: 2 }), {
      maxKeys: 4,
    }),
    cuts: fc.array(fc.nat({ max: 400 }), { maxLength: 6 }),
  })
  .map(({ name, input, cuts }) => ({ name, args: JSON.stringify(input), cuts }));

// Pieces with some non-blank character: a run that is only whitespace opens no block (Anthropic
// refuses blank blocks; see stream-ids-and-refusals.test.ts), so it would not come back.
const piece = fc.string({ minLength: 1, maxLength: 6 }).filter((t) => t.trim() !== '');

const scenarioArb = fc.record({
  texts: fc.array(piece, { maxLength: 5 }),
  thoughts: fc.array(piece, { maxLength: 3 }),
  tools: fc.array(toolArb, { maxLength: 4 }),
  schedule: fc.array(fc.nat({ max: 5 }), { maxLength: 40 }),
});

/**
 * OpenAI chunks: text, reasoning and tool-call pieces interleaved as `schedule` says (queue 0 is
 * the text, 1 the reasoning, i + 2 tool i); each queue keeps its own order.
 */
function openAIChunks(
  texts: string[],
  thoughts: string[],
  tools: ToolSpec[],
  schedule: number[],
): OpenAIChatChunk[] {
  const chunks = [chunk({ role: 'assistant', content: '' })];
  const queues = [texts, thoughts, ...tools.map((t) => t.pieces)];
  const next = queues.map(() => 0);
  let turn = 0;
  for (;;) {
    const open = queues.map((_, q) => q).filter((q) => next[q]! < queues[q]!.length);
    if (open.length === 0) break;
    const q = open[(schedule[turn++ % Math.max(1, schedule.length)] ?? 0) % open.length]!;
    const k = next[q]!++;
    const piece = queues[q]![k]!;
    if (q < 2) {
      chunks.push(chunk(q === 0 ? { content: piece } : { reasoning_content: piece }));
      continue;
    }
    const tool = tools[q - 2]!;
    const head = k === 0 ? { id: tool.id, name: tool.name } : undefined;
    chunks.push(chunk(toolDelta(q - 2, piece, head)));
  }
  chunks.push(chunk({}, tools.length > 0 ? 'tool_calls' : 'stop'));
  chunks.push(usageChunk(10, 20));
  return chunks;
}

/** What an OpenAI client assembles from chunks. */
function assembleOpenAI(chunks: OpenAIChatChunk[]) {
  let content = '';
  let reasoning = '';
  const calls: { id?: string; name?: string; args: string }[] = [];
  for (const c of chunks) {
    const delta = c.choices[0]?.delta;
    if (!delta) continue;
    content += delta.content ?? '';
    reasoning += delta.reasoning_content ?? '';
    for (const t of delta.tool_calls ?? []) {
      const call = (calls[t.index!] ??= { args: '' });
      if (t.id) call.id = t.id;
      if (t.function?.name) call.name = t.function.name;
      call.args += t.function?.arguments ?? '';
    }
  }
  return { content, reasoning, calls };
}

/** Checks Anthropic block discipline and returns the tool blocks' ids, names and input JSON. */
function anthropicTools(events: AnthropicStreamEvent[]) {
  const tools: { id: string; name: string; json: string }[] = [];
  let open = false;
  for (const e of events) {
    if (e.type === 'content_block_start') {
      expect(open).toBe(false);
      open = true;
      if (e.content_block.type === 'tool_use') {
        tools.push({ id: e.content_block.id, name: e.content_block.name, json: '' });
      }
    } else if (e.type === 'content_block_stop') {
      open = false;
    } else if (e.type === 'content_block_delta' && e.delta.type === 'input_json_delta') {
      expect(e.delta.partial_json).not.toBe('');
      tools.at(-1)!.json += e.delta.partial_json;
    }
  }
  return tools;
}

const byId = <T extends { id?: string | undefined }>(xs: T[]): T[] =>
  [...xs].sort((a, b) => (a.id ?? '').localeCompare(b.id ?? ''));

describe('stream translation round trip (property)', () => {
  it('OpenAI -> Anthropic -> OpenAI keeps text and reasoning in order and every tool call exact, whatever the interleaving', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async ({ texts, thoughts, tools: specs, schedule }) => {
        const tools: ToolSpec[] = specs.map((t, i) => ({
          id: `call_${i}`,
          name: t.name,
          args: t.args,
          pieces: split(t.args, t.cuts),
        }));
        const events = await collect(
          openAIStreamToAnthropic(source(openAIChunks(texts, thoughts, tools, schedule)), {
            model: 'm',
          }),
        );
        const expected = tools.map((t) => ({ id: t.id, name: t.name, json: t.args }));
        expect(byId(anthropicTools(events))).toEqual(expected);
        expect(events.at(-1)).toEqual({ type: 'message_stop' });

        const back = assembleOpenAI(
          await collect(anthropicStreamToOpenAI(source(events), { includeUsage: true })),
        );
        expect(back.content).toBe(texts.join(''));
        expect(back.reasoning).toBe(thoughts.join(''));
        const calls = back.calls.map((c) => ({ id: c.id, name: c.name, json: c.args }));
        expect(byId(calls)).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
});
