import { LlmFailoverError } from '../errors/index.js';
import type {
  OpenAIChatChunk,
  OpenAIChatDelta,
  OpenAIToolCallDelta,
} from '../protocols/openai-chat/stream.js';
import type { StreamStep } from './stream-transform.js';
import { ToolCallTable, isWholeJsonObject } from './tool-call-table.js';
import type { ToolCallState } from './tool-call-table.js';

/** One choice of a chunk. */
export type OpenAIChatChunkChoice = OpenAIChatChunk['choices'][number];

/** How an item or block is closed (Responses items carry it; Anthropic blocks ignore it). */
export type CloseStatus = 'completed' | 'incomplete';

/** Text of one kind that arrived while a tool call was open or queued: emitted after the calls. */
interface HeldRun<K> {
  kind: K;
  text: string;
  /** A reasoning run's signature (our `reasoning_signature` delta): the run is finished. */
  signature?: string;
}

/**
 * What the translators of an OpenAI Chat chunk stream (to Anthropic events, to Responses events)
 * share: the choice loop (the first choice only; chunks arrive unvalidated, so what is not a
 * choice object is skipped; an in-band `{error}` chunk throws `STREAM_UPSTREAM_ERROR`) and the
 * order of text and tool calls. The target has one open block (item) at a time, so a tool call
 * whose deltas interleave with the live one is buffered and emitted, exact, once that closes;
 * text that arrives while a call is live or queued waits until the calls are done (closing a call
 * early could cut its arguments short). Subclasses write the target's events through the hooks.
 */
export abstract class ChatChunkTranslator<K, E> implements StreamStep<OpenAIChatChunk, E> {
  abstract readonly out: E[];
  /** The tool call whose block is open. */
  protected live: ToolCallState | undefined;
  protected readonly tools = new ToolCallTable();
  private held: HeldRun<K>[] = [];
  protected finish: string | undefined;
  protected usage: OpenAIChatChunk['usage'];

  push(chunk: OpenAIChatChunk): void {
    const error = (chunk as { error?: unknown }).error;
    if (error !== undefined && error !== null) {
      throw new LlmFailoverError('STREAM_UPSTREAM_ERROR', 'openai stream carried an error chunk', {
        upstreamBody: chunk,
      });
    }
    this.begin(chunk);
    if (chunk.usage) this.usage = chunk.usage;
    const choices = chunk.choices as OpenAIChatChunk['choices'] | undefined;
    if (!choices) return;
    for (let i = 0; i < choices.length; i++) {
      const choice = choices[i];
      if (!choice) continue;
      // n > 1 is not expressible in the targets; only the first choice is translated.
      if (choice.index !== 0 && choice.index !== undefined) continue;
      if (choice.delta) this.onDelta(choice.delta);
      if (choice.finish_reason) {
        this.finish = choice.finish_reason;
        this.onFinish(choice);
      }
    }
  }

  /** The source ended cleanly: close everything, then the target's terminal events. */
  abstract end(): void;

  /** Called with every chunk before its choices: starts the target's stream on the first. */
  protected abstract begin(chunk: OpenAIChatChunk): void;
  /** A delta's text, reasoning and refusal, in the target's kinds; then `toolDeltas`. */
  protected abstract onDelta(delta: OpenAIChatDelta): void;
  /** The choice finished (`this.finish` holds its reason). */
  protected abstract onFinish(choice: OpenAIChatChunkChoice): void;
  /** Writes text of `kind` into the open block of its kind, opening one if needed. */
  protected abstract writeText(kind: K, text: string): void;
  /** Opens `tool`'s block (closing any other one first). */
  protected abstract openTool(tool: ToolCallState): void;
  /** Writes a piece of the live tool call's arguments. */
  protected abstract writeArgs(piece: string): void;
  /** Closes the open block, if any. */
  protected abstract closeBlock(status: CloseStatus): void;
  /** The kind reasoning text is written as (what a signature signs). */
  protected abstract readonly reasoningKind: K;
  /** Signs the reasoning just written (open, or just released from being held). */
  protected abstract writeSignature(signature: string): void;

  protected toolDeltas(calls: OpenAIToolCallDelta[] | null | undefined): void {
    if (!calls) return;
    for (let i = 0; i < calls.length; i++) {
      const call = calls[i];
      if (call) this.onToolDelta(call, i);
    }
  }

  protected content(kind: K, text: string): void {
    const waiting = this.tools.waiting;
    if (this.live !== undefined && waiting === 0 && isWholeJsonObject(this.live.args)) {
      this.closeOpen('completed');
    }
    if (this.live !== undefined || waiting > 0) {
      const last = this.held[this.held.length - 1];
      // A signed reasoning run is finished: more reasoning is another block.
      if (last?.kind === kind && last.signature === undefined) last.text += text;
      else this.held.push({ kind, text });
      return;
    }
    // Text held back earlier goes first: order within the text is never changed.
    if (this.held.length > 0) this.releaseHeld();
    this.writeText(kind, text);
  }

  /**
   * The signature of the reasoning run just streamed (held or open). Without reasoning text to
   * sign it is dropped, as the non-streaming translations drop it.
   */
  protected signature(signature: string): void {
    const last = this.held[this.held.length - 1];
    if (last === undefined) this.writeSignature(signature);
    else if (last.kind === this.reasoningKind) last.signature = signature;
  }

  private releaseHeld(): void {
    const held = this.held;
    this.held = [];
    for (const run of held) {
      this.writeText(run.kind, run.text);
      if (run.signature !== undefined) this.writeSignature(run.signature);
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
    if (this.live !== undefined && isWholeJsonObject(this.live.args)) this.closeOpen('completed');
    if (this.live === undefined) {
      const next = this.tools.nextReady();
      if (next !== undefined) this.startTool(next);
    }
  }

  /** Closes the open block, then emits queued calls (by index) and held text, each as a block. */
  protected flush(status: CloseStatus): void {
    this.closeOpen(status);
    for (const tool of this.tools.allWaiting()) {
      this.startTool(tool);
      this.closeOpen(status);
    }
    if (this.held.length > 0) {
      this.releaseHeld();
      this.closeBlock(status);
    }
  }

  private startTool(tool: ToolCallState): void {
    tool.phase = 'live';
    this.tools.waiting--;
    this.live = tool;
    this.openTool(tool);
    if (tool.pieces.length > 0) {
      this.argsDelta(tool, tool.pieces.join(''));
      tool.pieces = [];
    }
  }

  private argsDelta(tool: ToolCallState, piece: string): void {
    tool.args += piece;
    this.writeArgs(piece);
  }

  private closeOpen(status: CloseStatus): void {
    this.closeBlock(status);
    if (this.live !== undefined) {
      this.live.phase = 'closed';
      this.live = undefined;
    }
  }
}
