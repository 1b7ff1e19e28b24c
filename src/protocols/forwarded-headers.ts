import type { Protocol } from './protocol.js';

/**
 * The caller's request headers that change what an upstream of each protocol does, forwarded by
 * default (a backend's `forwardHeaders` replaces its protocol's list):
 * - Anthropic: `anthropic-beta` enables the beta-gated body fields a client sends with it
 *   (`context_management`, `output_config`, mid-conversation system messages...): without it a
 *   real Anthropic upstream refuses or ignores them. `anthropic-version` is the version the
 *   caller's body was written for; it replaces the backend's configured default.
 * - OpenAI (Chat Completions and Responses): `openai-beta` (beta features such as Assistants v2). `openai-organization` and
 *   `openai-project` are NOT forwarded: they select the account the gateway's own key bills, so
 *   the caller's values would not match that key.
 * Header names are lower case.
 */
export const DEFAULT_FORWARDED_HEADERS: Readonly<Record<Protocol, readonly string[]>> = {
  anthropic: ['anthropic-beta', 'anthropic-version'],
  openai: ['openai-beta'],
  'openai-responses': ['openai-beta'],
};

/**
 * Headers never forwarded, whatever a list says: the caller's credentials (the gateway calls
 * upstreams with each backend's own key), cookies, and hop-by-hop / framing headers that belong to
 * the caller's connection, not to the upstream request (RFC 9110 7.6.1).
 */
export const NEVER_FORWARDED_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'api-key',
  'cookie',
  'set-cookie',
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
  'content-type',
  'content-encoding',
  'expect',
]);

/** Why `name` may not be in a forward list, or undefined when it may. */
export function unforwardableHeaderReason(name: string): string | undefined {
  const lower = name.toLowerCase();
  if (!/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(lower)) return 'not a valid header name';
  if (NEVER_FORWARDED_HEADERS.has(lower)) {
    return 'a credential, cookie, hop-by-hop or framing header is never forwarded';
  }
  return undefined;
}

/** Incoming headers as node:http gives them (lower-case names). */
export type IncomingHeaders = Readonly<Record<string, string | string[] | undefined>>;

/**
 * The headers of `incoming` named in `allowlist`, ready to add to an upstream request; undefined
 * when none is present (the common case costs no object). Repeated headers are joined with `, `
 * (how `anthropic-beta` lists several betas). Names in NEVER_FORWARDED_HEADERS are skipped even
 * when listed.
 */
export function forwardedHeaders(
  incoming: IncomingHeaders | undefined,
  allowlist: readonly string[],
): Record<string, string> | undefined {
  if (incoming === undefined) return undefined;
  let out: Record<string, string> | undefined;
  for (const name of allowlist) {
    const value = incoming[name];
    if (value === undefined || NEVER_FORWARDED_HEADERS.has(name)) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    if (text === '') continue;
    (out ??= {})[name] = text;
  }
  return out;
}
