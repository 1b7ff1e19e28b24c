import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AsyncCircuitBreaker, CircuitBreakerError } from '../../src/resilience/index.js';
import type { CircuitPermit, CircuitState } from '../../src/resilience/index.js';
import { ManualClock } from '../../src/time/manual-clock.js';

type Op =
  | { kind: 'check' }
  | { kind: 'settle'; pick: number; outcome: 'success' | 'failure' | 'release'; hint: number }
  | { kind: 'advance'; ms: number }
  | { kind: 'manual'; outcome: 'success' | 'failure' }
  | { kind: 'trip' }
  | { kind: 'reset' }
  | { kind: 'read' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.constant<Op>({ kind: 'check' }) },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('settle' as const),
      pick: fc.nat(),
      outcome: fc.constantFrom('success' as const, 'failure' as const, 'release' as const),
      hint: fc.integer({ min: 0, max: 3_000 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('advance' as const),
      ms: fc.integer({ min: 0, max: 1_500 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('manual' as const),
      outcome: fc.constantFrom('success' as const, 'failure' as const),
    }),
  },
  { weight: 1, arbitrary: fc.constant<Op>({ kind: 'trip' }) },
  { weight: 1, arbitrary: fc.constant<Op>({ kind: 'reset' }) },
  { weight: 2, arbitrary: fc.constant<Op>({ kind: 'read' }) },
);

interface Issued {
  permit: CircuitPermit;
  /** State changes seen before it was issued. */
  changes: number;
  issuedAt: number;
  settled: boolean;
}

/** Runs `ops` against a breaker, checking its invariants after every step. */
async function run(ops: Op[]): Promise<void> {
  const clock = new ManualClock();
  const breaker = new AsyncCircuitBreaker({
    failMax: 3,
    resetTimeoutMs: 1_000,
    probeTimeoutMs: 2_500,
    clock,
  });
  let changes = 0;
  breaker.onStateChange(() => changes++);
  const issued: Issued[] = [];
  for (const op of ops) {
    const stateBefore: CircuitState = breaker.currentState;
    const countBefore = breaker.failCounter;
    const changesBefore = changes;
    switch (op.kind) {
      case 'check': {
        try {
          const permit = breaker.check();
          expect(permit.isProbe).toBe(stateBefore !== 'closed');
          issued.push({ permit, changes, issuedAt: clock.now(), settled: false });
        } catch (err) {
          expect(err).toBeInstanceOf(CircuitBreakerError);
          expect(stateBefore).not.toBe('closed');
        }
        break;
      }
      case 'settle': {
        const entry = issued[op.pick % Math.max(1, issued.length)];
        if (entry === undefined) break;
        const stale = entry.changes !== changes;
        entry.permit[op.outcome](op.hint);
        if (stale || entry.settled) {
          // A stale or already-settled permit changes nothing.
          expect(breaker.currentState).toBe(stateBefore);
          expect(breaker.failCounter).toBe(countBefore);
          expect(changes).toBe(changesBefore);
        }
        entry.settled = true;
        break;
      }
      case 'advance':
        await clock.advance(op.ms);
        break;
      case 'manual':
        breaker[op.outcome]();
        break;
      case 'trip':
        breaker.trip();
        break;
      case 'reset':
        breaker.reset();
        break;
      case 'read':
        break;
    }
    const state = breaker.currentState;
    if (state === 'closed') expect(breaker.failCounter).toBeLessThan(3);
    expect(breaker.retryAfterMs).toBeGreaterThanOrEqual(0);
    if (state !== 'open') expect(breaker.retryAfterMs).toBe(0);
    if (state === 'half-open') {
      // At most one live probe: unsettled, issued in this state, not yet timed out.
      const live = issued.filter(
        (e) =>
          !e.settled &&
          e.permit.isProbe &&
          e.changes === changes &&
          clock.now() - e.issuedAt < 2_500,
      );
      expect(live.length).toBeLessThanOrEqual(1);
    }
  }
}

describe('AsyncCircuitBreaker under random operation sequences', () => {
  it('keeps its invariants: stale permits inert, one live probe, counter below failMax when closed', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 10, maxLength: 80, size: 'max' }), (ops) =>
        run(ops),
      ),
      { numRuns: 300 },
    );
  });
});
