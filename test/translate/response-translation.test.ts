import { describe, expect, it } from 'vitest';
import { parseAnthropicMessage, parseOpenAIChatResponse } from '../../src/protocols/index.js';
import {
  anthropicResponseToOpenAI,
  openAIResponseToAnthropic,
  toAnthropicResponseId,
  toOpenAIResponseId,
} from '../../src/translate/index.js';

const anthropicMessage = (over: Record<string, unknown> = {}) =>
  parseAnthropicMessage({
    id: 'msg_01',
    type: 'message',
    role: 'assistant',
    model: 'claude',
    content: [{ type: 'text', text: 'hi' }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: 3, output_tokens: 4 },
    ...over,
  });

const openAIResponse = (message: Record<string, unknown>, over: Record<string, unknown> = {}) =>
  parseOpenAIChatResponse({
    id: 'chatcmpl-9',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: 'gpt',
    choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 5, completion_tokens: 6, total_tokens: 11 },
    ...over,
  });

describe('response ids', () => {
  it('keep the upstream id, prefixed for the other protocol, and survive a round trip', () => {
    expect(toOpenAIResponseId('msg_01')).toBe('chatcmpl-msg_01');
    expect(toAnthropicResponseId('chatcmpl-9')).toBe('msg_chatcmpl-9');
    for (const id of ['msg_01', 'msg_chatcmpl-9']) {
      expect(toAnthropicResponseId(toOpenAIResponseId(id))).toBe(id);
    }
    for (const id of ['chatcmpl-9', 'chatcmpl-msg_01'])
      expect(toOpenAIResponseId(toAnthropicResponseId(id))).toBe(id);
  });
});

describe('anthropicResponseToOpenAI', () => {
  it('joins text blocks exactly and uses the given created time', () => {
    const res = anthropicResponseToOpenAI(
      anthropicMessage({
        content: [
          { type: 'text', text: 'Hel' },
          { type: 'text', text: 'lo ' },
          { type: 'text', text: 'there' },
        ],
      }),
      { created: 1_700_000_123 },
    );
    expect(res.choices[0]?.message.content).toBe('Hello there');
    expect(res.created).toBe(1_700_000_123);
    expect(res.object).toBe('chat.completion');
  });

  it('gives content null when the assistant only called tools, as OpenAI does', () => {
    const res = anthropicResponseToOpenAI(
      anthropicMessage({
        content: [{ type: 'tool_use', id: 't', name: 'f', input: { a: 1 } }],
        stop_reason: 'tool_use',
      }),
    );
    expect(res.choices[0]?.message).toMatchObject({
      content: null,
      tool_calls: [{ id: 't', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }],
    });
    expect(res.choices[0]?.finish_reason).toBe('tool_calls');
  });
});

describe('openAIResponseToAnthropic', () => {
  it('reports missing usage as zero counts rather than failing', () => {
    const res = openAIResponseToAnthropic(openAIResponse({ content: 'x' }, { usage: undefined }));
    expect(res.usage).toEqual({ input_tokens: 0, output_tokens: 0 });
  });

  it('reads reasoning from the `reasoning` field that some servers use', () => {
    const res = openAIResponseToAnthropic(openAIResponse({ content: 'x', reasoning: 'because' }));
    expect(res.content[0]).toEqual({ type: 'thinking', thinking: 'because', signature: '' });
  });

  it('refuses an upstream answer without choices as a 502', () => {
    expect(() =>
      openAIResponseToAnthropic(openAIResponse({ content: 'x' }, { choices: [] })),
    ).toThrow(expect.objectContaining({ code: 'UPSTREAM_SERVER', status: 502, path: 'choices' }));
  });

  it('refuses upstream tool-call arguments that are not a JSON object as a 502 naming the path', () => {
    const res = openAIResponse(
      {
        content: null,
        tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{oops' } }],
      },
      {},
    );
    expect(() => openAIResponseToAnthropic(res)).toThrow(
      expect.objectContaining({
        code: 'UPSTREAM_SERVER',
        status: 502,
        path: 'choices.0.message.tool_calls.0.function.arguments',
      }),
    );
  });

  it('makes up a tool_use id when a local server sends a tool call without one', () => {
    const res = openAIResponseToAnthropic(
      openAIResponse({
        content: null,
        tool_calls: [{ type: 'function', function: { name: 'f', arguments: '{"a":1}' } }],
      }),
    );
    expect(res.content).toEqual([
      { type: 'tool_use', id: 'toolu_0_chatcmpl-9', name: 'f', input: { a: 1 } },
    ]);
    expect(res.stop_reason).toBe('tool_use');
  });

  it('says tool_use when a local server called tools but sent no finish_reason', () => {
    const res = openAIResponseToAnthropic(
      parseOpenAIChatResponse({
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: null,
              tool_calls: [{ id: 'c1', function: { name: 'f', arguments: '{}' } }],
            },
            finish_reason: null,
          },
        ],
      }),
    );
    expect(res.stop_reason).toBe('tool_use');
  });

  it('leaves out a blank text before tool calls (Anthropic refuses it when sent back)', () => {
    const res = openAIResponseToAnthropic(
      openAIResponse({
        content: '\n\n',
        tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }],
      }),
    );
    expect(res.content).toEqual([{ type: 'tool_use', id: 'c1', name: 'f', input: {} }]);
  });

  it('keeps an empty answer empty (no invented text block)', () => {
    const res = openAIResponseToAnthropic(openAIResponse({ content: '' }));
    expect(res.content).toEqual([]);
    expect(res.stop_reason).toBe('end_turn');
  });
});
