import { isPlainObject } from './translated.js';

/** The `text` of each part of `list` whose type is `type`. */
export function partTexts(list: unknown, type: string, key = 'text'): string[] {
  if (!Array.isArray(list)) return [];
  const out: string[] = [];
  for (const part of list) {
    if (isPlainObject(part) && part.type === type && typeof part[key] === 'string') {
      out.push(part[key]);
    }
  }
  return out;
}

/**
 * A reasoning item's text for chat's `reasoning_content`: the raw reasoning (`content`
 * reasoning_text parts) when the producer gave it, else the summary parts, a blank line between.
 */
export function reasoningText(item: Record<string, unknown>): string {
  const raw = partTexts(item.content, 'reasoning_text');
  return (raw.length > 0 ? raw : partTexts(item.summary, 'summary_text')).join('\n\n');
}

/** The request asks for `reasoning.encrypted_content` (a thinking signature travels in it). */
export function includesEncryptedReasoning(request: { include?: unknown }): boolean {
  return Array.isArray(request.include) && request.include.includes('reasoning.encrypted_content');
}
