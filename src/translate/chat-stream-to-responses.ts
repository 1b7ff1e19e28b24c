import { randomUUID } from 'node:crypto';
import { LlmFailoverError } from '../errors/index.js';
import type {
  OpenAIChatChunk,
  OpenAIChatDelta,
  OpenAIToolCallDelta,
} from '../protocols/openai-chat/stream.js';
import { responseEnvelope } from './responses-envelope.js';
import { includesEncryptedReasoning } from './responses-reasoning.js';
import { ResponsesEventWriter } from './responses-event-writer.js';
import type { ResponsesTextKind } from './responses-event-writer.js';
import type { OpenAIResponsesRequest } from '../protocols/openai-responses/request.js';
import type { OpenAIResponsesStreamEvent } from '../protocols/openai-responses/stream.js';
import { responsesIdCore, toResponsesId } from './responses-id.js';
import { responsesToolNameOf } from './responses-tool-names.js';
import type { ResponsesToolName } from './responses-tool-names.js';
import { chatUsageToResponses } from './responses-usage.js';
import { streamTransform } from './stream-transform.js';
import type { StreamStep } from './stream-transform.js';
import { ToolCallTable, isWholeJsonObject } from './tool-call-table.js';
import type { ToolCallState } from './tool-call-table.js';

/** Options of {@link chatStreamToResponses}. */
export interface ChatStreamToResponsesOptions {
  /**
   * `response.id`; default the first chunk's id re-prefixed (`chatcmpl-X` -> `resp_X`), else
   * `resp_` + a random hex string. Item ids derive from it (`msg_X_0`, `fc_X_1`, `rs_X_2`).
   */
  responseId?: string;
  /** `created_at` (epoch seconds); default the first chunk's `created`, else 0 (no clock read). */
  createdAt?: number;
  /** Model reported in the `response`; default the request's. */
  model?: string;
  /**
   * The chat function name -> the caller's name (and namespace): the inverse of the flattening
   * the request translator applied to `namespace` tools. Default `responsesToolNameOf(request)`
   * (read from the request's tools, so exact); other names pass unchanged.
   */
  toolName?: (chatName: string) => ResponsesToolName;
}

/** Text that arrived while a function call was streaming: emitted after the calls. */
interface HeldRun {
  kind: ResponsesTextKind;
  text: string;
  /** A reasoning run's signature (our `reasoning_signature` delta). */
  signature?: string;
}

/**
 * The state machine behind {@link chatStreamToResponses}. Responses items stream one at a time,
 * so a tool call whose deltas interleave with the live one is buffered and emitted, exact, once
 * that closes; text that arrives while a call is live waits until the calls are done (closing the
 * call early could cut its arguments short).
 */
class ChatToResponsesStream implements StreamStep<OpenAIChatChunk, OpenAIResponsesStreamEvent> {
  private readonly w: ResponsesEventWriter;
  readonly out: OpenAIResponsesStreamEvent[];
  private id = '';
  private envelope: Record<string, unknown> | undefined;
  private live: ToolCallState | undefined;
  private readonly tools = new ToolCallTable();
  private held: HeldRun[] = [];
  private finish: string | undefined;
  private usage: Record<string, unknown> | undefined;
  private readonly toolName: (chatName: string) => ResponsesToolName;
  /** The caller asked for `reasoning.encrypted_content` (as the non-streaming translation reads). */
  private readonly keepSignature: boolean;

  constructor(
    private readonly request: OpenAIResponsesRequest,
    private readonly options: ChatStreamToResponsesOptions,
  ) {
    this.w = new ResponsesEventWriter();
    this.toolName = options.toolName ?? responsesToolNameOf(request);
    this.keepSignature = includesEncryptedReasoning(request);
    this.out = this.w.out;
  }

  push(chunk: OpenAIChatChunk): void {
    const error = (chunk as { error?: unknown }).error;
    if (error !== undefined && error !== null) {
      throw new LlmFailoverError('STREAM_UPSTREAM_ERROR', 'openai stream carried an error chunk', {
        upstreamBody: chunk,
      });
    }
    if (this.envelope === undefined) this.start(chunk.id, chunk.created);
    if (chunk.usage) this.usage = chunk.usage;
    const choices = chunk.choices as OpenAIChatChunk['choices'] | undefined;
    if (!choices) return;
    for (let i = 0; i < choices.length; i++) {
      // Chunks arrive unvalidated (local servers vary): skip what is not a choice object.
      const choice = choices[i];
      if (!choice) continue;
      // n > 1 is not expressible in Responses; only the first choice is translated.
      if (choice.index !== 0 && choice.index !== undefined) continue;
      if (choice.delta) this.onDelta(choice.delta);
      if (choice.finish_reason) {
        this.finish = choice.finish_reason;
        this.flush(incompleteReason(this.finish) === undefined ? 'completed' : 'incomplete');
      }
    }
  }

  /** The source ended cleanly: close everything, then `response.completed` or `.incomplete`. */
  end(): void {
    if (this.envelope === undefined) this.start(undefined, undefined);
    // A length (or filter) stop leaves the item it cut short incomplete, as OpenAI marks it.
    const reason = incompleteReason(this.finish);
    this.flush(reason === undefined ? 'completed' : 'incomplete');
    const response: Record<string, unknown> = {
      ...this.envelope,
      status: reason === undefined ? 'completed' : 'incomplete',
      incomplete_details: reason === undefined ? null : { reason },
      output: [...this.w.output],
      usage: this.usage === undefined ? null : chatUsageToResponses(this.usage),
    };
    this.w.lifecycle(reason === undefined ? 'response.completed' : 'response.incomplete', response);
  }

  private start(upstreamId: unknown, created: unknown): void {
    // The upstream's id, re-prefixed (`chatcmpl-X` -> `resp_X`), as for non-streaming answers.
    this.id =
      this.options.responseId ??
      (typeof upstreamId === 'string' && upstreamId !== ''
        ? toResponsesId(upstreamId)
        : `resp_${randomUUID().replaceAll('-', '')}`);
    this.w.idCore = responsesIdCore(this.id);
    const createdAt =
      this.options.createdAt ??
      (typeof created === 'number' && Number.isFinite(created) ? created : 0);
    const model = this.options.model ?? this.request.model;
    this.envelope = responseEnvelope(this.request, { id: this.id, createdAt, model });
    this.w.lifecycle('response.created', { ...this.envelope });
    this.w.lifecycle('response.in_progress', { ...this.envelope });
  }

  private onDelta(delta: OpenAIChatDelta): void {
    const thinking = delta.reasoning_content ?? delta.reasoning;
    if (typeof thinking === 'string' && thinking.length > 0) this.content('reasoning', thinking);
    const signature = delta.reasoning_signature;
    if (typeof signature === 'string' && signature !== '' && this.keepSignature) {
      this.signature(signature);
    }
    const text = delta.content;
    if (typeof text === 'string' && text.length > 0) this.content('text', text);
    const refusal = delta.refusal;
    if (typeof refusal === 'string' && refusal.length > 0) this.content('refusal', refusal);
    const calls = delta.tool_calls;
    if (!calls) return;
    for (let i = 0; i < calls.length; i++) {
      const call = calls[i];
      if (call) this.onToolDelta(call, i);
    }
  }

  private content(kind: ResponsesTextKind, text: string): void {
    const waiting = this.tools.waiting;
    if (this.live !== undefined && waiting === 0 && isWholeJsonObject(this.live.args)) {
      this.closeOpen('completed');
    }
    if (this.live !== undefined || waiting > 0) {
      const last = this.held[this.held.length - 1];
      // A signed reasoning run is finished: more reasoning is another item.
      if (last?.kind === kind && last.signature === undefined) last.text += text;
      else this.held.push({ kind, text });
      return;
    }
    if (this.held.length > 0) this.releaseHeld();
    this.w.text(kind, text);
  }

  /**
   * The signature of the reasoning run just streamed (held or open). Without one (a thinking
   * block with no text) it is dropped, as the non-streaming translation drops it.
   */
  private signature(signature: string): void {
    if (this.held.length === 0) {
      this.w.reasoningSignature(signature);
      return;
    }
    const last = this.held[this.held.length - 1]!;
    if (last.kind === 'reasoning') last.signature = signature;
  }

  private releaseHeld(): void {
    const held = this.held;
    this.held = [];
    for (const run of held) {
      this.w.text(run.kind, run.text);
      if (run.signature !== undefined) this.w.reasoningSignature(run.signature);
    }
  }

  private onToolDelta(call: OpenAIToolCallDelta, position: number): void {
    const tool = this.tools.take(call, position);
    const args = call.function?.arguments;
    if (tool.phase === 'live') {
      if (args) this.argsDelta(tool, args);
      return;
    }
    if (tool.phase === 'closed') return;
    if (args) tool.pieces.push(args);
    if (this.live !== undefined && isWholeJsonObject(this.live.args)) this.closeOpen('completed');
    if (this.live === undefined) {
      const next = this.tools.nextReady();
      if (next !== undefined) this.startTool(next);
    }
  }

  /** Closes the open item, then emits queued calls (by index) and held text, each as an item. */
  private flush(status: 'completed' | 'incomplete'): void {
    this.closeOpen(status);
    for (const tool of this.tools.allWaiting()) {
      this.startTool(tool);
      this.closeOpen(status);
    }
    if (this.held.length > 0) {
      this.releaseHeld();
      this.w.close(status);
    }
  }

  private startTool(tool: ToolCallState): void {
    tool.phase = 'live';
    this.tools.waiting--;
    this.live = tool;
    // call_id is the chat tool call id, so the caller's function_call_output finds its call.
    const callId = tool.id ?? `call_${this.w.idCore}_${tool.index}`;
    this.w.functionCall(callId, this.toolName(tool.name ?? ''));
    if (tool.pieces.length > 0) {
      this.argsDelta(tool, tool.pieces.join(''));
      tool.pieces = [];
    }
  }

  private argsDelta(tool: ToolCallState, piece: string): void {
    tool.args += piece;
    this.w.argumentsDelta(piece);
  }

  private closeOpen(status: 'completed' | 'incomplete'): void {
    this.w.close(status);
    if (this.live !== undefined) {
      this.live.phase = 'closed';
      this.live = undefined;
    }
  }
}

/** Chat finish -> Responses `incomplete_details.reason`, or undefined for a complete answer. */
function incompleteReason(finish: string | undefined): string | undefined {
  if (finish === 'length') return 'max_output_tokens';
  if (finish === 'content_filter') return 'content_filter';
  return undefined;
}

/**
 * Translates an OpenAI chat-completion chunk stream into the Responses event sequence:
 * `response.created`, `response.in_progress`, one output item per reasoning run (summary events
 * from `reasoning_content`), text run (`output_text` / `refusal` parts) and tool call (arguments
 * deltas, `call_id` = the chat tool call id; a custom tool's call a custom_tool_call item whose
 * input comes whole at its end), each with its `.added` / `.done` events, then
 * `response.completed` with usage, or `response.incomplete` for a length or filter stop, only
 * when `chunks` ends normally. Errors thrown by `chunks` propagate unchanged (no terminal event);
 * an in-band `{error}` chunk throws `STREAM_UPSTREAM_ERROR`. Pure: no I/O.
 */
export function chatStreamToResponses(
  chunks: AsyncIterable<OpenAIChatChunk>,
  request: OpenAIResponsesRequest,
  options: ChatStreamToResponsesOptions = {},
): AsyncGenerator<OpenAIResponsesStreamEvent, void, undefined> {
  return streamTransform(chunks, new ChatToResponsesStream(request, options));
}

/**
 * The synchronous state machine of {@link chatStreamToResponses}: `push` one chunk, take the
 * events from `out`; `end` once after a clean end.
 */
export function chatToResponsesStep(
  request: OpenAIResponsesRequest,
  options: ChatStreamToResponsesOptions = {},
): StreamStep<OpenAIChatChunk, OpenAIResponsesStreamEvent> {
  return new ChatToResponsesStream(request, options);
}
