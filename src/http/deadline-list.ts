import type { Clock, TimerHandle } from '../time/index.js';

/** A call that can be timed out by a `DeadlineList`. */
export interface Expirable {
  /** Clock time at which the call times out. Set by `DeadlineList.add`. */
  dueAt: number;
  prev: Expirable | undefined;
  next: Expirable | undefined;
  /** Called once when `dueAt` passed while the call was still in the list. */
  expire(): void;
}

/**
 * The in-flight non-streaming calls of one client, which all share one timeout, so their
 * deadlines come in start order: one clock timer for the oldest call serves them all. Adding and
 * removing are O(1) and create no timer; the timer re-arms itself lazily for the next oldest call
 * when it fires, and goes idle when the list is empty.
 *
 * Why not a timer per call: `setTimeout` + `clearTimeout` per call is a measurable share of a
 * loopback request (and much more under tsx, which wraps each closure a clock hands out).
 */
export class DeadlineList {
  private head: Expirable | undefined;
  private tail: Expirable | undefined;
  private timer: TimerHandle | undefined;
  private readonly fire = this.onTimer.bind(this);

  constructor(
    private readonly clock: Clock,
    private readonly timeoutMs: number,
  ) {}

  /** Starts timing `call` out `timeoutMs` from now. */
  add(call: Expirable): void {
    call.dueAt = this.clock.now() + this.timeoutMs;
    call.next = undefined;
    call.prev = this.tail;
    if (this.tail === undefined) this.head = call;
    else this.tail.next = call;
    this.tail = call;
    if (this.timer === undefined) this.timer = this.clock.setTimer(this.timeoutMs, this.fire);
  }

  /** Stops timing `call` (finished). Idempotent. */
  remove(call: Expirable): void {
    if (call.prev === undefined && this.head !== call) return; // not in the list
    if (call.prev === undefined) this.head = call.next;
    else call.prev.next = call.next;
    if (call.next === undefined) this.tail = call.prev;
    else call.next.prev = call.prev;
    call.prev = undefined;
    call.next = undefined;
  }

  private onTimer(): void {
    this.timer = undefined;
    const now = this.clock.now();
    let call = this.head;
    while (call !== undefined && call.dueAt <= now) {
      this.remove(call);
      call.expire();
      call = this.head;
    }
    if (call !== undefined) this.timer = this.clock.setTimer(call.dueAt - now, this.fire);
  }
}
