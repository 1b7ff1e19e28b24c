import { parseAnthropicMessagesRequest, parseOpenAIChatRequest } from '../protocols/index.js';
import type { AnthropicMessagesRequest, OpenAIChatRequest } from '../protocols/index.js';
import type { Protocol } from '../protocols/protocol.js';

type Body = Record<string, unknown>;

interface ParsedFields {
  /** The body exactly as the caller sent it: what a same-protocol route forwards. */
  readonly body: Body;
  /** The requested model. */
  readonly model: string;
  /** Whether the caller asked for a stream. */
  readonly stream: boolean;
}

/**
 * A chat request parsed and validated once (by the gateway, or lazily by a backend for library
 * callers), then handed down through router and backend so nothing parses it again. `parsed` is
 * the typed view a translation reads; `body` is the untouched original.
 */
export type ParsedChatRequest =
  | (ParsedFields & { readonly protocol: 'openai'; readonly parsed: OpenAIChatRequest })
  | (ParsedFields & { readonly protocol: 'anthropic'; readonly parsed: AnthropicMessagesRequest });

/**
 * Parses and validates `body` as a chat request of `protocol`.
 * @throws LlmFailoverError INVALID_REQUEST (400) naming the first bad field.
 */
export function parseChatRequest(protocol: Protocol, body: Body): ParsedChatRequest {
  if (protocol === 'openai') {
    const parsed = parseOpenAIChatRequest(body);
    return { protocol, body, parsed, model: parsed.model, stream: parsed.stream === true };
  }
  const parsed = parseAnthropicMessagesRequest(body);
  return { protocol, body, parsed, model: parsed.model, stream: parsed.stream === true };
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
