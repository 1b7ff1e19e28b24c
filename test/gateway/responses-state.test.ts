import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import type { Protocol } from '../../src/protocols/protocol.js';
import { MemoryResponseStore } from '../../src/state/index.js';
import { ManualClock } from '../../src/time/manual-clock.js';
import { caught, startHarness } from './support/gateway-harness.js';
import type { Harness } from './support/gateway-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function onlyBackend(protocol: Protocol, extra: Parameters<typeof startHarness>[0] = {}) {
  return startHarness({
    localProtocol: protocol,
    routes: [{ match: '*', targets: [{ backend: 'local' }] }],
    ...extra,
  });
}

/** The messages (role and text) a Chat upstream received last. */
function lastChatMessages(h: Harness): unknown[] {
  const body = h.local?.requests.at(-1)?.body as { messages?: unknown[] } | undefined;
  return (body?.messages ?? []).map((m) => {
    const { role, content } = m as { role: string; content: unknown };
    return { role, content };
  });
}

describe('previous_response_id on translated routes, from the gateway store', () => {
  it('continues a conversation on a Chat backend: the earlier turns are prepended', async () => {
    h = await onlyBackend('openai');
    const first = await h.openai.responses.create({ model: 'm-1', input: 'my name is Ada' });
    const second = await h.openai.responses.create({
      model: 'm-1',
      input: 'what is my name?',
      previous_response_id: first.id,
    });
    expect(second.output_text).toBe('echo: what is my name?');
    const messages = lastChatMessages(h);
    expect(messages[0]).toMatchObject({ role: 'user' });
    expect(JSON.stringify(messages[0])).toContain('my name is Ada');
    expect(messages[1]).toMatchObject({ role: 'assistant' });
    expect(JSON.stringify(messages[1])).toContain('echo: my name is Ada');
    expect(JSON.stringify(messages.at(-1))).toContain('what is my name?');
    expect(messages).toHaveLength(3);
  });

  it('continues from a streamed response (stored from its response.completed) on an Anthropic backend', async () => {
    h = await onlyBackend('anthropic');
    const first = await h.openai.responses
      .stream({ model: 'm-1', input: 'remember blue' })
      .finalResponse();
    const second = await h.openai.responses.create({
      model: 'm-1',
      input: 'which colour?',
      previous_response_id: first.id,
    });
    expect(second.output_text).toBe('echo: which colour?');
    const body = h.local?.requests.at(-1)?.body as { messages: unknown[] };
    expect(body.messages).toHaveLength(3);
    expect(JSON.stringify(body.messages[0])).toContain('remember blue');
  });

  it('answers 400 naming the id when previous_response_id is unknown on a translated route', async () => {
    h = await onlyBackend('openai');
    const err = await caught(
      h.openai.responses.create({
        model: 'm-1',
        input: 'hi',
        previous_response_id: 'resp_never_seen',
      }),
    );
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    const e = err as InstanceType<typeof OpenAI.BadRequestError>;
    expect(e.message).toContain('resp_never_seen');
    expect(e.param).toBe('previous_response_id');
    expect(h.local?.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
  });

  it('answers 400 once the stored response has expired (TTL on the injected clock)', async () => {
    const clock = new ManualClock();
    const store = new MemoryResponseStore({ clock });
    h = await onlyBackend('openai', { gateway: { clock, responses: { store, ttlMs: 60_000 } } });
    const first = await h.openai.responses.create({ model: 'm-1', input: 'short lived' });
    await clock.advance(60_000);
    const err = await caught(
      h.openai.responses.create({ model: 'm-1', input: 'hi', previous_response_id: first.id }),
    );
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as Error).message).toContain(first.id);
    await store.close();
  });

  it('does not store a response asked with store: false', async () => {
    h = await onlyBackend('openai');
    const first = await h.openai.responses.create({ model: 'm-1', input: 'x', store: false });
    const err = await caught(h.openai.responses.retrieve(first.id));
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
  });
});

describe('GET and DELETE /v1/responses/{id}', () => {
  it('returns a stored response as it was answered, lists its input items, and deletes it', async () => {
    h = await onlyBackend('openai');
    const created = await h.openai.responses.create({ model: 'm-1', input: 'keep me' });
    const got = await h.openai.responses.retrieve(created.id);
    expect(got.id).toBe(created.id);
    expect(got.output_text).toBe('echo: keep me');
    const items = await h.openai.responses.inputItems.list(created.id);
    expect(items.data).toHaveLength(1);
    expect(JSON.stringify(items.data[0])).toContain('keep me');
    await h.openai.responses.delete(created.id);
    const err = await caught(h.openai.responses.retrieve(created.id));
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    expect((err as Error).message).toContain(created.id);
  });

  it('answers 404 for an unknown id and 405 for a method the endpoint does not take', async () => {
    h = await onlyBackend('openai');
    const missing = await fetch(`${h.url}/v1/responses/resp_nope`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toContain(
      'resp_nope',
    );
    const put = await fetch(`${h.url}/v1/responses/resp_nope`, { method: 'PUT' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, DELETE');
  });
});
