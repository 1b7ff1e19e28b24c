import { describe, expect, it } from 'vitest';
import { fullJitterBackoffMs } from '../../src/resilience/index.js';

const half = (): number => 0.5;

describe('fullJitterBackoffMs', () => {
  it.each([
    [0, 250],
    [1, 500],
    [2, 1_000],
    [3, 2_000],
    [4, 4_000],
    [5, 4_000],
    [60, 4_000],
    [5_000, 4_000],
  ])('draws half the ceiling for retry %i with random 0.5 (defaults 500/8000)', (index, want) => {
    expect(fullJitterBackoffMs(index, { random: half })).toBe(want);
  });

  it('returns 0 for a random draw of 0', () => {
    expect(fullJitterBackoffMs(3, { random: () => 0 })).toBe(0);
  });

  it('stays below the ceiling for a draw just under 1', () => {
    const draw = 1 - Number.EPSILON;
    expect(fullJitterBackoffMs(0, { random: () => draw })).toBeLessThan(500);
    expect(fullJitterBackoffMs(10, { random: () => draw })).toBeLessThan(8_000);
  });

  it('honours custom base and cap', () => {
    expect(fullJitterBackoffMs(0, { baseMs: 100, capMs: 300, random: half })).toBe(50);
    expect(fullJitterBackoffMs(1, { baseMs: 100, capMs: 300, random: half })).toBe(100);
    expect(fullJitterBackoffMs(2, { baseMs: 100, capMs: 300, random: half })).toBe(150);
  });

  it('treats negative and fractional retry indexes as floored, never below 0', () => {
    expect(fullJitterBackoffMs(-3, { random: half })).toBe(250);
    expect(fullJitterBackoffMs(1.9, { random: half })).toBe(500);
  });

  it('keeps every draw of a seeded sequence within [0, min(cap, base * 2^i))', () => {
    let seed = 42;
    // A small LCG: deterministic, spread over [0, 1).
    const random = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    for (let i = 0; i < 8; i++) {
      const ceiling = Math.min(8_000, 500 * 2 ** i);
      for (let n = 0; n < 200; n++) {
        const ms = fullJitterBackoffMs(i, { random });
        expect(ms).toBeGreaterThanOrEqual(0);
        expect(ms).toBeLessThan(ceiling);
      }
    }
  });

  it('uses Math.random by default and stays within bounds', () => {
    for (let n = 0; n < 100; n++) {
      const ms = fullJitterBackoffMs(2);
      expect(ms).toBeGreaterThanOrEqual(0);
      expect(ms).toBeLessThan(2_000);
    }
  });
});
