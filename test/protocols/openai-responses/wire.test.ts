import { describe, expect, it } from 'vitest';
import type { ResponseErrorEvent, ResponseStreamEvent } from 'openai/resources/responses/responses';
import {
  MALFORMED_EVENT,
  isContentEvent,
  openAIResponsesEventType,
  openAIResponsesInBandError,
  openAIResponsesWire as wire,
} from '../../../src/protocols/index.js';
import type { OpenAIResponsesStreamEvent } from '../../../src/protocols/index.js';
import { encodeSseEvent, parseSse } from '../../../src/sse/index.js';
import type { SseEvent } from '../../../src/sse/index.js';
import { sdkResponse, sdkTranscript } from './fixtures.js';

/** The wire form OpenAI sends: `event: <type>` and the JSON data. */
const named = (event: ResponseStreamEvent | Record<string, unknown>): SseEvent => ({
  event: String(event.type),
  data: JSON.stringify(event),
});

async function* from<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) yield await Promise.resolve(item);
}

async function drain<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const failed = {
  type: 'response.failed',
  sequence_number: 5,
  response: sdkResponse({ status: 'failed', error: { code: 'server_error', message: 'boom' } }),
} satisfies ResponseStreamEvent;

describe('Responses wire rules', () => {
  it('ends cleanly on response.completed and response.incomplete only (a length stop is an outcome)', () => {
    expect(wire.hasTerminal).toBe(true);
    expect(wire.terminalFrame).toBeUndefined();
    const terminals = sdkTranscript().filter((e) => wire.isTerminal(named(e)));
    expect(terminals.map((e) => e.type)).toEqual(['response.completed']);
    const incomplete = {
      type: 'response.incomplete',
      sequence_number: 9,
      response: sdkResponse({
        status: 'incomplete',
        incomplete_details: { reason: 'max_output_tokens' },
      }),
    } satisfies ResponseStreamEvent;
    expect(wire.isTerminal(named(incomplete))).toBe(true);
    expect(wire.isTerminal(named(failed))).toBe(false);
    expect(wire.isTerminal({ event: 'error', data: '{"type":"error","message":"x"}' })).toBe(false);
  });

  it('commits on output items, deltas, .done events and the terminal, not on the lifecycle', () => {
    const content = sdkTranscript().map((e) => [e.type, wire.isContent(named(e))] as const);
    expect(content).toEqual([
      ['response.created', false],
      ['response.in_progress', false],
      ['response.output_item.added', true],
      ['response.content_part.added', false],
      ['response.output_text.delta', true],
      ['response.output_text.delta', true],
      ['response.output_text.done', true],
      ['response.content_part.done', true],
      ['response.output_item.done', true],
      ['response.output_item.added', true],
      ['response.function_call_arguments.delta', true],
      ['response.function_call_arguments.delta', true],
      ['response.function_call_arguments.done', true],
      ['response.output_item.done', true],
      ['response.completed', true],
    ]);
    expect(wire.isContent(named(failed))).toBe(false);
    expect(wire.isContent({ event: 'error', data: '{"type":"error","message":"x"}' })).toBe(false);
    expect(wire.isContent(named({ type: 'response.queued', sequence_number: 0 }))).toBe(false);
    expect(isContentEvent('openai-responses', named({ type: 'response.refusal.delta' }))).toBe(
      true,
    );
  });

  it('has no keep-alive event', () => {
    expect(sdkTranscript().some((e) => wire.isKeepAlive(named(e)))).toBe(false);
  });

  it('reads the type from the event name, else from the data (data-only servers)', () => {
    const delta = sdkTranscript()[4] as ResponseStreamEvent;
    expect(openAIResponsesEventType(named(delta))).toBe('response.output_text.delta');
    expect(openAIResponsesEventType({ data: JSON.stringify(delta) })).toBe(
      'response.output_text.delta',
    );
    const typeLast = { item: { type: 'message' }, type: 'response.output_item.added' };
    expect(openAIResponsesEventType({ data: JSON.stringify(typeLast) })).toBe(
      'response.output_item.added',
    );
    expect(wire.isContent({ data: JSON.stringify(delta) })).toBe(true);
    expect(wire.isTerminal({ data: JSON.stringify(sdkTranscript().at(-1)) })).toBe(true);
    expect(openAIResponsesEventType({ data: '{"choices":[]}' })).toBeUndefined();
  });
});

describe('Responses in-band errors', () => {
  it('reports error and response.failed events, in both error-event forms, with their data', () => {
    const flat = {
      type: 'error',
      code: 'server_error',
      message: 'boom',
      param: null,
      sequence_number: 3,
    };
    const nested = {
      type: 'error',
      sequence_number: 2,
      error: {
        type: 'insufficient_quota',
        code: 'credit_balance_exhausted',
        message: 'no credits',
        param: null,
      },
    };
    expect(openAIResponsesInBandError(named(flat))).toEqual(flat);
    expect(openAIResponsesInBandError(named(nested))).toEqual(nested);
    expect(openAIResponsesInBandError(named(failed))).toEqual(failed);
    expect(openAIResponsesInBandError({ data: JSON.stringify(failed) })).toEqual(failed);
    expect(openAIResponsesInBandError({ event: 'error', data: 'not json' })).toEqual({
      error: { message: 'not json' },
    });
  });

  it('reports an untyped Chat-style {"error":...} and malformed data, and nothing else', () => {
    const chatStyle = { error: { message: 'overloaded', type: 'server_error' } };
    expect(openAIResponsesInBandError({ data: JSON.stringify(chatStyle) })).toEqual(chatStyle);
    for (const event of sdkTranscript()) {
      // response.* events carry `"error":null` inside their response: not an error.
      expect(openAIResponsesInBandError(named(event))).toBeUndefined();
    }
    const quoted = { type: 'response.output_text.delta', delta: '"error": {"message": 1}' };
    expect(openAIResponsesInBandError(named(quoted))).toBeUndefined();
    for (const data of ['garbage', '{"type":"response.output_text.delta",', '[1]', '']) {
      expect(openAIResponsesInBandError({ event: 'response.output_text.delta', data })).toBe(
        MALFORMED_EVENT,
      );
      expect(wire.isMalformed({ data })).toBe(true);
    }
    expect(openAIResponsesInBandError({ data: '{"unrelated":true}' })).toBeUndefined();
  });

  it('writes the error event with the documented flat fields and the nested error the API sends', () => {
    const body = wire.errorBody({
      type: 'rate_limit_error',
      message: 'all backends failed',
      code: 'all_backends_failed',
      requestId: 'req_1',
      details: { failures: [] },
    });
    expect(body).toEqual({
      error: {
        message: 'all backends failed',
        type: 'rate_limit_error',
        param: null,
        code: 'all_backends_failed',
        request_id: 'req_1',
        failures: [],
      },
    });
    const event = wire.errorEvent(body);
    expect(event.event).toBe('error');
    const data = JSON.parse(event.data) as ResponseErrorEvent & { error: unknown };
    const documented: ResponseErrorEvent = {
      type: 'error',
      code: 'all_backends_failed',
      message: 'all backends failed',
      param: null,
      sequence_number: 0,
    };
    expect(data).toEqual({ ...documented, error: body.error });
    // The gateway's own rules see it as an in-band error, never as content or a terminal.
    expect(wire.inBandError(event)).toEqual(data);
    expect(wire.isContent(event) || wire.isTerminal(event)).toBe(false);
    const numbered = JSON.parse(wire.errorEvent({ ...body, sequence_number: 7 }).data) as {
      sequence_number: number;
    };
    expect(numbered.sequence_number).toBe(7);
    const typeOnly = JSON.parse(wire.errorEvent({ error: { type: 'server_error' } }).data) as {
      code: string;
    };
    expect(typeOnly.code).toBe('server_error');
  });

  it('maps statuses to the OpenAI error types and back', () => {
    const { typeForStatus, statusForType } = wire.errorTypes;
    expect([400, 401, 403, 404, 429, 500, 503].map(typeForStatus)).toEqual([
      'invalid_request_error',
      'authentication_error',
      'permission_error',
      'not_found_error',
      'rate_limit_error',
      'server_error',
      'server_error',
    ]);
    expect(statusForType('insufficient_quota')).toBe(429);
    expect(statusForType('rate_limit_error')).toBe(429);
  });
});

describe('Responses event codec', () => {
  it('encodes named events and decodes them back to the same events, through real SSE bytes', async () => {
    const events = sdkTranscript() as unknown as OpenAIResponsesStreamEvent[];
    const wireEvents = await drain(wire.encodeStream(from(events)));
    expect(wireEvents.map((e) => e.event)).toEqual(events.map((e) => e.type));
    // No terminal frame is added: response.completed is the last event itself.
    expect(wireEvents).toHaveLength(events.length);
    const bytes = wireEvents.map(encodeSseEvent).join('');
    const parsed = await drain(parseSse(from([bytes.slice(0, 101), bytes.slice(101)])));
    expect(await drain(wire.decodeStream(from(parsed), 'up'))).toEqual(events);
    expect(wire.decode(parsed[0] as SseEvent, 'up')).toEqual(events[0]);
  });

  it('turns undecodable data into STREAM_UPSTREAM_ERROR naming the backend', () => {
    expect(() => wire.decode({ event: 'response.created', data: '{oops' }, 'local')).toThrow(
      expect.objectContaining({ code: 'STREAM_UPSTREAM_ERROR', backend: 'local' }),
    );
  });
});
