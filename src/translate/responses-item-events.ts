import type { OpenAIResponsesStreamEvent } from '../protocols/openai-responses/stream.js';

export type Item = Record<string, unknown>;
export type Part = Record<string, unknown>;

/** The item being streamed: at most one at a time, as OpenAI streams them. */
export interface OpenItem {
  kind: 'reasoning' | 'message' | 'function_call' | 'custom_tool_call';
  id: string;
  index: number;
  item: Item;
  /** Message parts closed so far. */
  parts: Part[];
  /** The open part of a message (`output_text` or `refusal`), or undefined. */
  part: 'text' | 'refusal' | undefined;
  /** Text (or arguments) of the open part, summary or call. */
  text: string;
  /** Reasoning: the thinking signature, sent as the finished item's `encrypted_content`. */
  signature?: string;
}

/**
 * The numbering every Responses stream event shares: `sequence_number` counts up from 0 over all
 * events, `output_index` over items; an item's `.added` and `.done`, with each finished item kept
 * in `output`. The writer and its per-kind helpers (reasoning, calls) emit through it.
 */
export class ResponsesItemEvents {
  readonly out: OpenAIResponsesStreamEvent[] = [];
  /** Finished items, in output order. */
  readonly output: Item[] = [];
  open: OpenItem | undefined;
  private seq = 0;
  private items = 0;

  /** The response id without `resp_`: item ids are `msg_<core>_<n>` etc. Set before the first item. */
  idCore = '';

  /** The id of the next item: `<prefix>_<core>_<output index>`. */
  nextId(prefix: string): string {
    return `${prefix}_${this.idCore}_${this.items}`;
  }

  /** `response.created`, `.in_progress`, `.completed`, `.incomplete`: `response` as given. */
  lifecycle(type: string, response: Record<string, unknown>): void {
    this.emit(type, { response });
  }

  /**
   * Appends `{type, sequence_number, ...fields}` (in that key order), for the events sent once per
   * item. The per-chunk deltas are written as literals with {@link nextSequence}: the spread here
   * is a slow path that took a third off chat -> Responses stream translation (bench:translate).
   */
  emit(type: string, fields: Record<string, unknown>): void {
    this.out.push({ type, sequence_number: this.seq++, ...fields });
  }

  /** The next event's `sequence_number` (for events written as literals). */
  nextSequence(): number {
    return this.seq++;
  }

  /** Opens `item` as the next output item: `response.output_item.added` with a copy of it. */
  start(kind: OpenItem['kind'], item: Item): OpenItem {
    const open: OpenItem = {
      kind,
      id: item.id as string,
      index: this.items++,
      item,
      parts: [],
      part: undefined,
      text: '',
    };
    this.open = open;
    this.emit('response.output_item.added', { output_index: open.index, item: { ...item } });
    return open;
  }

  /** Keeps the finished `item` in `output` and sends its `response.output_item.done`. */
  finished(open: OpenItem, item: Item): void {
    this.output.push(item);
    this.emit('response.output_item.done', { output_index: open.index, item });
  }
}
