import type { OpenAIResponsesStreamEvent } from '../protocols/openai-responses/stream.js';
import { customToolCallItem, customToolInput } from './responses-custom-tools.js';
import type { ResponsesToolName } from './responses-tool-names.js';

/** What streams into an output item: reasoning summary, answer text, or a refusal. */
export type ResponsesTextKind = 'reasoning' | 'text' | 'refusal';

type Item = Record<string, unknown>;
type Part = Record<string, unknown>;

/** The item being streamed: at most one at a time, as OpenAI streams them. */
interface OpenItem {
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
 * Appends well-formed Responses stream events to `out`: `sequence_number` counts up from 0,
 * `output_index` in item order, every `.added` has its `.done` with the whole text, and `output`
 * holds each finished item as `response.completed` must carry it (the SDK's final response is
 * that event's `response`). Policy (what goes in which item, and when) is the caller's.
 */
export class ResponsesEventWriter {
  readonly out: OpenAIResponsesStreamEvent[] = [];
  /** Finished items, in output order. */
  readonly output: Item[] = [];
  open: OpenItem | undefined;
  private seq = 0;
  private items = 0;

  /** The response id without `resp_`: item ids are `msg_<core>_<n>` etc. Set before the first item. */
  idCore = '';

  /** `response.created`, `.in_progress`, `.completed`, `.incomplete`: `response` as given. */
  lifecycle(type: string, response: Record<string, unknown>): void {
    this.out.push({ type, sequence_number: this.seq++, response });
  }

  /** Streams `text` into the open item of its kind, opening one (after closing another) if needed. */
  text(kind: ResponsesTextKind, text: string): void {
    const open = this.open;
    if (kind === 'reasoning') {
      // A signature ends its thinking block: later thinking is another item, with its own.
      if (open?.kind !== 'reasoning' || open.signature !== undefined) this.openReasoning();
      this.reasoningDelta(text);
      return;
    }
    if (open?.kind !== 'message') this.openMessage();
    const message = this.open!;
    if (message.part !== kind) {
      this.closePart(message);
      this.openPart(message, kind);
    }
    message.text += text;
    this.out.push(
      kind === 'text'
        ? {
            type: 'response.output_text.delta',
            sequence_number: this.seq++,
            item_id: message.id,
            output_index: message.index,
            content_index: message.parts.length,
            delta: text,
            logprobs: [],
          }
        : {
            type: 'response.refusal.delta',
            sequence_number: this.seq++,
            item_id: message.id,
            output_index: message.index,
            content_index: message.parts.length,
            delta: text,
          },
    );
  }

  /**
   * The open reasoning item's signature (an Anthropic thinking signature), sent as the finished
   * item's `encrypted_content`; false (nothing done) when no reasoning item is open.
   */
  reasoningSignature(signature: string): boolean {
    const open = this.open;
    if (open?.kind !== 'reasoning') return false;
    open.signature = signature;
    return true;
  }

  /** Opens a function_call item, or a custom_tool_call for a custom tool (closing the open item). */
  functionCall(callId: string, tool: ResponsesToolName): void {
    this.close('completed');
    if (tool.custom === true) {
      const id = `ctc_${this.idCore}_${this.items}`;
      this.start('custom_tool_call', customToolCallItem(id, callId, tool, '', 'in_progress'));
      return;
    }
    const { name, namespace } = tool;
    const item: Item = {
      id: `fc_${this.idCore}_${this.items}`,
      type: 'function_call',
      status: 'in_progress',
      arguments: '',
      call_id: callId,
      name,
    };
    if (namespace !== undefined) item.namespace = namespace;
    this.start('function_call', item);
  }

  /** One arguments piece of the open call; the caller never passes an empty one. */
  argumentsDelta(piece: string): void {
    const call = this.open!;
    call.text += piece;
    // A custom call's input is a string inside these JSON arguments: it is sent at the close.
    if (call.kind === 'custom_tool_call') return;
    this.out.push({
      type: 'response.function_call_arguments.delta',
      sequence_number: this.seq++,
      item_id: call.id,
      output_index: call.index,
      delta: piece,
    });
  }

  /** Closes the open item with `status`; false when none was open. */
  close(status: 'completed' | 'incomplete'): boolean {
    const open = this.open;
    if (open === undefined) return false;
    this.open = undefined;
    if (open.kind === 'reasoning') this.closeReasoning(open);
    else if (open.kind === 'message') this.closeMessage(open, status);
    else this.closeCall(open, status);
    return true;
  }

  private start(kind: OpenItem['kind'], item: Item): OpenItem {
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
    this.out.push({
      type: 'response.output_item.added',
      sequence_number: this.seq++,
      output_index: open.index,
      item: { ...item },
    });
    return open;
  }

  private finished(open: OpenItem, item: Item): void {
    this.output.push(item);
    this.out.push({
      type: 'response.output_item.done',
      sequence_number: this.seq++,
      output_index: open.index,
      item,
    });
  }

  private openReasoning(): void {
    this.close('completed');
    const open = this.start('reasoning', {
      id: `rs_${this.idCore}_${this.items}`,
      type: 'reasoning',
      summary: [],
    });
    this.out.push({
      type: 'response.reasoning_summary_part.added',
      sequence_number: this.seq++,
      item_id: open.id,
      output_index: open.index,
      summary_index: 0,
      part: { type: 'summary_text', text: '' },
    });
  }

  private reasoningDelta(text: string): void {
    const open = this.open!;
    open.text += text;
    this.out.push({
      type: 'response.reasoning_summary_text.delta',
      sequence_number: this.seq++,
      item_id: open.id,
      output_index: open.index,
      summary_index: 0,
      delta: text,
    });
  }

  private closeReasoning(open: OpenItem): void {
    const { id, index, text } = open;
    const base = { item_id: id, output_index: index, summary_index: 0 };
    this.out.push({
      type: 'response.reasoning_summary_text.done',
      sequence_number: this.seq++,
      ...base,
      text,
    });
    const part = { type: 'summary_text', text };
    this.out.push({
      type: 'response.reasoning_summary_part.done',
      sequence_number: this.seq++,
      ...base,
      part,
    });
    const item: Item = { id, type: 'reasoning', summary: [{ ...part }] };
    if (open.signature !== undefined) item.encrypted_content = open.signature;
    this.finished(open, item);
  }

  private openMessage(): void {
    this.close('completed');
    this.start('message', {
      id: `msg_${this.idCore}_${this.items}`,
      type: 'message',
      status: 'in_progress',
      role: 'assistant',
      content: [],
    });
  }

  private openPart(message: OpenItem, kind: 'text' | 'refusal'): void {
    message.part = kind;
    message.text = '';
    this.out.push({
      type: 'response.content_part.added',
      sequence_number: this.seq++,
      item_id: message.id,
      output_index: message.index,
      content_index: message.parts.length,
      part:
        kind === 'text'
          ? { type: 'output_text', annotations: [], logprobs: [], text: '' }
          : { type: 'refusal', refusal: '' },
    });
  }

  private closePart(message: OpenItem): void {
    const kind = message.part;
    if (kind === undefined) return;
    const text = message.text;
    const base = {
      item_id: message.id,
      output_index: message.index,
      content_index: message.parts.length,
    };
    const part =
      kind === 'text'
        ? { type: 'output_text', annotations: [], logprobs: [], text }
        : { type: 'refusal', refusal: text };
    this.out.push(
      kind === 'text'
        ? {
            type: 'response.output_text.done',
            sequence_number: this.seq++,
            ...base,
            text,
            logprobs: [],
          }
        : { type: 'response.refusal.done', sequence_number: this.seq++, ...base, refusal: text },
    );
    this.out.push({
      type: 'response.content_part.done',
      sequence_number: this.seq++,
      ...base,
      part,
    });
    message.parts.push(part);
    message.part = undefined;
  }

  private closeMessage(open: OpenItem, status: string): void {
    this.closePart(open);
    this.finished(open, { ...open.item, status, content: open.parts });
  }

  private closeCall(open: OpenItem, status: string): void {
    if (open.kind === 'custom_tool_call') return this.closeCustomCall(open, status);
    const item = open.item;
    const args = open.text;
    this.out.push({
      type: 'response.function_call_arguments.done',
      sequence_number: this.seq++,
      item_id: open.id,
      output_index: open.index,
      name: item.name,
      arguments: args,
    });
    this.finished(open, { ...item, status, arguments: args });
  }

  /** The whole input as one delta (none when empty), then `.done`, as OpenAI ends a custom call. */
  private closeCustomCall(open: OpenItem, status: string): void {
    const input = customToolInput(open.text);
    const at = { item_id: open.id, output_index: open.index };
    if (input !== '') {
      const type = 'response.custom_tool_call_input.delta';
      this.out.push({ type, sequence_number: this.seq++, ...at, delta: input });
    }
    const type = 'response.custom_tool_call_input.done';
    this.out.push({ type, sequence_number: this.seq++, ...at, input });
    this.finished(open, { ...open.item, status, input });
  }
}
