import type { RandomSource } from '../time/index.js';

/** Options of `fullJitterBackoffMs`. */
export interface BackoffOptions {
  /** Ceiling of the first retry's wait, in ms. Default 500. */
  baseMs?: number | undefined;
  /** Largest ceiling any retry's wait may have, in ms. Default 8000. */
  capMs?: number | undefined;
  /** Uniform random source in [0, 1). Default `Math.random`. */
  random?: RandomSource | undefined;
}

/**
 * "Full jitter" exponential backoff: a uniform draw in [0, min(cap, base * 2^retryIndex)).
 * Full jitter spreads retries of many simultaneous failures evenly, which is what keeps a
 * recovering backend from being hit by synchronized waves.
 * @param retryIndex 0 for the first retry; negative or fractional values count as 0 / floored.
 */
export function fullJitterBackoffMs(retryIndex: number, options: BackoffOptions = {}): number {
  const base = options.baseMs ?? 500;
  const cap = options.capMs ?? 8_000;
  const random = options.random ?? Math.random;
  const exponent = retryIndex > 0 ? Math.floor(retryIndex) : 0;
  // 2 ** large is Infinity, and min() brings it back to the cap.
  const ceiling = Math.max(0, Math.min(cap, base * 2 ** exponent));
  return random() * ceiling;
}
