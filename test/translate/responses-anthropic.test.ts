import { describe, expect, it } from 'vitest';
import {
  anthropicMessageSchema,
  parseAnthropicMessagesRequest,
  parseOpenAIResponsesRequest,
} from '../../src/protocols/index.js';
import {
  anthropicRequestToResponses,
  responsesResponseToAnthropic,
} from '../../src/translate/index.js';

describe('Responses <-> Messages through the chat hub', () => {
  it('an Anthropic request becomes a Responses request: system, thinking with signature, tool round trip, notes of both steps', () => {
    const req = parseAnthropicMessagesRequest({
      model: 'm',
      max_tokens: 200,
      system: 'Be brief.',
      temperature: 0.5,
      messages: [
        { role: 'user', content: 'ls?' },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'Run ls.', signature: 'sig' },
            { type: 'tool_use', id: 'toolu_1', name: 'shell', input: { cmd: 'ls' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_1', content: 'a b', is_error: true },
          ],
        },
      ],
      tools: [{ name: 'shell', input_schema: { type: 'object', properties: {} } }],
      tool_choice: { type: 'any', disable_parallel_tool_use: true },
      stream: true,
      top_k: 5,
    });
    const { value, notes } = anthropicRequestToResponses(req);
    expect(value).toEqual({
      model: 'm',
      input: [
        { type: 'message', role: 'system', content: 'Be brief.' },
        { type: 'message', role: 'user', content: 'ls?' },
        {
          type: 'reasoning',
          summary: [{ type: 'summary_text', text: 'Run ls.' }],
          encrypted_content: 'sig',
        },
        { type: 'function_call', call_id: 'toolu_1', name: 'shell', arguments: '{"cmd":"ls"}' },
        { type: 'function_call_output', call_id: 'toolu_1', output: 'a b' },
      ],
      max_output_tokens: 200,
      temperature: 0.5,
      stream: true,
      tools: [
        {
          type: 'function',
          name: 'shell',
          parameters: { type: 'object', properties: {} },
          strict: false,
        },
      ],
      tool_choice: 'required',
      parallel_tool_calls: false,
      store: false,
    });
    expect(notes).toEqual([
      'dropped (no Responses equivalent): top_k',
      'is_error dropped from 1 tool result(s): Responses has no error flag',
    ]);
    parseOpenAIResponsesRequest(value);
  });

  it('a Responses answer becomes an Anthropic message: thinking with signature, text, namespaced tool_use, usage', () => {
    const message = responsesResponseToAnthropic({
      id: 'resp_9',
      object: 'response',
      created_at: 1,
      status: 'completed',
      model: 'gpt',
      output: [
        {
          id: 'rs_1',
          type: 'reasoning',
          summary: [{ type: 'summary_text', text: 'Hmm.' }],
          encrypted_content: 'enc',
        },
        {
          id: 'msg_1',
          type: 'message',
          role: 'assistant',
          status: 'completed',
          content: [{ type: 'output_text', text: 'Reading.', annotations: [] }],
        },
        {
          id: 'fc_1',
          type: 'function_call',
          call_id: 'call_1',
          namespace: 'mcp__fs__',
          name: 'read',
          arguments: '{"p":1}',
          status: 'completed',
        },
      ],
      usage: {
        input_tokens: 30,
        input_tokens_details: { cached_tokens: 10 },
        output_tokens: 4,
        output_tokens_details: { reasoning_tokens: 1 },
        total_tokens: 34,
      },
    });
    expect(message).toEqual({
      id: 'msg_chatcmpl-9',
      type: 'message',
      role: 'assistant',
      model: 'gpt',
      content: [
        { type: 'thinking', thinking: 'Hmm.', signature: 'enc' },
        { type: 'text', text: 'Reading.' },
        { type: 'tool_use', id: 'call_1', name: 'mcp__fs__read', input: { p: 1 } },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { input_tokens: 20, output_tokens: 4, cache_read_input_tokens: 10 },
    });
    expect(anthropicMessageSchema().safeParse(message).success).toBe(true);
  });

  it('an incomplete Responses answer is max_tokens; a failed one is the upstream’s error', () => {
    const base = { id: 'resp_x', object: 'response', created_at: 1, model: 'gpt' };
    const cut = responsesResponseToAnthropic({
      ...base,
      status: 'incomplete',
      incomplete_details: { reason: 'max_output_tokens' },
      output: [
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Once' }] },
      ],
    });
    expect(cut.stop_reason).toBe('max_tokens');
    expect(() =>
      responsesResponseToAnthropic({
        ...base,
        status: 'failed',
        error: { code: 'server_error', message: 'boom' },
        output: [],
      }),
    ).toThrow(expect.objectContaining({ code: 'UPSTREAM_SERVER', status: 502 }) as Error);
  });
});
