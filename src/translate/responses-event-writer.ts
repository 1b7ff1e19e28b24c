import { callArgumentsDelta, closeCallItem, openCallItem } from './responses-call-events.js';
import { ResponsesItemEvents } from './responses-item-events.js';
import type { OpenItem } from './responses-item-events.js';
import {
  closeReasoningItem,
  openReasoningItem,
  reasoningDelta,
} from './responses-reasoning-events.js';
import type { ResponsesToolName } from './responses-tool-names.js';

/** What streams into an output item: reasoning summary, answer text, or a refusal. */
export type ResponsesTextKind = 'reasoning' | 'text' | 'refusal';

/**
 * Appends well-formed Responses stream events to `out`: `sequence_number` counts up from 0,
 * `output_index` in item order, every `.added` has its `.done` with the whole text, and `output`
 * holds each finished item as `response.completed` must carry it (the SDK's final response is
 * that event's `response`). Policy (what goes in which item, and when) is the caller's. Messages
 * are written here; reasoning and call items by responses-reasoning-events / -call-events.
 */
export class ResponsesEventWriter extends ResponsesItemEvents {
  /** Streams `text` into the open item of its kind, opening one (after closing another) if needed. */
  text(kind: ResponsesTextKind, text: string): void {
    if (kind === 'reasoning') {
      // A signature ends its thinking block: later thinking is another item, with its own.
      if (this.open?.kind !== 'reasoning' || this.open.signature !== undefined) {
        this.close('completed');
        openReasoningItem(this);
      }
      reasoningDelta(this, this.open!, text);
      return;
    }
    if (this.open?.kind !== 'message') this.openMessage();
    const message = this.open!;
    if (message.part !== kind) {
      this.closePart(message);
      this.openPart(message, kind);
    }
    message.text += text;
    // Literals, not emit(): this runs once per chunk (see emit).
    this.out.push(
      kind === 'text'
        ? {
            type: 'response.output_text.delta',
            sequence_number: this.nextSequence(),
            item_id: message.id,
            output_index: message.index,
            content_index: message.parts.length,
            delta: text,
            logprobs: [],
          }
        : {
            type: 'response.refusal.delta',
            sequence_number: this.nextSequence(),
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
    openCallItem(this, callId, tool);
  }

  /** One arguments piece of the open call; the caller never passes an empty one. */
  argumentsDelta(piece: string): void {
    callArgumentsDelta(this, this.open!, piece);
  }

  /** Closes the open item with `status`; false when none was open. */
  close(status: 'completed' | 'incomplete'): boolean {
    const open = this.open;
    if (open === undefined) return false;
    this.open = undefined;
    if (open.kind === 'reasoning') closeReasoningItem(this, open);
    else if (open.kind === 'message') this.closeMessage(open, status);
    else closeCallItem(this, open, status);
    return true;
  }

  private openMessage(): void {
    this.close('completed');
    this.start('message', {
      id: this.nextId('msg'),
      type: 'message',
      status: 'in_progress',
      role: 'assistant',
      content: [],
    });
  }

  private openPart(message: OpenItem, kind: 'text' | 'refusal'): void {
    message.part = kind;
    message.text = '';
    this.emit('response.content_part.added', {
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
    if (kind === 'text') this.emit('response.output_text.done', { ...base, text, logprobs: [] });
    else this.emit('response.refusal.done', { ...base, refusal: text });
    this.emit('response.content_part.done', { ...base, part });
    message.parts.push(part);
    message.part = undefined;
  }

  private closeMessage(open: OpenItem, status: string): void {
    this.closePart(open);
    this.finished(open, { ...open.item, status, content: open.parts });
  }
}
