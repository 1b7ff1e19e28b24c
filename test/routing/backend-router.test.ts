import { describe, expect, it } from 'vitest';
import type { ChatBackend } from '../../src/backends/chat-backend.js';
import { LlmFailoverError, isLlmFailoverError } from '../../src/errors/index.js';
import { AllBackendsFailedError, BackendRouter } from '../../src/routing/index.js';
import type { RouteConfig, RouterMetrics } from '../../src/routing/index.js';
import { FakeBackend } from './fake-backend.js';

function router(
  backends: FakeBackend[],
  routes: RouteConfig[],
  metrics?: RouterMetrics,
): BackendRouter {
  const map = new Map<string, ChatBackend>(backends.map((b) => [b.name, b]));
  return new BackendRouter({ backends: map, routes, ...(metrics ? { metrics } : {}) });
}

const chain: RouteConfig[] = [
  { match: '*', targets: [{ backend: 'local' }, { backend: 'cloud', model: 'gpt-4o-mini' }] },
];
const req = (model = 'llama') => ({ model, messages: [{ role: 'user', content: 'hi' }] });

async function rejection(promise: Promise<unknown>): Promise<LlmFailoverError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof LlmFailoverError) return err;
    throw err;
  }
  throw new Error('expected a rejection');
}

describe('BackendRouter routing', () => {
  it('uses the highest-priority matching route, ties in file order', async () => {
    const a = new FakeBackend('a', [{ answer: 'a' }]);
    const b = new FakeBackend('b', [{ answer: 'b' }]);
    const c = new FakeBackend('c', [{ answer: 'c' }]);
    const r = router(
      [a, b, c],
      [
        { match: '*', targets: [{ backend: 'a' }] },
        { match: 'claude-*', priority: 10, targets: [{ backend: 'b' }] },
        { match: 'claude-*', priority: 10, targets: [{ backend: 'c' }] },
      ],
    );
    expect((await r.chat('openai', req('claude-3'))).backend).toBe('b');
    expect((await r.chat('openai', req('gpt-4o'))).backend).toBe('a');
  });

  it('rejects a model no route matches with NO_ROUTE 404', async () => {
    const r = router(
      [new FakeBackend('a', [{ answer: 'a' }])],
      [{ match: 'gpt-*', targets: [{ backend: 'a' }] }],
    );
    const err = await rejection(r.chat('openai', req('llama')));
    expect(err.code).toBe('NO_ROUTE');
    expect(err.status).toBe(404);
  });

  it('sends a target its renamed model and the first target the requested one', async () => {
    const local = new FakeBackend('local', [{ fail: 'CONNECTION' }]);
    const cloud = new FakeBackend('cloud', [{ answer: 'ok' }]);
    const result = await router([local, cloud], chain).chat('openai', req());
    expect(local.calls[0]?.model).toBeUndefined();
    expect(cloud.calls[0]?.model).toBe('gpt-4o-mini');
    expect(result.body.model).toBe('gpt-4o-mini');
  });

  it('cuts a huge caller model name in the error message', async () => {
    const r = router([new FakeBackend('a', [])], [{ match: 'gpt-*', targets: [{ backend: 'a' }] }]);
    const err = await rejection(r.chat('openai', req('x'.repeat(100_000))));
    expect(err.code).toBe('NO_ROUTE');
    expect(err.message.length).toBeLessThan(300);
  });

  it('lists literal route patterns and target renames as models', () => {
    const r = router(
      [new FakeBackend('local', []), new FakeBackend('cloud', [])],
      [
        { match: 'gpt-4o', targets: [{ backend: 'cloud' }] },
        { match: '*', targets: [{ backend: 'local' }, { backend: 'cloud', model: 'gpt-4o-mini' }] },
        { match: { regex: 'x' }, targets: [{ backend: 'cloud', model: 'gpt-4o' }] },
      ],
    );
    expect(r.listModels()).toEqual(['gpt-4o', 'gpt-4o-mini']);
  });

  it('keeps matching a route whose backends are all disabled instead of using another route', async () => {
    const local = new FakeBackend('local', [{ answer: 'local' }]);
    const r = router(
      [local],
      [
        { match: 'claude-*', priority: 1, targets: [{ backend: 'anthropic' }] },
        { match: '*', targets: [{ backend: 'local' }] },
      ],
    );
    const err = await rejection(r.chat('anthropic', req('claude-3')));
    expect(err.code).toBe('NO_ENABLED_BACKEND');
    expect(err.message).toBe(
      'no enabled backend can serve model "claude-3" (backend "anthropic" is disabled: not among the enabled backends); enable one and restart the gateway',
    );
    expect(local.calls).toHaveLength(0);
  });
});

describe('BackendRouter failover (non-streaming)', () => {
  it.each([
    'CONNECTION',
    'TIMEOUT',
    'UPSTREAM_SERVER',
    'RATE_LIMITED',
    'UPSTREAM_AUTH',
    'CIRCUIT_OPEN',
  ] as const)('fails over to the next target on %s and reports why', async (code) => {
    const local = new FakeBackend('local', [{ fail: code, status: 503 }]);
    const cloud = new FakeBackend('cloud', [{ answer: 'from cloud' }]);
    const result = await router([local, cloud], chain).chat('openai', req());
    expect(result.backend).toBe('cloud');
    expect(result.attempts).toBe(2);
    expect(result.fallbacks).toEqual([{ backend: 'local', reason: code, status: 503 }]);
    expect(result.notes).toEqual(['from cloud']);
  });

  it.each(['UPSTREAM_BAD_REQUEST', 'INVALID_REQUEST', 'TRANSLATION_UNSUPPORTED'] as const)(
    'returns the caller error %s as is without trying another backend',
    async (code) => {
      const local = new FakeBackend('local', [{ fail: code, status: 400 }]);
      const cloud = new FakeBackend('cloud', [{ answer: 'from cloud' }]);
      const err = await rejection(router([local, cloud], chain).chat('openai', req()));
      expect(err.code).toBe(code);
      expect(err.status).toBe(400);
      expect(cloud.calls).toHaveLength(0);
    },
  );

  it('skips a target whose breaker is open without calling it', async () => {
    const local = new FakeBackend('local', [{ answer: 'local' }]);
    const cloud = new FakeBackend('cloud', [{ answer: 'cloud' }]);
    local.circuitBreaker.trip();
    const result = await router([local, cloud], chain).chat('openai', req());
    expect(local.calls).toHaveLength(0);
    expect(result.backend).toBe('cloud');
    expect(result.attempts).toBe(1);
    expect(result.fallbacks).toEqual([{ backend: 'local', reason: 'CIRCUIT_OPEN' }]);
  });

  it('lists every target reason and carries the last status and retry-after when all fail', async () => {
    const local = new FakeBackend('local', [{ fail: 'CONNECTION' }]);
    const cloud = new FakeBackend('cloud', [
      { fail: 'RATE_LIMITED', status: 429, retryAfterMs: 20_000 },
    ]);
    const err = await rejection(router([local, cloud], chain).chat('openai', req()));
    expect(err).toBeInstanceOf(AllBackendsFailedError);
    const all = err as AllBackendsFailedError;
    expect(all.code).toBe('ALL_BACKENDS_FAILED');
    expect(all.status).toBe(429);
    expect(all.retryAfterMs).toBe(20_000);
    expect(all.lastCode).toBe('RATE_LIMITED');
    expect(all.attempts).toBe(2);
    expect(all.failures).toEqual([
      { backend: 'local', reason: 'CONNECTION' },
      { backend: 'cloud', reason: 'RATE_LIMITED', status: 429 },
    ]);
    expect(all.message).toContain('local: CONNECTION');
  });

  it('does not fail over when the caller aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const local = new FakeBackend('local', [{ fail: 'CONNECTION' }]);
    const cloud = new FakeBackend('cloud', [{ answer: 'cloud' }]);
    const err = await rejection(
      router([local, cloud], chain).chat('openai', req(), { signal: controller.signal }),
    );
    expect(err.code).toBe('ABORTED');
    expect(cloud.calls).toHaveLength(0);
  });

  it('reports attempts and fallbacks to metrics', async () => {
    const seen: string[] = [];
    const metrics: RouterMetrics = {
      recordAttempt: (b, outcome, n) => seen.push(`attempt ${b} ${outcome} ${n}`),
      recordFallback: (b, reason) => seen.push(`fallback ${b} ${reason}`),
    };
    const local = new FakeBackend('local', [{ fail: 'UPSTREAM_SERVER' }]);
    const cloud = new FakeBackend('cloud', [{ answer: 'cloud' }]);
    await router([local, cloud], chain, metrics).chat('openai', req());
    expect(seen).toEqual([
      'attempt local UPSTREAM_SERVER 1',
      'fallback local UPSTREAM_SERVER',
      'attempt cloud success 1',
    ]);
  });

  it('rejects a route regex that does not compile with INVALID_CONFIG', () => {
    const make = (): BackendRouter => router([], [{ match: { regex: '(' }, targets: [] }]);
    expect(make).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
  });

  it('treats an unknown (non-library) error as a bug, not a reason to fail over', async () => {
    const local = new FakeBackend('local', [{ answer: 'x' }]);
    local.chat = () => Promise.reject(new TypeError('boom'));
    const cloud = new FakeBackend('cloud', [{ answer: 'cloud' }]);
    await expect(router([local, cloud], chain).chat('openai', req())).rejects.toThrow('boom');
    expect(cloud.calls).toHaveLength(0);
    expect(isLlmFailoverError(new TypeError('x'))).toBe(false);
  });
});
