import type { ResponsesRequestLike } from './responses-stream-types.js';

/** Identity of a Responses `response` object the gateway makes. */
export interface ResponseIdentity {
  id: string;
  /** Epoch seconds. */
  createdAt: number;
  /** The caller's model name. */
  model: string;
}

/**
 * The `response` object's fields the API echoes from the request (with the API's defaults for
 * absent ones), in the API's order; `status`, `output` and `usage` are the caller's to fill.
 */
export function responseEnvelope(
  request: ResponsesRequestLike,
  identity: ResponseIdentity,
): Record<string, unknown> {
  const reasoning = request.reasoning as Record<string, unknown> | null | undefined;
  return {
    id: identity.id,
    object: 'response',
    created_at: identity.createdAt,
    status: 'in_progress',
    background: false,
    error: null,
    incomplete_details: null,
    instructions: request.instructions ?? null,
    max_output_tokens: request.max_output_tokens ?? null,
    model: identity.model,
    output: [],
    parallel_tool_calls: request.parallel_tool_calls ?? true,
    previous_response_id: request.previous_response_id ?? null,
    reasoning: { effort: reasoning?.effort ?? null, summary: reasoning?.summary ?? null },
    store: request.store ?? true,
    temperature: request.temperature ?? 1,
    text: request.text ?? { format: { type: 'text' } },
    tool_choice: request.tool_choice ?? 'auto',
    tools: request.tools ?? [],
    top_p: request.top_p ?? 1,
    truncation: request.truncation ?? 'disabled',
    usage: null,
    user: request.user ?? null,
    metadata: request.metadata ?? {},
  };
}
