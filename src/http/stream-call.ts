import { createParser } from 'eventsource-parser';
import { redactSecrets } from '../errors/index.js';
import { Deadline } from '../resilience/index.js';
import type { CircuitPermit } from '../resilience/index.js';
import { toSseEvent } from '../sse/parse-sse.js';
import type { SseEvent } from '../sse/sse-event.js';
import { abortedError, callError, errorFailure, statusFailure } from './attempt-failure.js';
import type { AttemptFailure, AttemptPhase } from './attempt-failure.js';
import { AttemptGuard } from './client-core.js';
import type { ClientCore, StreamHooks } from './client-core.js';
import type { RequestOptions, SseStream } from './client-options.js';
import { decide, release, settle } from './post-call.js';

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
  return {
    get attempts() {
      return state.attempts;
    },
    [Symbol.asyncIterator]() {
      if (started) throw new TypeError(`${core.name}: a stream can be iterated only once`);
      started = true;
      return runStream(core, hooks, path, body, options, state);
    },
  };
}

/**
 * The stream call. Reading is inlined here rather than delegated (`yield*`) to a helper or to
 * `parseSse`: every extra async-generator layer costs promise turns per event on the hot path.
 */
async function* runStream(
  core: ClientCore,
  hooks: StreamHooks,
  path: string,
  body: unknown,
  options: RequestOptions,
  state: StreamState,
): AsyncGenerator<SseEvent, void, undefined> {
  const signal = options.signal;
  if (signal?.aborted === true) throw abortedError(core, 'POST', path, 0, signal);
  const permit = core.breaker.check();
  try {
    const request = {
      origin: core.origin,
      path: core.basePath + path,
      method: 'POST' as const,
      headers: core.headers(options.headers),
      body: typeof body === 'string' ? body : JSON.stringify(body),
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
          const queue: SseEvent[] = [];
          const parser = createParser({ onEvent: (message) => queue.push(toSseEvent(message)) });
          const decoder = new TextDecoder();
          let progressed = false;
          read: for await (const chunk of response.body as AsyncIterable<Buffer>) {
            parser.feed(decoder.decode(chunk, { stream: true }));
            // Events of one chunk arrived together: one timer refresh covers them all (a refresh
            // per event measured ~10% of the stream path on a 1,000-event stream).
            let refreshed = false;
            for (let i = 0; i < queue.length; i++) {
              const event = queue[i] as SseEvent;
              const inBand = hooks.inBandError(event);
              if (inBand !== undefined) {
                failure = inBandFailure(core, inBand, response.statusCode);
                break read; // leaving the loop destroys the body: the upstream request closes
              }
              if (!refreshed && !hooks.isKeepAlive(event)) {
                refreshed = true;
                if (progressed) guard.refresh();
                else {
                  // First progress event: the first-byte timer gives way to the idle timer.
                  progressed = true;
                  guard.arm(core.idleTimeoutMs);
                }
              }
              if (hooks.isTerminal(event)) state.terminalSeen = true;
              state.yielded = true;
              guard.inYield = true;
              yield event; // a consumer that stops here lands in the `finally` blocks
              guard.inYield = false;
              // Aborted while the consumer held the event: the rest of this chunk is not delivered.
              if (guard.source.aborted) throw guard.source.reason;
            }
            queue.length = 0;
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
  signal: AbortSignal | undefined,
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
