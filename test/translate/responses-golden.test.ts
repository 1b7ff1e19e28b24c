import { describe, expect, it } from 'vitest';
import { isLlmFailoverError } from '../../src/errors/index.js';
import {
  openAIChatResponseSchema,
  parseAnthropicMessagesRequest,
  parseOpenAIChatRequest,
  parseOpenAIResponsesRequest,
  parseOpenAIResponsesResponse,
} from '../../src/protocols/index.js';
import {
  anthropicRequestToResponses,
  chatRequestToResponses,
  chatResponseToResponses,
  responsesRequestToAnthropic,
  responsesRequestToChat,
  responsesResponseToChat,
} from '../../src/translate/index.js';
import { errorFixtures } from '../fixtures/translate/responses/errors.js';
import type { Direction } from '../fixtures/translate/responses/fixture-types.js';
import { requestFixtures } from '../fixtures/translate/responses/requests.js';
import { responseFixtures } from '../fixtures/translate/responses/responses.js';

type Body = Record<string, unknown>;
const asRequest = parseOpenAIResponsesRequest;

describe('Responses request translation (golden fixtures)', () => {
  for (const f of requestFixtures) {
    for (const direction of f.directions) {
      it(`${f.name} (${direction})`, () => {
        const { value, notes } =
          direction === 'responses->chat'
            ? responsesRequestToChat(asRequest(f.responses))
            : chatRequestToResponses(parseOpenAIChatRequest(f.chat));
        expect(value).toEqual(direction === 'responses->chat' ? f.chat : f.responses);
        expect(notes).toEqual(f.notes?.[direction] ?? []);
        // What the chat side produced is a valid chat request for our own schema.
        if (direction === 'responses->chat') parseOpenAIChatRequest(value);
      });
    }
  }
});

describe('Responses response translation (golden fixtures)', () => {
  for (const f of responseFixtures) {
    for (const direction of f.directions) {
      it(`${f.name} (${direction})`, () => {
        if (direction === 'chat->responses') {
          const value = chatResponseToResponses(f.chat as Body, asRequest(f.request));
          expect(value).toEqual(f.responses);
          // ...and valid for the Responses protocol module's own schema.
          parseOpenAIResponsesResponse(value);
        } else {
          const value = responsesResponseToChat(f.responses);
          expect(value).toEqual(f.chat);
          expect(openAIChatResponseSchema().safeParse(value).success).toBe(true);
        }
      });
    }
  }
});

function translateError(direction: Direction, input: unknown): unknown {
  switch (direction) {
    case 'responses->chat':
      return responsesRequestToChat(asRequest(input));
    case 'chat->responses':
      return chatRequestToResponses(parseOpenAIChatRequest(input));
    case 'responses->anthropic':
      return responsesRequestToAnthropic(asRequest(input));
    case 'anthropic->responses':
      return anthropicRequestToResponses(parseAnthropicMessagesRequest(input));
  }
}

describe('Responses translation refusals name the caller’s field', () => {
  for (const f of errorFixtures) {
    it(`${f.name} (${f.direction})`, () => {
      let thrown: unknown;
      try {
        translateError(f.direction, f.input);
      } catch (err) {
        thrown = err;
      }
      expect(isLlmFailoverError(thrown)).toBe(true);
      expect(thrown).toMatchObject(f.error);
      expect((thrown as Error).message).toContain(f.error.path);
    });
  }
});

describe('Responses fixtures cover issue 9 item 3', () => {
  it('has a request fixture per mapping row in each direction that has one', () => {
    const rows = new Set(requestFixtures.map((f) => `${f.row}`));
    for (const row of [
      'instructions',
      'input',
      'function_call',
      'function_call_output',
      'namespace tools',
      'custom tools',
      'tool_choice',
      'text.format',
      'stream',
      'unknown fields',
    ]) {
      expect(rows.has(row), row).toBe(true);
    }
    const responseRows = new Set(responseFixtures.map((f) => f.row));
    for (const row of [
      'usage',
      'function_call',
      'custom tools',
      'incomplete_details',
      'reasoning',
    ]) {
      expect(responseRows.has(row), row).toBe(true);
    }
  });
});
