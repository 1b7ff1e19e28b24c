import { describe, expect, it } from 'vitest';
import { AsyncCircuitBreaker, CircuitBreakerError } from '../../src/resilience/index.js';
import type { CircuitPermit, CircuitStateChange } from '../../src/resilience/index.js';
import { isLlmFailoverError } from '../../src/errors/index.js';
import { ManualClock } from '../../src/time/manual-clock.js';

function setup(
  options: {
    failMax?: number;
    resetTimeoutMs?: number;
    probeTimeoutMs?: number;
    maxRetryAfterMs?: number;
  } = {},
) {
  const clock = new ManualClock(1_000);
  const breaker = new AsyncCircuitBreaker({
    name: 'openai-main',
    failMax: 3,
    resetTimeoutMs: 1_000,
    clock,
    ...options,
  });
  return { clock, breaker };
}

function failTimes(breaker: AsyncCircuitBreaker, n: number, retryAfterMs?: number): void {
  for (let i = 0; i < n; i++) breaker.check().failure(retryAfterMs);
}

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('AsyncCircuitBreaker in closed state', () => {
  it('starts closed with no failures and no wait', () => {
    const { breaker } = setup();
    expect(breaker.currentState).toBe('closed');
    expect(breaker.failCounter).toBe(0);
    expect(breaker.retryAfterMs).toBe(0);
    expect(breaker.check().isProbe).toBe(false);
  });

  it('uses the documented defaults', () => {
    const breaker = new AsyncCircuitBreaker();
    expect(breaker.name).toBe('circuit');
    expect(breaker.failMax).toBe(5);
    expect(breaker.resetTimeoutMs).toBe(30_000);
    expect(breaker.probeTimeoutMs).toBe(60_000);
  });

  it('trips open after failMax consecutive failures and not before', () => {
    const { breaker } = setup();
    failTimes(breaker, 2);
    expect(breaker.currentState).toBe('closed');
    expect(breaker.failCounter).toBe(2);
    breaker.check().failure();
    expect(breaker.currentState).toBe('open');
    expect(breaker.failCounter).toBe(3);
  });

  it('resets the consecutive counter on a permit success', () => {
    const { breaker } = setup();
    failTimes(breaker, 2);
    breaker.check().success();
    expect(breaker.failCounter).toBe(0);
    failTimes(breaker, 2);
    expect(breaker.currentState).toBe('closed');
  });

  it('counts neither success nor failure for a released permit', () => {
    const { breaker } = setup();
    failTimes(breaker, 2);
    breaker.check().release();
    expect(breaker.failCounter).toBe(2);
  });

  it('ignores every outcome of a permit after its first', () => {
    const { breaker } = setup();
    const permit = breaker.check();
    permit.failure();
    permit.failure();
    permit.success();
    expect(breaker.failCounter).toBe(1);
    const other = breaker.check();
    other.release();
    other.failure();
    expect(breaker.failCounter).toBe(1);
  });

  it('keeps two breakers independent', () => {
    const { breaker, clock } = setup();
    const other = new AsyncCircuitBreaker({ name: 'b', failMax: 1, clock });
    other.check().failure();
    expect(other.currentState).toBe('open');
    expect(breaker.currentState).toBe('closed');
    expect(breaker.failCounter).toBe(0);
  });
});

describe('AsyncCircuitBreaker when open', () => {
  it('refuses calls with a CircuitBreakerError that names the breaker and the wait', async () => {
    const { breaker, clock } = setup();
    failTimes(breaker, 3);
    await clock.advance(400);
    const err = catchError(() => breaker.check());
    expect(err).toBeInstanceOf(CircuitBreakerError);
    expect(isLlmFailoverError(err, 'CIRCUIT_OPEN')).toBe(true);
    const e = err as CircuitBreakerError;
    expect(e.name).toBe('CircuitBreakerError');
    expect(e.breakerName).toBe('openai-main');
    expect(e.backend).toBe('openai-main');
    expect(e.retryAfterMs).toBe(600);
    expect(e.message).toContain('"openai-main"');
    expect(e.toJSON()).toMatchObject({ code: 'CIRCUIT_OPEN', retryAfterMs: 600 });
  });

  it('reports the time until a probe is allowed, counting down', async () => {
    const { breaker, clock } = setup();
    failTimes(breaker, 3);
    expect(breaker.retryAfterMs).toBe(1_000);
    await clock.advance(250);
    expect(breaker.retryAfterMs).toBe(750);
  });

  it('turns half-open lazily on read once the period passed, without any timer', async () => {
    const { breaker, clock } = setup();
    failTimes(breaker, 3);
    expect(clock.pendingTimers).toBe(0);
    await clock.advance(999);
    expect(breaker.currentState).toBe('open');
    await clock.advance(1);
    expect(breaker.currentState).toBe('half-open');
    expect(breaker.retryAfterMs).toBe(0);
  });

  it('stays open for the Retry-After of the tripping failure when longer than resetTimeoutMs', async () => {
    const { breaker, clock } = setup();
    failTimes(breaker, 2);
    breaker.check().failure(5_000);
    expect(breaker.retryAfterMs).toBe(5_000);
    await clock.advance(4_999);
    expect(() => breaker.check()).toThrow(CircuitBreakerError);
    await clock.advance(1);
    expect(breaker.check().isProbe).toBe(true);
  });

  it('caps the open period a Retry-After hint asks for at maxRetryAfterMs (default 60 s)', async () => {
    const { breaker, clock } = setup();
    failTimes(breaker, 2);
    breaker.check().failure(3_600_000);
    expect(breaker.retryAfterMs).toBe(60_000);
    await clock.advance(60_000);
    expect(breaker.check().isProbe).toBe(true);
  });

  it('takes the Retry-After cap from its options, never going below resetTimeoutMs', () => {
    const capped = setup({ maxRetryAfterMs: 5_000 });
    failTimes(capped.breaker, 2);
    capped.breaker.check().failure(3_600_000);
    expect(capped.breaker.retryAfterMs).toBe(5_000);
    const floor = setup({ maxRetryAfterMs: 0 });
    failTimes(floor.breaker, 2);
    floor.breaker.check().failure(3_600_000);
    expect(floor.breaker.retryAfterMs).toBe(1_000);
  });

  it('refuses a negative maxRetryAfterMs', () => {
    expect(() => new AsyncCircuitBreaker({ maxRetryAfterMs: -1 })).toThrow(/maxRetryAfterMs/);
  });

  it('stays open at least resetTimeoutMs when the hint is shorter or unusable', () => {
    for (const hint of [10, -5, Number.NaN, Infinity]) {
      const { breaker } = setup();
      failTimes(breaker, 2);
      breaker.check().failure(hint);
      expect(breaker.retryAfterMs).toBe(1_000);
    }
  });

  it('ignores hints of failures that did not trip it', () => {
    const { breaker } = setup();
    breaker.check().failure(60_000);
    failTimes(breaker, 2);
    expect(breaker.retryAfterMs).toBe(1_000);
  });

  it('does not extend the open period on a manual failure while open', async () => {
    const { breaker, clock } = setup();
    failTimes(breaker, 3);
    await clock.advance(500);
    breaker.failure(10_000);
    expect(breaker.retryAfterMs).toBe(500);
    expect(breaker.failCounter).toBe(3);
  });
});

describe('AsyncCircuitBreaker in half-open', () => {
  async function halfOpen(options: { probeTimeoutMs?: number } = {}) {
    const s = setup(options);
    failTimes(s.breaker, 3);
    await s.clock.advance(1_000);
    return s;
  }

  it('admits exactly one of 50 concurrent callers; 49 are refused at once', async () => {
    const { breaker } = await halfOpen();
    const permits: CircuitPermit[] = [];
    const errors: unknown[] = [];
    for (let i = 0; i < 50; i++) {
      try {
        permits.push(breaker.check());
      } catch (err) {
        errors.push(err);
      }
    }
    expect(permits).toHaveLength(1);
    expect(permits[0]?.isProbe).toBe(true);
    expect(errors).toHaveLength(49);
    for (const err of errors) {
      expect(err).toBeInstanceOf(CircuitBreakerError);
      expect((err as CircuitBreakerError).retryAfterMs).toBe(0);
      expect((err as Error).message).toContain('probe');
    }
  });

  it('closes with a zero counter when the probe succeeds', async () => {
    const { breaker } = await halfOpen();
    breaker.check().success();
    expect(breaker.currentState).toBe('closed');
    expect(breaker.failCounter).toBe(0);
    expect(breaker.check().isProbe).toBe(false);
  });

  it('re-opens for a fresh period when the probe fails', async () => {
    const { breaker, clock } = await halfOpen();
    const probe = breaker.check();
    await clock.advance(300);
    probe.failure();
    expect(breaker.currentState).toBe('open');
    expect(breaker.failCounter).toBe(4);
    expect(breaker.retryAfterMs).toBe(1_000);
    await clock.advance(999);
    expect(() => breaker.check()).toThrow(CircuitBreakerError);
  });

  it('re-opens for the probe failure Retry-After when longer', async () => {
    const { breaker } = await halfOpen();
    breaker.check().failure(7_500);
    expect(breaker.retryAfterMs).toBe(7_500);
  });

  it('lets the next caller become the probe after the probe is released', async () => {
    const { breaker } = await halfOpen();
    const first = breaker.check();
    expect(() => breaker.check()).toThrow(CircuitBreakerError);
    first.release();
    expect(breaker.currentState).toBe('half-open');
    const second = breaker.check();
    expect(second.isProbe).toBe(true);
    expect(() => breaker.check()).toThrow(CircuitBreakerError);
    second.success();
    expect(breaker.currentState).toBe('closed');
  });

  it('frees the slot of a probe never settled within probeTimeoutMs', async () => {
    const { breaker, clock } = await halfOpen({ probeTimeoutMs: 5_000 });
    const abandoned = breaker.check();
    await clock.advance(4_999);
    expect(() => breaker.check()).toThrow(CircuitBreakerError);
    await clock.advance(1);
    const next = breaker.check();
    expect(next.isProbe).toBe(true);
    expect(() => breaker.check()).toThrow(CircuitBreakerError);
    next.failure();
    expect(breaker.currentState).toBe('open');
    abandoned.success(); // from before the re-open: stale
    expect(breaker.currentState).toBe('open');
  });

  it('still closes on the success of a probe that outlived probeTimeoutMs', async () => {
    const { breaker, clock } = await halfOpen({ probeTimeoutMs: 5_000 });
    const slow = breaker.check();
    await clock.advance(5_000);
    const next = breaker.check();
    slow.success(); // a long stream finishing: the backend is up
    expect(breaker.currentState).toBe('closed');
    next.failure(); // from the half-open period that just ended: stale
    expect(breaker.currentState).toBe('closed');
    expect(breaker.failCounter).toBe(0);
  });

  it('still re-opens on the failure of a probe that outlived probeTimeoutMs', async () => {
    const { breaker, clock } = await halfOpen({ probeTimeoutMs: 5_000 });
    const slow = breaker.check();
    await clock.advance(5_000);
    breaker.check();
    slow.failure(3_000);
    expect(breaker.currentState).toBe('open');
    expect(breaker.retryAfterMs).toBe(3_000);
  });

  it('does not let a superseded probe release the slot of the probe that replaced it', async () => {
    const { breaker, clock } = await halfOpen({ probeTimeoutMs: 5_000 });
    const slow = breaker.check();
    await clock.advance(5_000);
    const current = breaker.check();
    slow.release();
    expect(() => breaker.check()).toThrow(CircuitBreakerError);
    current.release();
    expect(breaker.check().isProbe).toBe(true);
  });

  it('closes under steady load even when every call takes longer than probeTimeoutMs', async () => {
    // Each caller arrives every 1 s and needs 3.5 s; probes are superseded after 2 s.
    const { breaker, clock } = await halfOpen({ probeTimeoutMs: 2_000 });
    const inFlight: { permit: CircuitPermit; doneAt: number }[] = [];
    for (let t = 0; t < 20 && breaker.currentState !== 'closed'; t++) {
      for (const call of inFlight.filter((c) => c.doneAt === clock.now())) call.permit.success();
      try {
        inFlight.push({ permit: breaker.check(), doneAt: clock.now() + 3_500 });
      } catch {
        // refused: the probe slot is taken
      }
      await clock.advance(500);
      for (const call of inFlight.filter((c) => c.doneAt === clock.now())) call.permit.success();
      await clock.advance(500);
    }
    expect(breaker.currentState).toBe('closed');
  });

  it('closes on a manual success and re-opens on a manual failure', async () => {
    const { breaker, clock } = await halfOpen();
    breaker.success();
    expect(breaker.currentState).toBe('closed');
    failTimes(breaker, 3);
    await clock.advance(1_000);
    breaker.failure(2_000);
    expect(breaker.currentState).toBe('open');
    expect(breaker.retryAfterMs).toBe(2_000);
  });
});

describe('AsyncCircuitBreaker stale permits', () => {
  it('does not let a slow success from before the trip close the open breaker', () => {
    const { breaker } = setup();
    const slow = breaker.check();
    failTimes(breaker, 3);
    slow.success();
    expect(breaker.currentState).toBe('open');
    expect(breaker.failCounter).toBe(3);
  });

  it('does not let a slow success from before the trip close the breaker in half-open', async () => {
    const { breaker, clock } = setup();
    const slow = breaker.check();
    failTimes(breaker, 3);
    await clock.advance(1_000);
    expect(breaker.currentState).toBe('half-open');
    slow.success();
    expect(breaker.currentState).toBe('half-open');
    expect(breaker.check().isProbe).toBe(true);
  });

  it('does not let a stale failure re-trip the breaker once it closed again', async () => {
    const { breaker, clock } = setup();
    const stale = [breaker.check(), breaker.check(), breaker.check()];
    failTimes(breaker, 3);
    await clock.advance(1_000);
    breaker.check().success();
    for (const permit of stale) permit.failure();
    expect(breaker.currentState).toBe('closed');
    expect(breaker.failCounter).toBe(0);
  });

  it('does not let a stale failure re-open a half-open breaker', async () => {
    const { breaker, clock } = setup();
    const stale = breaker.check();
    failTimes(breaker, 3);
    await clock.advance(1_000);
    stale.failure();
    expect(breaker.currentState).toBe('half-open');
  });

  it('makes outstanding permits stale on trip() and reset()', () => {
    const { breaker } = setup();
    const before = breaker.check();
    breaker.trip();
    breaker.reset();
    failTimes(breaker, 2);
    before.failure();
    expect(breaker.failCounter).toBe(2);
    expect(breaker.currentState).toBe('closed');
  });
});

describe('AsyncCircuitBreaker manual control', () => {
  it('records manual failures and successes like permits while closed', () => {
    const { breaker } = setup();
    breaker.failure();
    breaker.failure();
    expect(breaker.failCounter).toBe(2);
    breaker.success();
    expect(breaker.failCounter).toBe(0);
    breaker.failure();
    breaker.failure();
    breaker.failure(3_000);
    expect(breaker.currentState).toBe('open');
    expect(breaker.retryAfterMs).toBe(3_000);
  });

  it('ignores a manual success while open', () => {
    const { breaker } = setup();
    failTimes(breaker, 3);
    breaker.success();
    expect(breaker.currentState).toBe('open');
  });

  it('trips open for the given period, or resetTimeoutMs by default', async () => {
    const { breaker, clock } = setup();
    breaker.trip(250);
    expect(breaker.currentState).toBe('open');
    expect(breaker.retryAfterMs).toBe(250);
    await clock.advance(250);
    expect(breaker.currentState).toBe('half-open');
    breaker.trip();
    expect(breaker.retryAfterMs).toBe(1_000);
  });

  it('resets to closed with a zero counter', () => {
    const { breaker } = setup();
    failTimes(breaker, 3);
    breaker.reset();
    expect(breaker.currentState).toBe('closed');
    expect(breaker.failCounter).toBe(0);
    expect(breaker.check().isProbe).toBe(false);
  });

  it('rejects invalid options with INVALID_CONFIG', () => {
    for (const options of [
      { failMax: 0 },
      { failMax: 1.5 },
      { resetTimeoutMs: -1 },
      { probeTimeoutMs: 0 },
    ]) {
      const err = catchError(() => new AsyncCircuitBreaker(options));
      expect(isLlmFailoverError(err, 'INVALID_CONFIG')).toBe(true);
    }
  });
});

describe('AsyncCircuitBreaker state-change events', () => {
  it('reports every transition with the breaker name, in order', async () => {
    const { breaker, clock } = setup();
    const seen: CircuitStateChange[] = [];
    breaker.onStateChange((c) => seen.push(c));
    failTimes(breaker, 3);
    await clock.advance(1_000);
    breaker.check().failure();
    await clock.advance(1_000);
    breaker.check().success();
    expect(seen).toEqual([
      { name: 'openai-main', from: 'closed', to: 'open' },
      { name: 'openai-main', from: 'open', to: 'half-open' },
      { name: 'openai-main', from: 'half-open', to: 'open' },
      { name: 'openai-main', from: 'open', to: 'half-open' },
      { name: 'openai-main', from: 'half-open', to: 'closed' },
    ]);
  });

  it('reports nothing for calls that change no state', () => {
    const { breaker } = setup();
    let count = 0;
    breaker.onStateChange(() => count++);
    breaker.check().success();
    breaker.failure();
    breaker.reset();
    expect(count).toBe(0);
  });

  it('stops calling a listener once disposed, leaving other listeners', () => {
    const { breaker } = setup();
    const a: string[] = [];
    const b: string[] = [];
    const disposeA = breaker.onStateChange((c) => a.push(c.to));
    breaker.onStateChange((c) => b.push(c.to));
    breaker.trip();
    disposeA();
    disposeA();
    breaker.reset();
    expect(a).toEqual(['open']);
    expect(b).toEqual(['open', 'closed']);
  });

  it('survives a throwing listener and still calls the others', () => {
    const { breaker } = setup();
    const seen: string[] = [];
    breaker.onStateChange(() => {
      throw new Error('observer bug');
    });
    breaker.onStateChange((c) => seen.push(c.to));
    expect(() => failTimes(breaker, 3)).not.toThrow();
    expect(breaker.currentState).toBe('open');
    expect(seen).toEqual(['open']);
  });

  it('hands the probe to the caller whose check() moved it to half-open', async () => {
    const { breaker, clock } = setup();
    failTimes(breaker, 3);
    await clock.advance(1_000);
    let stateSeen = '';
    breaker.onStateChange(() => {
      stateSeen = breaker.currentState;
    });
    expect(breaker.check().isProbe).toBe(true);
    expect(stateSeen).toBe('half-open');
    expect(() => breaker.check()).toThrow(CircuitBreakerError);
  });
});

describe('AsyncCircuitBreaker.trip while already open', () => {
  it('keeps a longer open period already running (the server Retry-After wins)', () => {
    const { breaker } = setup();
    failTimes(breaker, 2);
    breaker.check().failure(60_000);
    breaker.trip(5_000);
    expect(breaker.retryAfterMs).toBe(60_000);
  });

  it('extends a shorter open period already running', async () => {
    const { breaker, clock } = setup();
    failTimes(breaker, 3);
    await clock.advance(900);
    breaker.trip(5_000);
    expect(breaker.retryAfterMs).toBe(5_000);
  });

  it('re-opens a half-open breaker for the given period and makes the probe stale', async () => {
    const { breaker, clock } = setup();
    failTimes(breaker, 3);
    await clock.advance(1_000);
    const probe = breaker.check();
    breaker.trip(2_000);
    probe.success();
    expect(breaker.currentState).toBe('open');
    expect(breaker.retryAfterMs).toBe(2_000);
  });
});
