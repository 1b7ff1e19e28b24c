import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parseOpenAIChatRequest,
  parseOpenAIChatResponse,
  parseOpenAIResponsesRequest,
} from '../../src/protocols/index.js';
import {
  chatRequestToResponses,
  chatResponseToResponses,
  responsesRequestToChat,
  responsesResponseToChat,
} from '../../src/translate/index.js';

type Item = Record<string, unknown>;

// Any text, non-ASCII included, never blank (a blank assistant text before tool calls is not an
// answer and is left out on purpose).
const text = fc
  .oneof(fc.string({ minLength: 1 }), fc.string({ unit: 'grapheme', minLength: 1 }))
  .filter((t) => t.trim() !== '');
const name = fc.stringMatching(/^[a-z][a-z0-9_]{0,15}$/);
const args = fc
  .dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 })
  .map((a) => JSON.stringify(a));
const image = fc.oneof(
  fc.base64String({ minLength: 4, maxLength: 40 }).map((b) => `data:image/png;base64,${b}`),
  name.map((p) => `https://example.com/${p}.jpg`),
);
const userContent = fc.oneof(
  text,
  fc.array(
    fc.oneof(
      text.map((t) => ({ type: 'input_text', text: t })),
      fc.record({ image_url: image, detail: fc.constantFrom('low', 'high', 'auto') }).map((p) => ({
        type: 'input_image',
        ...p,
      })),
    ),
    { minLength: 1, maxLength: 3 },
  ),
);

interface Turn {
  role: 'user' | 'system';
  content: unknown;
  reasoning: { text: string; signature: string } | null;
  answer: string | null;
  calls: { name: string; args: string; output: string }[];
}

const turn: fc.Arbitrary<Turn> = fc.record({
  role: fc.constantFrom('user' as const, 'system' as const),
  content: userContent,
  reasoning: fc.option(fc.record({ text, signature: name }), { nil: null }),
  answer: fc.option(text, { nil: null }),
  calls: fc.array(fc.record({ name, args, output: fc.string() }), { maxLength: 2 }),
});

/** The items of a well-formed Codex-like conversation, in the order Responses gives them. */
function items(turns: Turn[]): Item[] {
  const out: Item[] = [];
  let callNo = 0;
  for (const t of turns) {
    out.push({ type: 'message', role: t.role, content: t.content });
    if (t.reasoning !== null) {
      out.push({
        type: 'reasoning',
        summary: [{ type: 'summary_text', text: t.reasoning.text }],
        encrypted_content: t.reasoning.signature,
      });
    }
    if (t.answer !== null) {
      out.push({
        type: 'message',
        role: 'assistant',
        content: [{ type: 'output_text', text: t.answer }],
      });
    }
    const ids = t.calls.map(() => `call_${callNo++}`);
    t.calls.forEach((c, j) => {
      out.push({ type: 'function_call', call_id: ids[j], name: c.name, arguments: c.args });
    });
    t.calls.forEach((c, j) => {
      out.push({ type: 'function_call_output', call_id: ids[j], output: c.output });
    });
  }
  return out;
}

const tools = fc.uniqueArray(name, { maxLength: 3 }).map((names) =>
  names.map((n) => ({
    type: 'function',
    name: n,
    description: `tool ${n}`,
    parameters: { type: 'object', properties: {} },
    strict: false,
  })),
);

describe('Responses -> Chat -> Responses', () => {
  it('keeps every input item, tool and setting that Chat can carry', () => {
    fc.assert(
      fc.property(
        fc.array(turn, { minLength: 1, maxLength: 4 }),
        tools,
        fc.record({
          max_output_tokens: fc.integer({ min: 16, max: 4096 }),
          temperature: fc.double({ min: 0, max: 2, noNaN: true }),
          effort: fc.constantFrom('low', 'medium', 'high'),
          parallel: fc.boolean(),
          stream: fc.boolean(),
        }),
        (turns, toolList, s) => {
          const original: Item = {
            model: 'm',
            input: items(turns),
            max_output_tokens: s.max_output_tokens,
            temperature: s.temperature,
            reasoning: { effort: s.effort },
            store: false,
            ...(s.stream ? { stream: true } : {}),
            ...(toolList.length > 0
              ? { tools: toolList, tool_choice: 'auto', parallel_tool_calls: s.parallel }
              : {}),
          };
          const chat = responsesRequestToChat(parseOpenAIResponsesRequest(original));
          expect(chat.notes).toEqual([]);
          const back = chatRequestToResponses(parseOpenAIChatRequest(chat.value));
          expect(back.notes).toEqual([]);
          expect(back.value).toEqual(original);
        },
      ),
    );
  });
});

describe('Chat -> Responses -> Chat (answers)', () => {
  it('keeps text, reasoning with its signature, tool calls, finish and usage', () => {
    fc.assert(
      fc.property(
        fc.option(text, { nil: null }),
        fc.option(fc.record({ text, signature: name }), { nil: null }),
        fc.array(fc.record({ name, args }), { maxLength: 3 }),
        fc.constantFrom('stop', 'length'),
        fc.record({
          prompt: fc.nat(1000),
          completion: fc.nat(1000),
          cached: fc.nat(10),
          reasoning: fc.nat(10),
        }),
        (answer, reasoning, calls, finish, u) => {
          const message: Item = {
            role: 'assistant',
            content: answer ?? (calls.length > 0 ? null : ''),
            refusal: null,
          };
          if (reasoning !== null) {
            message.reasoning_content = reasoning.text;
            message.reasoning_signature = reasoning.signature;
          }
          if (calls.length > 0) {
            message.tool_calls = calls.map((c, j) => ({
              id: `call_${j}`,
              type: 'function',
              function: { name: c.name, arguments: c.args },
            }));
          }
          const chat = {
            id: 'chatcmpl-rt',
            object: 'chat.completion',
            created: 7,
            model: 'm',
            choices: [
              {
                index: 0,
                message,
                finish_reason: finish === 'stop' && calls.length > 0 ? 'tool_calls' : finish,
                logprobs: null,
              },
            ],
            usage: {
              prompt_tokens: u.prompt + u.cached,
              completion_tokens: u.completion + u.reasoning,
              total_tokens: u.prompt + u.cached + u.completion + u.reasoning,
              prompt_tokens_details: { cached_tokens: u.cached },
              completion_tokens_details: { reasoning_tokens: u.reasoning },
            },
          };
          const request = parseOpenAIResponsesRequest({
            model: 'm',
            input: 'x',
            include: ['reasoning.encrypted_content'],
          });
          const back = responsesResponseToChat(chatResponseToResponses(chat, request));
          expect(back).toEqual(parseOpenAIChatResponse(chat));
        },
      ),
    );
  });
});
