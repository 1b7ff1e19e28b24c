import { LlmFailoverError } from '../errors/index.js';
import { hideBytes } from '../http/index.js';
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
 * How a backend serves callers of one protocol other than its own: the request translated to the
 * upstream's protocol, the answer and the stream translated back. Compositions through the Chat
 * hub where neither side is Chat (docs/protocol-design.md).
 */
export interface CallerTranslation {
  /** The caller's request (already parsed) -> the upstream's, the route's model applied. */
  translateRequest(request: ParsedChatRequest, model: string | undefined): Translated<Body>;
  /** The upstream's answer -> the caller's protocol (`caller` for what the answer echoes). */
  translateAnswer(answer: unknown, caller: ParsedChatRequest): Body;
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
 * What one backend protocol adds to the shared chat calls: where it posts, how its stream reads,
 * and, per caller protocol other than its own, the translations. Plain data and functions, held
 * by the backend next to its client. A caller of the backend's own protocol passes through.
 */
export interface ProtocolAdapter {
  /** The protocol the upstream speaks. */
  readonly protocol: Protocol;
  /** Chat path under the base URL (`/chat/completions`, `/v1/messages`, `/responses`). */
  readonly chatPath: string;
  /** The upstream stream's terminal, keep-alive and in-band-error rules. */
  readonly codec: StreamCodec;
  /** The translation for each caller protocol it serves; a missing one is TRANSLATION_UNSUPPORTED. */
  readonly callers: Readonly<Partial<Record<Protocol, CallerTranslation>>>;
}

/** The adapter's translation for `protocol` callers. @throws TRANSLATION_UNSUPPORTED when none. */
function translationFor(adapter: ProtocolAdapter, protocol: Protocol): CallerTranslation {
  const translation = adapter.callers[protocol];
  if (translation === undefined) throw noTranslation(protocol, adapter.protocol);
  return translation;
}

/**
 * Answers `body` (a request in `protocol`) without streaming, in `protocol`: passed through
 * (unparsed) when it is the adapter's protocol, else translated both ways (the adapter's
 * translation for `protocol` callers) from the parsed request
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
    const res = await client.post(adapter.chatPath, wireBody(request, options.request), options);
    const answer: ChatResult = { body: asObject(res.body), attempts: res.attempts, notes: [] };
    // The upstream's own bytes go on only when they are the JSON of `body` (an object answer).
    if (res.bytes !== undefined && answer.body === res.body) hideBytes(answer, res.bytes);
    return answer;
  }
  const translation = translationFor(adapter, protocol);
  const parsed = parsedFor(protocol, body, options.request);
  const { value, notes } = translation.translateRequest(parsed, options.model);
  delete value.stream;
  const res = await client.post(adapter.chatPath, value, options);
  return { body: translation.translateAnswer(res.body, parsed), attempts: res.attempts, notes };
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
    const wire = wireBody(request, options.request);
    const upstream = client.stream(adapter.chatPath, wire, adapter.codec, options);
    return chatStreamOf(upstream, upstream, []);
  }
  const translation = translationFor(adapter, protocol);
  const parsed = parsedFor(protocol, body, options.request);
  const { value, notes } = translation.translateRequest(parsed, options.model);
  const request = translation.streamRequest(value);
  const upstream = client.stream(adapter.chatPath, request, adapter.codec, options);
  return chatStreamOf(upstream, translation.translateStream(upstream, parsed, request), notes);
}

/**
 * What a pass-through sends for `body`: the caller's own bytes when `body` is the very object
 * parsed from them (the route changed neither model nor stream flag), else `body` for the client
 * to serialize.
 */
function wireBody(body: Body, request: ParsedChatRequest | undefined): Body | Buffer {
  const raw = request?.raw;
  return raw !== undefined && request?.body === body ? raw : body;
}

/**
 * POSTs `body` as is (only a route's `model` applied) to `path` under the API root: the chat path
 * without its `/messages`, `/chat/completions` or `/responses` (so `/v1` for Anthropic base URLs without it).
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
  const root = adapter.chatPath.replace(/\/(messages|chat\/completions|responses)$/, '');
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
