import { randomUUID } from 'node:crypto';
import type { AnthropicStreamEvent } from '../protocols/anthropic-messages/stream.js';
import type { OpenAIChatChunk, OpenAIChatDelta } from '../protocols/openai-chat/stream.js';
import { ChatChunkTranslator } from './chat-chunk-translator.js';
import type { OpenAIChatChunkChoice } from './chat-chunk-translator.js';
import { openAIFinishToAnthropicStop } from './finish-reason.js';
import { toAnthropicResponseId } from './response-id.js';
import { openAIUsageToAnthropic } from './usage.js';
import { AnthropicEventWriter } from './anthropic-event-writer.js';
import { streamTransform } from './stream-transform.js';
import type { StreamStep } from './stream-transform.js';
import type { TextKind } from './anthropic-event-writer.js';
import type { ToolCallState } from './tool-call-table.js';

/** Options of {@link openAIStreamToAnthropic}. */
export interface OpenAIStreamToAnthropicOptions {
  /** Model name reported in `message_start` (the caller's model, not necessarily the upstream's). */
  model: string;
  /**
   * `message.id`; default the upstream chunk id with the `msg_` prefix (`msg_chatcmpl-...`, as
   * for non-streaming answers), else `msg_` + a random hex string.
   */
  messageId?: string;
  /** Input tokens for `message_start` (real usage follows in `message_delta`); default 0. */
  inputTokensHint?: number;
}

/**
 * The state machine behind {@link openAIStreamToAnthropic}. `push` appends the events one chunk
 * produces to `out`; the generator drains it. The order of text and tool blocks is the base
 * class's (Anthropic allows one open block at a time).
 */
class OpenAIToAnthropicStream extends ChatChunkTranslator<TextKind, AnthropicStreamEvent> {
  private readonly w = new AnthropicEventWriter();
  readonly out: AnthropicStreamEvent[] = this.w.out;
  private readonly idCore: string;
  private started = false;
  private toolBlocks = 0;
  private matchedStop: unknown;
  /** Whitespace waiting for real text before a block of `blankKind` opens (see writeText). */
  private blank = '';
  private blankKind: TextKind | undefined;
  /** A refusal was streamed: a plain `stop` then means Anthropic's `refusal`. */
  private refused = false;

  constructor(private readonly options: OpenAIStreamToAnthropicOptions) {
    super();
    this.idCore = randomUUID().replaceAll('-', '').slice(0, 24);
  }

  /** The source ended cleanly: close everything, report stop reason and real usage. */
  end(): void {
    if (!this.started) this.start();
    this.flush('completed');
    const { stopReason, stopSequence } = openAIFinishToAnthropicStop(this.finish, this.matchedStop);
    // Some local servers end a tool-calling turn with `stop` (or no finish_reason at all); an
    // Anthropic client only runs tools on `tool_use`, so blocks that were sent decide. OpenAI
    // ends a refusal with a plain `stop`: as for non-streaming answers it is Anthropic's `refusal`.
    let reason = stopReason ?? 'end_turn';
    if (reason === 'end_turn' && this.toolBlocks > 0) reason = 'tool_use';
    else if (reason === 'end_turn' && this.refused) reason = 'refusal';
    // Without include_usage nothing better is known; message_start already carried the hint.
    this.w.finish(
      reason,
      stopSequence,
      this.usage ? { ...openAIUsageToAnthropic(this.usage) } : { output_tokens: 0 },
    );
  }

  protected begin(chunk: OpenAIChatChunk): void {
    if (!this.started) this.start(chunk.id);
  }

  private start(upstreamId?: unknown): void {
    this.started = true;
    const id =
      this.options.messageId ??
      (typeof upstreamId === 'string' && upstreamId !== ''
        ? toAnthropicResponseId(upstreamId)
        : `msg_${this.idCore}`);
    this.w.messageStart(id, this.options.model, this.options.inputTokensHint ?? 0);
  }

  protected onFinish(choice: OpenAIChatChunkChoice): void {
    this.matchedStop = choice.stop_reason;
    this.flush('completed');
  }

  protected onDelta(delta: OpenAIChatDelta): void {
    const thinking = delta.reasoning_content ?? delta.reasoning;
    if (typeof thinking === 'string' && thinking.length > 0) this.content('thinking', thinking);
    const signature = delta.reasoning_signature;
    if (typeof signature === 'string' && signature !== '') this.signature(signature);
    const text = delta.content;
    if (typeof text === 'string' && text.length > 0) this.content('text', text);
    const refusal = delta.refusal;
    if (typeof refusal === 'string' && refusal.length > 0) {
      this.refused = true;
      this.content('text', refusal);
    }
    this.toolDeltas(delta.tool_calls);
  }

  /** Streams text into the open block of its kind, opening one (after closing another) if needed. */
  protected writeText(kind: TextKind, text: string): void {
    if (this.w.open !== kind) {
      // A block of only whitespace (local models write "\n\n" before tool calls) would come back
      // in the caller's history, and Anthropic refuses blank blocks: open one only for real text.
      const prefix = this.blankKind === kind ? this.blank : '';
      this.blankKind = kind;
      this.blank = prefix + text;
      if (text.trim() === '') return;
      this.w.close();
      this.w.startText(kind);
      text = this.blank;
    }
    this.blank = '';
    this.w.textDelta(kind, text);
  }

  protected openTool(tool: ToolCallState): void {
    this.blank = '';
    this.w.close();
    this.toolBlocks++;
    this.w.startToolUse(tool.id ?? `toolu_${this.idCore}_${tool.index}`, tool.name ?? '');
  }

  protected writeArgs(piece: string): void {
    this.w.inputJson(piece);
  }

  protected closeBlock(): void {
    this.w.close();
  }

  protected readonly reasoningKind = 'thinking';

  /** A `signature_delta`, and the thinking block closes, as Anthropic ends one. */
  protected writeSignature(signature: string): void {
    if (this.w.open !== 'thinking') return;
    this.w.signatureDelta(signature);
    this.w.close();
  }
}

/**
 * Translates an OpenAI chat-completion chunk stream into the exact Anthropic event sequence:
 * `message_start`, one block per text run, thinking run and tool call (`input_json_delta` pieces,
 * never empty), `message_delta` with the stop reason and the upstream's real usage, and
 * `message_stop` only when `chunks` ends normally. Tolerates local-server quirks (`tool_calls: []`,
 * missing ids or role chunk, usage beside choices, interleaved parallel tool calls).
 * Errors thrown by `chunks` propagate unchanged; an in-band `{error}` chunk throws
 * `STREAM_UPSTREAM_ERROR`. Pure: no I/O.
 */
export function openAIStreamToAnthropic(
  chunks: AsyncIterable<OpenAIChatChunk>,
  options: OpenAIStreamToAnthropicOptions,
): AsyncGenerator<AnthropicStreamEvent, void, undefined> {
  return streamTransform(chunks, new OpenAIToAnthropicStream(options));
}

/**
 * The synchronous state machine of {@link openAIStreamToAnthropic}: `push` one chunk, take the
 * events from `out`; `end` once after a clean end. For callers that drive many chunks per turn
 * (a batch per upstream read).
 */
export function openAIToAnthropicStep(
  options: OpenAIStreamToAnthropicOptions,
): StreamStep<OpenAIChatChunk, AnthropicStreamEvent> {
  return new OpenAIToAnthropicStream(options);
}
