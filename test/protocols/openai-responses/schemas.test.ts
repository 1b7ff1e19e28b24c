import { describe, expect, it } from 'vitest';
import type { ResponseCreateParamsNonStreaming } from 'openai/resources/responses/responses';
import {
  openAIResponsesStreamEventSchema,
  parseOpenAIResponsesRequest,
  parseOpenAIResponsesResponse,
  parseRoutingFields,
} from '../../../src/protocols/index.js';
import { codexRequest, sdkResponse, sdkTranscript } from './fixtures.js';

/** The error a parse throws (fails the test when it does not throw). */
function failure(parse: () => unknown): Record<string, unknown> {
  try {
    parse();
  } catch (err) {
    return err as Record<string, unknown>;
  }
  throw new Error('expected the parse to fail');
}

const clone = <T>(value: T): T => structuredClone(value);

describe('Responses request schema', () => {
  it("accepts Codex's request and keeps every field, item id and tool it does not read", () => {
    const parsed = parseOpenAIResponsesRequest(clone(codexRequest));
    expect(parsed).toEqual(codexRequest);
    expect(parsed.client_metadata).toEqual({ originator: 'codex_cli_rs' });
    expect(parsed.prompt_cache_key).toBe(codexRequest.prompt_cache_key);
    expect(parsed.input?.[0]).toMatchObject({ id: 'msg_dev_1', role: 'developer' });
    expect(parsed.tools?.map((t) => t.type)).toEqual(['function', 'namespace', 'web_search']);
  });

  it('accepts a string input and untyped messages (the SDK easy form)', () => {
    const simple: ResponseCreateParamsNonStreaming = { model: 'm', input: 'hi', store: true };
    expect(parseOpenAIResponsesRequest(simple)).toEqual(simple);
    const easy: ResponseCreateParamsNonStreaming = {
      model: 'm',
      instructions: 'be brief',
      input: [
        { role: 'system', content: 'rules' },
        { role: 'user', content: [{ type: 'input_image', image_url: 'data:x', detail: 'auto' }] },
      ],
      previous_response_id: 'resp_1',
    };
    expect(parseOpenAIResponsesRequest(easy)).toEqual(easy);
  });

  it('keeps item, part and tool types it does not know, as sent', () => {
    const body = {
      model: 'm',
      input: [
        { type: 'local_shell_call', id: 'x', action: { command: ['ls'] } },
        { role: 'user', content: [{ type: 'input_file', file_id: 'f1' }] },
        { type: 'item_reference', id: 'msg_9' },
      ],
      tools: [{ type: 'file_search', vector_store_ids: ['vs'] }],
      text: { format: { type: 'json_schema', name: 'x', schema: {} }, verbosity: 'low' },
    };
    expect(parseOpenAIResponsesRequest(clone(body))).toEqual(body);
  });

  it('keeps custom tools and custom_tool_call items as sent, malformed ones too (translators check them)', () => {
    const body = {
      model: 'm',
      input: [
        { type: 'custom_tool_call', call_id: 'c1', name: 'apply_patch', input: '*** Begin Patch' },
        { type: 'custom_tool_call_output', call_id: 'c1', output: 'Done' },
        { type: 'custom_tool_call', call_id: 7, input: { not: 'a string' } },
      ],
      tools: [{ type: 'custom', name: 'apply_patch', format: { type: 'grammar', syntax: 'lark' } }],
    };
    expect(parseOpenAIResponsesRequest(clone(body))).toEqual(body);
  });

  it.each([
    [{ input: 'hi' }, 'model', 'required (expected string)'],
    [{ model: 5, input: 'hi' }, 'model', 'expected string, got number'],
    [{ model: 'm', input: [{ type: 5 }] }, 'input.0.type', 'expected string, got number'],
    [
      { model: 'm', input: [{ role: 'user', content: 'a' }, { type: 'function_call' }] },
      'input.1.call_id',
      'required',
    ],
    [{ model: 'm', input: [{ content: 'no role' }] }, 'input.0.role', 'required'],
    [{ model: 'm', input: 7 }, 'input', 'expected string|array'],
    [{ model: 'm', tools: [{ type: 'function' }] }, 'tools.0.name', 'required'],
    [{ model: 'm', tools: [{ name: 'f' }] }, 'tools.0.type', 'required (expected string)'],
    [{ model: 'm', previous_response_id: 3 }, 'previous_response_id', 'expected string'],
    [{ model: 'm', store: 'no' }, 'store', 'expected boolean'],
    [{ model: 'm', stream: 'yes' }, 'stream', 'expected boolean'],
  ])('refuses %j with a 400 naming %s', (body, path, problem) => {
    const err = failure(() => parseOpenAIResponsesRequest(body));
    expect(err).toMatchObject({ code: 'INVALID_REQUEST', status: 400, path });
    const message = String(err.message);
    expect(message.startsWith(`invalid OpenAI Responses request: ${path}: `)).toBe(true);
    expect(message).toContain(problem);
  });

  it('reads the routing fields of a Responses request, previous_response_id and store included', () => {
    const fields = parseRoutingFields('openai-responses', {
      model: 'm',
      stream: true,
      previous_response_id: 'resp_1',
      store: false,
      input: [{ type: 'unchecked here' }],
    });
    expect(fields).toMatchObject({ model: 'm', stream: true, previous_response_id: 'resp_1' });
    expect(fields.store).toBe(false);
    const err = failure(() => parseRoutingFields('openai-responses', { model: '' }));
    expect(err.message).toMatch(/^invalid OpenAI Responses request: model: /);
    const id = failure(() =>
      parseRoutingFields('openai-responses', { model: 'm', previous_response_id: 1 }),
    );
    expect(id).toMatchObject({ status: 400, path: 'previous_response_id' });
  });
});

describe('Responses response and stream schemas', () => {
  it('accepts an API response (message, function call, usage) and keeps unknown fields', () => {
    const { output_text: _sdkOnly, ...wire } = sdkResponse({
      output: sdkTranscript().flatMap((e) =>
        e.type === 'response.output_item.done' ? [e.item] : [],
      ),
    });
    const parsed = parseOpenAIResponsesResponse(clone({ ...wire, service_tier: 'default' }));
    expect(parsed.output.map((item) => item.type)).toEqual(['message', 'function_call']);
    expect(parsed.usage?.input_tokens_details?.cached_tokens).toBe(4);
    expect(parsed.service_tier).toBe('default');
  });

  it('refuses an upstream response without output as a 502 naming the field', () => {
    const err = failure(() => parseOpenAIResponsesResponse({ id: 'resp_1', status: 'completed' }));
    expect(err).toMatchObject({ code: 'UPSTREAM_SERVER', status: 502, path: 'output' });
  });

  it('accepts every event of an API stream as it came, and event types it does not know', () => {
    for (const event of sdkTranscript()) {
      const result = openAIResponsesStreamEventSchema().safeParse(clone(event));
      expect(result.success ? result.data : result.error.issues).toEqual(event);
    }
    const unknown = {
      type: 'response.web_search_call.searching',
      item_id: 'ws',
      sequence_number: 3,
    };
    expect(openAIResponsesStreamEventSchema().parse(clone(unknown))).toEqual(unknown);
  });

  it('accepts the error event in its documented flat form and its nested form', () => {
    const flat = {
      type: 'error',
      code: 'server_error',
      message: 'boom',
      param: null,
      sequence_number: 2,
    };
    const nested = {
      type: 'error',
      sequence_number: 2,
      error: { type: 'too_many_requests', code: 'too_many_requests', message: 'slow', param: null },
    };
    expect(openAIResponsesStreamEventSchema().parse(clone(flat))).toEqual(flat);
    expect(openAIResponsesStreamEventSchema().parse(clone(nested))).toEqual(nested);
  });
});
