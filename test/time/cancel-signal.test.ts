import { describe, expect, it } from 'vitest';
import { CancelSource } from '../../src/time/index.js';
import type { CancelSignal } from '../../src/time/index.js';

describe('CancelSource', () => {
  it('runs each listener once, in order, with the reason set, then holds none', () => {
    const source = new CancelSource();
    const seen: string[] = [];
    const first = (): void => void seen.push(`first:${String(source.reason)}`);
    source.addEventListener('abort', first);
    source.addEventListener('abort', first); // a second add of the same listener is ignored
    source.addEventListener('abort', () => seen.push(`second:${String(source.aborted)}`));
    source.abort('bye');
    source.abort('again');
    expect(seen).toEqual(['first:bye', 'second:true']);
    expect(source.reason).toBe('bye');
  });

  it('never runs a removed listener, nor one added after the abort', () => {
    const source = new CancelSource();
    let calls = 0;
    const listener = (): void => void calls++;
    source.addEventListener('abort', listener);
    source.removeEventListener('abort', listener);
    source.abort(new Error('x'));
    source.addEventListener('abort', listener);
    expect(calls).toBe(0);
  });

  it("defaults the reason to an AbortError, as AbortController's", () => {
    const source = new CancelSource();
    source.abort();
    expect(source.reason).toBeInstanceOf(DOMException);
    expect((source.reason as DOMException).name).toBe('AbortError');
  });

  it('runs the other listeners when one throws, and reports the error uncaught', async () => {
    const source = new CancelSource();
    const reported: unknown[] = [];
    const onUncaught = (err: unknown): void => void reported.push(err);
    // vitest listens for uncaught exceptions itself; take them over for this one microtask.
    const previous = process.listeners('uncaughtException');
    process.removeAllListeners('uncaughtException');
    process.on('uncaughtException', onUncaught);
    try {
      let later = false;
      source.addEventListener('abort', () => {
        throw new Error('listener failed');
      });
      source.addEventListener('abort', () => {
        later = true;
      });
      source.abort('stop');
      expect(later).toBe(true);
      await new Promise<void>((resolve) => setImmediate(resolve));
      expect(reported).toHaveLength(1);
      expect((reported[0] as Error).message).toBe('listener failed');
    } finally {
      process.off('uncaughtException', onUncaught);
      for (const listener of previous) process.on('uncaughtException', listener);
    }
  });

  it('accepts an AbortSignal wherever a CancelSignal is read (type and behaviour)', () => {
    const controller = new AbortController();
    const signal: CancelSignal = controller.signal;
    let reason: unknown;
    signal.addEventListener('abort', () => (reason = signal.reason), { once: true });
    controller.abort('why');
    expect(reason).toBe('why');
    expect(signal.aborted).toBe(true);
  });
});
