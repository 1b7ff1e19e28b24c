import { randomUUID } from 'node:crypto';
import { LlmFailoverError } from '../errors/index.js';
import type { AnthropicStreamEvent } from '../protocols/anthropic-messages/stream.js';
import type {
  OpenAIChatChunk,
  OpenAIChatDelta,
  OpenAIToolCallDelta,
} from '../protocols/openai-chat/stream.js';
import { openAIFinishToAnthropicStop } from './finish-reason.js';
import { toAnthropicResponseId } from './response-id.js';
import { openAIUsageToAnthropic } from './usage.js';
import { AnthropicEventWriter } from './anthropic-event-writer.js';
import { streamTransform } from './stream-transform.js';
import type { StreamStep } from './stream-transform.js';
import type { TextKind } from './anthropic-event-writer.js';
import { ToolCallTable, isWholeJsonObject } from './tool-call-table.js';
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

/** Text or thinking that arrived while a tool block was open: emitted after the tools. */
interface HeldRun {
  kind: TextKind;
  text: string;
  /** A thinking run's signature (our `reasoning_signature` delta). */
  signature?: string;
}

/**
 * The state machine behind {@link openAIStreamToAnthropic}. `push` appends the events one chunk
 * produces to `out`; the generator drains it. Anthropic allows one open block at a time, so a tool
 * call whose deltas interleave with the live one is buffered and emitted, exact, once that closes.
 */
class OpenAIToAnthropicStream implements StreamStep<OpenAIChatChunk, AnthropicStreamEvent> {
  private readonly w = new AnthropicEventWriter();
  readonly out: AnthropicStreamEvent[] = this.w.out;
  private readonly idCore: string;
  private started = false;
  private live: ToolCallState | undefined;
  private readonly tools = new ToolCallTable();
  private held: HeldRun[] = [];
  private toolBlocks = 0;
  private finish: string | undefined;
  private matchedStop: unknown;
  private usage: OpenAIChatChunk['usage'];
  /** Whitespace waiting for real text before a block of `blankKind` opens (see textRun). */
  private blank = '';
  private blankKind: TextKind | undefined;
  /** A refusal was streamed: a plain `stop` then means Anthropic's `refusal`. */
  private refused = false;

  constructor(private readonly options: OpenAIStreamToAnthropicOptions) {
    this.idCore = randomUUID().replaceAll('-', '').slice(0, 24);
  }

  push(chunk: OpenAIChatChunk): void {
    const error = (chunk as { error?: unknown }).error;
    if (error !== undefined && error !== null) {
      throw new LlmFailoverError('STREAM_UPSTREAM_ERROR', 'openai stream carried an error chunk', {
        upstreamBody: chunk,
      });
    }
    if (!this.started) this.start(chunk.id);
    if (chunk.usage) this.usage = chunk.usage;
    const choices = chunk.choices as OpenAIChatChunk['choices'] | undefined;
    if (!choices) return;
    for (let i = 0; i < choices.length; i++) {
      // Chunks arrive unvalidated (local servers vary): skip what is not a choice object.
      const choice = choices[i];
      if (!choice) continue;
      // n > 1 is refused towards Anthropic callers; only the first choice is translated.
      if (choice.index !== 0 && choice.index !== undefined) continue;
      if (choice.delta) this.onDelta(choice.delta);
      if (choice.finish_reason) {
        this.finish = choice.finish_reason;
        this.matchedStop = choice.stop_reason;
        this.flush();
      }
    }
  }

  /** The source ended cleanly: close everything, report stop reason and real usage. */
  end(): void {
    if (!this.started) this.start();
    this.flush();
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

  private start(upstreamId?: unknown): void {
    this.started = true;
    const id =
      this.options.messageId ??
      (typeof upstreamId === 'string' && upstreamId !== ''
        ? toAnthropicResponseId(upstreamId)
        : `msg_${this.idCore}`);
    this.w.messageStart(id, this.options.model, this.options.inputTokensHint ?? 0);
  }

  private onDelta(delta: OpenAIChatDelta): void {
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
    const calls = delta.tool_calls;
    if (!calls) return;
    for (let i = 0; i < calls.length; i++) {
      const call = calls[i];
      if (call) this.onToolDelta(call, i);
    }
  }

  private content(kind: TextKind, text: string): void {
    const waiting = this.tools.waiting;
    if (this.live !== undefined && waiting === 0 && isWholeJsonObject(this.live.args)) {
      this.closeOpen();
    }
    if (this.live !== undefined || waiting > 0) {
      // A tool block is open (or queued): closing it now could cut its arguments short.
      const last = this.held[this.held.length - 1];
      if (last?.kind === kind && last.signature === undefined) last.text += text;
      else this.held.push({ kind, text });
      return;
    }
    // Text held back earlier goes first: order within the text is never changed.
    if (this.held.length > 0) this.releaseHeld();
    this.textRun(kind, text);
  }

  /** Streams text into the open block of its kind, opening one (after closing another) if needed. */
  private textRun(kind: TextKind, text: string): void {
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

  /**
   * The signature of the thinking just streamed (held or open): a `signature_delta`, and the
   * block closes, as Anthropic ends one. Without thinking text to sign it is dropped, as the
   * non-streaming translation drops it.
   */
  private signature(signature: string): void {
    const last = this.held[this.held.length - 1];
    if (last !== undefined) {
      if (last.kind === 'thinking') last.signature = signature;
      return;
    }
    if (this.w.open !== 'thinking') return;
    this.w.signatureDelta(signature);
    this.w.close();
  }

  private releaseHeld(): void {
    const held = this.held;
    this.held = [];
    for (const run of held) {
      this.textRun(run.kind, run.text);
      if (run.signature !== undefined && this.w.open === 'thinking') {
        this.w.signatureDelta(run.signature);
        this.w.close();
      }
    }
  }

  private onToolDelta(call: OpenAIToolCallDelta, position: number): void {
    const tool = this.tools.take(call, position);
    const args = call.function?.arguments;
    if (tool.phase === 'live') {
      if (args) this.argsDelta(tool, args);
      return;
    }
    // phase 'closed' happens only after finish_reason (or complete arguments): nothing can follow.
    if (tool.phase === 'closed') return;
    if (args) tool.pieces.push(args);
    if (this.live !== undefined && isWholeJsonObject(this.live.args)) this.closeOpen();
    if (this.live === undefined) {
      const next = this.tools.nextReady();
      if (next !== undefined) {
        this.closeOpen();
        this.startTool(next);
      }
    }
  }

  /** Closes the open block, then emits queued tools (by index) and held text, each as a block. */
  private flush(): void {
    this.closeOpen();
    for (const tool of this.tools.allWaiting()) {
      this.startTool(tool);
      this.closeOpen();
    }
    if (this.held.length > 0) {
      this.releaseHeld();
      this.w.close();
    }
  }

  private startTool(tool: ToolCallState): void {
    this.blank = '';
    tool.phase = 'live';
    this.tools.waiting--;
    this.live = tool;
    this.toolBlocks++;
    this.w.startToolUse(tool.id ?? `toolu_${this.idCore}_${tool.index}`, tool.name ?? '');
    if (tool.pieces.length > 0) {
      this.argsDelta(tool, tool.pieces.join(''));
      tool.pieces = [];
    }
  }

  private argsDelta(tool: ToolCallState, partialJson: string): void {
    tool.args += partialJson;
    this.w.inputJson(partialJson);
  }

  private closeOpen(): void {
    this.w.close();
    if (this.live !== undefined) {
      this.live.phase = 'closed';
      this.live = undefined;
    }
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
