import { randomUUID } from 'node:crypto';
import { LlmFailoverError } from '../errors/index.js';
import type { OpenAIChatChunk, OpenAIChatDelta } from '../protocols/openai-chat/stream.js';
import type { OpenAIResponsesStreamEvent } from '../protocols/openai-responses/stream.js';
import { toChatId } from './responses-id.js';
import { responsesUsageToChat } from './responses-usage.js';
import { streamTransform } from './stream-transform.js';
import type { StreamStep } from './stream-transform.js';

/** Options of {@link responsesStreamToChat}. */
export interface ResponsesStreamToChatOptions {
  /** Model reported on every chunk; default the upstream response's model. */
  model?: string;
  /** Emit a last chunk with `choices: []` and `usage` (the caller's `stream_options.include_usage`). */
  includeUsage: boolean;
  /** Chunk id; default the upstream response id re-prefixed (`resp_X` -> `chatcmpl-X`). */
  id?: string;
  /** Chunk `created` (epoch seconds); default the upstream's `created_at`, else 0. */
  created?: number;
}

/** What an upstream output item (by `output_index`) became on the chat side. */
interface ItemState {
  kind: 'message' | 'reasoning' | 'function_call' | 'other';
  /** Chat `tool_calls[].index` of a function call. */
  toolIndex: number;
  /** Something of it was streamed (a `.done` then adds nothing). */
  streamed: boolean;
  /** Reasoning: which event family carries it (`reasoning_text` or summary); the first seen wins. */
  reasoningFamily: 'text' | 'summary' | undefined;
  /** Reasoning summary part last streamed, to separate parts with a blank line. */
  summaryIndex: number;
}

// Events arrive parsed, not validated (parse once, no per-event revalidation): read as records.
type Event = { type: string; [key: string]: unknown };

/**
 * The state machine behind {@link responsesStreamToChat}. `push` appends the chunks one event
 * produces to `out`.
 */
class ResponsesToChatStream implements StreamStep<OpenAIResponsesStreamEvent, OpenAIChatChunk> {
  readonly out: OpenAIChatChunk[] = [];
  private id: string | undefined;
  private model: string | undefined;
  private created: number | undefined;
  private started = false;
  private stopped = false;
  private readonly items = new Map<number, ItemState>();
  private nextTool = 0;

  constructor(private readonly options: ResponsesStreamToChatOptions) {
    this.id = options.id;
    this.model = options.model;
    this.created = options.created;
  }

  push(event: OpenAIResponsesStreamEvent): void {
    if (this.stopped) return;
    const e = event as Event;
    switch (e.type) {
      case 'response.output_text.delta':
        return this.text(e, 'content');
      case 'response.function_call_arguments.delta':
        return this.argsDelta(e);
      case 'response.reasoning_summary_text.delta':
        return this.reasoning(e, 'summary');
      case 'response.reasoning_text.delta':
        return this.reasoning(e, 'text');
      case 'response.refusal.delta':
        return this.text(e, 'refusal');
      case 'response.output_item.added':
        return this.itemAdded(e);
      case 'response.output_item.done':
        return this.itemDone(e);
      case 'response.created':
      case 'response.in_progress':
      case 'response.queued':
        return this.onStart(e.response);
      case 'response.completed':
      case 'response.incomplete':
        return this.onStop(e);
      case 'response.failed':
      case 'error':
        throw new LlmFailoverError('STREAM_UPSTREAM_ERROR', `responses stream ${e.type} event`, {
          upstreamBody: event,
        });
      default:
        // Part, .done and built-in tool events add nothing a chat caller can receive.
        return;
    }
  }

  /** The source ended: clean only after `response.completed` or `response.incomplete`. */
  end(): void {
    if (!this.stopped) {
      throw new LlmFailoverError(
        'STREAM_TRUNCATED',
        'responses stream ended without response.completed',
      );
    }
  }

  private onStart(response: unknown): void {
    if (typeof response === 'object' && response !== null) {
      const r = response as Record<string, unknown>;
      // `resp_X` -> `chatcmpl-X`: the inverse of the chat -> Responses id, so ids round-trip.
      if (typeof r.id === 'string' && this.id === undefined) {
        this.id = toChatId(r.id);
      }
      if (typeof r.model === 'string') this.model ??= r.model;
      if (typeof r.created_at === 'number') this.created ??= r.created_at;
    }
    if (this.started) return;
    this.started = true;
    this.emit({ role: 'assistant', content: '' }, null);
  }

  private item(e: Event): ItemState {
    const index = typeof e.output_index === 'number' ? e.output_index : -1;
    let item = this.items.get(index);
    if (item === undefined) {
      // A delta for an item never added (tolerated): treat it by the event's family.
      item = {
        kind: 'other',
        toolIndex: -1,
        streamed: false,
        reasoningFamily: undefined,
        summaryIndex: 0,
      };
      this.items.set(index, item);
    }
    return item;
  }

  private itemAdded(e: Event): void {
    this.onStart(undefined);
    const added = (e.item ?? {}) as Record<string, unknown>;
    const item = this.item(e);
    const kind = added.type;
    if (kind === 'message' || kind === 'reasoning') item.kind = kind;
    if (kind !== 'function_call') return;
    item.kind = 'function_call';
    item.toolIndex = this.nextTool++;
    const id =
      typeof added.call_id === 'string' && added.call_id !== ''
        ? added.call_id
        : `call_${randomUUID().replaceAll('-', '').slice(0, 24)}`;
    const fn = { name: typeof added.name === 'string' ? added.name : '', arguments: '' };
    this.emit(
      { tool_calls: [{ index: item.toolIndex, id, type: 'function', function: fn }] },
      null,
    );
    const args = added.arguments;
    if (typeof args === 'string' && args !== '') this.args(item, args);
  }

  private text(e: Event, field: 'content' | 'refusal'): void {
    const delta = e.delta;
    if (typeof delta !== 'string' || delta === '') return;
    this.item(e).streamed = true;
    this.emit(field === 'content' ? { content: delta } : { refusal: delta }, null);
  }

  private reasoning(e: Event, family: 'text' | 'summary'): void {
    const delta = e.delta;
    if (typeof delta !== 'string' || delta === '') return;
    const item = this.item(e);
    // gpt-oss servers may send the raw text and a summary of it: one is enough.
    item.reasoningFamily ??= family;
    if (item.reasoningFamily !== family) return;
    const part = typeof e.summary_index === 'number' ? e.summary_index : 0;
    const gap = family === 'summary' && part !== item.summaryIndex && item.streamed ? '\n\n' : '';
    item.summaryIndex = part;
    item.streamed = true;
    this.emit({ reasoning_content: gap + delta }, null);
  }

  private argsDelta(e: Event): void {
    const item = this.item(e);
    const delta = e.delta;
    if (item.kind === 'function_call' && typeof delta === 'string' && delta !== '') {
      this.args(item, delta);
    }
  }

  private args(item: ItemState, piece: string): void {
    item.streamed = true;
    this.emit({ tool_calls: [{ index: item.toolIndex, function: { arguments: piece } }] }, null);
  }

  /** A `.done` item whose content never streamed (servers that send only the whole item). */
  private itemDone(e: Event): void {
    const item = this.item(e);
    const done = (e.item ?? {}) as Record<string, unknown>;
    const encrypted = done.encrypted_content;
    // Our round-trip field, as the non-streaming translation fills it from the same item.
    if (done.type === 'reasoning' && typeof encrypted === 'string' && encrypted !== '') {
      this.emit({ reasoning_signature: encrypted }, null);
    }
    if (item.streamed) return;
    if (item.kind === 'function_call') {
      const args = done.arguments;
      // Chat clients JSON.parse the arguments: a call without any gets `{}`.
      this.args(item, typeof args === 'string' && args !== '' ? args : '{}');
    } else if (item.kind === 'message' && Array.isArray(done.content)) {
      for (const part of done.content as Record<string, unknown>[]) {
        if (part?.type === 'output_text' && typeof part.text === 'string' && part.text !== '') {
          this.emit({ content: part.text }, null);
        } else if (part?.type === 'refusal' && typeof part.refusal === 'string') {
          this.emit({ refusal: part.refusal }, null);
        }
      }
    }
  }

  private onStop(e: Event): void {
    this.onStart(e.response);
    this.stopped = true;
    const response = (e.response ?? {}) as Record<string, unknown>;
    const details = response.incomplete_details as { reason?: unknown } | null | undefined;
    let finish = this.nextTool > 0 ? 'tool_calls' : 'stop';
    if (e.type === 'response.incomplete') {
      finish = details?.reason === 'content_filter' ? 'content_filter' : 'length';
    }
    this.emit({}, finish);
    if (!this.options.includeUsage) return;
    const usage = response.usage;
    this.out.push({
      id: this.chunkId(),
      object: 'chat.completion.chunk',
      created: this.created ?? 0,
      model: this.model ?? '',
      choices: [],
      usage: {
        ...responsesUsageToChat(
          typeof usage === 'object' && usage !== null ? (usage as Record<string, unknown>) : {},
        ),
      },
    });
  }

  private chunkId(): string {
    return (this.id ??= `chatcmpl-${randomUUID().replaceAll('-', '').slice(0, 24)}`);
  }

  private emit(delta: OpenAIChatDelta, finish: string | null): void {
    this.out.push({
      id: this.id ?? this.chunkId(),
      object: 'chat.completion.chunk',
      created: this.created ?? 0,
      model: this.model ?? '',
      choices: [{ index: 0, delta, finish_reason: finish }],
    });
  }
}

/**
 * Translates an OpenAI Responses event stream into chat-completion chunks: the role first, text
 * as `content`, refusals as `refusal`, reasoning (summary or raw text) as `reasoning_content`
 * (a reasoning item's `encrypted_content` as `reasoning_signature`, our extension),
 * function calls as `tool_calls` deltas (stable `index` 0.. in item order, `id` = the `call_id`
 * and the name on the first), the `finish_reason` chunk at `response.completed` (`length` or
 * `content_filter` at `response.incomplete`), then a usage chunk when `includeUsage`. Never
 * emits `[DONE]` (the encoder adds it). Throws `STREAM_UPSTREAM_ERROR` on `response.failed` or
 * `error` and `STREAM_TRUNCATED` when `events` ends without a terminal event; errors thrown by
 * `events` propagate unchanged. Pure: no I/O.
 */
export function responsesStreamToChat(
  events: AsyncIterable<OpenAIResponsesStreamEvent>,
  options: ResponsesStreamToChatOptions,
): AsyncGenerator<OpenAIChatChunk, void, undefined> {
  return streamTransform(events, new ResponsesToChatStream(options));
}

/**
 * The synchronous state machine of {@link responsesStreamToChat}: `push` one event, take the
 * chunks from `out`; `end` once after a clean end (throws STREAM_TRUNCATED without a terminal).
 */
export function responsesToChatStep(
  options: ResponsesStreamToChatOptions,
): StreamStep<OpenAIResponsesStreamEvent, OpenAIChatChunk> {
  return new ResponsesToChatStream(options);
}
