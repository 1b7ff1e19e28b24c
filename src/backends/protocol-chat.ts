import { LlmFailoverError } from '../errors/index.js';
import type { ResilientHttpClient, SseStream, StreamCodec } from '../http/index.js';
import type { Protocol } from '../protocols/protocol.js';
import type { SseEvent } from '../sse/sse-event.js';
import type { Translated } from '../translate/index.js';
import type { ChatCallOptions, ChatResult, ChatStream, JsonResult } from './chat-backend.js';
import { chatStreamOf } from './chat-stream-of.js';
import { parsedFor } from './parsed-chat-request.js';
import type { ParsedChatRequest } from './parsed-chat-request.js';
import { asObject, passThroughBody } from './request-body.js';

type Body = Record<string, unknown>;

/**
 * What one backend protocol adds to the shared chat calls: where it posts, how its stream reads,
 * and the translations for a caller of the other protocol. Plain data and functions, held by the
 * backend next to its client.
 */
export interface ProtocolAdapter {
  /** The protocol the upstream speaks. */
  readonly protocol: Protocol;
  /** Chat path under the base URL (`/chat/completions`, `/v1/messages`). */
  readonly chatPath: string;
  /** The upstream stream's terminal, keep-alive and in-band-error rules. */
  readonly codec: StreamCodec;
  /** A request of the other protocol (already parsed) -> this one, the route's model applied. */
  translateRequest(request: ParsedChatRequest, model: string | undefined): Translated<Body>;
  /** The upstream's answer -> the caller's protocol. */
  translateAnswer(answer: unknown): Body;
  /** The body to stream a translated request with (e.g. asking for usage). */
  streamRequest(translated: Body): Body;
  /** The upstream's stream -> wire-ready events in the caller's protocol. */
  translateStream(
    upstream: SseStream,
    caller: ParsedChatRequest,
    sent: Body,
  ): AsyncIterable<SseEvent>;
}

/**
 * Answers `body` (a request in `protocol`) without streaming, in `protocol`: passed through
 * (unparsed) when it is the adapter's protocol, else translated both ways from the parsed request
 * in `options.request` (parsed here only when the caller gave none).
 * @throws LlmFailoverError from the client (see ResilientHttpClient), or INVALID_REQUEST /
 *   TRANSLATION_UNSUPPORTED before any request when the other protocol's request cannot be
 *   translated.
 */
export async function protocolChat(
  client: ResilientHttpClient,
  adapter: ProtocolAdapter,
  protocol: Protocol,
  body: Body,
  options: ChatCallOptions = {},
): Promise<ChatResult> {
  if (protocol === adapter.protocol) {
    const request = passThroughBody(body, options.model, false);
    const res = await client.post(adapter.chatPath, request, options);
    const answer: ChatResult = { body: asObject(res.body), attempts: res.attempts, notes: [] };
    // The upstream's own bytes go on only when they are the JSON of `body` (an object answer).
    if (res.bytes !== undefined && answer.body === res.body) answer.bytes = res.bytes;
    return answer;
  }
  const parsed = parsedFor(protocol, body, options.request);
  const { value, notes } = adapter.translateRequest(parsed, options.model);
  delete value.stream;
  const res = await client.post(adapter.chatPath, value, options);
  return { body: adapter.translateAnswer(res.body), attempts: res.attempts, notes };
}

/**
 * Streams the answer to `body` as wire-ready events in `protocol`, ending with its terminal
 * event only after a clean upstream end; failures are thrown from the iterator.
 * @throws LlmFailoverError INVALID_REQUEST / TRANSLATION_UNSUPPORTED (e.g. `n: 2` towards
 *   Anthropic) synchronously, before any request, when the other protocol's request cannot be
 *   translated.
 */
export function protocolChatStream(
  client: ResilientHttpClient,
  adapter: ProtocolAdapter,
  protocol: Protocol,
  body: Body,
  options: ChatCallOptions = {},
): ChatStream {
  if (protocol === adapter.protocol) {
    const request = passThroughBody(body, options.model, true);
    const upstream = client.stream(adapter.chatPath, request, adapter.codec, options);
    return chatStreamOf(upstream, upstream, []);
  }
  const parsed = parsedFor(protocol, body, options.request);
  const { value, notes } = adapter.translateRequest(parsed, options.model);
  const request = adapter.streamRequest(value);
  const upstream = client.stream(adapter.chatPath, request, adapter.codec, options);
  return chatStreamOf(upstream, adapter.translateStream(upstream, parsed, request), notes);
}

/**
 * POSTs `body` as is (only a route's `model` applied) to `path` under the API root: the chat path
 * without its `/messages` or `/chat/completions` (so `/v1` for Anthropic base URLs without it).
 * Same client, retries and breaker as chat.
 * @throws as `protocolChat()` for a pass-through request.
 */
export async function protocolPostJson(
  client: ResilientHttpClient,
  adapter: ProtocolAdapter,
  path: string,
  body: Body,
  options: ChatCallOptions = {},
): Promise<JsonResult> {
  const root = adapter.chatPath.replace(/\/(messages|chat\/completions)$/, '');
  const request = passThroughBody(body, options.model, body.stream === true);
  const res = await client.post(root + path, request, options);
  return { body: asObject(res.body), attempts: res.attempts };
}

/** 400 TRANSLATION_UNSUPPORTED: no translation from `from` callers to a `to` upstream. */
export function noTranslation(from: Protocol, to: Protocol): LlmFailoverError {
  return new LlmFailoverError(
    'TRANSLATION_UNSUPPORTED',
    `a ${from} request cannot be translated for a ${to} backend`,
    { status: 400 },
  );
}
