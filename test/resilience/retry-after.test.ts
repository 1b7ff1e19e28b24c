import { describe, expect, it } from 'vitest';
import { parseRetryAfterMs, parseShouldRetry } from '../../src/resilience/index.js';
import type { HeaderBag } from '../../src/resilience/index.js';
import { ManualClock } from '../../src/time/manual-clock.js';

// Wall time of the injected clock: 2026-01-01T00:00:00Z plus whatever the clock advanced.
const clock = new ManualClock(0, Date.UTC(2026, 0, 1));
const wallNow = clock.wallNow();

describe('parseRetryAfterMs', () => {
  it.each<[string, HeaderBag, number | undefined]>([
    ['no header', {}, undefined],
    ['retry-after-ms integer', { 'retry-after-ms': '150' }, 150],
    ['retry-after-ms fractional', { 'retry-after-ms': '12.5' }, 12.5],
    ['retry-after-ms with spaces', { 'retry-after-ms': ' 80 ' }, 80],
    ['retry-after-ms exponent', { 'retry-after-ms': '1e3' }, 1_000],
    ['retry-after-ms wins over retry-after', { 'retry-after-ms': '150', 'retry-after': '2' }, 150],
    ['retry-after-ms junk falls back', { 'retry-after-ms': 'soon', 'retry-after': '2' }, 2_000],
    ['retry-after-ms negative falls back', { 'retry-after-ms': '-5', 'retry-after': '1' }, 1_000],
    ['retry-after-ms overflow is junk', { 'retry-after-ms': '1e400' }, undefined],
    ['retry-after seconds', { 'retry-after': '2' }, 2_000],
    ['retry-after zero', { 'retry-after': '0' }, 0],
    ['retry-after fractional seconds', { 'retry-after': '1.5' }, 1_500],
    ['retry-after large', { 'retry-after': '120' }, 120_000],
    ['retry-after negative', { 'retry-after': '-1' }, undefined],
    ['retry-after junk', { 'retry-after': 'later' }, undefined],
    ['retry-after empty', { 'retry-after': '' }, undefined],
    ['retry-after number with unit', { 'retry-after': '5s' }, undefined],
    ['retry-after hex', { 'retry-after': '0x10' }, undefined],
    ['IMF-fixdate 10 s ahead', { 'retry-after': 'Thu, 01 Jan 2026 00:00:10 GMT' }, 10_000],
    ['IMF-fixdate in the past floors at 0', { 'retry-after': 'Wed, 31 Dec 2025 23:59:00 GMT' }, 0],
    ['RFC 850 date', { 'retry-after': 'Thursday, 01-Jan-26 00:01:00 GMT' }, 60_000],
    ['asctime date read as GMT', { 'retry-after': 'Thu Jan  1 00:00:30 2026' }, 30_000],
    ['nonsense date', { 'retry-after': 'Fri, 99 Foo 2026 99:99:99 GMT' }, undefined],
    ['array: first value', { 'retry-after': ['3', '9'] }, 3_000],
    ['array: junk skipped', { 'retry-after': ['junk', '4'] }, 4_000],
    ['array: empty', { 'retry-after': [] }, undefined],
    ['mixed-case header name', { 'Retry-After': '5' }, 5_000],
    ['undefined value', { 'retry-after': undefined }, undefined],
  ])('%s', (_name, headers, want) => {
    expect(parseRetryAfterMs(headers, wallNow)).toBe(want);
  });

  it('counts an HTTP-date from the injected wall time, not the real one', async () => {
    const c = new ManualClock(0, Date.UTC(2026, 0, 1));
    const headers = { 'retry-after': 'Thu, 01 Jan 2026 00:00:10 GMT' };
    expect(parseRetryAfterMs(headers, c.wallNow())).toBe(10_000);
    await c.advance(4_000);
    expect(parseRetryAfterMs(headers, c.wallNow())).toBe(6_000);
  });

  it('survives non-string values smuggled into the header bag', () => {
    const headers = { 'retry-after': [42, null, '7'] } as unknown as HeaderBag;
    expect(parseRetryAfterMs(headers, wallNow)).toBe(7_000);
    expect(parseRetryAfterMs({ 'retry-after': 5 } as unknown as HeaderBag, wallNow)).toBe(
      undefined,
    );
  });
});

describe('parseShouldRetry', () => {
  it.each<[HeaderBag, boolean | undefined]>([
    [{}, undefined],
    [{ 'x-should-retry': 'true' }, true],
    [{ 'x-should-retry': 'false' }, false],
    [{ 'x-should-retry': ' TRUE ' }, true],
    [{ 'x-should-retry': 'yes' }, undefined],
    [{ 'x-should-retry': ['maybe', 'false'] }, false],
    [{ 'X-Should-Retry': 'false' }, false],
  ])('%j -> %s', (headers, want) => {
    expect(parseShouldRetry(headers)).toBe(want);
  });
});
