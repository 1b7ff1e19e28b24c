/** Response headers as Node and undici give them: lower-case names, repeated ones as arrays. */
export type HeaderBag = Record<string, string | string[] | undefined>;

const SECONDS = /^\d+(?:\.\d+)?$/;
const DECIMAL = /^\d+(?:\.\d+)?(?:e[+-]?\d+)?$/i;
// asctime-date carries no zone but is GMT by definition (RFC 9110 §5.6.7); Date.parse would
// otherwise read it as local time.
const ASCTIME = /^[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4}$/;

/**
 * The server's "retry no earlier than" hint, in ms from now, or undefined when absent or junk.
 * `retry-after-ms` (ms, may be fractional; OpenAI's) wins; else `retry-after` as seconds (may be
 * fractional) or an HTTP-date, which counts from `wallNowMs` and is floored at 0 when past.
 * Negative numbers and non-numbers are junk. Repeated headers: the first usable value counts.
 */
export function parseRetryAfterMs(headers: HeaderBag, wallNowMs: number): number | undefined {
  const ms = firstValue(headers, 'retry-after-ms', parseMs);
  if (ms !== undefined) return ms;
  return firstValue(headers, 'retry-after', (value) => parseRetryAfter(value, wallNowMs));
}

/** The `x-should-retry` header: true/false (case-insensitive), else undefined. */
export function parseShouldRetry(headers: HeaderBag): boolean | undefined {
  return firstValue(headers, 'x-should-retry', (value) => {
    const v = value.trim().toLowerCase();
    return v === 'true' ? true : v === 'false' ? false : undefined;
  });
}

function parseMs(value: string): number | undefined {
  const v = value.trim();
  if (!DECIMAL.test(v)) return undefined;
  const ms = Number(v);
  return Number.isFinite(ms) ? ms : undefined;
}

function parseRetryAfter(value: string, wallNowMs: number): number | undefined {
  const v = value.trim();
  if (SECONDS.test(v)) {
    const ms = Number(v) * 1000;
    return Number.isFinite(ms) ? ms : undefined;
  }
  // A date has a weekday or month name; Date.parse alone accepts junk such as "1" or "2.5".
  if (!/[a-z]{3}/i.test(v)) return undefined;
  const at = Date.parse(ASCTIME.test(v) ? `${v} GMT` : v);
  return Number.isFinite(at) ? Math.max(0, at - wallNowMs) : undefined;
}

function firstValue<T>(
  headers: HeaderBag,
  name: string,
  parse: (value: string) => T | undefined,
): T | undefined {
  const raw = lookup(headers, name);
  if (typeof raw === 'string') return parse(raw);
  if (!Array.isArray(raw)) return undefined;
  for (const item of raw as unknown[]) {
    const parsed = typeof item === 'string' ? parse(item) : undefined;
    if (parsed !== undefined) return parsed;
  }
  return undefined;
}

/** Exact lower-case name first (what Node and undici produce); any casing as a fallback. */
function lookup(headers: HeaderBag, name: string): unknown {
  const direct = headers[name];
  if (direct !== undefined) return direct;
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() === name) return headers[key];
  }
  return undefined;
}
