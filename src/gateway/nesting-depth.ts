import { LlmFailoverError } from '../errors/index.js';

/** Default limit on how deeply a request body's arrays and objects may nest. */
export const DEFAULT_MAX_NESTING_DEPTH = 128;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/**
 * Refuses a JSON body whose arrays/objects nest deeper than `limit`, scanning the raw bytes
 * before `JSON.parse` builds anything: a 16 KB body can nest 8,000 levels, and the recursive
 * `JSON.stringify` (and every recursive walk after it) overflows the stack on such a value.
 * A single loop, no recursion; brackets inside strings do not count. Malformed JSON is left to
 * the parser to report. Real requests nest ~20 levels (tool schemas included).
 * @throws LlmFailoverError INVALID_REQUEST (400) naming the limit.
 */
export function assertNestingDepth(raw: Uint8Array, limit: number): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const byte = raw[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      if (++depth > limit) throw tooDeep(limit);
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      depth--;
    }
  }
}

function tooDeep(limit: number): LlmFailoverError {
  return new LlmFailoverError(
    'INVALID_REQUEST',
    `request body nests arrays/objects deeper than the limit of ${limit} levels (server.maxNestingDepth)`,
    { status: 400 },
  );
}
