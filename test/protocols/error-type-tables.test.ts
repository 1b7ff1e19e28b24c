import { describe, expect, it } from 'vitest';
import {
  anthropicMessagesWire,
  createErrorTypeTable,
  openAIChatWire,
  openAIResponsesWire,
  wireProtocolOf,
} from '../../src/protocols/index.js';

const WIRES = [openAIChatWire, anthropicMessagesWire, openAIResponsesWire];

describe('status <-> error-type tables', () => {
  for (const wire of WIRES) {
    it(`round-trips every ${wire.protocol} entry: status -> type -> the same status`, () => {
      const { entries, typeForStatus, statusForType, isKnownType } = wire.errorTypes;
      expect(entries.length).toBeGreaterThan(5);
      for (const [status, type] of entries) {
        expect({ status, type: typeForStatus(status) }).toEqual({ status, type });
        expect({ type, status: statusForType(type) }).toEqual({ type, status });
        expect(isKnownType(type)).toBe(true);
      }
    });

    it(`gives ${wire.protocol} statuses outside the table the 5xx or the caller type`, () => {
      const { typeForStatus, statusForType } = wire.errorTypes;
      expect(typeForStatus(502)).toBe(typeForStatus(500));
      expect(typeForStatus(422)).toBe(typeForStatus(400));
      expect(statusForType('something_new')).toBe(500);
      expect(statusForType(undefined)).toBe(500);
    });
  }

  it('is the registry entry of each protocol', () => {
    expect(wireProtocolOf('openai')).toBe(openAIChatWire);
    expect(wireProtocolOf('anthropic')).toBe(anthropicMessagesWire);
    expect(wireProtocolOf('openai-responses')).toBe(openAIResponsesWire);
  });

  it('maps Anthropic 503 and 408 to overloaded and timeout, which map back to 529 and 504', () => {
    const { typeForStatus, statusForType } = anthropicMessagesWire.errorTypes;
    expect(typeForStatus(503)).toBe('overloaded_error');
    expect(typeForStatus(408)).toBe('timeout_error');
    expect(statusForType('overloaded_error')).toBe(529);
    expect(statusForType('timeout_error')).toBe(504);
  });

  it('produces only documented OpenAI types, and reads insufficient_quota and timeout_error', () => {
    const { typeForStatus, statusForType, isKnownType } = openAIChatWire.errorTypes;
    expect(typeForStatus(504)).toBe('server_error');
    expect(typeForStatus(408)).toBe('server_error');
    expect(typeForStatus(529)).toBe('server_error');
    expect(typeForStatus(413)).toBe('invalid_request_error');
    expect(statusForType('insufficient_quota')).toBe(429);
    expect(statusForType('timeout_error')).toBe(504);
    expect(isKnownType('timeout_error')).toBe(false);
  });

  it('refuses a table that lists a status or a type twice (it could not round-trip)', () => {
    const spec = { serverType: 'b', otherType: 'a' } as const;
    expect(() =>
      createErrorTypeTable({
        ...spec,
        entries: [
          [400, 'a'],
          [400, 'b'],
        ],
      }),
    ).toThrow(/400 b is listed twice/);
    expect(() =>
      createErrorTypeTable({
        ...spec,
        entries: [
          [400, 'a'],
          [500, 'a'],
        ],
      }),
    ).toThrow(/listed twice/);
  });
});
