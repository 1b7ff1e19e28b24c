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

/**
 * Checks what routing reads of `body`, a chat request of `protocol`: `model` and `stream`
 * (parseRoutingFields). The rest is the upstream's to judge (same protocol) or the translator's:
 * reading `parsed` validates the request against the protocol's schema, once.
 * @throws LlmFailoverError INVALID_REQUEST (400) naming the bad routing field; reading `parsed`
 *   throws it naming the first bad field.
 */
export function parseChatRequest(protocol: Protocol, body: Body): ParsedChatRequest {
  const fields = parseRoutingFields(protocol, body);
  const model = fields.model;
  const stream = fields.stream === true;
  if (protocol === 'openai') {
    let parsed: OpenAIChatRequest | undefined;
    return {
      protocol,
      body,
      model,
      stream,
      get parsed() {
        return (parsed ??= parseOpenAIChatRequest(body));
      },
    };
  }
  if (protocol === 'openai-responses') {
    let parsed: OpenAIResponsesRequest | undefined;
    return {
      protocol,
      body,
      model,
      stream,
      get parsed() {
        return (parsed ??= parseOpenAIResponsesRequest(body));
      },
    };
  }
  let parsed: AnthropicMessagesRequest | undefined;
  return {
    protocol,
    body,
    model,
    stream,
    get parsed() {
      return (parsed ??= parseAnthropicMessagesRequest(body));
    },
  };
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
