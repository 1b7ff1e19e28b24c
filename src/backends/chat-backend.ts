import type { AsyncCircuitBreaker } from '../resilience/index.js';
import type { IncomingHeaders } from '../protocols/index.js';
import type { Protocol } from '../protocols/protocol.js';
import type { SseBatch } from '../sse/sse-batch.js';
import type { SseEvent } from '../sse/sse-event.js';
import type { ParsedChatRequest } from './parsed-chat-request.js';
import type { CancelSignal } from '../time/index.js';

/**
 * Per-call options of a chat backend. Handed to the HTTP client as they are (its `signal` and
 * `headers`): the call's one abort signal is not wrapped again on the way down.
 */
export interface ChatCallOptions {
  /**
   * The call's one abort signal (caller, deadline and router combined by whoever calls): aborts
   * the call and the upstream request at once; neither success nor failure is recorded.
   */
  signal?: CancelSignal;
  /** Model name to send upstream instead of the one in the request body (a route's rename). */
  model?: string;
  /** Extra headers for the upstream request (never the caller's credentials). */
  headers?: Record<string, string>;
  /**
   * `body` already parsed and validated (the gateway's parse). A translating backend reads it
   * instead of parsing again; without it (or when it is not the parse of this `body`), the backend
   * parses lazily. A same-protocol call forwards `body` and parses nothing.
   */
  request?: ParsedChatRequest;
  /**
   * The caller's request headers. The backend forwards the ones its allowlist names
   * (`forwardHeaders`, else its protocol's `DEFAULT_FORWARDED_HEADERS`: `anthropic-beta`,
   * `anthropic-version` / `openai-beta`) as per-call extra headers, never credentials, cookies or
   * hop-by-hop headers.
   */
  callerHeaders?: IncomingHeaders;
}

/** A non-streaming answer, already in the caller's protocol. */
export interface ChatResult {
  /** The response body in the caller's protocol (an OpenAI chat.completion or an Anthropic message). */
  body: Record<string, unknown>;
  /**
   * `body`'s JSON exactly as the upstream sent it (a same-protocol answer, untouched): what a
   * gateway writes instead of stringifying `body` again. Absent when translated.
   */
  bytes?: Buffer;
  /** Upstream attempts this answer took, retries included. */
  attempts: number;
  /** Things the caller should know that the body cannot say (e.g. "temperature clamped to 1"). */
  notes: string[];
}

/** A parsed JSON answer of another endpoint than chat (see ChatBackend.postJson). */
export interface JsonResult {
  body: Record<string, unknown>;
  /** Upstream attempts this answer took, retries included. */
  attempts: number;
}

/**
 * A streaming answer in the caller's protocol. Iterating yields wire-ready events, ending with the
 * protocol's terminal event (`data: [DONE]` or `message_stop`) only when the upstream finished
 * cleanly; any failure is thrown from the iterator instead (never a clean end). Breaking out of
 * the loop aborts the upstream request.
 */
export interface ChatStream extends AsyncIterable<SseEvent> {
  /** Upstream attempts made so far (final once the first event has been yielded). */
  readonly attempts: number;
  /** As for ChatResult; known before the first event is yielded. */
  readonly notes: string[];
  /**
   * The same events one upstream read at a time, with their wire text (cheaper: one write per
   * read). Optional: without it, each event is its own batch. Use it or the iterator, not both.
   */
  batches?(): AsyncIterable<SseBatch>;
}

/**
 * What the router needs of a backend: answer a request given in either protocol, in that same
 * protocol, translating inside when the backend speaks the other one.
 */
export interface ChatBackend {
  /** The backend's name, as in the config. */
  readonly name: string;
  /** The protocol this backend's upstream speaks. */
  readonly protocol: Protocol;
  /** The backend's breaker: the router skips it while open; the health probe trips and resets it. */
  readonly circuitBreaker: AsyncCircuitBreaker;
  /** Answer `body` (a request in protocol `protocol`) without streaming. */
  chat(
    protocol: Protocol,
    body: Record<string, unknown>,
    options?: ChatCallOptions,
  ): Promise<ChatResult>;
  /** Answer `body` as a stream of events in protocol `protocol`. */
  chatStream(
    protocol: Protocol,
    body: Record<string, unknown>,
    options?: ChatCallOptions,
  ): ChatStream;
  /**
   * POSTs a body of this backend's own protocol, as is, to another endpoint of its API (`path`
   * under the API root: `/messages/count_tokens`, `/embeddings`), with the chat call's client,
   * retries and breaker; resolves with the parsed 2xx body. Optional: backends without it are
   * skipped for those endpoints.
   */
  postJson?(
    path: string,
    body: Record<string, unknown>,
    options?: ChatCallOptions,
  ): Promise<JsonResult>;
  /** Optional liveness probe (local servers: `GET {baseUrl}/models`). Resolves true when healthy. */
  probe?(signal?: CancelSignal): Promise<boolean>;
  /** Closes the connection pool. */
  close(): Promise<void>;
}
