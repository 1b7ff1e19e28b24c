import type { ServerResponse } from 'node:http';
import { LlmFailoverError } from '../errors/index.js';
import { CancelSource } from '../time/index.js';
import type { CancelSignal, Clock } from '../time/index.js';

/**
 * The requests being answered: what a shutdown waits for and then aborts, and what a reload
 * (`useRouter`) drains before the old router's backends may be closed.
 */
export class InFlightRequests {
  private readonly controllers = new Set<CancelSource>();
  private onIdle: (() => void) | undefined;
  /** Called with each request's controller as it ends (reload drains). */
  private readonly ended = new Set<(controller: CancelSource) => void>();

  constructor(private readonly clock: Clock) {}

  get size(): number {
    return this.controllers.size;
  }

  /**
   * Runs `serve` with a signal that aborts when the client goes away (or at shutdown). The
   * request is in flight until `serve` settles and `res` has closed.
   */
  track(res: ServerResponse, serve: (signal: CancelSignal) => Promise<void>): void {
    // The request's cancel signal (client gone, shutdown): a CancelSource, see there why.
    const controller = new CancelSource();
    this.controllers.add(controller);
    // In flight until the handler is done and the response closed ('close' comes once, after
    // the answer has reached the socket or when the client went away), so shutdown cannot cut an
    // answer short. One listener and a count: no promise or listener pair per request for it.
    let open = 2;
    const done = (): void => {
      if (--open > 0) return;
      this.controllers.delete(controller);
      for (const onEnd of this.ended) onEnd(controller);
      if (this.controllers.size === 0) this.onIdle?.();
    };
    res.once('close', () => {
      // 'close' before the answer ended means the client went away: abort the upstream now.
      // Not `writableFinished`: that stays false while the socket still holds the answer's last
      // bytes, which made nearly every streamed answer abort its finished request (an error
      // built and abort listeners run per request, for nothing).
      if (!res.writableEnded)
        controller.abort(new LlmFailoverError('ABORTED', 'client disconnected'));
      done();
    });
    void serve(controller).then(done, done);
  }

  /** Resolves once every request in flight now has ended (later ones are not waited for). */
  drained(): Promise<void> {
    const before = new Set(this.controllers);
    if (before.size === 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const onEnd = (controller: CancelSource): void => {
        before.delete(controller);
        if (before.size > 0) return;
        this.ended.delete(onEnd);
        resolve();
      };
      this.ended.add(onEnd);
    });
  }

  /** Resolves when no request is in flight any more, or after `ms`. */
  idleOrAfter(ms: number): Promise<void> {
    if (this.controllers.size === 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = this.clock.setTimer(ms, () => resolve());
      this.onIdle = () => {
        timer.clear();
        resolve();
      };
    });
  }

  /** Aborts every request in flight with `reason`; each handler answers it in its protocol. */
  abortAll(reason: unknown): void {
    for (const controller of this.controllers) controller.abort(reason);
  }
}
