import { request } from 'node:http';
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
const anthropicAsk = { ...ask, max_tokens: 16 };
const EVIL = 'https://evil.example';
const APP = 'http://localhost:5173';

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request with exactly these headers (node:http lets a test set `Host`; fetch does not). */
function raw(
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: string,
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

const json = { 'content-type': 'application/json' };

describe('cross-origin requests', () => {
  it('refuses a foreign Origin with 403 in both SDKs shapes, naming the origin and the config key', async () => {
    h = await startHarness();
    const openai = new OpenAI({
      baseURL: `${h.url}/v1`,
      apiKey: 'k',
      maxRetries: 0,
      defaultHeaders: { origin: EVIL },
    });
    const err = await caught(openai.chat.completions.create(ask));
    expect(err).toBeInstanceOf(OpenAI.PermissionDeniedError);
    const openaiError = err as InstanceType<typeof OpenAI.APIError>;
    expect(openaiError.message).toContain(EVIL);
    expect(openaiError.message).toContain('server.cors.allowedOrigins');
    expect(openaiError.code).toBe('origin_not_allowed');

    const anthropic = new Anthropic({
      baseURL: h.url,
      apiKey: 'k',
      maxRetries: 0,
      defaultHeaders: { origin: EVIL },
    });
    const aErr = await caught(anthropic.messages.create(anthropicAsk));
    expect(aErr).toBeInstanceOf(Anthropic.PermissionDeniedError);
    expect((aErr as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
      type: 'error',
      error: { type: 'permission_error' },
    });
    expect(chatRequests(h.local)).toBe(0);
    expect(chatRequests(h.cloud)).toBe(0);
  });

  it('refuses a foreign preflight, and answers an allowed one with the CORS headers the SDKs need', async () => {
    h = await startHarness({ gateway: { browser: { allowedOrigins: [APP] } } });
    const preflight = {
      origin: APP,
      'access-control-request-method': 'POST',
      'access-control-request-headers':
        'authorization,content-type,x-stainless-os,x-stainless-retry-count,openai-beta',
    };
    const allowed = await raw(`${h.url}/v1/chat/completions`, 'OPTIONS', preflight);
    expect(allowed.status).toBe(204);
    expect(allowed.headers['access-control-allow-origin']).toBe(APP);
    expect(allowed.headers['access-control-allow-methods']).toContain('POST');
    expect(allowed.headers['access-control-allow-headers']).toBe(
      preflight['access-control-request-headers'],
    );
    const foreign = await raw(`${h.url}/v1/messages`, 'OPTIONS', { ...preflight, origin: EVIL });
    expect(foreign.status).toBe(403);
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
    expect(JSON.parse(foreign.body)).toMatchObject({ error: { type: 'permission_error' } });
  });

  it('lets an allowed origin call and marks the answer readable by it', async () => {
    h = await startHarness({ gateway: { browser: { allowedOrigins: [APP] } } });
    const res = await raw(
      `${h.url}/v1/chat/completions`,
      'POST',
      { ...json, origin: APP },
      JSON.stringify(ask),
    );
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(APP);
    expect(res.headers['access-control-expose-headers']).toContain('retry-after');
    expect(res.headers.vary).toBe('Origin');
  });
});

describe('content type', () => {
  it('answers 415 naming what was received when a POST does not declare JSON', async () => {
    h = await startHarness();
    const body = JSON.stringify(ask);
    const plain = await raw(
      `${h.url}/v1/chat/completions`,
      'POST',
      { 'content-type': 'text/plain;charset=UTF-8' },
      body,
    );
    expect(plain.status).toBe(415);
    expect(JSON.parse(plain.body)).toMatchObject({
      error: { type: 'invalid_request_error', code: 'unsupported_media_type' },
    });
    expect(plain.body).toContain('text/plain;charset=UTF-8');
    const none = await raw(`${h.url}/v1/messages`, 'POST', {}, JSON.stringify(anthropicAsk));
    expect(none.status).toBe(415);
    expect(JSON.parse(none.body)).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error' },
    });
    expect(none.body).toContain('no content-type');
    expect(chatRequests(h.local)).toBe(0);
  });

  it('accepts application/json with parameters, in any case', async () => {
    h = await startHarness();
    const res = await raw(
      `${h.url}/v1/chat/completions`,
      'POST',
      { 'content-type': 'Application/JSON; charset=utf-8' },
      JSON.stringify(ask),
    );
    expect(res.status).toBe(200);
  });
});

describe('Host check (DNS rebinding)', () => {
  it('refuses a Host that is not a name the gateway serves, naming it and the config key', async () => {
    h = await startHarness();
    const port = new URL(h.url).port;
    const res = await raw(`${h.url}/v1/models`, 'GET', { host: `rebind.evil.example:${port}` });
    expect(res.status).toBe(403);
    expect(res.body).toContain('rebind.evil.example');
    expect(res.body).toContain('server.allowedHosts');
    const health = await raw(`${h.url}/health`, 'GET', { host: `rebind.evil.example:${port}` });
    expect(health.status).toBe(403);
  });

  it('accepts loopback names, IP literals and configured proxy names', async () => {
    h = await startHarness({ gateway: { browser: { allowedHosts: ['llm.example.com'] } } });
    const port = new URL(h.url).port;
    for (const host of [
      `localhost:${port}`,
      `127.0.0.1:${port}`,
      `[::1]:${port}`,
      'LLM.example.com',
      '10.1.2.3:8080',
    ]) {
      const res = await raw(`${h.url}/v1/models`, 'GET', { host });
      expect(res.status, host).toBe(200);
    }
  });

  it('counts every refusal by reason in /metrics', async () => {
    h = await startHarness();
    await raw(`${h.url}/v1/models`, 'GET', { host: 'evil.example' });
    await raw(`${h.url}/v1/models`, 'GET', { origin: EVIL });
    await raw(`${h.url}/v1/chat/completions`, 'POST', {}, '{}');
    const metrics = (await raw(`${h.url}/metrics`, 'GET', {})).body;
    expect(metrics).toContain('llm_failover_requests_refused_total{reason="host"} 1');
    expect(metrics).toContain('llm_failover_requests_refused_total{reason="origin"} 1');
    expect(metrics).toContain('llm_failover_requests_refused_total{reason="content_type"} 1');
  });
});

describe('/health and /metrics', () => {
  it('stay open without a key by default and never show a key', async () => {
    h = await startHarness({ gateway: { apiKeys: [GATEWAY_KEY] } });
    await h.openai.chat.completions.create(ask);
    for (const path of ['/health', '/metrics']) {
      const res = await raw(`${h.url}${path}`, 'GET', {});
      expect(res.status, path).toBe(200);
      expect(res.body).not.toContain(CLOUD_KEY);
      expect(res.body).not.toContain(GATEWAY_KEY);
    }
  });

  it('require the gateway key when protectInfoEndpoints is on', async () => {
    h = await startHarness({ gateway: { apiKeys: [GATEWAY_KEY], protectInfoEndpoints: true } });
    for (const path of ['/health', '/metrics']) {
      const refused = await raw(`${h.url}${path}`, 'GET', {});
      expect(refused.status, path).toBe(401);
      const allowed = await raw(`${h.url}${path}`, 'GET', {
        authorization: `Bearer ${GATEWAY_KEY}`,
      });
      expect(allowed.status, path).toBe(200);
      expect(allowed.body).not.toContain(GATEWAY_KEY);
    }
  });
});
