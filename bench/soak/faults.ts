// The faults a soak upstream plays, one per attempt, drawn from (seed, backend, request id,
// attempt number): the same seed gives every request the same faults whatever the concurrency.
import { Draw } from './random.js';
import type { BackendName } from './answers.js';

export type Fault =
  | { kind: 'ok' }
  /** HTTP error with an error body in the upstream's protocol and a Retry-After. */
  | { kind: 'status'; status: 429 | 500 | 503; retryAfterSeconds: number }
  /** The socket is destroyed before any byte of the answer. */
  | { kind: 'resetBeforeAnswer' }
  /** Headers, then the socket is destroyed before the first event / body byte. */
  | { kind: 'resetAfterHeaders' }
  /** Headers, then nothing for `ms`, then the normal answer. */
  | { kind: 'stallFirstByte'; ms: number }
  /** `after` events, then nothing for `ms`, then the rest. */
  | { kind: 'stallMidStream'; after: number; ms: number }
  /** `after` events (JSON: part of the body), then the socket is destroyed. */
  | { kind: 'cut'; after: number }
  /** `after` events, then a clean end of the HTTP body with no terminal event (JSON: half a body). */
  | { kind: 'endWithoutTerminal'; after: number }
  /** `after` events, then a garbage event, then the rest (JSON: a body that is not JSON). */
  | { kind: 'garbage'; after: number }
  /** Every event (JSON: every body slice) `ms` apart. */
  | { kind: 'trickle'; ms: number }
  /** A 200 stream whose first event is the protocol's error event (JSON: a 500). */
  | { kind: 'errorFirst' }
  /** `after` events, then the protocol's error event, then the end. */
  | { kind: 'errorMidStream'; after: number }
  /** Keep-alive pings every 200 ms for `ms`, then the answer (or nothing when `thenStall`). */
  | { kind: 'pingsOnly'; ms: number; thenStall: boolean };

export type FaultKind = Fault['kind'];

/** Relative frequency of each fault; about half the attempts fail one way or another. */
const WEIGHTS: Record<FaultKind, number> = {
  ok: 50,
  status: 10,
  resetBeforeAnswer: 5,
  resetAfterHeaders: 4,
  stallFirstByte: 3,
  stallMidStream: 4,
  cut: 6,
  endWithoutTerminal: 4,
  garbage: 3,
  trickle: 4,
  errorFirst: 3,
  errorMidStream: 3,
  pingsOnly: 2,
};

/**
 * The fault for one attempt. Stalls are bounded (up to 3 s): longer than the gateway's idle and
 * first-byte deadlines in the soak config sometimes, so both "waited it out" and "gave up" happen.
 */
export function pickFault(seed: number, backend: BackendName, id: number, attempt: number): Fault {
  const draw = new Draw(seed, 'fault', backend, id, attempt);
  const kind = draw.weighted(WEIGHTS);
  switch (kind) {
    case 'ok':
    case 'resetBeforeAnswer':
    case 'resetAfterHeaders':
    case 'errorFirst':
      return { kind };
    case 'status':
      return {
        kind,
        status: draw.pick([429, 500, 503] as const),
        retryAfterSeconds: draw.pick([0, 0, 1]),
      };
    case 'stallFirstByte':
      return { kind, ms: draw.int(200, 3000) };
    case 'stallMidStream':
      return { kind, after: draw.int(1, 6), ms: draw.int(200, 3000) };
    case 'cut':
    case 'endWithoutTerminal':
    case 'garbage':
    case 'errorMidStream':
      return { kind, after: draw.int(0, 8) };
    case 'trickle':
      return { kind, ms: draw.int(5, 60) };
    case 'pingsOnly':
      return { kind, ms: draw.int(200, 3000), thenStall: draw.float() < 0.3 };
  }
}

/** A short label for reports, e.g. `cut@3`. */
export function describeFault(fault: Fault): string {
  switch (fault.kind) {
    case 'status':
      return `status ${fault.status} retry-after ${fault.retryAfterSeconds}`;
    case 'stallFirstByte':
    case 'trickle':
      return `${fault.kind} ${fault.ms}ms`;
    case 'stallMidStream':
      return `${fault.kind}@${fault.after} ${fault.ms}ms`;
    case 'cut':
    case 'endWithoutTerminal':
    case 'garbage':
    case 'errorMidStream':
      return `${fault.kind}@${fault.after}`;
    case 'pingsOnly':
      return `pingsOnly ${fault.ms}ms${fault.thenStall ? ' then stall' : ''}`;
    case 'ok':
    case 'resetBeforeAnswer':
    case 'resetAfterHeaders':
    case 'errorFirst':
      return fault.kind;
  }
}
