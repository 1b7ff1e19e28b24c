import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { OpenAIChatChunk } from '../../src/protocols/openai-chat/stream.js';
import { chatStreamToResponses, responsesStreamToChat } from '../../src/translate/index.js';
import { collect, source } from './stream-fixtures.js';

/*
 * Golden transcripts (test/fixtures/responses-stream): `chat` (an upstream chat stream) ->
 * `responses` (what a Responses caller gets), and `responses` -> `chatBack` (what a chat caller
 * gets from a Responses upstream). Ids are fixed by `responseId`.
 */

interface StreamFixture {
  description: string;
  request?: { model: string; [key: string]: unknown };
  chat?: OpenAIChatChunk[];
  responses: { type: string; [key: string]: unknown }[];
  chatBack: OpenAIChatChunk[];
}

const dir = join(import.meta.dirname, '../fixtures/responses-stream');
const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => ({
    file,
    ...(JSON.parse(readFileSync(join(dir, file), 'utf8')) as StreamFixture),
  }));

describe('Responses stream golden transcripts', () => {
  it('has the transcripts the issue names', () => {
    expect(fixtures.map((f) => f.file)).toEqual(
      expect.arrayContaining([
        'text-answer.json',
        'tool-call-chunked-arguments.json',
        'parallel-tool-calls.json',
        'reasoning.json',
        'length-stop.json',
        'openai-upstream.json',
        'reasoning-signature.json',
      ]),
    );
  });

  for (const f of fixtures.filter((x) => x.chat !== undefined)) {
    it(`chat -> responses: ${f.file}: ${f.description}`, async () => {
      const events = await collect(
        chatStreamToResponses(source(f.chat!), f.request!, { responseId: 'resp_test1' }),
      );
      expect(JSON.parse(JSON.stringify(events))).toEqual(f.responses);
      // sequence_number counts up from 0 with no gap; one terminal, last.
      expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
      const terminals = events.filter((e) =>
        ['response.completed', 'response.incomplete'].includes(e.type),
      );
      expect(terminals).toEqual([events.at(-1)]);
    });
  }

  for (const f of fixtures) {
    it(`responses -> chat: ${f.file}`, async () => {
      const chunks = await collect(
        responsesStreamToChat(source(f.responses), { includeUsage: true }),
      );
      expect(JSON.parse(JSON.stringify(chunks))).toEqual(f.chatBack);
    });
  }

  it('items keep one id and output_index from .added to .done', () => {
    for (const f of fixtures) {
      const byIndex = new Map<number, string>();
      for (const e of f.responses) {
        const index = e.output_index as number | undefined;
        if (index === undefined) continue;
        const id = (e.item_id ?? (e.item as { id: string }).id) as string;
        if (!byIndex.has(index)) byIndex.set(index, id);
        expect(byIndex.get(index), `${f.file} #${String(e.sequence_number)}`).toBe(id);
      }
      expect(new Set(byIndex.values()).size).toBe(byIndex.size);
    }
  });
});
