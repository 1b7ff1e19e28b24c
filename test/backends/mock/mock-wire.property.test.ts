import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  anthropicMockEvents,
  anthropicMockJson,
} from '../../../src/backends/mock/anthropic-mock-wire.js';
import { buildMockTurn } from '../../../src/backends/mock/mock-turn.js';
import { openAIMockEvents, openAIMockJson } from '../../../src/backends/mock/openai-mock-wire.js';
import {
  responsesMockEvents,
  responsesMockJson,
} from '../../../src/backends/mock/responses-mock-wire.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire JSON is probed field by field
type Json = any;

/** The data of each `...\n\n` event; every event must be one `data:` line (plus an `event:` line). */
function dataOf(events: string[]): string[] {
  return events.map((e) => {
    expect(e.endsWith('\n\n')).toBe(true);
    const lines = e.slice(0, -2).split('\n');
    const data = lines.filter((l) => l.startsWith('data: '));
    expect(data).toHaveLength(1);
    return data[0]!.slice(6);
  });
}

const texts = fc.string({ unit: 'binary', maxLength: 60 });
const toolNames = fc.array(fc.stringMatching(/^[a-z_]{1,12}$/), { maxLength: 3 });

describe('mock wire formats (property)', () => {
  it('OpenAI: the streamed pieces and tool arguments rebuild the JSON answer exactly', () => {
    fc.assert(
      fc.property(texts, toolNames, fc.boolean(), (text, names, trigger) => {
        const userText = trigger ? `call tool ${text}` : text;
        const body = {
          model: 'm',
          messages: [{ role: 'user', content: userText }],
          tools: names.map((name) => ({ type: 'function', function: { name } })),
        };
        const json: Json = JSON.parse(openAIMockJson(buildMockTurn('openai', body, 1, 0)));
        const streamTurn = buildMockTurn(
          'openai',
          { ...body, stream: true, stream_options: { include_usage: true } },
          1,
          0,
        );
        const data = dataOf(openAIMockEvents(streamTurn));
        expect(data.at(-1)).toBe('[DONE]');
        const chunks: Json[] = data.slice(0, -1).map((d): Json => JSON.parse(d));
        const content = chunks.map((c) => String(c.choices[0]?.delta.content ?? '')).join('');
        expect(content).toBe(json.choices[0].message.content);
        expect(content).toBe(`echo: ${userText}`);
        const args: string[] = [];
        for (const c of chunks) {
          for (const t of c.choices[0]?.delta.tool_calls ?? []) {
            args[t.index] = (args[t.index] ?? '') + String(t.function.arguments);
          }
        }
        const calls: Json[] = json.choices[0].message.tool_calls ?? [];
        expect(args).toEqual(calls.map((c) => String(c.function.arguments)));
        expect(chunks.at(-1).usage).toEqual(json.usage);
      }),
      { numRuns: 200 },
    );
  });

  it('Anthropic: the streamed deltas rebuild the JSON answer exactly', () => {
    fc.assert(
      fc.property(texts, toolNames, fc.boolean(), (text, names, trigger) => {
        const userText = trigger ? `call tool ${text}` : text;
        const body = {
          model: 'm',
          max_tokens: 5,
          messages: [{ role: 'user', content: [{ type: 'text', text: userText }] }],
          tools: names.map((name) => ({ name, input_schema: { type: 'object' } })),
        };
        const json: Json = JSON.parse(anthropicMockJson(buildMockTurn('anthropic', body, 1, 0)));
        const events = anthropicMockEvents(
          buildMockTurn('anthropic', { ...body, stream: true }, 1, 0),
        );
        const data: Json[] = dataOf(events).map((d): Json => JSON.parse(d));
        const blocks: Json[] = [];
        for (const d of data) {
          if (d.type === 'content_block_start')
            blocks[d.index] = { ...d.content_block, partial: '' };
          if (d.type === 'content_block_delta' && d.delta.type === 'text_delta')
            blocks[d.index].text += d.delta.text;
          if (d.type === 'content_block_delta' && d.delta.type === 'input_json_delta')
            blocks[d.index].partial += d.delta.partial_json;
        }
        const rebuilt = blocks.map(({ partial, ...b }: Json): Json =>
          b.type === 'tool_use' ? { ...b, input: JSON.parse(partial) } : b,
        );
        expect(rebuilt).toEqual(json.content);
        expect(data.at(-1).type).toBe('message_stop');
      }),
      { numRuns: 200 },
    );
  });
});

describe('mock Responses wire format (property)', () => {
  it('the streamed deltas and argument pieces rebuild the JSON response exactly', () => {
    fc.assert(
      fc.property(texts, toolNames, fc.boolean(), (text, names, trigger) => {
        const userText = trigger ? `call tool ${text}` : text;
        const body = {
          model: 'm',
          input: [{ role: 'user', content: [{ type: 'input_text', text: userText }] }],
          tools: names.map((name) => ({ type: 'function', name, parameters: {} })),
        };
        const json: Json = JSON.parse(
          responsesMockJson(buildMockTurn('openai-responses', body, 1, 0)),
        );
        const events = responsesMockEvents(
          buildMockTurn('openai-responses', { ...body, stream: true }, 1, 0),
        );
        const data: Json[] = dataOf(events).map((d): Json => JSON.parse(d));
        expect(events.map((e) => e.slice(7, e.indexOf('\n')))).toEqual(
          data.map((d): string => String(d.type)),
        );
        const items: Json[] = [];
        for (const d of data) {
          if (d.type === 'response.output_item.added') items[d.output_index] = { ...d.item };
          if (d.type === 'response.output_text.delta') {
            const item = items[d.output_index];
            item.text = String(item.text ?? '') + String(d.delta);
          }
          if (d.type === 'response.function_call_arguments.delta')
            items[d.output_index].arguments += d.delta;
          if (d.type === 'response.output_item.done') {
            // What was streamed for the item equals the item the stream says is done.
            const streamed = items[d.output_index];
            if (d.item.type === 'message') expect(streamed.text).toBe(d.item.content[0].text);
            else expect(streamed.arguments).toBe(d.item.arguments);
          }
        }
        const completed = data.at(-1);
        expect(completed.type).toBe('response.completed');
        expect(completed.response).toEqual(json);
        expect(json.output[0].content[0].text).toBe(`echo: ${userText}`);
        expect(json.output.length).toBe(trigger ? names.length + 1 : 1);
      }),
      { numRuns: 200 },
    );
  });
});
