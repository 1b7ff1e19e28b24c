import { describe, expect, it } from 'vitest';
import {
  resolveItemReferences,
  responseIdOfItem,
} from '../../src/gateway/responses/item-references.js';
import type { StoredResponse } from '../../src/state/index.js';

const message = {
  type: 'message',
  id: 'msg_abc_def_0',
  role: 'assistant',
  content: [{ type: 'output_text', text: 'earlier answer', annotations: [] }],
};
const call = {
  type: 'function_call',
  id: 'fc_abc_def_1',
  call_id: 'call_1',
  name: 'f',
  arguments: '{}',
};
const stored: StoredResponse = {
  response: { id: 'resp_abc_def', object: 'response', output: [message, call] },
  items: [{ type: 'message', role: 'user', content: 'hi' }, message, call],
};

function storeOf(entries: Record<string, StoredResponse>) {
  const reads: string[] = [];
  return {
    reads,
    get: (id: string) => {
      reads.push(id);
      return Promise.resolve(entries[id]);
    },
  };
}

describe('responseIdOfItem', () => {
  it('derives the response id from the ids the translators write', () => {
    expect(responseIdOfItem('msg_abc_def_0')).toBe('resp_abc_def');
    expect(responseIdOfItem('fc_1a2b_12')).toBe('resp_1a2b');
    expect(responseIdOfItem('rs_x_3')).toBe('resp_x');
  });

  it('knows no response for other ids', () => {
    expect(
      responseIdOfItem('msg_67ccd3acc8d48190a77525dc6de64b4104becb25c5f6d13b'),
    ).toBeUndefined();
    expect(responseIdOfItem('item_1')).toBeUndefined();
  });
});

describe('resolveItemReferences', () => {
  it('replaces references to stored items by the items, reading each response once', async () => {
    const store = storeOf({ resp_abc_def: stored });
    const input = [
      { role: 'user', content: 'call it' },
      { type: 'item_reference', id: 'msg_abc_def_0' },
      { type: 'item_reference', id: 'fc_abc_def_1' },
      { type: 'function_call_output', call_id: 'call_1', output: 'ok' },
    ];
    const out = await resolveItemReferences(input, store.get);
    expect(out).toEqual([input[0], message, call, input[3]]);
    expect(store.reads).toEqual(['resp_abc_def']);
  });

  it('keeps references it cannot resolve, and answers undefined when it replaced none', async () => {
    const store = storeOf({ resp_abc_def: stored });
    const unknown = [
      { type: 'item_reference', id: 'msg_other_0' },
      { type: 'item_reference', id: 'msg_abc_def_7' },
      { type: 'item_reference', id: 'opaque' },
    ];
    expect(await resolveItemReferences(unknown, store.get)).toBeUndefined();
    const mixed = [unknown[0], { type: 'item_reference', id: 'msg_abc_def_0' }];
    expect(await resolveItemReferences(mixed, store.get)).toEqual([unknown[0], message]);
  });

  it('does not read the store when the input has no reference', async () => {
    const store = storeOf({});
    expect(
      await resolveItemReferences([{ role: 'user', content: 'x' }], store.get),
    ).toBeUndefined();
    expect(store.reads).toEqual([]);
  });
});
