import { performance } from 'node:perf_hooks';
import { abortReason } from './abort.js';
import type { Clock, TimerHandle } from './clock.js';
import type { CancelSignal } from './cancel-signal.js';

/** The real clock: `performance.now()` for intervals, `Date.now()` for HTTP dates. */
export const systemClock: Clock = {
  now: () => performance.now(),
  wallNow: () => Date.now(),
  sleep(ms: number, signal?: CancelSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(abortReason(signal as CancelSignal));
      };
      const timer = setTimeout(
        () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        Math.max(0, ms),
      );
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  },
  setTimer(ms: number, callback: () => void): TimerHandle {
    const timer = setTimeout(callback, Math.max(0, ms));
    timer.unref();
    return {
      refresh: () => void timer.refresh(),
      clear: () => clearTimeout(timer),
    };
  },
};
