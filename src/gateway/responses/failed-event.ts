import type { SseBatch } from '../../sse/sse-batch.js';
import type { SseEvent } from '../../sse/sse-event.js';

type Body = Record<string, unknown>;

const CREATED = 'response.created';
const SEQUENCE = /"sequence_number"\s*:\s*(\d+)/;

/**
 * What a committed Responses stream has shown its caller, kept cheaply (one parse, of
 * `response.created`; the last event's text) so a failure after the commit can end the stream
 * with `response.failed` for the same response, next in sequence, as the API itself does.
 */
export class ResponseStreamTracker {
  private created: Body | undefined;
  private lastData: string | undefined;

  /** Notes what `batch` shows; call for each batch before it is written. */
  saw(batch: SseBatch): void {
    const events = batch.events;
    if (events.length === 0) return;
    if (this.created === undefined) this.created = createdResponse(events);
    this.lastData = (events[events.length - 1] as SseEvent).data;
  }

  /**
   * The `response.failed` event that ends the stream after `errorBody` (the gateway's OpenAI
   * error body): the created response with `status: "failed"` and the error, numbered after the
   * last event written. Undefined when no `response.created` was seen (the protocol's `error`
   * event is used then).
   */
  failedEvent(errorBody: Body): SseEvent | undefined {
    if (this.created === undefined) return undefined;
    const error = (errorBody.error ?? {}) as Body;
    const last = this.lastData === undefined ? undefined : SEQUENCE.exec(this.lastData)?.[1];
    const data = {
      type: 'response.failed',
      sequence_number: last === undefined ? 0 : Number(last) + 1,
      response: {
        ...this.created,
        status: 'failed',
        error: {
          code: error.type === 'rate_limit_error' ? 'rate_limit_exceeded' : 'server_error',
          message: typeof error.message === 'string' ? error.message : 'the upstream failed',
        },
      },
    };
    return { event: 'response.failed', data: JSON.stringify(data) };
  }
}

function createdResponse(events: readonly SseEvent[]): Body | undefined {
  for (const event of events) {
    if (event.event !== CREATED && !(event.event === undefined && event.data.includes(CREATED))) {
      continue;
    }
    try {
      const response = (JSON.parse(event.data) as { response?: unknown }).response;
      if (typeof response === 'object' && response !== null) return response as Body;
    } catch {
      return undefined;
    }
  }
  return undefined;
}
