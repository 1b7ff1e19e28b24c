import { LlmFailoverError } from '../../errors/index.js';
import type { ErrorCode } from '../../errors/index.js';
import type { Protocol } from '../../protocols/protocol.js';
import { AsyncCircuitBreaker } from '../../resilience/index.js';
import type { SseEvent } from '../../sse/sse-event.js';
import { systemClock } from '../../time/index.js';
import { AnthropicCloudBackend } from '../anthropic-cloud-backend.js';
import type { AnthropicBackendOptions } from '../anthropic-cloud-backend.js';
import type {
  ChatBackend,
  ChatCallOptions,
  ChatResult,
  ChatStream,
  JsonResult,
} from '../chat-backend.js';
import type { AdapterBackend } from '../adapter-backend.js';
import { OpenAICloudBackend } from '../openai-cloud-backend.js';
import { OpenAIResponsesBackend } from '../openai-responses-backend.js';
import type { OpenAIBackendOptions } from '../openai-cloud-backend.js';
import type { MockFault } from './mock-fault.js';
import { MockUpstreamServer } from './mock-upstream-server.js';
import type { CancelSignal } from '../../time/index.js';

/** Options of createMockBackend: any client option, plus what the mock upstream does. */
export interface MockBackendOptions extends Partial<
  Omit<OpenAIBackendOptions & AnthropicBackendOptions, 'name'>
> {
  name: string;
  /**
   * Wire protocol of the mock upstream (and of the real backend talking to it): `openai` (Chat
   * Completions, the default), `anthropic` or `openai-responses`.
   */
  protocol?: Protocol;
  /** Faults scripted on the upstream, one per request. */
  faults?: MockFault[];
  /** Delay between streamed events, real ms. Default 0. */
  chunkDelayMs?: number;
}

interface Started {
  server: MockUpstreamServer;
  backend: AdapterBackend;
}

/**
 * A ChatBackend whose upstream is an in-process MockUpstreamServer on 127.0.0.1:0, started on
 * first use and reached through the real OpenAI or Anthropic backend, so retries, the breaker,
 * truncation and translation behave exactly as against a real server.
 */
export class MockChatBackend implements ChatBackend {
  readonly name: string;
  readonly protocol: Protocol;
  readonly circuitBreaker: AsyncCircuitBreaker;
  private starting: Promise<Started> | undefined;
  private started: Started | undefined;
  private closed = false;
  private closing: Promise<void> | undefined;

  constructor(private readonly options: MockBackendOptions) {
    this.name = options.name;
    this.protocol = options.protocol ?? 'openai';
    // The breaker must exist before the upstream (and so the real client) does.
    const breaker = options.circuitBreaker;
    this.circuitBreaker =
      breaker instanceof AsyncCircuitBreaker
        ? breaker
        : new AsyncCircuitBreaker({
            name: this.name,
            clock: options.clock ?? systemClock,
            ...breaker,
          });
  }

  /** Code of the client's last recorded failure (for /health); undefined before the first call. */
  get lastErrorCode(): ErrorCode | undefined {
    return this.started?.backend.lastErrorCode;
  }

  /** True while the breaker refuses calls. */
  get isCircuitOpen(): boolean {
    return this.circuitBreaker.currentState === 'open';
  }

  /** The mock upstream (started if it was not yet), e.g. to script faults or read its requests. */
  async upstream(): Promise<MockUpstreamServer> {
    return (await this.ready()).server;
  }

  async chat(
    protocol: Protocol,
    body: Record<string, unknown>,
    options?: ChatCallOptions,
  ): Promise<ChatResult> {
    const { backend } = await this.ready();
    return backend.chat(protocol, body, options);
  }

  chatStream(
    protocol: Protocol,
    body: Record<string, unknown>,
    options?: ChatCallOptions,
  ): ChatStream {
    let inner: ChatStream | undefined;
    const notes: string[] = [];
    const ready = (): Promise<Started> => this.ready();
    async function* run(): AsyncGenerator<SseEvent, void, undefined> {
      const { backend } = await ready();
      inner = backend.chatStream(protocol, body, options);
      notes.push(...inner.notes);
      yield* inner;
    }
    return {
      get attempts() {
        return inner?.attempts ?? 0;
      },
      notes,
      [Symbol.asyncIterator]: run,
    };
  }

  /** Count_tokens and embeddings reach the mock upstream through the real backend's client. */
  async postJson(
    path: string,
    body: Record<string, unknown>,
    options?: ChatCallOptions,
  ): Promise<JsonResult> {
    const { backend } = await this.ready();
    return backend.postJson(path, body, options);
  }

  async probe(signal?: CancelSignal): Promise<boolean> {
    const { backend } = await this.ready();
    return backend.probe(signal);
  }

  /** Closes the client and the mock upstream (if started). Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    this.closed = true;
    const started = await this.starting?.catch(() => undefined);
    if (started === undefined) return;
    await started.backend.close();
    await started.server.close();
  }

  private ready(): Promise<Started> {
    if (this.closed) {
      return Promise.reject(
        new LlmFailoverError('CONNECTION', `${this.name}: mock backend is closed`, {
          backend: this.name,
        }),
      );
    }
    this.starting ??= this.start().catch((err: unknown) => {
      this.starting = undefined;
      throw err;
    });
    return this.starting;
  }

  private async start(): Promise<Started> {
    const { protocol: _p, faults, chunkDelayMs, ...clientOptions } = this.options;
    const server = await MockUpstreamServer.start({
      ...(faults === undefined ? {} : { faults }),
      ...(chunkDelayMs === undefined ? {} : { chunkDelayMs }),
    });
    const common = { ...clientOptions, name: this.name, circuitBreaker: this.circuitBreaker };
    const backend = realBackend(this.protocol, common, server);
    this.started = { server, backend };
    return this.started;
  }
}

/** The real backend of `protocol` that talks to the mock upstream `server`. */
function realBackend(
  protocol: Protocol,
  options: Omit<MockBackendOptions, 'protocol' | 'faults' | 'chunkDelayMs'>,
  server: MockUpstreamServer,
): AdapterBackend {
  switch (protocol) {
    case 'openai':
      return new OpenAICloudBackend({ ...options, baseUrl: server.openaiBaseUrl });
    case 'openai-responses':
      return new OpenAIResponsesBackend({ ...options, baseUrl: server.openaiBaseUrl });
    case 'anthropic':
      return new AnthropicCloudBackend({ ...options, baseUrl: server.anthropicBaseUrl });
  }
}

/**
 * A mock ChatBackend (see MockChatBackend): deterministic echo answers in either wire protocol,
 * scriptable faults, no keys and no network beyond loopback.
 */
export function createMockBackend(options: MockBackendOptions): MockChatBackend {
  return new MockChatBackend(options);
}
