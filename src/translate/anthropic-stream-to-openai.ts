import { randomUUID } from 'node:crypto';
import { LlmFailoverError } from '../errors/index.js';
import type {
  AnthropicContentBlockDeltaEvent,
  AnthropicContentDelta,
  AnthropicMessageDeltaEvent,
  AnthropicMessageStartEvent,
  AnthropicStreamContentBlock,
  AnthropicContentBlockStartEvent,
  AnthropicStreamEvent,
} from '../protocols/anthropic-messages/stream.js';
import type { OpenAIChatChunk, OpenAIChatDelta } from '../protocols/openai-chat/stream.js';
import { anthropicStopToOpenAIFinish } from './finish-reason.js';
import { toOpenAIResponseId } from './response-id.js';
import { anthropicUsageToOpenAI, mergeAnthropicUsage } from './usage.js';
import { streamTransform } from './stream-transform.js';
import type { StreamStep } from './stream-transform.js';
import type { AnthropicUsage } from './usage.js';

/** Options of {@link anthropicStreamToOpenAI}. */
export interface AnthropicStreamToOpenAIOptions {
  /** Model reported on every chunk; default the upstream's `message_start` model. */
  model?: string;
  /** Emit a last chunk with `choices: []` and `usage` (the caller's `stream_options.include_usage`). */
  includeUsage: boolean;
  /** Chunk id; default `chatcmpl-` + the upstream message id (as for non-streaming answers). */
  id?: string;
  /**
   * Chunk `created` (epoch seconds): Anthropic events carry no timestamp, and a pure translator
   * reads no clock, so pass the caller's (backends pass their injected clock's). Default 0.
   */
  created?: number;
}

/** What an Anthropic block index became on the OpenAI side. */
interface BlockState {
  kind: 'text' | 'thinking' | 'tool' | 'other';
  /** OpenAI `tool_calls[].index` of a tool block. */
  toolIndex: number;
  sawArgs: boolean;
  input: unknown;
}

type Usage = Partial<AnthropicUsage>;

/**
 * The state machine behind {@link anthropicStreamToOpenAI}. `push` appends the chunks one event
 * produces to `out`; the generator drains it.
 */
class AnthropicToOpenAIStream implements StreamStep<AnthropicStreamEvent, OpenAIChatChunk> {
  readonly out: OpenAIChatChunk[] = [];
  private stopped = false;
  private id: string | undefined;
  private model: string | undefined;
  private readonly created: number;
  private started = false;
  private readonly blocks: BlockState[] = [];
  private nextTool = 0;
  private stopReason: string | null | undefined;
  private stopSequence: string | null | undefined;
  private readonly usage: Usage = {};

  constructor(private readonly options: AnthropicStreamToOpenAIOptions) {
    this.id = options.id;
    this.model = options.model;
    this.created = options.created ?? 0;
  }

  push(event: AnthropicStreamEvent): void {
    if (this.stopped) return;
    switch (event.type) {
      case 'content_block_delta':
        this.onDelta(event);
        return;
      case 'content_block_start':
        this.onBlockStart(event);
        return;
      case 'content_block_stop':
        this.onBlockStop(event.index);
        return;
      case 'message_start':
        this.onMessageStart(event);
        return;
      case 'message_delta': {
        // Events arrive unvalidated (the translator must not reject a working server): guard.
        const delta = event.delta as AnthropicMessageDeltaEvent['delta'] | undefined;
        this.stopReason = delta?.stop_reason;
        this.stopSequence = delta?.stop_sequence;
        mergeAnthropicUsage(this.usage, event.usage);
        return;
      }
      case 'message_stop':
        this.onStop();
        return;
      case 'ping':
        return;
      case 'error':
        throw new LlmFailoverError(
          'STREAM_UPSTREAM_ERROR',
          `anthropic stream error event (${String(event.error?.type)})`,
          { upstreamBody: event },
        );
      default:
        // Anthropic may add event types; an unknown one is not content.
        return;
    }
  }

  /** The source ended: clean only after message_stop. */
  end(): void {
    if (!this.stopped) {
      throw new LlmFailoverError('STREAM_TRUNCATED', 'anthropic stream ended without message_stop');
    }
  }

  private ensureStarted(): void {
    if (this.started) return;
    this.started = true;
    this.emit({ role: 'assistant', content: '' }, null);
  }

  private onMessageStart(event: AnthropicMessageStartEvent): void {
    const message = event.message as AnthropicMessageStartEvent['message'] | undefined;
    if (message !== undefined) {
      // Events arrive unvalidated: an id-less message_start gets a made-up id later.
      if (typeof message.id === 'string') this.id ??= toOpenAIResponseId(message.id);
      this.model ??= message.model;
      mergeAnthropicUsage(this.usage, message.usage);
    }
    this.ensureStarted();
  }

  private onBlockStart(event: AnthropicContentBlockStartEvent): void {
    this.ensureStarted();
    const block = event.content_block as AnthropicStreamContentBlock | undefined;
    const state: BlockState = { kind: 'other', toolIndex: -1, sawArgs: false, input: undefined };
    this.blocks[event.index] = state;
    if (block?.type === 'text') {
      state.kind = 'text';
      if (block.text) this.emit({ content: block.text }, null);
    } else if (block?.type === 'thinking') {
      state.kind = 'thinking';
      if (block.thinking) this.emit({ reasoning_content: block.thinking }, null);
    } else if (block?.type === 'tool_use') {
      state.kind = 'tool';
      state.toolIndex = this.nextTool++;
      state.input = block.input;
      const id = block.id || `call_${randomUUID().replaceAll('-', '').slice(0, 24)}`;
      const fn = { name: block.name, arguments: '' };
      this.emit(
        { tool_calls: [{ index: state.toolIndex, id, type: 'function', function: fn }] },
        null,
      );
    }
    // server_tool_use, redacted_thinking and unknown blocks have no OpenAI form: skipped.
  }

  private onDelta(event: AnthropicContentBlockDeltaEvent): void {
    const block = this.blocks[event.index];
    const delta = event.delta as AnthropicContentDelta | undefined;
    if (block === undefined || delta === undefined) return;
    switch (delta.type) {
      case 'text_delta':
        if (block.kind === 'text' && delta.text) this.emit({ content: delta.text }, null);
        return;
      case 'input_json_delta':
        if (block.kind === 'tool' && delta.partial_json) this.args(block, delta.partial_json);
        return;
      case 'thinking_delta':
        if (block.kind === 'thinking' && delta.thinking) {
          this.emit({ reasoning_content: delta.thinking }, null);
        }
        return;
      case 'signature_delta':
        // Our round-trip field, as the non-streaming hub message has it: a caller that hands the
        // thinking back (a Responses reasoning item's encrypted_content) needs this signature.
        if (block.kind === 'thinking' && delta.signature) {
          this.emit({ reasoning_signature: delta.signature }, null);
        }
        return;
      case 'citations_delta':
        return;
      default:
        return;
    }
  }

  private args(block: BlockState, piece: string): void {
    block.sawArgs = true;
    this.emit({ tool_calls: [{ index: block.toolIndex, function: { arguments: piece } }] }, null);
  }

  private onBlockStop(index: number): void {
    const block = this.blocks[index];
    if (block?.kind !== 'tool' || block.sawArgs) return;
    // No input_json_delta at all: the input came whole in the start event (or the tool takes no
    // arguments); OpenAI clients JSON.parse the arguments, so send the object, at least `{}`.
    const input = block.input;
    const text = input !== null && typeof input === 'object' ? JSON.stringify(input) : '{}';
    this.args(block, text);
  }

  private onStop(): void {
    this.ensureStarted();
    this.stopped = true;
    const reason = this.stopReason;
    const finish =
      anthropicStopToOpenAIFinish(reason) ?? (this.nextTool > 0 ? 'tool_calls' : 'stop');
    const chunk = this.emit({}, finish);
    if (reason === 'stop_sequence' && typeof this.stopSequence === 'string') {
      // vLLM's extension: the matched sequence survives the trip (see finish-reason.ts).
      chunk.choices[0]!.stop_reason = this.stopSequence;
    }
    if (this.options.includeUsage) {
      this.out.push({
        id: this.chunkId(),
        object: 'chat.completion.chunk',
        created: this.created,
        model: this.model ?? '',
        choices: [],
        usage: { ...anthropicUsageToOpenAI(this.usage) },
      });
    }
  }

  private chunkId(): string {
    return (this.id ??= `chatcmpl-${randomUUID().replaceAll('-', '').slice(0, 24)}`);
  }

  private emit(delta: OpenAIChatDelta, finish: string | null): OpenAIChatChunk {
    const chunk: OpenAIChatChunk = {
      id: this.id ?? this.chunkId(),
      object: 'chat.completion.chunk',
      created: this.created,
      model: this.model ?? '',
      choices: [{ index: 0, delta, finish_reason: finish }],
    };
    this.out.push(chunk);
    return chunk;
  }
}

/**
 * Translates an Anthropic stream into OpenAI chat-completion chunks: the role first, content,
 * tool-call deltas (stable `index` 0.. in block order, `id` and name on the first), thinking as
 * `reasoning_content` (its signature as `reasoning_signature`, our extension), the `finish_reason` chunk at `message_stop`, then a usage chunk when
 * `includeUsage`. Never emits `[DONE]` (the encoder adds it). `ping` yields nothing.
 * Throws `STREAM_UPSTREAM_ERROR` on an `error` event and `STREAM_TRUNCATED` when `events` ends
 * without `message_stop`; errors thrown by `events` propagate unchanged. Pure: no I/O.
 */
export function anthropicStreamToOpenAI(
  events: AsyncIterable<AnthropicStreamEvent>,
  options: AnthropicStreamToOpenAIOptions,
): AsyncGenerator<OpenAIChatChunk, void, undefined> {
  return streamTransform(events, new AnthropicToOpenAIStream(options));
}

/**
 * The synchronous state machine of {@link anthropicStreamToOpenAI}: `push` one event, take the
 * chunks from `out`; `end` once after a clean end (throws STREAM_TRUNCATED without
 * `message_stop`). For callers that drive many events per turn (a batch per upstream read).
 */
export function anthropicToOpenAIStep(
  options: AnthropicStreamToOpenAIOptions,
): StreamStep<AnthropicStreamEvent, OpenAIChatChunk> {
  return new AnthropicToOpenAIStream(options);
}
