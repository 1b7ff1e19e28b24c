import { randomUUID } from 'node:crypto';
import type { OpenAIChatChunk, OpenAIChatDelta } from '../protocols/openai-chat/stream.js';
import { ChatChunkTranslator } from './chat-chunk-translator.js';
import type { CloseStatus } from './chat-chunk-translator.js';
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

/**
 * The state machine behind {@link chatStreamToResponses}. Responses items stream one at a time:
 * the order of text and function call items is the base class's.
 */
class ChatToResponsesStream extends ChatChunkTranslator<
  ResponsesTextKind,
  OpenAIResponsesStreamEvent
> {
  private readonly w: ResponsesEventWriter;
  readonly out: OpenAIResponsesStreamEvent[];
  private id = '';
  private envelope: Record<string, unknown> | undefined;
  private readonly toolName: (chatName: string) => ResponsesToolName;
  /** The caller asked for `reasoning.encrypted_content` (as the non-streaming translation reads). */
  private readonly keepSignature: boolean;

  constructor(
    private readonly request: OpenAIResponsesRequest,
    private readonly options: ChatStreamToResponsesOptions,
  ) {
    super();
    this.w = new ResponsesEventWriter();
    this.toolName = options.toolName ?? responsesToolNameOf(request);
    this.keepSignature = includesEncryptedReasoning(request);
    this.out = this.w.out;
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
      usage: this.usage ? chatUsageToResponses(this.usage) : null,
    };
    this.w.lifecycle(reason === undefined ? 'response.completed' : 'response.incomplete', response);
  }

  protected begin(chunk: OpenAIChatChunk): void {
    if (this.envelope === undefined) this.start(chunk.id, chunk.created);
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

  protected onFinish(): void {
    this.flush(incompleteReason(this.finish) === undefined ? 'completed' : 'incomplete');
  }

  protected onDelta(delta: OpenAIChatDelta): void {
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
    this.toolDeltas(delta.tool_calls);
  }

  protected writeText(kind: ResponsesTextKind, text: string): void {
    this.w.text(kind, text);
  }

  protected openTool(tool: ToolCallState): void {
    // call_id is the chat tool call id, so the caller's function_call_output finds its call.
    const callId = tool.id ?? `call_${this.w.idCore}_${tool.index}`;
    this.w.functionCall(callId, this.toolName(tool.name ?? ''));
  }

  protected writeArgs(piece: string): void {
    this.w.argumentsDelta(piece);
  }

  protected closeBlock(status: CloseStatus): void {
    this.w.close(status);
  }

  protected readonly reasoningKind = 'reasoning';

  protected writeSignature(signature: string): void {
    this.w.reasoningSignature(signature);
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
