import type { ChatCallOptions, ChatStream } from '../backends/chat-backend.js';
import type { ParsedChatRequest } from '../backends/parsed-chat-request.js';
import { LlmFailoverError } from '../errors/index.js';
import { wireProtocolOf } from '../protocols/index.js';
import type { Protocol } from '../protocols/protocol.js';
import type { IncomingHeaders, WireProtocol } from '../protocols/index.js';
import { batchesOf, eventsOf } from '../sse/sse-batch.js';
import type { SseBatch } from '../sse/sse-batch.js';
import type { SseEvent } from '../sse/sse-event.js';
import type { CancelSignal, Clock, TimerHandle } from '../time/index.js';
import { LinkedAbort } from './linked-abort.js';
import type { ResolvedTarget } from './route-table.js';

/**
 * Events held before the first content (role chunks, message_start, usage-only chunks; keep-alive
 * pings are neither held nor counted). A real upstream sends a handful; one that sends more and
 * still no content is not answering: the attempt fails over rather than commit to it (committing
 * would leave the caller waiting on a backend that only keeps the stream alive), and the buffer
 * stays bounded.
 */
export const MAX_PRECOMMIT_EVENTS = 64;

/** Inputs of one streaming attempt on one target. */
export interface StreamAttemptInput {
  protocol: Protocol;
  body: Record<string, unknown>;
  /** `body` parsed once by the caller (the gateway), handed to the backend as it is. */
  request: ParsedChatRequest | undefined;
  target: ResolvedTarget;
  signal: CancelSignal | undefined;
  /** The caller's request headers (the backend picks what it forwards). */
  callerHeaders?: IncomingHeaders | undefined;
  clock: Clock;
  /** 0 = no router-level deadline for the first content event. */
  firstByteTimeoutMs: number;
}

/** The attempt reached its first content event (or ended cleanly before one): commit. */
export interface CommittedAttempt {
  ok: true;
  attempts: number;
  notes: string[];
  /** The answer one upstream read at a time, pre-framed: what a writer should use. */
  batches: AsyncIterable<SseBatch>;
  /** The same answer event by event (one or the other, not both). */
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
  let iterator: AsyncIterator<SseBatch>;
  try {
    stream = input.target.backend.chatStream(input.protocol, input.body, callOptions(input, link));
    iterator = batchesOf(stream)[Symbol.asyncIterator]();
  } catch (error) {
    link.dispose();
    return { ok: false, attempts: 0, error };
  }
  const deadline = FirstByteDeadline.start(input, link);
  const buffer: SseBatch[] = [];
  let held = 0;
  const wire = wireProtocolOf(input.protocol);
  try {
    for (;;) {
      const next = await (deadline ? deadline.race(iterator.next()) : iterator.next());
      if (next.done === true) return committed(stream, buffer, undefined, link);
      const events = next.value.events;
      // Content is looked for only up to the commit point; after it batches pass untouched.
      if (hasContent(wire, events)) {
        buffer.push(next.value);
        return committed(stream, buffer, iterator, link);
      }
      // Keep-alives before the commit reach nobody: the caller has no response yet.
      const counted = countNotKeepAlive(wire, events);
      if (counted === 0) continue;
      buffer.push(next.value);
      held += counted;
      if (held > MAX_PRECOMMIT_EVENTS) throw noContent(input, held);
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
  if (input.request !== undefined) options.request = input.request;
  if (input.target.model !== undefined) options.model = input.target.model;
  if (input.callerHeaders !== undefined) options.callerHeaders = input.callerHeaders;
  return options;
}

function countNotKeepAlive(wire: WireProtocol, events: readonly SseEvent[]): number {
  let count = 0;
  for (let i = 0; i < events.length; i++) if (!wire.isKeepAlive(events[i] as SseEvent)) count++;
  return count;
}

/** An upstream that keeps a stream going without content: a breaker failure, then failover. */
function noContent(input: StreamAttemptInput, held: number): LlmFailoverError {
  const { name, backend } = input.target;
  backend.circuitBreaker.failure();
  return new LlmFailoverError(
    'STREAM_UPSTREAM_ERROR',
    `backend ${name} sent ${held} stream events and no content`,
    { backend: name },
  );
}

function hasContent(wire: WireProtocol, events: readonly SseEvent[]): boolean {
  for (let i = 0; i < events.length; i++) {
    if (wire.isContent(events[i] as SseEvent)) return true;
  }
  return false;
}

function committed(
  stream: ChatStream,
  buffer: SseBatch[],
  iterator: AsyncIterator<SseBatch> | undefined,
  link: LinkedAbort,
): CommittedAttempt {
  // Generators start on their first next(): whichever view the consumer reads drives the replay.
  const batches = replayThenRest(buffer, iterator, link);
  return {
    ok: true,
    attempts: stream.attempts,
    notes: stream.notes,
    batches,
    events: eventsOf(batches),
    cancel: () => {
      // A generator never started runs no finally: release the upstream here instead.
      link.abort();
      if (iterator !== undefined) abandon(iterator);
      link.dispose();
    },
  };
}

async function* replayThenRest(
  buffer: SseBatch[],
  iterator: AsyncIterator<SseBatch> | undefined,
  link: LinkedAbort,
): AsyncGenerator<SseBatch> {
  let finished = iterator === undefined;
  try {
    for (const batch of buffer) yield batch;
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
function abandon(iterator: AsyncIterator<SseBatch>): void {
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
