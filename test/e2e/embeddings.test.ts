import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { caught, startHarness } from '../gateway/support/gateway-harness.js';
import type { Harness } from '../gateway/support/gateway-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const twoOpenAI = {
  cloudProtocol: 'openai' as const,
  routes: [
    {
      match: '*',
      targets: [{ backend: 'local' }, { backend: 'cloud', model: 'text-embedding-3-small' }],
    },
  ],
};

describe('POST /v1/embeddings through the official openai SDK', () => {
  it('answers deterministic unit vectors from the mock, honouring dimensions', async () => {
    h = await startHarness(twoOpenAI);
    const a = await h.openai.embeddings.create({ model: 'nomic-embed', input: ['alpha', 'beta'] });
    const b = await h.openai.embeddings.create({ model: 'nomic-embed', input: 'alpha' });
    expect(a.data).toHaveLength(2);
    expect(a.data[0]?.embedding).toHaveLength(16);
    expect(b.data[0]?.embedding).toEqual(a.data[0]?.embedding);
    expect(a.data[1]?.embedding).not.toEqual(a.data[0]?.embedding);
    const norm = Math.hypot(...(a.data[0]?.embedding ?? []));
    expect(norm).toBeCloseTo(1, 6);
    const sized = await h.openai.embeddings.create({
      model: 'nomic-embed',
      input: 'alpha',
      dimensions: 64,
    });
    expect(sized.data[0]?.embedding).toHaveLength(64);
    expect(h.local?.requests.at(-1)).toMatchObject({
      path: '/v1/embeddings',
      body: { model: 'nomic-embed', dimensions: 64 },
    });
  });

  it('passes encoding_format base64 through; the SDK decodes it to the same floats (float32)', async () => {
    h = await startHarness(twoOpenAI);
    const floats = await h.openai.embeddings.create({
      model: 'm',
      input: 'gamma',
      encoding_format: 'float',
    });
    // The SDK asks for base64 by default and decodes it.
    const decoded = await h.openai.embeddings.create({ model: 'm', input: 'gamma' });
    expect(h.local?.requests.at(-1)?.body).toMatchObject({ encoding_format: 'base64' });
    const expected = Array.from(new Float32Array(floats.data[0]?.embedding ?? []));
    expect(decoded.data[0]?.embedding).toEqual(expected);
  });

  it('fails over from a failing backend to the next OpenAI-protocol backend, renaming the model', async () => {
    h = await startHarness({ ...twoOpenAI, localFaults: [{ status: 500 }] });
    const { data, response } = await h.openai.embeddings
      .create({ model: 'nomic-embed', input: 'delta' })
      .withResponse();
    expect(data.data[0]?.embedding).toHaveLength(16);
    expect(response.headers.get('x-llm-failover-backend')).toBe('cloud');
    expect(response.headers.get('x-llm-failover-fallback')).toBe('local:UPSTREAM_SERVER:500');
    expect(h.cloud.requests.at(-1)?.body).toMatchObject({ model: 'text-embedding-3-small' });
  });

  it('skips an Anthropic-protocol backend with a note, and answers 400 naming it when no other is left', async () => {
    h = await startHarness({
      routes: [
        { match: 'mixed', targets: [{ backend: 'cloud' }, { backend: 'local' }] },
        { match: 'claude-only', targets: [{ backend: 'cloud' }] },
      ],
    });
    const { response } = await h.openai.embeddings
      .create({ model: 'mixed', input: 'x' })
      .withResponse();
    expect(response.headers.get('x-llm-failover-backend')).toBe('local');
    expect(response.headers.get('x-llm-failover-notes')).toMatch(
      /skipped cloud: speaks the Anthropic protocol/,
    );
    const err = await caught(h.openai.embeddings.create({ model: 'claude-only', input: 'x' }));
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(String(err)).toMatch(
      /no backend on the route for model "claude-only" serves POST \/v1\/embeddings: skipped cloud/,
    );
    expect(h.cloud.requests).toHaveLength(0);
  });

  it('answers 400 naming input when it is missing', async () => {
    h = await startHarness(twoOpenAI);
    const err = await caught(h.openai.embeddings.create({ model: 'm' } as never));
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(String(err)).toMatch(/input: required/);
  });
});
