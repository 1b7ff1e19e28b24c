import { lazySchema } from './lazy-schema.js';
import type { Infer } from './lazy-schema.js';
import { parseOrThrow } from './validate.js';
import type { Protocol } from './protocol.js';

/**
 * What the gateway itself reads of a chat request before routing: the model (the route is chosen
 * by it) and the stream flag (it decides how the answer is written). Nothing else is checked here:
 * a same-protocol route forwards the rest untouched and lets the upstream judge it, and a
 * translated route checks the shapes it translates (the protocol's request schema) when it
 * translates. So a field, role, block or tool type the provider adds tomorrow is never refused
 * by the gateway.
 */
export const routingFieldsSchema = lazySchema((z) =>
  z.looseObject({
    model: z.string().min(1),
    stream: z.boolean().nullable().optional(),
  }),
);

/**
 * A Responses request also carries what the gateway reads before routing to find and keep the
 * conversation: `previous_response_id` (the stored turns it continues) and `store`.
 */
export const responsesRoutingFieldsSchema = lazySchema((z) =>
  routingFieldsSchema().extend({
    previous_response_id: z.string().nullable().optional(),
    store: z.boolean().nullable().optional(),
  }),
);

/** The routing fields of a chat request (the Responses ones only for a Responses request). */
export type RoutingFields = Infer<typeof responsesRoutingFieldsSchema>;

const WHAT: Record<Protocol, string> = {
  openai: 'OpenAI chat request',
  anthropic: 'Anthropic messages request',
  'openai-responses': 'OpenAI Responses request',
};

/**
 * Checks the routing fields of a `protocol` request body.
 * @throws LlmFailoverError INVALID_REQUEST (400) naming the field, e.g.
 *   `invalid Anthropic messages request: model: required (expected string)`.
 */
export function parseRoutingFields(protocol: Protocol, body: unknown): RoutingFields {
  if (plainlyValid(protocol, body)) return body as RoutingFields;
  const schema =
    protocol === 'openai-responses' ? responsesRoutingFieldsSchema() : routingFieldsSchema();
  return parseOrThrow(schema, body, { what: WHAT[protocol] });
}

const optionalString = (v: unknown): boolean =>
  v === undefined || v === null || typeof v === 'string';
const optionalBoolean = (v: unknown): boolean =>
  v === undefined || v === null || typeof v === 'boolean';

/**
 * True when `body` plainly satisfies the routing schema: the few typeof checks the schema makes,
 * written out, so the common request skips zod (whose loose-object parse copies every field of the
 * body: ~3.5 µs of a ~100 µs gateway request, issue 7). Anything else, valid or not, goes through
 * the schema, which stays the one judge and names the bad field. A test holds the two to the same
 * verdict over generated bodies (test/protocols/routing-fields.property.test.ts).
 */
function plainlyValid(protocol: Protocol, body: unknown): boolean {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return false;
  const fields = body as Record<string, unknown>;
  const model = fields.model;
  if (typeof model !== 'string' || model.length === 0 || !optionalBoolean(fields.stream))
    return false;
  return (
    protocol !== 'openai-responses' ||
    (optionalString(fields.previous_response_id) && optionalBoolean(fields.store))
  );
}
