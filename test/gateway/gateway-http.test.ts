import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CLOUD_KEY,
  GATEWAY_KEY,
  caught,
  chatRequests,
  startHarness,
} from './support/gateway-harness.js';
import type { Harness } from './support/gateway-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const ask = { model: 'llama-3', messages: [{ role: 'user' as const, content: 'hi' }] };

/** Either protocol's error body, loosely. */
interface ErrorJson {
  type?: string;
  error: { type: string; message: string; code?: string; param?: string; request_id?: string };
}

async function post(
  url: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: ErrorJson; headers: Headers }> {
  const res = await fetch(url, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...headers },
  });
  return { status: res.status, json: (await res.json()) as ErrorJson, headers: res.headers };
}

describe('gateway keys', () => {
  it('refuses a missing key with 401 in the OpenAI shape', async () => {
    h = await startHarness({ gateway: { apiKeys: [GATEWAY_KEY] } });
    const client = new OpenAI({ baseURL: `${h.url}/v1`, apiKey: 'wrong-key', maxRetries: 0 });
    const err = await caught(client.chat.completions.create(ask));
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((err as InstanceType<typeof OpenAI.APIError>).type).toBe('authentication_error');
    const raw = await post(`${h.url}/v1/chat/completions`, JSON.stringify(ask));
    expect(raw.status).toBe(401);
    expect(raw.headers.get('www-authenticate')).toBe('Bearer');
    expect(raw.json.error).toMatchObject({ type: 'authentication_error', code: 'unauthorized' });
    expect(chatRequests(h.local)).toBe(0);
  });

  it('refuses a wrong x-api-key with 401 in the Anthropic shape', async () => {
    h = await startHarness({ gateway: { apiKeys: [GATEWAY_KEY] } });
    const client = new Anthropic({ baseURL: h.url, apiKey: `${GATEWAY_KEY}x`, maxRetries: 0 });
    const err = await caught(client.messages.create({ ...ask, max_tokens: 5 }));
    expect(err).toBeInstanceOf(Anthropic.AuthenticationError);
    expect((err as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
      type: 'error',
      error: { type: 'authentication_error' },
    });
  });

  it('accepts the right key from either SDK and never forwards it upstream', async () => {
    h = await startHarness({
      gateway: { apiKeys: ['other-key-0000000000', GATEWAY_KEY] },
      routes: [
        { match: 'claude-*', targets: [{ backend: 'cloud' }] },
        { match: '*', targets: [{ backend: 'local' }] },
      ],
    });
    await h.openai.chat.completions.create(ask);
    await h.anthropic.messages.create({ ...ask, model: 'claude-3', max_tokens: 5 });
    const seen = JSON.stringify(
      [...(h.local?.requests ?? []), ...h.cloud.requests].map((r) => r.headers),
    );
    expect(seen).not.toContain(GATEWAY_KEY);
    expect(h.local?.requests[0]?.headers.authorization).toBeUndefined();
    expect(h.cloud.requests[0]?.headers['x-api-key']).toBe(CLOUD_KEY);
  });

  it('leaves /health and /metrics open and free of secrets', async () => {
    h = await startHarness({ localDown: true, gateway: { apiKeys: [GATEWAY_KEY] } });
    await h.openai.chat.completions.create(ask);
    // Loopback only unless told otherwise (the harness listens with the default host).
    expect(h.gateway.server.address()).toMatchObject({ address: '127.0.0.1' });
    const health = await fetch(`${h.url}/health`);
    const text = await health.text();
    expect(health.status).toBe(200);
    expect(JSON.parse(text)).toMatchObject({
      status: 'ok',
      backends: [
        { name: 'local', protocol: 'openai', state: 'closed', lastErrorCode: 'CONNECTION' },
        { name: 'cloud', protocol: 'anthropic', lastErrorCode: null },
      ],
    });
    const metrics = await (await fetch(`${h.url}/metrics`)).text();
    expect(metrics).toContain('llm_failover_requests_total{protocol="openai",status="200"} 1');
    expect(metrics).toContain(
      'llm_failover_fallbacks_total{backend="local",reason="CONNECTION"} 1',
    );
    expect(metrics).toContain('llm_failover_circuit_state{backend="local"} 0');
    expect(metrics).toContain('llm_failover_gateway_overhead_seconds_count{protocol="openai"} 1');
    for (const body of [text, metrics]) {
      expect(body).not.toContain(CLOUD_KEY);
      expect(body).not.toContain(GATEWAY_KEY);
    }
  });
});

describe('gateway request errors', () => {
  it('answers a model no route matches with 404 in the caller shape', async () => {
    h = await startHarness({ routes: [{ match: 'gpt-*', targets: [{ backend: 'local' }] }] });
    const err = await caught(h.openai.chat.completions.create(ask));
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    expect((err as InstanceType<typeof OpenAI.APIError>).code).toBe('no_route');
    const aErr = await caught(h.anthropic.messages.create({ ...ask, max_tokens: 5 }));
    expect(aErr).toBeInstanceOf(Anthropic.NotFoundError);
    expect((aErr as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
      error: { type: 'not_found_error' },
    });
  });

  it('answers malformed JSON with 400 naming the problem', async () => {
    h = await startHarness();
    const res = await post(`${h.url}/v1/chat/completions`, '{"model": "llama-3", ');
    expect(res.status).toBe(400);
    expect(res.json.error.type).toBe('invalid_request_error');
    expect(res.json.error.message).toMatch(/malformed JSON.*(end of JSON|position)/);
    const arr = await post(`${h.url}/v1/messages`, '[1,2]');
    expect(arr.status).toBe(400);
    expect(arr.json.error.message).toBe('request body must be a JSON object, got an array');
  });

  it('answers 400 naming the field when a routing field is missing or a translated shape is wrong', async () => {
    h = await startHarness();
    const noModel = await post(`${h.url}/v1/chat/completions`, JSON.stringify({ messages: [] }));
    expect(noModel.status).toBe(400);
    expect(noModel.json.error.param).toBe('model');
    expect(noModel.json.error.message).toContain('model: required');
    const badStream = await post(
      `${h.url}/v1/messages`,
      JSON.stringify({ model: 'llama-3', max_tokens: 5, messages: [], stream: 'yes' }),
    );
    expect(badStream.status).toBe(400);
    expect(badStream.json.error.message).toContain('stream: expected boolean');
    // llama-3 is served by an OpenAI-protocol backend: an Anthropic caller's messages are
    // translated, so their shape is read and a wrong one is named.
    const anth = await post(
      `${h.url}/v1/messages`,
      JSON.stringify({ model: 'llama-3', max_tokens: 5, messages: 'nope' }),
    );
    expect(anth.status).toBe(400);
    expect(anth.json.error.message).toContain('messages: expected array, got string');
    expect(chatRequests(h.local)).toBe(0);
  });

  it('forwards on a same-protocol route what the gateway does not read, for the upstream to judge', async () => {
    h = await startHarness();
    const res = await post(
      `${h.url}/v1/chat/completions`,
      JSON.stringify({
        model: 'llama-3',
        messages: [{ role: 'critic', content: 'x' }],
        tool_choice: 'sometimes',
      }),
    );
    expect(res.status).toBe(200);
    expect(chatRequests(h.local)).toBe(1);
  });

  it('answers a wrong method with 405 and an unknown path with 404, echoing a given request id', async () => {
    h = await startHarness();
    const get = await fetch(`${h.url}/v1/chat/completions`, {
      headers: { 'x-request-id': 'req-abc.1' },
    });
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect(get.headers.get('x-request-id')).toBe('req-abc.1');
    expect(((await get.json()) as ErrorJson).error.request_id).toBe('req-abc.1');
    const missing = await fetch(`${h.url}/v2/nothing`);
    expect(missing.status).toBe(404);
  });
});
