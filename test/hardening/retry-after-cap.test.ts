import { afterEach, describe, expect, it } from 'vitest';
import { createMockBackend } from '../../src/backends/index.js';
import type { MockChatBackend } from '../../src/backends/index.js';
import { buildBackends, parseConfig } from '../../src/config/index.js';
import { ManualClock } from '../../src/time/manual-clock.js';

const backends: MockChatBackend[] = [];
afterEach(async () => {
  for (const b of backends.splice(0)) await b.close();
});

const REQUEST = { model: 'm', messages: [{ role: 'user', content: 'hi' }] };

async function trippedBy429(maxRetryAfterMs?: number): Promise<MockChatBackend> {
  const backend = createMockBackend({
    name: 'slow-down',
    maxRetries: 0,
    clock: new ManualClock(),
    circuitBreaker: {
      failMax: 1,
      resetTimeoutMs: 1_000,
      ...(maxRetryAfterMs === undefined ? {} : { maxRetryAfterMs }),
    },
    faults: [{ status: 429, retryAfterSeconds: 3600 }],
  });
  backends.push(backend);
  await expect(backend.chat('openai', REQUEST)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  return backend;
}

describe('Retry-After cap on the breaker', () => {
  it('keeps a breaker tripped by "Retry-After: 3600" open 60 s by default, not an hour', async () => {
    const backend = await trippedBy429();
    expect(backend.circuitBreaker.currentState).toBe('open');
    expect(backend.circuitBreaker.retryAfterMs).toBe(60_000);
  });

  it('uses the configured circuitBreaker.maxRetryAfterMs', async () => {
    const backend = await trippedBy429(120_000);
    expect(backend.circuitBreaker.retryAfterMs).toBe(120_000);
  });

  it('reads circuitBreaker.maxRetryAfterMs from the config file', async () => {
    const config = parseConfig(
      'backends:\n  m: { type: mock, circuitBreaker: { maxRetryAfterMs: "${CAP}" } }\n',
      { env: { CAP: '5000' } },
    );
    const { backends: built } = buildBackends(config);
    const backend = built.get('m');
    expect(backend?.circuitBreaker.maxRetryAfterMs).toBe(5_000);
    await backend?.close();
  });
});
