import { forwardedHeaders } from '../protocols/index.js';
import type { ChatCallOptions } from './chat-backend.js';

type Body = Record<string, unknown>;

/**
 * A same-protocol request as sent upstream: the caller's object with only `model` (when a route
 * renames it) and `stream` (to match the call made) changed. Copied only when something changes,
 * so every unknown field reaches the upstream untouched.
 */
export function passThroughBody(body: Body, model: string | undefined, stream: boolean): Body {
  const renamed = model !== undefined && body.model !== model;
  const restream = stream ? body.stream !== true : body.stream === true;
  if (!renamed && !restream) return body;
  const out = { ...body };
  if (renamed) out.model = model;
  if (restream) out.stream = stream;
  return out;
}

/** Narrows an upstream JSON body to an object (the client only resolves for parsed 2xx bodies). */
export function asObject(value: unknown): Body {
  return typeof value === 'object' && value !== null ? (value as Body) : { value };
}

/**
 * The call's options with the caller's headers that `forward` names (see forwardedHeaders) added
 * under the call's own extra headers; `options` itself (no copy) when none is forwarded, the
 * common case. Per-call headers override the client's static ones, so a caller's
 * `anthropic-version` replaces the backend's default.
 */
export function withForwardedHeaders(
  options: ChatCallOptions | undefined,
  forward: readonly string[],
): ChatCallOptions | undefined {
  const forwarded = forwardedHeaders(options?.callerHeaders, forward);
  if (forwarded === undefined) return options;
  return { ...options, headers: { ...forwarded, ...options?.headers } };
}
