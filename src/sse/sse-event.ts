/** One Server-Sent Event as parsed off the wire or about to be written to it. */
export interface SseEvent {
  /** The `event:` field; absent for unnamed events (OpenAI's chunks). */
  event?: string;
  /** The `data:` field, lines joined with `\n`; a JSON text or a sentinel such as `[DONE]`. */
  data: string;
  /** The `id:` field, when the server sent one. */
  id?: string;
}
