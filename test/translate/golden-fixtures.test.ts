import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  anthropicErrorBodySchema,
  anthropicMessageSchema,
  openAIChatResponseSchema,
  openAIErrorBodySchema,
  parseAnthropicMessage,
  parseAnthropicMessagesRequest,
  parseOpenAIChatRequest,
  parseOpenAIChatResponse,
} from '../../src/protocols/index.js';
import { isLlmFailoverError } from '../../src/errors/index.js';
import {
  anthropicErrorToOpenAI,
  anthropicRequestToOpenAI,
  anthropicResponseToOpenAI,
  openAIErrorToAnthropic,
  openAIRequestToAnthropic,
  openAIResponseToAnthropic,
} from '../../src/translate/index.js';

type Direction = 'openai->anthropic' | 'anthropic->openai';

interface Fixture {
  file: string;
  row: string;
  kind: 'request' | 'response' | 'error-body' | 'request-error';
  description: string;
  directions: Direction[];
  openai?: unknown;
  anthropic?: unknown;
  /** Expected notes per direction (none when absent). */
  notes?: Partial<Record<Direction, string[]>>;
  status?: number;
  input?: unknown;
  error?: { code: string; status: number; path: string };
}

const dir = join(import.meta.dirname, '../fixtures/translate');
const fixtures: Fixture[] = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map(
    (file) =>
      ({ file, ...(JSON.parse(readFileSync(join(dir, file), 'utf8')) as object) }) as Fixture,
  );

/** Runs one direction of a fixture; returns what it produced and its notes. */
function translate(f: Fixture, direction: Direction): { value: unknown; notes: string[] } {
  const toAnthropic = direction === 'openai->anthropic';
  switch (f.kind) {
    case 'request':
    case 'request-error': {
      const input = f.kind === 'request' ? (toAnthropic ? f.openai : f.anthropic) : f.input;
      return toAnthropic
        ? openAIRequestToAnthropic(parseOpenAIChatRequest(input))
        : anthropicRequestToOpenAI(parseAnthropicMessagesRequest(input));
    }
    case 'response':
      return {
        value: toAnthropic
          ? openAIResponseToAnthropic(parseOpenAIChatResponse(f.openai))
          : anthropicResponseToOpenAI(parseAnthropicMessage(f.anthropic)),
        notes: [],
      };
    case 'error-body':
      return {
        value: toAnthropic
          ? openAIErrorToAnthropic(openAIErrorBodySchema().parse(f.openai), f.status)
          : anthropicErrorToOpenAI(anthropicErrorBodySchema().parse(f.anthropic), f.status),
        notes: [],
      };
  }
}

/** The produced document must be valid for the target protocol's own schema. */
function assertTargetSchemaAccepts(f: Fixture, direction: Direction, value: unknown): void {
  const toAnthropic = direction === 'openai->anthropic';
  if (f.kind === 'request') {
    if (toAnthropic) parseAnthropicMessagesRequest(value);
    else parseOpenAIChatRequest(value);
  } else if (f.kind === 'response') {
    expect(
      (toAnthropic ? anthropicMessageSchema : openAIChatResponseSchema)().safeParse(value).success,
    ).toBe(true);
  }
}

describe('golden translation fixtures (test/fixtures/translate)', () => {
  it('cover every mapping row in both directions', () => {
    const rows = new Map<string, Set<Direction>>();
    for (const f of fixtures) {
      const seen = rows.get(f.row) ?? new Set<Direction>();
      for (const d of f.directions) seen.add(d);
      rows.set(f.row, seen);
    }
    for (const row of [
      'system',
      'roles',
      'images',
      'tool_choice',
      'tool call / tool result',
      'stop',
      'temperature',
      'finish',
      'usage',
      'thinking',
      'errors',
      'user',
    ]) {
      expect([...(rows.get(row) ?? [])].sort(), row).toEqual([
        'anthropic->openai',
        'openai->anthropic',
      ]);
    }
  });

  for (const f of fixtures) {
    for (const direction of f.directions) {
      it(`${f.file} (${direction}): ${f.description || f.row}`, () => {
        if (f.kind === 'request-error') {
          let thrown: unknown;
          try {
            translate(f, direction);
          } catch (err) {
            thrown = err;
          }
          expect(isLlmFailoverError(thrown)).toBe(true);
          expect(thrown).toMatchObject(f.error ?? {});
          expect((thrown as Error).message).toContain(f.error?.path);
          return;
        }
        const { value, notes } = translate(f, direction);
        const expected = direction === 'openai->anthropic' ? f.anthropic : f.openai;
        expect(value).toEqual(expected);
        expect(notes).toEqual(f.notes?.[direction] ?? []);
        assertTargetSchemaAccepts(f, direction, value);
      });
    }
  }
});
