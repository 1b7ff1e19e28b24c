import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { caught, startHarness } from './support/gateway-harness.js';
import type { Harness } from './support/gateway-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const routes = [
  { match: 'claude-*', targets: [{ backend: 'cloud' }] },
  { match: 'llama-3', targets: [{ backend: 'local' }] },
];

describe('GET /v1/models/{id}', () => {
  it('answers an OpenAI model object to the OpenAI SDK, for a literal and a pattern route', async () => {
    h = await startHarness({ routes });
    const model = await h.openai.models.retrieve('llama-3');
    expect(model).toMatchObject({ id: 'llama-3', object: 'model', owned_by: 'llm-failover' });
    expect(model).not.toHaveProperty('type');
    const claude = await h.openai.models.retrieve('claude-sonnet-4-5');
    expect(claude.id).toBe('claude-sonnet-4-5');
  });

  it('answers an Anthropic model object to the Anthropic SDK (it sends anthropic-version)', async () => {
    h = await startHarness({ routes });
    const model = await h.anthropic.models.retrieve('claude-sonnet-4-5');
    expect(model).toMatchObject({
      id: 'claude-sonnet-4-5',
      type: 'model',
      display_name: 'claude-sonnet-4-5',
    });
    expect(model).not.toHaveProperty('object');
  });

  it('answers 404 not_found_error in the caller protocol for a model no route serves', async () => {
    h = await startHarness({ routes });
    const openaiErr = await caught(h.openai.models.retrieve('gpt-9'));
    expect(openaiErr).toBeInstanceOf(OpenAI.NotFoundError);
    expect((openaiErr as Error).message).toContain('model "gpt-9" is not served by any route');
    const anthropicErr = await caught(h.anthropic.models.retrieve('gpt-9'));
    expect(anthropicErr).toBeInstanceOf(Anthropic.NotFoundError);
    expect((anthropicErr as InstanceType<typeof Anthropic.NotFoundError>).error).toMatchObject({
      type: 'error',
      error: { type: 'not_found_error' },
    });
  });
});

describe('GET / and HEAD /', () => {
  it('answer 200 with the product name and nothing else', async () => {
    h = await startHarness({ routes });
    const head = await fetch(`${h.url}/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const get = await fetch(`${h.url}/`);
    expect(get.status).toBe(200);
    expect(await get.json()).toEqual({ name: 'llm-failover', status: 'ok' });
  });
});

describe('unknown paths', () => {
  it('answer 404 naming the method and path, in the OpenAI shape by default', async () => {
    h = await startHarness({ routes });
    // JSON content type: the browser guard refuses any other POST body (415) before routing.
    // (Not /v1/responses: the gateway serves the Responses API since issue 9.)
    const res = await fetch(`${h.url}/v1/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(404);
    const body = (await res.json()) as { error: { type: string; message: string } };
    expect(body.error.type).toBe('not_found_error');
    expect(body.error.message).toBe('no such endpoint: POST /v1/completions');
  });

  it('answer 404 in the Anthropic shape to a caller that sent anthropic-version', async () => {
    h = await startHarness({ routes });
    const res = await fetch(`${h.url}/v1/complete`, {
      method: 'POST',
      headers: { 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({
      type: 'error',
      error: { type: 'not_found_error', message: 'no such endpoint: POST /v1/complete' },
    });
  });
});
