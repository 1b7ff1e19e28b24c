import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { caught, chatRequests, startHarness } from './support/gateway-harness.js';
import type { Harness } from './support/gateway-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const ask = { model: 'llama-3', messages: [{ role: 'user' as const, content: 'hi' }] };

describe('gateway failover matrix (real upstream statuses)', () => {
  it.each([
    [500, 'UPSTREAM_SERVER'],
    [502, 'UPSTREAM_SERVER'],
    [529, 'UPSTREAM_SERVER'],
    [401, 'UPSTREAM_AUTH'],
    [403, 'UPSTREAM_AUTH'],
  ] as const)('fails over when local answers %i (%s)', async (status, reason) => {
    h = await startHarness({ localFaults: [{ status }] });
    const { data, response } = await h.openai.chat.completions.create(ask).withResponse();
    expect(data.choices[0]?.message.content).toBe('echo: hi');
    expect(response.headers.get('x-llm-failover-fallback')).toBe(`local:${reason}:${status}`);
    expect(chatRequests(h.cloud)).toBe(1);
  });

  it.each([400, 404, 413, 422])(
    'returns a local %i to the caller as is, with that status, and never asks the cloud',
    async (status) => {
      h = await startHarness({ localFaults: [{ status }] });
      const err = await caught(h.openai.chat.completions.create(ask));
      expect(err).toBeInstanceOf(OpenAI.APIError);
      expect((err as InstanceType<typeof OpenAI.APIError>).status).toBe(status);
      expect(chatRequests(h.cloud)).toBe(0);
    },
  );

  it('returns a caller error on a stream as a JSON error, not an event stream, without fallback', async () => {
    h = await startHarness({ localFaults: [{ status: 400 }] });
    const res = await fetch(`${h.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...ask, stream: true }),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = (await res.json()) as { error: { code: string; request_id: string } };
    expect(body.error.code).toBe('upstream_bad_request');
    expect(body.error.request_id).toBe(res.headers.get('x-request-id'));
    expect(chatRequests(h.cloud)).toBe(0);
  });
});
