interface Waiter {
  done: () => boolean;
  resolve: () => void;
}

/** Promises that resolve once a condition holds; `check()` re-evaluates them after a change. */
export class ConditionWaiters {
  private readonly waiters: Waiter[] = [];

  /** Resolves once `done()` is true (at once when it already is). */
  wait(done: () => boolean): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise<void>((resolve) => this.waiters.push({ done, resolve }));
  }

  /** Resolves the waiters whose condition now holds. Cheap when nobody waits. */
  check(): void {
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const w = this.waiters[i];
      if (w?.done() === true) {
        this.waiters.splice(i, 1);
        w.resolve();
      }
    }
  }
}
