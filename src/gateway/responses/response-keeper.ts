import type { Logger } from 'pino';
import type { ResponseStore } from '../../state/index.js';
import type { SseBatch } from '../../sse/sse-batch.js';
import type { SseEvent } from '../../sse/sse-event.js';
import type { ChatHooks, WatchedStream } from '../chat-handler.js';
import { ResponseStreamTracker } from './failed-event.js';
import { expandContinuation, previousResponseId, storedResponseOf } from './response-items.js';
import { resolveItemReferences } from './item-references.js';

type Body = Record<string, unknown>;

/** The stream event whose `response` is the finished response (what a stream stores). */
const COMPLETED = 'response.completed';

/**
 * The gateway's side of Responses state: expands a continuation from the store before routing,
 * and stores what it answered (a non-streamed body, or a stream's `response.completed`) unless
 * the request says `store: false`. A store failure is logged and never fails the request: the
 * caller has its answer, only a later continuation could miss.
 */
export class ResponseKeeper {
  constructor(
    private readonly store: ResponseStore,
    private readonly ttlMs: number,
    private readonly logger: Logger | undefined,
  ) {}

  /** The chat handler's hooks for POST /v1/responses. */
  hooks(): ChatHooks {
    return {
      prepare: (body) => this.expand(body),
      answered: (body, answer) => this.remember(body, answer),
      watch: (body, batches) => this.watch(body, batches),
    };
  }

  /**
   * `body` with its `previous_response_id` expanded from the store (earlier items prepended to
   * `input`, the field dropped); `body` itself when it names none or one the store does not
   * hold: a Responses backend may still know it, and a translating backend answers 400 naming it.
   */
  async expand(body: Body): Promise<Body> {
    const continued = await this.continuation(body);
    if (!Array.isArray(continued.input)) return continued;
    let input: unknown[] | undefined;
    try {
      // item_reference items (the AI SDK's, store on) to outputs the gateway made and kept.
      input = await resolveItemReferences(continued.input as unknown[], (id) => this.store.get(id));
    } catch (err) {
      this.logger?.warn({ err }, 'could not read the response store');
      return continued;
    }
    return input === undefined ? continued : { ...continued, input };
  }

  private async continuation(body: Body): Promise<Body> {
    const id = previousResponseId(body);
    if (id === undefined) return body;
    let stored;
    try {
      stored = await this.store.get(id);
    } catch (err) {
      // Answered as a miss (400 naming the id on a translated route), not as a gateway failure.
      this.logger?.warn({ err }, 'could not read the response store');
      return body;
    }
    return stored === undefined ? body : expandContinuation(body, stored);
  }

  /** Stores `response`, the answer to `request` (expanded), unless `store: false`. */
  async remember(request: Body, response: Body): Promise<void> {
    if (request.store === false) return;
    const value = storedResponseOf(request, response);
    if (value === undefined) return;
    try {
      await this.store.put(String(response.id), value, this.ttlMs);
    } catch (err) {
      this.logger?.warn({ err }, 'could not store a response; continuations of it will get 400');
    }
  }

  /**
   * The stream's batches, unchanged, storing the response of its `response.completed` event
   * before that batch is handed on (so a client that continues as soon as it reads the event
   * finds it), and what a `response.failed` after the commit needs. Only `response.created` and
   * `response.completed` are parsed.
   */
  watch(request: Body, batches: AsyncIterable<SseBatch>): WatchedStream {
    const tracker = new ResponseStreamTracker();
    return {
      batches: this.watched(request, batches, tracker),
      failedEvent: (errorBody) => tracker.failedEvent(errorBody),
    };
  }

  private async *watched(
    request: Body,
    batches: AsyncIterable<SseBatch>,
    tracker: ResponseStreamTracker,
  ): AsyncGenerator<SseBatch> {
    const storing = request.store !== false;
    for await (const batch of batches) {
      tracker.saw(batch);
      if (storing) {
        const completed = completedResponse(batch.events);
        if (completed !== undefined) await this.remember(request, completed);
      }
      yield batch;
    }
  }
}

/** The `response` of a `response.completed` event among `events`, if any. */
function completedResponse(events: readonly SseEvent[]): Body | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i] as SseEvent;
    // Named as OpenAI names it; some compatible servers send unnamed events with a `type`.
    const named = event.event ?? (event.data.includes(`"${COMPLETED}"`) ? COMPLETED : undefined);
    if (named !== COMPLETED) continue;
    try {
      const data = JSON.parse(event.data) as { response?: unknown };
      const response = data.response;
      return typeof response === 'object' && response !== null ? (response as Body) : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}
