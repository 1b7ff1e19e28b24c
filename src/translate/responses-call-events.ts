import { customToolCallItem, customToolInput } from './responses-custom-tools.js';
import type { Item, OpenItem, ResponsesItemEvents } from './responses-item-events.js';
import type { ResponsesToolName } from './responses-tool-names.js';

/** Opens a function_call item, or a custom_tool_call for a custom tool. */
export function openCallItem(
  w: ResponsesItemEvents,
  callId: string,
  tool: ResponsesToolName,
): void {
  if (tool.custom === true) {
    w.start(
      'custom_tool_call',
      customToolCallItem(w.nextId('ctc'), callId, tool, '', 'in_progress'),
    );
    return;
  }
  const { name, namespace } = tool;
  const item: Item = {
    id: w.nextId('fc'),
    type: 'function_call',
    status: 'in_progress',
    arguments: '',
    call_id: callId,
    name,
  };
  if (namespace !== undefined) item.namespace = namespace;
  w.start('function_call', item);
}

/** One arguments piece of the open call. */
export function callArgumentsDelta(w: ResponsesItemEvents, call: OpenItem, piece: string): void {
  call.text += piece;
  // A custom call's input is a string inside these JSON arguments: it is sent at the close.
  if (call.kind === 'custom_tool_call') return;
  // A literal, not emit(): this runs once per chunk (see ResponsesItemEvents.emit).
  w.out.push({
    type: 'response.function_call_arguments.delta',
    sequence_number: w.nextSequence(),
    item_id: call.id,
    output_index: call.index,
    delta: piece,
  });
}

/** Closes a call item with `status`: its arguments (or custom input) whole, then the item. */
export function closeCallItem(w: ResponsesItemEvents, open: OpenItem, status: string): void {
  if (open.kind === 'custom_tool_call') return closeCustomCall(w, open, status);
  const item = open.item;
  const args = open.text;
  w.emit('response.function_call_arguments.done', {
    item_id: open.id,
    output_index: open.index,
    name: item.name,
    arguments: args,
  });
  w.finished(open, { ...item, status, arguments: args });
}

/** The whole input as one delta (none when empty), then `.done`, as OpenAI ends a custom call. */
function closeCustomCall(w: ResponsesItemEvents, open: OpenItem, status: string): void {
  const input = customToolInput(open.text);
  const at = { item_id: open.id, output_index: open.index };
  if (input !== '') w.emit('response.custom_tool_call_input.delta', { ...at, delta: input });
  w.emit('response.custom_tool_call_input.done', { ...at, input });
  w.finished(open, { ...open.item, status, input });
}
