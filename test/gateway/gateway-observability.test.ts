import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { MockUpstreamServer, createOpenAIBackend } from '../../src/backends/index.js';
import { createGateway } from '../../src/gateway/index.js';
import { BackendRouter } from '../../src/routing/index.js';
import { CLOUD_KEY, GATEWAY_KEY, startHarness } from './support/gateway-harness.js';
import type { Harness } from './support/gateway-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function captureLogger(): { lines: Record<string, unknown>[]; logger: pino.Logger } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n'))
        if (line !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: pino({ level: 'info' }, sink) };
}

describe('gateway logs and notes', () => {
  it('logs one line per request with protocol, model, backend, attempts, status and ms, and no secret', async () => {
    const { lines, logger } = captureLogger();
    h = await startHarness({
      localDown: true,
      cloudFaults: [{}, { status: 500 }],
      gateway: { logger, apiKeys: [GATEWAY_KEY] },
    });
    await h.openai.chat.completions.create({
      model: 'llama-3',
      messages: [{ role: 'user', content: 'log me' }],
    });
    await h.anthropic.messages
      .create({ model: 'nope', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] })
      .catch(() => undefined);
    await new Promise((r) => setImmediate(r));
    const requests = lines.filter((l) => l.msg === 'request');
    expect(requests).toHaveLength(2);
    expect(requests[0]).toMatchObject({
      protocol: 'openai',
      model: 'llama-3',
      backend: 'cloud',
      attempts: 2,
      status: 200,
      fallbacks: 'local:CONNECTION',
    });
    expect(typeof requests[0]?.ms).toBe('number');
    expect(requests[1]).toMatchObject({
      protocol: 'anthropic',
      model: 'nope',
      status: 502,
      error: 'ALL_BACKENDS_FAILED',
      attempts: 2,
      fallbacks: 'local:CONNECTION,cloud:UPSTREAM_SERVER',
    });
    const all = JSON.stringify(lines);
    expect(all).not.toContain(CLOUD_KEY);
    expect(all).not.toContain(GATEWAY_KEY);
    expect(all).not.toContain('log me');
  });

  it('says in a header that the temperature was clamped for an Anthropic backend', async () => {
    h = await startHarness({ routes: [{ match: '*', targets: [{ backend: 'cloud' }] }] });
    const { response } = await h.openai.chat.completions
      .create({ model: 'gpt-4o', temperature: 1.7, messages: [{ role: 'user', content: 'hot' }] })
      .withResponse();
    expect(response.headers.get('x-llm-failover-notes')).toMatch(/temperature 1\.7 clamped to 1/);
    expect(h.cloud.requests.at(-1)?.body).toMatchObject({ temperature: 1 });
  });

  it('keeps caller-chosen model names out of the metric labels (bounded cardinality)', async () => {
    h = await startHarness({ routes: [{ match: 'known-*', targets: [{ backend: 'local' }] }] });
    for (const model of ['known-model-a1', 'known-model-b2', 'unrouted-model-c3']) {
      await fetch(`${h.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
      });
    }
    const metrics = await (await fetch(`${h.url}/metrics`)).text();
    expect(metrics).toContain('llm_failover_requests_total{protocol="openai",status="200"} 2');
    expect(metrics).toContain('llm_failover_requests_total{protocol="openai",status="404"} 1');
    expect(metrics).not.toMatch(/model-(a1|b2|c3)/);
  });

  it('still answers when a backend name is not a valid header value (non-ASCII), naming it safely', async () => {
    // Library callers may name backends freely; writeHead would throw and turn the answer into a 500.
    const upstream = await MockUpstreamServer.start();
    const backend = createOpenAIBackend({
      name: 'café-local',
      baseUrl: upstream.openaiBaseUrl,
      maxRetries: 0,
    });
    const router = new BackendRouter({
      backends: new Map([['café-local', backend]]),
      routes: [{ match: '*', targets: [{ backend: 'café-local' }] }],
    });
    const gateway = createGateway({ router });
    try {
      const { url } = await gateway.listen(0);
      const res = await fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-llm-failover-backend')).toBe('caf?-local');
    } finally {
      await gateway.close(0);
      await backend.close();
      await upstream.close();
    }
  });
});
