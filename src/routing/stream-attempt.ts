import type { ChatCallOptions, ChatStream } from '../backends/chat-backend.js';
import { LlmFailoverError } from '../errors/index.js';
import { wireProtocolOf } from '../protocols/index.js';
import type { Protocol } from '../protocols/protocol.js';
import type { SseEvent } from '../sse/sse-event.js';
import type { Clock, TimerHandle } from '../time/index.js';
import { LinkedAbort } from './linked-abort.js';
import type { ResolvedTarget } from './route-table.js';

/**
 * Events held before the first content (role chunks, pings, usage-only chunks). Past this the
 * attempt commits anyway: an upstream that streams only keep-alives must not grow the buffer
 * without end (memory per stream), and committing early only gives up this stream's free failover.
 */
export const MAX_PRECOMMIT_EVENTS = 64;

/** Inputs of one streaming attempt on one target. */
export interface StreamAttemptInput {
  protocol: Protocol;
  body: Record<string, unknown>;
  target: ResolvedTarget;
  signal: AbortSignal | undefined;
  clock: Clock;
  /** 0 = no router-level deadline for the first content event. */
  firstByteTimeoutMs: number;
}

/** The attempt reached its first content event (or ended cleanly before one): commit. */
export interface CommittedAttempt {
  ok: true;
  attempts: number;
  notes: string[];
  events: AsyncIterable<SseEvent>;
  cancel: () => void;
}

/** The attempt failed before any content: nothing reached the caller, the buffer is dropped. */
export interface FailedAttempt {
  ok: false;
  attempts: number;
  error: unknown;
}

/**
 * Starts `target`'s stream and reads it until the first content event, buffering what comes
 * before (role chunks, message_start, pings). Until then a failure is free to fail over; after it
 * the caller gets the buffer then the rest, and any failure is thrown from the iterator.
 */
export async function openStreamAttempt(
  input: StreamAttemptInput,
): Promise<CommittedAttempt | FailedAttempt> {
  const link = new LinkedAbort(input.signal);
  let stream: ChatStream;
  let iterator: AsyncIterator<SseEvent>;
  try {
    stream = input.target.backend.chatStream(input.protocol, input.body, callOptions(input, link));
    iterator = stream[Symbol.asyncIterator]();
  } catch (error) {
    link.dispose();
    return { ok: false, attempts: 0, error };
  }
  const deadline = FirstByteDeadline.start(input, link);
  const buffer: SseEvent[] = [];
  const wire = wireProtocolOf(input.protocol);
  try {
    for (;;) {
      const next = await (deadline ? deadline.race(iterator.next()) : iterator.next());
      if (next.done === true) return committed(stream, buffer, undefined, link);
      buffer.push(next.value);
      if (wire.isContent(next.value) || buffer.length >= MAX_PRECOMMIT_EVENTS) {
        return committed(stream, buffer, iterator, link);
      }
    }
  } catch (error) {
    link.abort(error);
    abandon(iterator);
    link.dispose();
    return { ok: false, attempts: stream.attempts, error };
  } finally {
    deadline?.clear();
  }
}

function callOptions(input: StreamAttemptInput, link: LinkedAbort): ChatCallOptions {
  const options: ChatCallOptions = { signal: link.signal };
  if (input.target.model !== undefined) options.model = input.target.model;
  return options;
}

function committed(
  stream: ChatStream,
  buffer: SseEvent[],
  iterator: AsyncIterator<SseEvent> | undefined,
  link: LinkedAbort,
): CommittedAttempt {
  return {
    ok: true,
    attempts: stream.attempts,
    notes: stream.notes,
    events: replayThenRest(buffer, iterator, link),
    cancel: () => {
      // A generator never started runs no finally: release the upstream here instead.
      link.abort();
      if (iterator !== undefined) abandon(iterator);
      link.dispose();
    },
  };
}

async function* replayThenRest(
  buffer: SseEvent[],
  iterator: AsyncIterator<SseEvent> | undefined,
  link: LinkedAbort,
): AsyncGenerator<SseEvent> {
  let finished = iterator === undefined;
  try {
    for (const event of buffer) yield event;
    if (iterator === undefined) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done === true) break;
      yield next.value;
    }
    finished = true;
  } finally {
    if (!finished) {
      // The consumer stopped early (client gone) or the stream failed: release the upstream now.
      link.abort();
      if (iterator !== undefined) abandon(iterator);
    }
    link.dispose();
  }
}

/** Closes an iterator we will not read again without waiting on it (it may be mid-read). */
function abandon(iterator: AsyncIterator<SseEvent>): void {
  void iterator.return?.()?.catch(() => undefined);
}

/** The router's own first-content deadline for one attempt; firing counts a breaker failure. */
class FirstByteDeadline {
  private handle: TimerHandle | undefined;
  private readonly expired: Promise<never>;

  private constructor(input: StreamAttemptInput, link: LinkedAbort) {
    this.expired = new Promise<never>((_, reject) => {
      this.handle = input.clock.setTimer(input.firstByteTimeoutMs, () => {
        const { name, backend } = input.target;
        const error = new LlmFailoverError(
          'TIMEOUT',
          `backend ${name} sent no content within ${input.firstByteTimeoutMs} ms`,
          { backend: name },
        );
        backend.circuitBreaker.failure();
        link.abort(error);
        reject(error);
      });
    });
    this.expired.catch(() => undefined);
  }

  static start(input: StreamAttemptInput, link: LinkedAbort): FirstByteDeadline | undefined {
    return input.firstByteTimeoutMs > 0 ? new FirstByteDeadline(input, link) : undefined;
  }

  race<T>(promise: Promise<T>): Promise<T> {
    return Promise.race([promise, this.expired]);
  }

  clear(): void {
    this.handle?.clear();
  }
}
