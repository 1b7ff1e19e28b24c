import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  anthropicMessageSchema,
  parseAnthropicMessagesRequest,
  parseOpenAIChatRequest,
} from '../../src/protocols/index.js';
import type {
  AnthropicInputMessage,
  AnthropicMessage,
  OpenAIMessage,
} from '../../src/protocols/index.js';
import {
  anthropicRequestToOpenAI,
  anthropicResponseToOpenAI,
  openAIRequestToAnthropic,
  openAIResponseToAnthropic,
} from '../../src/translate/index.js';

// Any text, including non-ASCII graphemes and JSON-looking strings: translation must never alter it.
// Not blank: Anthropic has no blank text block (the translator skips them; see the fixtures).
const text = fc
  .oneof(fc.string({ minLength: 1 }), fc.string({ unit: 'grapheme', minLength: 1 }))
  .filter((t) => t.trim() !== '');
const idSuffix = fc.stringMatching(/^[A-Za-z0-9_-]{1,10}$/);
const toolName = fc.stringMatching(/^[a-z][a-z0-9_]{0,15}$/);
// Arguments as they exist on the wire: JSON has no -0, so a JSON round trip normalises them first.
const args = fc
  .dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 })
  .map((a) => JSON.parse(JSON.stringify(a)) as Record<string, unknown>);
const image = fc.oneof(
  fc.base64String({ minLength: 4, maxLength: 40 }).map((b) => `data:image/png;base64,${b}`),
  idSuffix.map((p) => `https://example.com/${p}.jpg`),
);
const userContent = fc.oneof(
  text,
  fc.array(
    fc.oneof(
      text.map((t) => ({ type: 'text', text: t })),
      image.map((url) => ({ type: 'image_url', image_url: { url } })),
    ),
    { minLength: 1, maxLength: 3 },
  ),
);

interface Exchange {
  user: unknown;
  assistantText: string | null;
  calls: {
    suffix: string;
    name: string;
    args: Record<string, unknown>;
    result: string;
    isError: boolean;
  }[];
}

const exchange: fc.Arbitrary<Exchange> = fc.record({
  user: fc.option(userContent, { nil: undefined }),
  assistantText: fc.option(text, { nil: null }),
  calls: fc.array(
    fc.record({
      suffix: idSuffix,
      name: toolName,
      args,
      result: fc.string(),
      isError: fc.boolean(),
    }),
    { maxLength: 3 },
  ),
});

/** A well-formed OpenAI conversation: optional leading system prompt, then exchanges that never put two assistant turns in a row. */
function buildMessages(
  system: string | null,
  exchanges: Exchange[],
  finalUser: unknown,
): unknown[] {
  const messages: unknown[] = system === null ? [] : [{ role: 'system', content: system }];
  let previousHadTools = false;
  let counter = 0;
  for (const ex of exchanges) {
    // After an assistant turn without tool calls (or at the start) a user turn is required.
    if (ex.user !== undefined || !previousHadTools)
      messages.push({ role: 'user', content: ex.user ?? 'go on' });
    const calls = ex.calls.map((c) => ({ ...c, id: `call_${counter++}_${c.suffix}` }));
    const content = ex.assistantText ?? (calls.length > 0 ? null : 'ok');
    const assistant: Record<string, unknown> = { role: 'assistant', content };
    if (calls.length > 0) {
      assistant.tool_calls = calls.map((c) => ({
        id: c.id,
        type: 'function',
        function: { name: c.name, arguments: JSON.stringify(c.args) },
      }));
    }
    messages.push(assistant);
    for (const c of calls) {
      messages.push({
        role: 'tool',
        tool_call_id: c.id,
        content: c.result,
        ...(c.isError ? { is_error: true } : {}),
      });
    }
    previousHadTools = calls.length > 0;
  }
  messages.push({ role: 'user', content: finalUser });
  return messages;
}

/** What a conversation means, independent of string-vs-parts shape. */
function meaning(messages: readonly OpenAIMessage[]) {
  return messages.map((m) => {
    const parts =
      typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : (m.content ?? []);
    return {
      role: m.role,
      text: parts.map((p) => (p.type === 'text' ? (p.text as string) : '')).join(''),
      images: parts
        .filter((p) => p.type === 'image_url')
        .map((p) => (p.image_url as { url: string }).url),
      toolCalls: (m.tool_calls ?? []).map((c) => ({
        id: c.id,
        name: c.function.name,
        args: JSON.parse(c.function.arguments) as unknown,
      })),
      toolCallId: m.tool_call_id,
      isError: m.is_error === true,
    };
  });
}

describe('OpenAI -> Anthropic -> OpenAI request round trip (property)', () => {
  it('keeps messages, roles, text, images, tool calls and tool results', () => {
    fc.assert(
      fc.property(
        fc.option(text, { nil: null }),
        fc.array(exchange, { maxLength: 4 }),
        userContent,
        (system, exchanges, finalUser) => {
          const original = parseOpenAIChatRequest({
            model: 'm',
            messages: buildMessages(system, exchanges, finalUser),
          });
          const anthropic = openAIRequestToAnthropic(original).value;
          // Valid for the Anthropic schema, strictly alternating, starting with the user.
          parseAnthropicMessagesRequest(anthropic);
          anthropic.messages.forEach((m, i) =>
            expect(m.role).toBe(i % 2 === 0 ? 'user' : 'assistant'),
          );
          expect(anthropic.system).toBe(system ?? undefined);

          const back = anthropicRequestToOpenAI(anthropic).value;
          expect(meaning(back.messages)).toEqual(meaning(original.messages));
        },
      ),
      { numRuns: 200 },
    );
  });
});

const stopFor = (hasTools: boolean) =>
  hasTools
    ? fc.constantFrom('tool_use', 'max_tokens')
    : fc.constantFrom('end_turn', 'max_tokens', 'refusal', 'stop_sequence');

const anthropicResponse: fc.Arbitrary<AnthropicMessage> = fc
  .record({
    id: idSuffix.map((s) => `msg_${s}`),
    thinking: fc.option(fc.record({ thinking: text, signature: idSuffix }), { nil: undefined }),
    text: fc.option(text, { nil: undefined }),
    tools: fc.array(
      fc.record({ id: idSuffix.map((s) => `toolu_${s}`), name: toolName, input: args }),
      { maxLength: 3 },
    ),
    usage: fc.record({ input_tokens: fc.nat(10_000), output_tokens: fc.nat(10_000) }),
    cacheRead: fc.nat(5_000),
    stopSequence: text,
  })
  .chain((r) => stopFor(r.tools.length > 0).map((stop) => ({ ...r, stop })))
  .map((r) =>
    anthropicMessageSchema().parse({
      id: r.id,
      type: 'message',
      role: 'assistant',
      model: 'claude-x',
      content: [
        ...(r.thinking ? [{ type: 'thinking', ...r.thinking }] : []),
        ...(r.text !== undefined ? [{ type: 'text', text: r.text }] : []),
        ...r.tools.map((t) => ({ type: 'tool_use', ...t })),
      ],
      stop_reason: r.stop,
      stop_sequence: r.stop === 'stop_sequence' ? r.stopSequence : null,
      usage: { ...r.usage, ...(r.cacheRead > 0 ? { cache_read_input_tokens: r.cacheRead } : {}) },
    }),
  );

describe('Anthropic -> OpenAI -> Anthropic response round trip (property)', () => {
  it('gives back the same message: blocks, ids, stop reason and sequence, token counts', () => {
    fc.assert(
      fc.property(anthropicResponse, (message) => {
        const back = openAIResponseToAnthropic(anthropicResponseToOpenAI(message));
        expect(back).toEqual(message);
      }),
      { numRuns: 200 },
    );
  });
});

const anthropicImage = fc.oneof(
  fc
    .base64String({ minLength: 4, maxLength: 40 })
    .map((data) => ({ type: 'base64', media_type: 'image/webp', data })),
  idSuffix.map((p) => ({ type: 'url', url: `https://example.com/${p}.png` })),
);
const userBlocks = fc.array(
  fc.oneof(
    text.map((t) => ({ type: 'text', text: t })),
    anthropicImage.map((source) => ({ type: 'image', source })),
  ),
  { minLength: 1, maxLength: 3 },
);

interface AnthropicTurnPair {
  user: string | unknown[];
  thinking?: { thinking: string; signature: string } | undefined;
  text?: string | undefined;
  tools: {
    suffix: string;
    name: string;
    input: Record<string, unknown>;
    result: string | unknown[];
    isError: boolean;
  }[];
}

const turnPair: fc.Arbitrary<AnthropicTurnPair> = fc.record({
  user: fc.oneof(text, userBlocks),
  thinking: fc.option(fc.record({ thinking: text, signature: idSuffix }), { nil: undefined }),
  text: fc.option(text, { nil: undefined }),
  tools: fc.array(
    fc.record({
      suffix: idSuffix,
      name: toolName,
      input: args,
      result: fc.oneof(
        fc.string(),
        fc.array(
          text.map((t) => ({ type: 'text', text: t })),
          { minLength: 1, maxLength: 2 },
        ),
      ),
      isError: fc.boolean(),
    }),
    { maxLength: 3 },
  ),
});

/** Alternating Anthropic turns; tool results open the next user turn, before its own content. */
function buildAnthropicMessages(pairs: AnthropicTurnPair[]): unknown[] {
  const messages: unknown[] = [];
  let pendingResults: unknown[] = [];
  pairs.forEach((pair, i) => {
    const own = typeof pair.user === 'string' ? [{ type: 'text', text: pair.user }] : pair.user;
    messages.push({
      role: 'user',
      content: pendingResults.length > 0 ? [...pendingResults, ...own] : pair.user,
    });
    const tools = pair.tools.map((t, k) => ({ ...t, id: `toolu_${i}_${k}_${t.suffix}` }));
    const content = [
      ...(pair.thinking ? [{ type: 'thinking', ...pair.thinking }] : []),
      ...(pair.text !== undefined ? [{ type: 'text', text: pair.text }] : []),
      ...tools.map((t) => ({ type: 'tool_use', id: t.id, name: t.name, input: t.input })),
    ];
    messages.push({ role: 'assistant', content: content.length > 0 ? content : 'ok' });
    pendingResults = tools.map((t) => ({
      type: 'tool_result',
      tool_use_id: t.id,
      content: t.result,
      ...(t.isError ? { is_error: true } : {}),
    }));
  });
  messages.push({ role: 'user', content: [...pendingResults, { type: 'text', text: 'done' }] });
  return messages;
}

/** Assistant string content and a lone text block mean the same thing. */
const blocksOf = (m: AnthropicInputMessage) =>
  typeof m.content === 'string' && m.role === 'assistant'
    ? [{ type: 'text', text: m.content }]
    : m.content;

describe('Anthropic -> OpenAI -> Anthropic request round trip (property)', () => {
  it('keeps turns, blocks, tool ids, inputs, results and error flags', () => {
    fc.assert(
      fc.property(
        fc.option(text, { nil: undefined }),
        fc.array(turnPair, { maxLength: 4 }),
        (system, pairs) => {
          const original = parseAnthropicMessagesRequest({
            model: 'claude',
            max_tokens: 256,
            ...(system !== undefined ? { system } : {}),
            messages: buildAnthropicMessages(pairs),
          });
          const openai = anthropicRequestToOpenAI(original).value;
          parseOpenAIChatRequest(openai);
          const back = openAIRequestToAnthropic(openai).value;
          expect(back.system).toBe(system);
          expect(back.max_tokens).toBe(256);
          expect(back.messages.map(blocksOf)).toEqual(original.messages.map(blocksOf));
        },
      ),
      { numRuns: 200 },
    );
  });
});
