import type { Fallback } from '../routing/index.js';

/**
 * Makes `text` a valid header value: printable ASCII only. Backend names come from the config
 * (or a library caller) and notes from translators; `writeHead` throws on anything else, which
 * would turn an answer the backend already gave into a 500.
 */
export function headerSafe(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?');
}

/**
 * The `x-llm-failover-fallback` value: `backend:REASON[:status]` per target left behind, in order.
 * The same on a success and on an all-backends failure.
 */
export function fallbackHeader(fallbacks: readonly Fallback[]): string {
  return headerSafe(
    fallbacks
      .map((f) =>
        f.status === undefined
          ? `${f.backend}:${f.reason}`
          : `${f.backend}:${f.reason}:${f.status}`,
      )
      .join(', '),
  );
}
