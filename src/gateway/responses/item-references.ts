import type { StoredResponse } from '../../state/index.js';

// Clients such as the Vercel AI SDK (`openai(model)`, `store` left on) send earlier output items
// back as `{type: "item_reference", id}` instead of their content, trusting the server's store.
// The gateway resolves the ones it made itself, so a translated route (which has no store
// upstream) sees the whole item: the item ids the translators write derive from the response id
// (`resp_<core>` -> `msg_<core>_<n>`, `fc_<core>_<n>`, `rs_<core>_<n>`).

type Body = Record<string, unknown>;

const ITEM_ID = /^(?:msg|fc|rs)_(.+)_\d+$/;

/** The id of the response an item id written by the gateway belongs to; undefined otherwise. */
export function responseIdOfItem(itemId: string): string | undefined {
  const core = ITEM_ID.exec(itemId)?.[1];
  return core === undefined ? undefined : `resp_${core}`;
}

const isReference = (item: unknown): item is { type: 'item_reference'; id: string } =>
  typeof item === 'object' &&
  item !== null &&
  (item as Body).type === 'item_reference' &&
  typeof (item as Body).id === 'string';

/**
 * `input` with each `item_reference` to an item of a stored response replaced by that item;
 * undefined when nothing was replaced (the caller keeps its body as it is). References the
 * store does not hold stay: a Responses backend may know them, a translating one answers 400
 * naming them. Each response is read once.
 */
export async function resolveItemReferences(
  input: readonly unknown[],
  get: (responseId: string) => Promise<StoredResponse | undefined>,
): Promise<unknown[] | undefined> {
  if (!input.some(isReference)) return undefined;
  const responses = new Map<string, Promise<StoredResponse | undefined>>();
  let replaced = false;
  const out: unknown[] = [];
  for (const item of input) {
    const responseId = isReference(item) ? responseIdOfItem(item.id) : undefined;
    if (responseId === undefined) {
      out.push(item);
      continue;
    }
    let stored = responses.get(responseId);
    if (stored === undefined) {
      stored = get(responseId);
      responses.set(responseId, stored);
    }
    const id = (item as { id: string }).id;
    const found = (await stored)?.items.find(
      (candidate) => typeof candidate === 'object' && (candidate as Body | null)?.id === id,
    );
    replaced ||= found !== undefined;
    out.push(found ?? item);
  }
  return replaced ? out : undefined;
}
