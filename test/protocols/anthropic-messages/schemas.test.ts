import { describe, expect, it } from 'vitest';
import { LlmFailoverError } from '../../../src/errors/index.js';
import {
  anthropicErrorBody,
  isAnthropicErrorBody,
  parseAnthropicMessage,
  parseAnthropicMessagesRequest,
} from '../../../src/protocols/index.js';

function parseError(body: unknown): LlmFailoverError {
  try {
    parseAnthropicMessagesRequest(body);
  } catch (err) {
    if (err instanceof LlmFailoverError) return err;
    throw err;
  }
  throw new Error('expected the request to be rejected');
}

const valid = { model: 'claude', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] };

describe('parseAnthropicMessagesRequest', () => {
  it('keeps unknown fields unchanged: cache_control on blocks, metadata, betas, unknown block types', () => {
    const body = {
      ...valid,
      system: [{ type: 'text', text: 'rules', cache_control: { type: 'ephemeral', ttl: '1h' } }],
      metadata: { user_id: 'u1', extra: 'kept' },
      service_tier: 'auto',
      container: 'c1',
      thinking: { type: 'enabled', budget_tokens: 2048 },
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'doc', cache_control: { type: 'ephemeral' }, citations: null },
            {
              type: 'image',
              source: { type: 'base64', media_type: 'image/png', data: 'AAAA' },
              cache_control: { type: 'ephemeral' },
            },
            { type: 'image', source: { type: 'file', file_id: 'file_1' } },
            {
              type: 'document',
              source: { type: 'text', media_type: 'text/plain', data: 'x' },
              title: 't',
            },
            { type: 'search_result', source: 's', title: 't', content: [] },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'hmm', signature: 'sig' },
            { type: 'redacted_thinking', data: 'xx' },
            { type: 'server_tool_use', id: 'srv', name: 'web_search', input: { q: 'x' } },
            {
              type: 'tool_use',
              id: 't1',
              name: 'f',
              input: { a: [1] },
              cache_control: { type: 'ephemeral' },
            },
          ],
        },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: 't1',
              content: [{ type: 'text', text: 'r' }],
              is_error: false,
              cache_control: { type: 'ephemeral' },
            },
          ],
        },
      ],
      tools: [
        { name: 'f', input_schema: { type: 'object' }, cache_control: { type: 'ephemeral' } },
        { type: 'web_search_20250305', name: 'web_search', max_uses: 3 },
      ],
      tool_choice: { type: 'auto', disable_parallel_tool_use: true },
    };
    expect(parseAnthropicMessagesRequest(structuredClone(body))).toStrictEqual(body);
  });

  it('names the path of a role Anthropic does not have', () => {
    const err = parseError({ ...valid, messages: [{ role: 'system', content: 'x' }] });
    expect(err).toMatchObject({ code: 'INVALID_REQUEST', status: 400, path: 'messages.0.role' });
    expect(err.message).toContain('messages.0.role: expected one of user|assistant');
  });

  it('requires max_tokens, as Anthropic does', () => {
    const { max_tokens: _omit, ...rest } = valid;
    expect(parseError(rest).message).toContain('max_tokens: required (expected number)');
  });

  it('names the path of a bad field inside a known block', () => {
    const err = parseError({
      ...valid,
      messages: [
        {
          role: 'assistant',
          content: [{ type: 'tool_use', id: 't', name: 'f', input: 'not an object' }],
        },
      ],
    });
    expect(err.path).toBe('messages.0.content.0.input');
  });

  it('names the path inside an image source', () => {
    const err = parseError({
      ...valid,
      messages: [
        { role: 'user', content: [{ type: 'image', source: { type: 'base64', data: 'AAAA' } }] },
      ],
    });
    expect(err.path).toBe('messages.0.content.0.source.media_type');
  });

  it('names a bad tool_choice type with the allowed values', () => {
    const err = parseError({ ...valid, tool_choice: { type: 'required' } });
    expect(err.message).toContain('tool_choice.type: expected one of auto|any|tool|none');
  });
});

describe('parseAnthropicMessage', () => {
  it('accepts a message with null cache counters and keeps extra fields', () => {
    const body = {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude',
      content: [{ type: 'text', text: 'hi', citations: null }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: {
        input_tokens: 1,
        output_tokens: 2,
        cache_read_input_tokens: null,
        cache_creation_input_tokens: null,
        service_tier: 'standard',
      },
      container: null,
    };
    expect(parseAnthropicMessage(body)).toStrictEqual(body);
  });

  it('reports a malformed upstream message as a 502 naming the path', () => {
    let thrown: unknown;
    try {
      parseAnthropicMessage({
        id: 'm',
        type: 'message',
        role: 'assistant',
        model: 'c',
        content: [],
        stop_reason: null,
      });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toMatchObject({ code: 'UPSTREAM_SERVER', status: 502, path: 'usage' });
  });
});

describe('Anthropic error bodies', () => {
  it('builds {type:"error", error:{type, message}}', () => {
    expect(anthropicErrorBody('overloaded_error', 'Overloaded')).toEqual({
      type: 'error',
      error: { type: 'overloaded_error', message: 'Overloaded' },
    });
  });

  it('recognises Anthropic error bodies only', () => {
    expect(
      isAnthropicErrorBody({
        type: 'error',
        error: { type: 'api_error', message: 'x' },
        request_id: 'r',
      }),
    ).toBe(true);
    expect(isAnthropicErrorBody({ error: { message: 'x', type: 'server_error' } })).toBe(false);
  });
});
