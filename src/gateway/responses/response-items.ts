import type { StoredResponse } from '../../state/index.js';

type Body = Record<string, unknown>;

/**
 * A Responses request's `input` as a list of items: a string is one user message (as the API
 * reads it), a list is taken as it is, anything else (absent, null) is no item.
 */
export function inputItems(input: unknown): unknown[] {
  if (typeof input === 'string') return [{ type: 'message', role: 'user', content: input }];
  return Array.isArray(input) ? input : [];
}

/** The `previous_response_id` of a request, when it names one. */
export function previousResponseId(body: Body): string | undefined {
  const id = body.previous_response_id;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/**
 * A continuation of `stored` made self-contained: the earlier conversation prepended to this
 * request's `input` and `previous_response_id` dropped, so any backend (translated or not) sees
 * the whole conversation. `instructions` are not inherited, as in the API. A new object; the
 * caller's body is left alone.
 */
export function expandContinuation(body: Body, stored: StoredResponse): Body {
  const expanded: Body = { ...body, input: [...stored.items, ...inputItems(body.input)] };
  delete expanded.previous_response_id;
  return expanded;
}

/**
 * What to keep of a response the gateway produced for `request` (already expanded): the
 * response, and the conversation up to and including its output. Undefined when the response has
 * no id to be found by.
 */
export function storedResponseOf(request: Body, response: Body): StoredResponse | undefined {
  if (typeof response.id !== 'string' || response.id === '') return undefined;
  const output = Array.isArray(response.output) ? (response.output as unknown[]) : [];
  const instructions = typeof request.instructions === 'string' ? request.instructions : undefined;
  return {
    response,
    items: [...inputItems(request.input), ...output],
    ...(instructions === undefined ? {} : { instructions }),
  };
}
