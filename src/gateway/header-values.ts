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

/** Longest `x-llm-failover-notes` value: clients refuse responses whose headers pass ~16 KiB. */
export const MAX_NOTES_HEADER_LENGTH = 2048;

/**
 * The `x-llm-failover-notes` value: the notes joined by `; `, cut at MAX_NOTES_HEADER_LENGTH
 * with a count of what was left out (a long conversation can produce one note per message).
 */
export function notesHeader(notes: readonly string[]): string {
  const all = headerSafe(notes.join('; '));
  if (all.length <= MAX_NOTES_HEADER_LENGTH) return all;
  let kept = 0;
  let length = 0;
  for (const note of notes) {
    const next = length + (kept > 0 ? 2 : 0) + note.length;
    if (next > MAX_NOTES_HEADER_LENGTH - 40) break;
    length = next;
    kept++;
  }
  // headerSafe keeps lengths, so the kept notes fit by construction.
  const head = headerSafe(notes.slice(0, kept).join('; '));
  return `${head}${kept > 0 ? '; ' : ''}(+${notes.length - kept} more notes)`;
}
