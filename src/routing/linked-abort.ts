/**
 * An AbortController that also aborts when a parent signal does, so one attempt can be cancelled
 * (first-byte deadline, consumer gone) without touching the caller's signal. `dispose()` unhooks
 * it from the parent so long-lived caller signals do not collect listeners.
 *
 * This is the one place a stream attempt's abort is combined (caller + router deadline + consumer
 * gone); backends hand its signal to the HTTP client as it is. Not `AbortSignal.any`: on Node
 * 20.20, 200,000 `AbortSignal.any([parent, own])` against one long-lived parent took 38 s and kept
 * ~440 MB (its dependants are only collected by GC), against 0.8 s and no growth for this class.
 */
export class LinkedAbort {
  private readonly controller = new AbortController();
  private readonly onParentAbort = (): void => {
    this.controller.abort((this.parent as AbortSignal).reason);
  };

  constructor(private readonly parent: AbortSignal | undefined) {
    if (parent === undefined) return;
    if (parent.aborted) this.controller.abort(parent.reason);
    else parent.addEventListener('abort', this.onParentAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  abort(reason?: unknown): void {
    this.controller.abort(reason);
  }

  dispose(): void {
    this.parent?.removeEventListener('abort', this.onParentAbort);
  }
}
