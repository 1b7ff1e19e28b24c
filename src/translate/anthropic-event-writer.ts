import type {
  AnthropicStreamEvent,
  AnthropicStreamUsage,
} from '../protocols/anthropic-messages/stream.js';

/** A text-like block kind: streamed as `text_delta` or `thinking_delta`. */
export type TextKind = 'text' | 'thinking';

/**
 * Appends well-formed Anthropic stream events to `out`: block indexes count up from 0 in start
 * order (the SDK finds a block by its position in `content`), and at most one block is open.
 * Policy (what goes in which block, and when) is the caller's.
 */
export class AnthropicEventWriter {
  readonly out: AnthropicStreamEvent[] = [];
  /** Kind of the open block, if any. */
  open: TextKind | 'tool' | undefined;
  /** Blocks started so far. */
  blocks = 0;

  messageStart(id: string, model: string, inputTokens: number): void {
    this.out.push({
      type: 'message_start',
      message: {
        id,
        type: 'message',
        role: 'assistant',
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: inputTokens, output_tokens: 0 },
      },
    });
  }

  startText(kind: TextKind): void {
    this.open = kind;
    this.out.push({
      type: 'content_block_start',
      index: this.blocks++,
      content_block:
        kind === 'text'
          ? { type: 'text', text: '' }
          : { type: 'thinking', thinking: '', signature: '' },
    });
  }

  textDelta(kind: TextKind, text: string): void {
    this.out.push({
      type: 'content_block_delta',
      index: this.blocks - 1,
      delta:
        kind === 'text' ? { type: 'text_delta', text } : { type: 'thinking_delta', thinking: text },
    });
  }

  /** The open thinking block's signature. */
  signatureDelta(signature: string): void {
    this.out.push({
      type: 'content_block_delta',
      index: this.blocks - 1,
      delta: { type: 'signature_delta', signature },
    });
  }

  startToolUse(id: string, name: string): void {
    this.open = 'tool';
    this.out.push({
      type: 'content_block_start',
      index: this.blocks++,
      content_block: { type: 'tool_use', id, name, input: {} },
    });
  }

  /** One `input_json_delta`; the caller never passes an empty piece (clients choke on them). */
  inputJson(partialJson: string): void {
    this.out.push({
      type: 'content_block_delta',
      index: this.blocks - 1,
      delta: { type: 'input_json_delta', partial_json: partialJson },
    });
  }

  /** Closes the open block; false when none was open. */
  close(): boolean {
    if (this.open === undefined) return false;
    this.out.push({ type: 'content_block_stop', index: this.blocks - 1 });
    this.open = undefined;
    return true;
  }

  /** `message_delta` then `message_stop`: only for a source that ended cleanly. */
  finish(stopReason: string, stopSequence: string | null, usage: AnthropicStreamUsage): void {
    this.out.push({
      type: 'message_delta',
      delta: { stop_reason: stopReason, stop_sequence: stopSequence },
      usage,
    });
    this.out.push({ type: 'message_stop' });
  }
}
