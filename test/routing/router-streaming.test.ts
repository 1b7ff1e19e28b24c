import { describe, expect, it } from 'vitest';
import type { ChatBackend } from '../../src/backends/chat-backend.js';
import { LlmFailoverError } from '../../src/errors/index.js';
import { BackendRouter, MAX_PRECOMMIT_EVENTS } from '../../src/routing/index.js';
import type { RouteConfig } from '../../src/routing/index.js';
import { ManualClock } from '../../src/time/manual-clock.js';
import { FakeBackend, collect, doneEvent, roleChunk, textChunk } from './fake-backend.js';

const routes: RouteConfig[] = [
  { match: '*', targets: [{ backend: 'local' }, { backend: 'cloud' }] },
];
const req = { model: 'm', stream: true, messages: [{ role: 'user', content: 'hi' }] };

function router(
  backends: FakeBackend[],
  extra: { clock?: ManualClock; firstByteTimeoutMs?: number } = {},
): BackendRouter {
  const map = new Map<string, ChatBackend>(backends.map((b) => [b.name, b]));
  return new BackendRouter({ backends: map, routes, ...extra });
}

describe('BackendRouter.chatStream', () => {
  it('commits at the first content event and replays the buffered events before it', async () => {
    const local = new FakeBackend('local', [
      { events: [roleChunk, textChunk('a'), textChunk('b'), doneEvent] },
    ]);
    const routed = await router([local, new FakeBackend('cloud', [])]).chatStream('openai', req);
    expect(routed.backend).toBe('local');
    expect(routed.fallbacks).toEqual([]);
    expect(await collect(routed.events)).toEqual([
      roleChunk.data,
      textChunk('a').data,
      textChunk('b').data,
      '[DONE]',
    ]);
  });

  it('fails over on an error before the first content and drops the failed backend buffer', async () => {
    const local = new FakeBackend('local', [
      { events: [roleChunk], thenFail: 'STREAM_UPSTREAM_ERROR' },
    ]);
    const cloud = new FakeBackend('cloud', [{ events: [textChunk('cloud'), doneEvent] }]);
    const routed = await router([local, cloud]).chatStream('openai', req);
    expect(routed.backend).toBe('cloud');
    expect(routed.attempts).toBe(2);
    expect(routed.fallbacks).toEqual([{ backend: 'local', reason: 'STREAM_UPSTREAM_ERROR' }]);
    expect(await collect(routed.events)).toEqual([textChunk('cloud').data, '[DONE]']);
  });

  it('fails over, without committing, after MAX_PRECOMMIT_EVENTS events without content', async () => {
    const keepAlives = Array.from({ length: MAX_PRECOMMIT_EVENTS + 36 }, () => roleChunk);
    const local = new FakeBackend('local', [{ events: keepAlives, thenFail: 'STREAM_TRUNCATED' }]);
    const cloud = new FakeBackend('cloud', [{ events: [textChunk('c'), doneEvent] }]);
    const routed = await router([local, cloud]).chatStream('openai', req);
    expect(routed.backend).toBe('cloud');
    expect(routed.fallbacks).toEqual([{ backend: 'local', reason: 'STREAM_UPSTREAM_ERROR' }]);
    expect(await collect(routed.events)).toEqual([textChunk('c').data, '[DONE]']);
    expect(local.circuitBreaker.failCounter).toBe(1);
  });

  it('fails over when opening the stream throws at once (e.g. connection refused)', async () => {
    const local = new FakeBackend('local', [{ fail: 'CONNECTION' }]);
    const cloud = new FakeBackend('cloud', [{ events: [textChunk('c'), doneEvent] }]);
    const routed = await router([local, cloud]).chatStream('openai', req);
    expect(routed.backend).toBe('cloud');
    expect(routed.fallbacks[0]?.reason).toBe('CONNECTION');
  });

  it('after the commit throws the failure from the events and never contacts another backend', async () => {
    const local = new FakeBackend('local', [
      { events: [textChunk('a')], thenFail: 'STREAM_TRUNCATED' },
    ]);
    const cloud = new FakeBackend('cloud', [{ events: [textChunk('c'), doneEvent] }]);
    const routed = await router([local, cloud]).chatStream('openai', req);
    const seen: string[] = [];
    const err = await (async () => {
      try {
        for await (const e of routed.events) seen.push(e.data);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(seen).toEqual([textChunk('a').data]);
    expect(err).toMatchObject({ code: 'STREAM_TRUNCATED' });
    expect(cloud.calls).toHaveLength(0);
  });

  it('does not fail over on a caller error raised by the stream', async () => {
    const local = new FakeBackend('local', [{ fail: 'UPSTREAM_BAD_REQUEST', status: 422 }]);
    const cloud = new FakeBackend('cloud', [{ events: [textChunk('c'), doneEvent] }]);
    await expect(router([local, cloud]).chatStream('openai', req)).rejects.toMatchObject({
      code: 'UPSTREAM_BAD_REQUEST',
      status: 422,
    });
    expect(cloud.calls).toHaveLength(0);
  });

  it('skips a backend whose breaker is open without opening a stream on it', async () => {
    const local = new FakeBackend('local', [{ events: [textChunk('l'), doneEvent] }]);
    const cloud = new FakeBackend('cloud', [{ events: [textChunk('c'), doneEvent] }]);
    local.circuitBreaker.trip();
    const routed = await router([local, cloud]).chatStream('openai', req);
    expect(local.calls).toHaveLength(0);
    expect(routed.backend).toBe('cloud');
  });

  it('fails over when no content arrives within the first-byte deadline and counts a breaker failure', async () => {
    const clock = new ManualClock();
    const local = new FakeBackend('local', [{ events: [roleChunk], stall: true }], clock);
    const cloud = new FakeBackend('cloud', [{ events: [textChunk('c'), doneEvent] }], clock);
    const pending = router([local, cloud], { clock, firstByteTimeoutMs: 500 }).chatStream(
      'openai',
      req,
    );
    await clock.waitForTimers(1);
    expect(clock.pendingDelays()).toEqual([500]);
    await clock.advance(500);
    const routed = await pending;
    expect(routed.backend).toBe('cloud');
    expect(routed.fallbacks).toEqual([{ backend: 'local', reason: 'TIMEOUT' }]);
    expect(local.calls[0]?.signal?.aborted).toBe(true);
    expect(local.circuitBreaker.failCounter).toBe(1);
    expect(clock.pendingTimers).toBe(0);
  });

  it('aborts the upstream when the consumer stops reading after the commit', async () => {
    const local = new FakeBackend('local', [
      { events: [textChunk('a'), textChunk('b')], stall: true },
    ]);
    const routed = await router([local, new FakeBackend('cloud', [])]).chatStream('openai', req);
    for await (const _ of routed.events) break;
    expect(local.calls[0]?.signal?.aborted).toBe(true);
  });

  it('releases the upstream on cancel() without the events ever being read', async () => {
    const local = new FakeBackend('local', [{ events: [textChunk('a')], stall: true }]);
    const routed = await router([local, new FakeBackend('cloud', [])]).chatStream('openai', req);
    routed.cancel();
    expect(local.calls[0]?.signal?.aborted).toBe(true);
  });

  it('aborts the upstream and does not fail over when the caller aborts before the commit', async () => {
    const controller = new AbortController();
    const local = new FakeBackend('local', [{ events: [roleChunk], stall: true }]);
    const cloud = new FakeBackend('cloud', [{ events: [textChunk('c'), doneEvent] }]);
    const pending = router([local, cloud]).chatStream('openai', req, { signal: controller.signal });
    await new Promise((r) => setImmediate(r));
    controller.abort();
    const err = await pending.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LlmFailoverError);
    expect(err).toMatchObject({ code: 'ABORTED' });
    expect(local.calls[0]?.signal?.aborted).toBe(true);
    expect(cloud.calls).toHaveLength(0);
  });

  it('commits a stream that ends cleanly before any content event', async () => {
    const local = new FakeBackend('local', [{ events: [roleChunk] }]);
    const routed = await router([local, new FakeBackend('cloud', [])]).chatStream('openai', req);
    expect(routed.backend).toBe('local');
    expect(await collect(routed.events)).toEqual([roleChunk.data]);
  });

  it('treats an Anthropic ping and message_start as not content (failover still free)', async () => {
    const start = { event: 'message_start', data: '{"type":"message_start","message":{}}' };
    const ping = { event: 'ping', data: '{"type":"ping"}' };
    const delta = {
      event: 'content_block_delta',
      data: '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x"}}',
    };
    const local = new FakeBackend('local', [
      { events: [start, ping], thenFail: 'STREAM_UPSTREAM_ERROR' },
    ]);
    const cloud = new FakeBackend('cloud', [{ events: [start, delta] }]);
    const routed = await router([local, cloud]).chatStream('anthropic', { ...req, max_tokens: 5 });
    expect(routed.backend).toBe('cloud');
    expect(await collect(routed.events)).toEqual([start.data, delta.data]);
  });
});
