import { isUtf8 } from 'node:buffer';
import {
  parseAnthropicMessagesRequest,
  parseOpenAIChatRequest,
  parseOpenAIResponsesRequest,
  parseRoutingFields,
} from '../protocols/index.js';
import type {
  AnthropicMessagesRequest,
  OpenAIChatRequest,
  OpenAIResponsesRequest,
} from '../protocols/index.js';
import type { Protocol } from '../protocols/protocol.js';

type Body = Record<string, unknown>;

interface ParsedFields {
  /** The body exactly as the caller sent it: what a same-protocol route forwards. */
  readonly body: Body;
  /** The requested model. */
  readonly model: string;
  /** Whether the caller asked for a stream. */
  readonly stream: boolean;
  /**
   * The bytes `body` was parsed from (valid UTF-8), when the caller's own bytes are at hand (the
   * gateway's): a same-protocol route that changes nothing sends them as they are instead of
   * re-serializing `body`, which keeps the caller's exact JSON (number spellings included) and
   * costs nothing however long the conversation.
   */
  readonly raw?: Buffer | undefined;
}

/**
 * A chat request checked once (by the gateway, or lazily by a backend for library callers), then
 * handed down through router and backend so nothing checks it again. `body` is the untouched
 * original. Only the routing fields (`model`, `stream`) are checked up front; `parsed`, the typed
 * view a translation reads, is validated on first read (only translated routes read it), so a
 * same-protocol route forwards whatever the provider accepts.
 */
export type ParsedChatRequest =
  | (ParsedFields & { readonly protocol: 'openai'; readonly parsed: OpenAIChatRequest })
  | (ParsedFields & { readonly protocol: 'anthropic'; readonly parsed: AnthropicMessagesRequest })
  | (ParsedFields & {
      readonly protocol: 'openai-responses';
      readonly parsed: OpenAIResponsesRequest;
    });

/** Each protocol's full request check: what reading `parsed` runs, once. */
const PARSERS: Record<Protocol, (body: unknown) => ParsedChatRequest['parsed']> = {
  openai: parseOpenAIChatRequest,
  anthropic: parseAnthropicMessagesRequest,
  'openai-responses': parseOpenAIResponsesRequest,
};

/**
 * A ParsedChatRequest as a class, not an object literal with a getter: V8 builds such a literal
 * through a slow runtime path on every request. The bytes are ES-private behind a getter, so
 * logging or serializing a request never dumps them.
 */
class CheckedChatRequest {
  #parsed: ParsedChatRequest['parsed'] | undefined;
  readonly #raw: Buffer | undefined;

  constructor(
    readonly protocol: Protocol,
    readonly body: Body,
    readonly model: string,
    readonly stream: boolean,
    raw: Buffer | undefined,
  ) {
    this.#raw = raw;
  }

  get raw(): Buffer | undefined {
    return this.#raw;
  }

  get parsed(): ParsedChatRequest['parsed'] {
    return (this.#parsed ??= PARSERS[this.protocol](this.body));
  }
}

/**
 * Checks what routing reads of `body`, a chat request of `protocol`: `model` and `stream`
 * (parseRoutingFields). The rest is the upstream's to judge (same protocol) or the translator's:
 * reading `parsed` validates the request against the protocol's schema, once.
 * @param raw the bytes `body` was parsed from, if at hand; kept only when they are valid UTF-8
 *   (otherwise the parse replaced something, and `body` is what was understood).
 * @throws LlmFailoverError INVALID_REQUEST (400) naming the bad routing field; reading `parsed`
 *   throws it naming the first bad field.
 */
export function parseChatRequest(protocol: Protocol, body: Body, raw?: Buffer): ParsedChatRequest {
  const fields = parseRoutingFields(protocol, body);
  const exact = raw !== undefined && isUtf8(raw) ? raw : undefined;
  return new CheckedChatRequest(
    protocol,
    body,
    fields.model,
    fields.stream === true,
    exact,
  ) as ParsedChatRequest;
}

/**
 * `request` when it is the parse of `body` in `protocol` (the gateway's), else a fresh parse: a
 * library caller that calls a backend directly gets the same validation, once.
 */
export function parsedFor(
  protocol: Protocol,
  body: Body,
  request: ParsedChatRequest | undefined,
): ParsedChatRequest {
  return request !== undefined && request.protocol === protocol && request.body === body
    ? request
    : parseChatRequest(protocol, body);
}
