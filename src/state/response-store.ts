/**
 * A response of the OpenAI Responses API that the gateway produced, kept so a later request can
 * continue from it (`previous_response_id`) and `GET /v1/responses/{id}` can return it.
 */
export interface StoredResponse {
  /** The response object as the caller received it (`object: "response"`, with `output`). */
  readonly response: Record<string, unknown>;
  /**
   * The whole conversation that led to it, as Responses input items: the earlier turns (already
   * expanded from their own `previous_response_id`), this request's `input`, then this
   * response's `output` items. A continuation prepends these to its own `input`.
   */
  readonly items: readonly unknown[];
  /** `instructions` of the request, which a continuation does not inherit but may need to show. */
  readonly instructions?: string | undefined;
}

/**
 * Where stored responses live: in one process's memory by default, or shared by a fleet of
 * gateways (Redis). Implementations bound what they keep (entries, bytes, age) and may forget
 * an entry at any time; a miss is answered by the caller with a 400 naming the id.
 */
export interface ResponseStore {
  /** The stored response `id`, or undefined when unknown or expired. */
  get(id: string): Promise<StoredResponse | undefined>;
  /** Stores `value` under `id` (replacing any earlier one) for at most `ttlMs`. */
  put(id: string, value: StoredResponse, ttlMs: number): Promise<void>;
  /** Forgets `id` (DELETE /v1/responses/{id}); true when it was there. */
  delete(id: string): Promise<boolean>;
  /** Releases connections and timers. */
  close(): Promise<void>;
}
