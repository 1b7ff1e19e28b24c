import { redactSecrets } from '../errors/index.js';
import { Deadline } from '../resilience/index.js';
import type { CircuitPermit } from '../resilience/index.js';
import { frameSseEvents } from '../sse/sse-batch.js';
import type { SseBatch } from '../sse/sse-batch.js';
import type { SseEvent } from '../sse/sse-event.js';
import { SseReader } from '../sse/sse-reader.js';
import {
  abortedError,
  callError,
  errorFailure,
  statusFailure,
  tooLargeFailure,
} from './attempt-failure.js';
import type { AttemptFailure, AttemptPhase } from './attempt-failure.js';
import { AttemptGuard } from './client-core.js';
import type { ClientCore, StreamHooks } from './client-core.js';
import type { RequestOptions, SseStream } from './client-options.js';
import { decide, release, settle, wirePayload } from './post-call.js';
import type { CancelSignal } from '../time/index.js';

/** Mutable progress of one stream call, shared between the iterator and `attempts`. */
interface StreamState {
  attempts: number;
  /** Set once an event reached the consumer: from then on, no retry. */
  yielded: boolean;
  terminalSeen: boolean;
  settled: boolean;
}

/** Creates the lazy stream: nothing is sent until the first `next()`. Iterable once. */
export function openStream(
  core: ClientCore,
  hooks: StreamHooks,
  path: string,
  body: unknown,
  options: RequestOptions,
): SseStream {
  const state: StreamState = { attempts: 0, yielded: false, terminalSeen: false, settled: false };
  let started = false;
  const start = (): AsyncGenerator<SseBatch, void, undefined> => {
    if (started) throw new TypeError(`${core.name}: a stream can be iterated only once`);
    started = true;
    return runStream(core, hooks, path, body, options, state);
  };
  return {
    get attempts() {
      return state.attempts;
    },
    batches: start,
    [Symbol.asyncIterator]: () => eventsOfStream(start(), options.signal),
  };
}

/**
 * The events of `batches` one by one. After a caller abort the rest of a batch is not delivered:
 * the next read resumes the stream, which throws the abort.
 */
async function* eventsOfStream(
  batches: AsyncGenerator<SseBatch, void, undefined>,
  signal: CancelSignal | undefined,
): AsyncGenerator<SseEvent, void, undefined> {
  for await (const batch of batches) {
    const events = batch.events;
    for (let i = 0; i < events.length; i++) {
      yield events[i] as SseEvent;
      if (signal?.aborted === true) break;
    }
  }
}

/**
 * The stream call, one batch per upstream read. Reading is inlined here rather than delegated
 * (`yield*`) to a helper or to `parseSse`: every extra async-generator layer costs promise turns
 * on the hot path.
 */
async function* runStream(
  core: ClientCore,
  hooks: StreamHooks,
  path: string,
  body: unknown,
  options: RequestOptions,
  state: StreamState,
): AsyncGenerator<SseBatch, void, undefined> {
  const signal = options.signal;
  if (signal?.aborted === true) throw abortedError(core, 'POST', path, 0, signal);
  // acquire(), not check(): with a shared store the fleet's one probe may take a round trip.
  const permit = await core.breaker.acquire();
  try {
    const request = {
      origin: core.origin,
      path: core.basePath + path,
      method: 'POST' as const,
      headers: core.headers(options.headers),
      body: wirePayload(body),
    };
    const deadline = new Deadline(core.timeoutMs, core.clock);
    core.budget?.recordFirstAttempt();
    for (;;) {
      state.attempts++;
      const firstByteMs = Math.min(core.firstByteTimeoutMs, deadline.remainingMs());
      const guard = new AttemptGuard(core.clock, signal, firstByteMs, 'stream');
      let failure: AttemptFailure | undefined;
      let phase: AttemptPhase = 'request';
      try {
        const response = await core.dispatcher.request({ ...request, signal: guard.signal });
        if (response.statusCode < 200 || response.statusCode >= 300) {
          failure = await statusFailure(core, response);
        } else {
          phase = 'body';
          const reader = new SseReader(core.maxStreamEventChars);
          let progressed = false;
          for await (const chunk of response.body as AsyncIterable<Buffer>) {
            const text = reader.feed(chunk);
            const events = reader.events;
            if (events.length > 0) {
              reader.events = [];
              // Events of one read arrived together: one timer refresh covers them all (a refresh
              // per event measured ~10% of the stream path on a 1,000-event stream).
              let refreshed = false;
              let deliver = events.length;
              for (let i = 0; i < events.length; i++) {
                const event = events[i] as SseEvent;
                const inBand = hooks.inBandError(event);
                if (inBand !== undefined) {
                  failure = inBandFailure(core, inBand, response.statusCode);
                  deliver = i; // the events before it still reach the consumer, as they came
                  break;
                }
                if (!refreshed && !hooks.isKeepAlive(event)) {
                  if (progressed) {
                    refreshed = true;
                    guard.refresh();
                  } else if (hooks.isContent?.(event) !== false) {
                    // First content: the first-byte timer gives way to the idle timer. Role-only
                    // chunks and the like keep the first-byte timer running (keep-alives too).
                    refreshed = true;
                    progressed = true;
                    guard.arm(core.idleTimeoutMs);
                  }
                }
                if (hooks.isTerminal(event)) state.terminalSeen = true;
              }
              if (deliver > 0) {
                state.yielded = true;
                guard.inYield = true;
                yield batchOf(events, deliver, reader.whole ? text : undefined, reader.bytes);
                guard.inYield = false;
                if (guard.source.aborted) throw guard.source.reason;
              }
            }
            // Leaving the loop destroys the body: the upstream request closes.
            if (failure !== undefined) break;
            if (reader.overflowed) {
              failure = overflowFailure(reader, response.statusCode);
              break;
            }
          }
          if (failure === undefined) {
            if (state.terminalSeen || !hooks.hasTerminal) return succeed(core, permit, state);
            failure = truncated(state, response.statusCode);
          }
        }
      } catch (err) {
        if (guard.callerAborted) {
          state.settled = true;
          throw release(permit, abortedError(core, 'POST', path, state.attempts, signal));
        }
        failure = errorFailure(err, guard.timedOut, phase);
        if (phase === 'body' && failure.code === 'CONNECTION') failure = truncatedBy(failure);
      } finally {
        guard.dispose();
      }
      await retryOrThrow(core, permit, path, failure, deadline, state, signal);
    }
  } finally {
    if (!state.settled) {
      state.settled = true;
      // The consumer stopped after the terminal event: the answer was complete.
      if (state.terminalSeen) permit.success();
      else permit.release();
    }
  }
}

async function retryOrThrow(
  core: ClientCore,
  permit: CircuitPermit,
  path: string,
  failure: AttemptFailure,
  deadline: Deadline,
  state: StreamState,
  signal: CancelSignal | undefined,
): Promise<void> {
  // Once the consumer has seen an event, a retry would duplicate or splice output: never.
  const decision = state.yielded
    ? { retry: false as const, reason: 'not-retryable' as const }
    : decide(core, failure, state.attempts, deadline);
  if (!decision.retry) {
    state.settled = true;
    throw settle(
      core,
      permit,
      failure,
      callError(core, 'POST', path, failure, state.attempts, decision.reason),
    );
  }
  try {
    await core.clock.sleep(decision.delayMs, signal);
  } catch {
    core.budget?.refundRetry();
    state.settled = true;
    throw release(permit, abortedError(core, 'POST', path, state.attempts, signal));
  }
}

/**
 * The first `count` of `events` as a batch. `text` is the read's own wire text, forwarded as is
 * when it holds exactly these events (with its `bytes` when the reader vouches for them); otherwise (an event split across reads, an in-band error
 * held back) the events are framed anew.
 */
function batchOf(
  events: SseEvent[],
  count: number,
  text: string | undefined,
  bytes: Uint8Array | undefined,
): SseBatch {
  if (count === events.length) {
    if (text === undefined) return { events, text: frameSseEvents(events) };
    return bytes === undefined ? { events, text } : { events, text, bytes };
  }
  const delivered = events.slice(0, count);
  return { events: delivered, text: frameSseEvents(delivered) };
}

function overflowFailure(reader: SseReader, status: number): AttemptFailure {
  // The same request would bring the same event again: no retry; the backend is up: no breaker
  // failure. Before the commit the router may still try the next backend.
  return tooLargeFailure(`the answer is too large: ${reader.overflowDetail}`, status);
}

function truncated(state: StreamState, status: number): AttemptFailure {
  return {
    code: 'STREAM_TRUNCATED',
    // Nothing reached the consumer yet: another attempt is still invisible to it.
    retryable: !state.yielded,
    blameBackend: true,
    detail: 'the stream ended without its terminal event',
    status,
  };
}

function succeed(core: ClientCore, permit: CircuitPermit, state: StreamState): void {
  state.settled = true;
  permit.success();
  core.noteSuccess();
}

function inBandFailure(core: ClientCore, inBand: unknown, status: number): AttemptFailure {
  const upstreamBody =
    typeof inBand === 'string' ? redactSecrets(inBand, core.secrets) : redactDeep(core, inBand);
  return {
    code: 'STREAM_UPSTREAM_ERROR',
    // Before the first event an in-band error (e.g. overloaded) is as retryable as a 5xx.
    retryable: true,
    blameBackend: true,
    detail: 'the upstream sent an error event in the stream',
    status,
    upstreamBody,
  };
}

function redactDeep(core: ClientCore, value: unknown): unknown {
  if (core.secrets.length === 0) return value;
  const text = JSON.stringify(value);
  if (text === undefined || !core.secrets.some((secret) => text.includes(secret))) return value;
  return JSON.parse(redactSecrets(text, core.secrets)) as unknown;
}

function truncatedBy(failure: AttemptFailure): AttemptFailure {
  return {
    ...failure,
    code: 'STREAM_TRUNCATED',
    detail: `the stream broke off after its first events (${failure.detail})`,
  };
}
