import type {
  ChatBackend,
  ChatCallOptions,
  ChatResult,
  ChatStream,
} from '../../src/backends/chat-backend.js';
import { LlmFailoverError } from '../../src/errors/index.js';
import type { ErrorCode } from '../../src/errors/index.js';
import type { Protocol } from '../../src/protocols/protocol.js';
import { AsyncCircuitBreaker } from '../../src/resilience/index.js';
import type { SseEvent } from '../../src/sse/sse-event.js';
import type { CancelSignal, Clock } from '../../src/time/index.js';

/** What one call of a fake backend does. */
export type FakeStep =
  | { answer: string }
  | { fail: ErrorCode; status?: number; retryAfterMs?: number }
  | { events: SseEvent[]; thenFail?: ErrorCode; stall?: boolean };

/** One recorded call. */
export interface FakeCall {
  kind: 'chat' | 'stream';
  model: string | undefined;
  signal: CancelSignal | undefined;
  /** The parsed request handed down, if any. */
  request: ChatCallOptions['request'];
}

/** OpenAI-protocol chunk with text content (a content event). */
export const textChunk = (text: string): SseEvent => ({
  data: JSON.stringify({ choices: [{ index: 0, delta: { content: text }, finish_reason: null }] }),
});
/** OpenAI-protocol role-only chunk (not content). */
export const roleChunk: SseEvent = {
  data: JSON.stringify({
    choices: [{ index: 0, delta: { role: 'assistant' }, finish_reason: null }],
  }),
};
export const doneEvent: SseEvent = { data: '[DONE]' };

/**
 * A scripted in-memory ChatBackend with a real breaker, for router unit tests: each call takes
 * the next step of its script (the last step repeats) and is recorded.
 */
export class FakeBackend implements ChatBackend {
  readonly protocol: Protocol = 'openai';
  readonly circuitBreaker: AsyncCircuitBreaker;
  readonly calls: FakeCall[] = [];
  probeResult: boolean | Error = true;
  probes = 0;

  constructor(
    readonly name: string,
    private readonly steps: FakeStep[],
    clock?: Clock,
  ) {
    this.circuitBreaker = new AsyncCircuitBreaker({
      name,
      failMax: 2,
      resetTimeoutMs: 1000,
      ...(clock ? { clock } : {}),
    });
  }

  chat(
    _protocol: Protocol,
    body: Record<string, unknown>,
    options: ChatCallOptions = {},
  ): Promise<ChatResult> {
    const step = this.next('chat', options);
    if ('answer' in step) {
      return Promise.resolve({
        body: { backend: this.name, text: step.answer, model: options.model ?? body.model },
        attempts: 1,
        notes: [`from ${this.name}`],
      });
    }
    if ('fail' in step)
      return Promise.reject(this.error(step.fail, step.status, step.retryAfterMs));
    throw new Error('stream step used for chat');
  }

  chatStream(
    _protocol: Protocol,
    _body: Record<string, unknown>,
    options: ChatCallOptions = {},
  ): ChatStream {
    const step = this.next('stream', options);
    const fail = (code: ErrorCode, status?: number, retryAfterMs?: number): LlmFailoverError =>
      this.error(code, status, retryAfterMs);
    async function* run(): AsyncGenerator<SseEvent> {
      if ('fail' in step) throw fail(step.fail, step.status, step.retryAfterMs);
      if (!('events' in step)) throw new Error('chat step used for stream');
      for (const e of step.events) yield e;
      if (step.stall === true) await waitForAbort(options.signal);
      if (step.thenFail !== undefined) throw fail(step.thenFail);
    }
    const gen = run();
    return { attempts: 1, notes: [`from ${this.name}`], [Symbol.asyncIterator]: () => gen };
  }

  probe(): Promise<boolean> {
    this.probes++;
    return this.probeResult instanceof Error
      ? Promise.reject(this.probeResult)
      : Promise.resolve(this.probeResult);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private next(kind: FakeCall['kind'], options: ChatCallOptions): FakeStep {
    this.calls.push({
      kind,
      model: options.model,
      signal: options.signal,
      request: options.request,
    });
    const step = this.steps[Math.min(this.calls.length - 1, this.steps.length - 1)];
    if (step === undefined) throw new Error(`${this.name}: no script`);
    return step;
  }

  private error(code: ErrorCode, status?: number, retryAfterMs?: number): LlmFailoverError {
    return new LlmFailoverError(code, `${this.name} failed: ${code}`, {
      backend: this.name,
      attempts: 1,
      ...(status !== undefined ? { status } : {}),
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    });
  }
}

function waitForAbort(signal: CancelSignal | undefined): Promise<never> {
  return new Promise((_, reject) => {
    signal?.addEventListener('abort', () => reject(new LlmFailoverError('ABORTED', 'aborted')), {
      once: true,
    });
  });
}

/** Collects a stream's events (data fields), bounded. */
export async function collect(events: AsyncIterable<SseEvent>, limit = 100): Promise<string[]> {
  const out: string[] = [];
  for await (const e of events) {
    out.push(e.data);
    if (out.length >= limit) break;
  }
  return out;
}
