import type { OpenItem, ResponsesItemEvents } from './responses-item-events.js';

// A reasoning item streams as one summary part (summary_index 0): the reasoning text it is made
// from has no summary boundaries to keep.

/** Opens a reasoning item and its one summary part. */
export function openReasoningItem(w: ResponsesItemEvents): void {
  const open = w.start('reasoning', { id: w.nextId('rs'), type: 'reasoning', summary: [] });
  w.emit('response.reasoning_summary_part.added', {
    item_id: open.id,
    output_index: open.index,
    summary_index: 0,
    part: { type: 'summary_text', text: '' },
  });
}

/** One piece of the open reasoning item's summary text. */
export function reasoningDelta(w: ResponsesItemEvents, open: OpenItem, text: string): void {
  open.text += text;
  // A literal, not emit(): this runs once per chunk (see ResponsesItemEvents.emit).
  w.out.push({
    type: 'response.reasoning_summary_text.delta',
    sequence_number: w.nextSequence(),
    item_id: open.id,
    output_index: open.index,
    summary_index: 0,
    delta: text,
  });
}

/** Closes the summary text and part with the whole text, then the item. */
export function closeReasoningItem(w: ResponsesItemEvents, open: OpenItem): void {
  const { id, index, text } = open;
  const base = { item_id: id, output_index: index, summary_index: 0 };
  w.emit('response.reasoning_summary_text.done', { ...base, text });
  const part = { type: 'summary_text', text };
  w.emit('response.reasoning_summary_part.done', { ...base, part });
  const item: Record<string, unknown> = { id, type: 'reasoning', summary: [{ ...part }] };
  if (open.signature !== undefined) item.encrypted_content = open.signature;
  w.finished(open, item);
}
