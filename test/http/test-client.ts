import { CloudBackendClient } from '../../src/http/index.js';
import type {
  CloudBackendClientOptions,
  PostResult,
  RequestOptions,
  SseStream,
} from '../../src/http/index.js';
import type { SseEvent } from '../../src/sse/index.js';
import type { ManualClock } from '../../src/time/manual-clock.js';

/**
 * The smallest real subclass: Bearer auth, OpenAI-style `[DONE]` terminal, `ping` keep-alives and
 * `event: error` in-band errors. Exposes the protected calls for tests.
 */
export class TestClient extends CloudBackendClient {
  protected buildHeaders(): Record<string, string> {
    const key = this.apiKey;
    return key === undefined ? {} : { authorization: `Bearer ${key}` };
  }

  chatCompletion(request: Record<string, unknown>, options?: RequestOptions): Promise<unknown> {
    return this.post('/chat/completions', request, options).then((result) => result.body);
  }

  post<T = unknown>(path: string, body: unknown, options?: RequestOptions): Promise<PostResult<T>> {
    return this.postWithCircuitBreaker<T>(path, body, options);
  }

  stream(path: string, body: unknown, options?: RequestOptions): SseStream {
    return this.streamWithCircuitBreaker(path, body, options);
  }

  get(path: string, options?: RequestOptions & { timeoutMs?: number }) {
    return this.getWithTimeout(path, options);
  }

  protected override isTerminalEvent(event: SseEvent): boolean {
    return event.data === '[DONE]';
  }

  protected override isKeepAliveEvent(event: SseEvent): boolean {
    return event.event === 'ping';
  }

  protected override inBandError(event: SseEvent): unknown {
    return event.event === 'error' ? (JSON.parse(event.data) as unknown) : undefined;
  }
}

/** Like TestClient but with the base class's defaults: no terminal event, no keep-alives. */
export class PlainStreamClient extends CloudBackendClient {
  protected buildHeaders(): Record<string, string> {
    return {};
  }

  chatCompletion(): Promise<unknown> {
    return Promise.resolve(undefined);
  }

  stream(path: string, body: unknown, options?: RequestOptions): SseStream {
    return this.streamWithCircuitBreaker(path, body, options);
  }
}

/** A client on `baseUrl` with a manual clock, zero jitter and test-friendly defaults. */
export function testClient(
  baseUrl: string,
  clock: ManualClock,
  options: Partial<CloudBackendClientOptions> = {},
): TestClient {
  return new TestClient({ baseUrl, name: 'test', clock, random: () => 0, ...options });
}

/**
 * Fires timers due now (zero-delay backoff sleeps) whenever they appear, without moving time,
 * so retry loops run on their own while tests still control every real wait. Returns `stop`.
 */
export function fireDueTimers(clock: ManualClock): () => void {
  let stopped = false;
  const loop = async (): Promise<void> => {
    while (!stopped) {
      const soonest = clock.pendingDelays()[0];
      if (soonest !== undefined && soonest <= 0) await clock.advance(0);
      else await new Promise<void>((resolve) => setImmediate(resolve));
    }
  };
  void loop();
  return () => {
    stopped = true;
  };
}

/** Collects a stream's events, and the error that ended it (if any). */
export async function collect(
  stream: AsyncIterable<SseEvent>,
): Promise<{ events: SseEvent[]; error: unknown }> {
  const events: SseEvent[] = [];
  try {
    for await (const event of stream) events.push(event);
    return { events, error: undefined };
  } catch (error) {
    return { events, error };
  }
}

/** `[DONE]`-terminated transcript of `n` numbered events. */
export function transcript(n: number): SseEvent[] {
  const events: SseEvent[] = [];
  for (let i = 0; i < n; i++) events.push({ data: JSON.stringify({ n: i }) });
  events.push({ data: '[DONE]' });
  return events;
}
