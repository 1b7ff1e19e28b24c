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

  it('keeps a role: "system" message and roles it does not know (the upstream judges them)', () => {
    const body = {
      ...valid,
      messages: [
        { role: 'user', content: 'a' },
        {
          role: 'system',
          content: [{ type: 'text', text: 'x', cache_control: { type: 'ephemeral' } }],
        },
        { role: 'observer', content: 'y' },
      ],
    };
    expect(parseAnthropicMessagesRequest(structuredClone(body))).toStrictEqual(body);
  });

  it('accepts a request without max_tokens (a translator does without; Anthropic judges its own)', () => {
    const { max_tokens: _omit, ...rest } = valid;
    expect(parseAnthropicMessagesRequest(rest)).toStrictEqual(rest);
  });

  it('still names the path of a role that is not a string', () => {
    const err = parseError({ ...valid, messages: [{ role: 3, content: 'x' }] });
    expect(err).toMatchObject({ code: 'INVALID_REQUEST', status: 400, path: 'messages.0.role' });
    expect(err.message).toContain('messages.0.role: expected string, got number');
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

  it('keeps a tool_choice type, tool and thinking kind it does not know', () => {
    const body = {
      ...valid,
      tool_choice: { type: 'future_choice' },
      tools: [{ type: 'mcp_toolset', mcp_server_name: 'x' }],
      thinking: { type: 'adaptive' },
      context_management: { edits: [{ type: 'clear_tool_uses_20250919' }] },
      output_config: { effort: 'high' },
    };
    expect(parseAnthropicMessagesRequest(structuredClone(body))).toStrictEqual(body);
  });

  it('names a tool_choice that is not an object', () => {
    const err = parseError({ ...valid, tool_choice: 'auto' });
    expect(err.path).toBe('tool_choice');
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
      parseAnthropicMessage({ id: 'm', model: 'c', content: 'not blocks', stop_reason: null });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toMatchObject({ code: 'UPSTREAM_SERVER', status: 502, path: 'content' });
  });

  it('accepts a compatible server message without usage, type or role (not read)', () => {
    const body = { id: 'm', model: 'c', content: [{ type: 'text', text: 'hi' }] };
    expect(parseAnthropicMessage(structuredClone(body))).toStrictEqual(body);
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
