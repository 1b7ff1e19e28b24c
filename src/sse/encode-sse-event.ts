import type { SseEvent } from './sse-event.js';

/**
 * Encodes one event for the wire: `event: x\nid: y\ndata: ...\n\n`. Multi-line data (`\n`,
 * `\r\n` or `\r`) becomes one `data:` line per line, so a parser rebuilds exactly `data`.
 */
export function encodeSseEvent(event: SseEvent): string {
  let out = '';
  if (event.event !== undefined) out += `event: ${event.event}\n`;
  if (event.id !== undefined) out += `id: ${event.id}\n`;
  const data = event.data;
  // Fast path: JSON chunks never contain a raw line break.
  if (data.indexOf('\n') === -1 && data.indexOf('\r') === -1) return `${out}data: ${data}\n\n`;
  for (const line of data.split(/\r\n|\r|\n/)) out += `data: ${line}\n`;
  return `${out}\n`;
}
