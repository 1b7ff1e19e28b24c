import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parseRoutingFields,
  responsesRoutingFieldsSchema,
  routingFieldsSchema,
} from '../../src/protocols/index.js';
import type { Protocol } from '../../src/protocols/protocol.js';

// parseRoutingFields answers the common body without zod (a written-out check); the schema stays
// the judge. Over generated bodies, both must give the same verdict and the same fields.
const odd = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.string({ maxLength: 3 }),
  fc.constant(''),
  fc.array(fc.integer(), { maxLength: 2 }),
  fc.object({ maxDepth: 0, maxKeys: 1 }),
);
const body = fc.oneof(
  fc.record(
    {
      model: odd,
      stream: odd,
      previous_response_id: odd,
      store: odd,
      extra: odd,
    },
    { requiredKeys: [] },
  ),
  odd,
);
const protocols: Protocol[] = ['openai', 'anthropic', 'openai-responses'];

describe('parseRoutingFields', () => {
  it('agrees with its schema on every body: accepted or refused, and the same fields', () => {
    fc.assert(
      fc.property(fc.constantFrom(...protocols), body, (protocol, value) => {
        const schema =
          protocol === 'openai-responses' ? responsesRoutingFieldsSchema() : routingFieldsSchema();
        const judged = schema.safeParse(value);
        let ours: unknown;
        let threw = false;
        try {
          ours = parseRoutingFields(protocol, value);
        } catch {
          threw = true;
        }
        expect(threw).toBe(!judged.success);
        if (judged.success) expect(ours).toEqual(judged.data);
      }),
      { numRuns: 2000 },
    );
  });
});
