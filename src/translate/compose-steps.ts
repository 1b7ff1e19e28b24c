import type { StreamStep } from './stream-transform.js';

/**
 * `first` then `second` as one step: what `first` produces for an item is pushed through
 * `second` in the same call, so a composition costs no buffering or extra async hop.
 */
export function composeSteps<A, B, C>(
  first: StreamStep<A, B>,
  second: StreamStep<B, C>,
): StreamStep<A, C> {
  const middle = first.out;
  const pass = (): void => {
    for (let i = 0; i < middle.length; i++) second.push(middle[i] as B);
    middle.length = 0;
  };
  return {
    out: second.out,
    push(item: A): void {
      first.push(item);
      pass();
    },
    end(): void {
      first.end();
      pass();
      second.end();
    },
  };
}
