import { describe, expect, it } from 'vitest';
import type { ChatBackend } from '../../src/backends/chat-backend.js';
import { BackendRouter, parseChatRequest } from '../../src/routing/index.js';
import { FakeBackend, collect, doneEvent, textChunk } from './fake-backend.js';

function router(local: FakeBackend, cloud: FakeBackend): BackendRouter {
  return new BackendRouter({
    backends: new Map<string, ChatBackend>([
      ['local', local],
      ['cloud', cloud],
    ]),
    routes: [
      { match: 'wanted', targets: [{ backend: 'local' }, { backend: 'cloud', model: 'c' }] },
    ],
  });
}

const body = { model: 'wanted', messages: [{ role: 'user', content: 'hi' }] };

describe('BackendRouter and the parsed request', () => {
  it('hands the same parsed request, and the caller signal as it is, to every target tried', async () => {
    const local = new FakeBackend('local', [{ fail: 'CONNECTION' }]);
    const cloud = new FakeBackend('cloud', [{ answer: 'ok' }]);
    const request = parseChatRequest('openai', body);
    const signal = new AbortController().signal;
    const routed = await router(local, cloud).chat('openai', body, { signal, request });
    expect(routed.backend).toBe('cloud');
    expect(local.calls[0]?.request).toBe(request);
    expect(cloud.calls[0]?.request).toBe(request);
    expect(local.calls[0]?.signal).toBe(signal);
    expect(cloud.calls[0]?.model).toBe('c');
  });

  it('hands it to a stream attempt too', async () => {
    const local = new FakeBackend('local', [{ events: [textChunk('x'), doneEvent] }]);
    const cloud = new FakeBackend('cloud', [{ answer: 'unused' }]);
    const request = parseChatRequest('openai', body);
    const routed = await router(local, cloud).chatStream('openai', body, { request });
    expect(await collect(routed.events)).toHaveLength(2);
    expect(local.calls[0]?.request).toBe(request);
  });

  it("routes by the parsed request's model", async () => {
    const local = new FakeBackend('local', [{ answer: 'ok' }]);
    const cloud = new FakeBackend('cloud', [{ answer: 'ok' }]);
    // The body's model would match no route: the router reads the parse, not the body again.
    const request = parseChatRequest('openai', body);
    const routed = await router(local, cloud).chat(
      'openai',
      { ...body, model: 'other' },
      { request },
    );
    expect(routed.backend).toBe('local');
  });

  it('without a parsed request, routes by the body and hands none down', async () => {
    const local = new FakeBackend('local', [{ answer: 'ok' }]);
    const cloud = new FakeBackend('cloud', [{ answer: 'ok' }]);
    await router(local, cloud).chat('openai', body);
    expect(local.calls[0]?.request).toBeUndefined();
  });
});
