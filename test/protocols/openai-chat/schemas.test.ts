import { describe, expect, it } from 'vitest';
import { LlmFailoverError } from '../../../src/errors/index.js';
import {
  isOpenAIErrorBody,
  openAIErrorBody,
  parseOpenAIChatRequest,
  parseOpenAIChatResponse,
} from '../../../src/protocols/index.js';

function parseError(body: unknown): LlmFailoverError {
  try {
    parseOpenAIChatRequest(body);
  } catch (err) {
    if (err instanceof LlmFailoverError) return err;
    throw err;
  }
  throw new Error('expected the request to be rejected');
}

const valid = {
  model: 'gpt-4o',
  messages: [
    { role: 'system', content: 'sys' },
    { role: 'user', content: [{ type: 'text', text: 'hi', cache_control: { type: 'ephemeral' } }] },
  ],
};

describe('parseOpenAIChatRequest', () => {
  it('keeps every unknown field, at every level, unchanged', () => {
    const body = {
      ...valid,
      seed: 42,
      metadata: { team: 'a', nested: { deep: [1, 2] } },
      response_format: { type: 'json_schema', json_schema: { name: 's', schema: {} } },
      frequency_penalty: 0.2,
      vendor_extension: { anything: true },
      messages: [
        { role: 'developer', content: 'dev', name: 'ops', x_trace: 'abc' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'hi', cache_control: { type: 'ephemeral' } },
            {
              type: 'image_url',
              image_url: { url: 'https://e.com/a.png', detail: 'low', extra: 1 },
            },
            { type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } },
            { type: 'file', file: { file_id: 'f1' } },
          ],
        },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'c1', type: 'function', function: { name: 'f', arguments: '{}', x: 1 }, y: 2 },
          ],
          audio: { id: 'a1' },
        },
        { role: 'tool', tool_call_id: 'c1', content: 'r', is_error: true },
      ],
      tools: [
        { type: 'function', function: { name: 'f', parameters: { type: 'object' }, strict: true } },
      ],
    };
    const parsed = parseOpenAIChatRequest(structuredClone(body));
    expect(parsed).toStrictEqual(body);
  });

  it('accepts null for optional fields, as some clients send them', () => {
    const parsed = parseOpenAIChatRequest({
      ...valid,
      max_tokens: null,
      temperature: null,
      stop: null,
      stream: null,
      stream_options: null,
      tools: null,
      tool_choice: null,
      user: null,
    });
    expect(parsed.temperature).toBeNull();
  });

  it('keeps a role and a tool_choice it does not know (the upstream or translator judges them)', () => {
    const body = {
      ...valid,
      messages: [valid.messages[0], { role: 'bot', content: 'x' }],
      tool_choice: 'sometimes',
    };
    expect(parseOpenAIChatRequest(structuredClone(body))).toStrictEqual(body);
  });

  it('names the path of a role that is not a string', () => {
    const err = parseError({
      ...valid,
      messages: [valid.messages[0], { role: null, content: 'x' }],
    });
    expect(err).toMatchObject({ code: 'INVALID_REQUEST', status: 400, path: 'messages.1.role' });
    expect(err.message).toContain('messages.1.role: expected string, got null');
  });

  it('names the path of a content of the wrong type', () => {
    const err = parseError({ ...valid, messages: [{ role: 'user', content: 5 }] });
    expect(err.path).toBe('messages.0.content');
    expect(err.message).toContain('messages.0.content: expected string|array, got number');
  });

  it('names the path inside a known part type with a bad field', () => {
    const err = parseError({
      ...valid,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'a' },
            { type: 'text', text: 7 },
          ],
        },
      ],
    });
    expect(err.path).toBe('messages.0.content.1.text');
    expect(err.message).toContain('expected string, got number');
  });

  it('names a missing required field', () => {
    const err = parseError({ messages: [] });
    expect(err.path).toBe('model');
    expect(err.message).toContain('model: required');
  });

  it('names tool call arguments that are not a string', () => {
    const err = parseError({
      ...valid,
      messages: [
        {
          role: 'assistant',
          tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: { a: 1 } } }],
        },
      ],
    });
    expect(err.path).toBe('messages.0.tool_calls.0.function.arguments');
  });

  it('explains a union that matched no shape, and goes inside the one it was meant to be', () => {
    expect(parseError({ ...valid, tool_choice: 5 }).message).toContain(
      'tool_choice: expected string|object, got number',
    );
    expect(parseError({ ...valid, tool_choice: { function: { name: 'f' } } }).path).toBe(
      'tool_choice.type',
    );
    expect(parseError({ ...valid, stop: ['a', 3] }).path).toBe('stop.1');
    const noType = parseError({ ...valid, messages: [{ role: 'user', content: [{ text: 'x' }] }] });
    expect(noType.path).toBe('messages.0.content.0.type');
  });

  it('rejects a body that is not an object', () => {
    for (const body of ['text', null, [1]]) {
      expect(parseError(body)).toMatchObject({ code: 'INVALID_REQUEST', path: '' });
    }
  });

  it('keeps every message of large requests parsed in bulk (1,000 x 50 messages)', () => {
    const big = {
      ...valid,
      messages: Array.from({ length: 50 }, (_, i) => ({
        role: i % 2 === 0 ? 'user' : 'assistant',
        content: `message ${i}`,
      })),
    };
    let count = 0;
    for (let i = 0; i < 1_000; i++) count += parseOpenAIChatRequest(big).messages.length;
    expect(count).toBe(50_000);
  });
});

describe('parseOpenAIChatResponse', () => {
  it('accepts a local server answer without object/created/usage and keeps its extra fields', () => {
    const body = {
      id: 'chatcmpl-1',
      model: 'llama',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'hi' },
          finish_reason: 'stop',
          stop_reason: null,
        },
      ],
      timings: { predicted_ms: 12 },
    };
    expect(parseOpenAIChatResponse(body)).toStrictEqual(body);
  });

  it('reports a malformed upstream answer as a 502 UPSTREAM_SERVER naming the path', () => {
    let thrown: unknown;
    try {
      parseOpenAIChatResponse({
        id: 'x',
        choices: [{ index: 0, message: { role: 'assistant', content: 3 }, finish_reason: 'stop' }],
      });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toMatchObject({
      code: 'UPSTREAM_SERVER',
      status: 502,
      path: 'choices.0.message.content',
    });
  });
});

describe('OpenAI error bodies', () => {
  it('builds {error:{message,type,param,code}} with null defaults', () => {
    expect(openAIErrorBody('rate_limit_error', 'slow down')).toEqual({
      error: { message: 'slow down', type: 'rate_limit_error', param: null, code: null },
    });
    expect(
      openAIErrorBody('invalid_request_error', 'bad', 'INVALID_REQUEST', 'messages.1.role').error,
    ).toMatchObject({
      code: 'INVALID_REQUEST',
      param: 'messages.1.role',
    });
  });

  it('recognises OpenAI error bodies, including servers that omit type or use numeric codes', () => {
    expect(
      isOpenAIErrorBody({ error: { message: 'x', type: 'server_error', param: null, code: null } }),
    ).toBe(true);
    expect(isOpenAIErrorBody({ error: { message: 'x', code: 500 } })).toBe(true);
    expect(isOpenAIErrorBody({ type: 'error', error: { type: 'api_error' } })).toBe(false);
    expect(isOpenAIErrorBody('oops')).toBe(false);
  });
});
