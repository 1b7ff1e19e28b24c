import { afterEach, describe, expect, it } from 'vitest';
import { caught, startHarness } from '../gateway/support/gateway-harness.js';
import type { Harness } from '../gateway/support/gateway-harness.js';
import { estimateInputTokens } from '../../src/gateway/json-endpoints/index.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const anthropicFirst = [
  { match: '*', targets: [{ backend: 'cloud' }, { backend: 'local', model: 'local-model' }] },
];
const weather = {
  name: 'get_weather',
  description: 'Weather in a city',
  input_schema: { type: 'object' as const, properties: { city: { type: 'string' } } },
};

describe('POST /v1/messages/count_tokens through the official Anthropic SDK', () => {
  it('is answered upstream by an Anthropic-protocol backend, body and beta header passed through', async () => {
    h = await startHarness({ routes: anthropicFirst });
    const { data, response } = await h.anthropic.beta.messages
      .countTokens({
        model: 'claude-sonnet-4-5',
        betas: ['context-management-2025-06-27', 'interleaved-thinking-2025-05-14'],
        system: [{ type: 'text', text: 'be brief', cache_control: { type: 'ephemeral' } }],
        messages: [{ role: 'user', content: 'hello there, count me' }],
        tools: [weather],
      })
      .withResponse();
    // The mock answers exactly what /v1/messages would report: ceil(21 chars / 4).
    expect(data.input_tokens).toBe(6);
    expect(response.headers.get('x-llm-failover-backend')).toBe('cloud');
    expect(response.headers.get('x-llm-failover-estimate')).toBeNull();
    const seen = h.cloud.requests.at(-1);
    expect(seen?.path).toBe('/v1/messages/count_tokens');
    // The SDK adds its own token-counting beta to the caller's list; all of it reaches upstream.
    expect(String(seen?.headers['anthropic-beta']).split(',')).toEqual(
      expect.arrayContaining(['context-management-2025-06-27', 'interleaved-thinking-2025-05-14']),
    );
    expect(seen?.headers['x-api-key']).toBe('sk-cloud-upstream-secret-0123456789');
    expect(seen?.body).toMatchObject({ tools: [weather], system: [{ text: 'be brief' }] });
  });

  it('is estimated locally for an OpenAI-protocol backend, and the answer says it is an estimate', async () => {
    h = await startHarness();
    const request = {
      model: 'llama-3',
      system: 'You are terse.',
      messages: [{ role: 'user' as const, content: 'How many tokens is this sentence?' }],
      tools: [weather],
    };
    const { data, response } = await h.anthropic.messages.countTokens(request).withResponse();
    expect(data.input_tokens).toBe(await estimateInputTokens(request));
    expect(data.input_tokens).toBeGreaterThan(20);
    expect(response.headers.get('x-llm-failover-estimate')).toBe('gpt-tokenizer/o200k_base');
    expect(response.headers.get('x-llm-failover-backend')).toBe('local');
    // Nothing was sent to the OpenAI-protocol upstream: it has no such endpoint.
    expect(h.local?.requests).toHaveLength(0);
  });

  it('fails over from a failing Anthropic backend to the local estimate of the next backend', async () => {
    h = await startHarness({ routes: anthropicFirst, cloudFaults: [{ status: 503 }] });
    const { data, response } = await h.anthropic.messages
      .countTokens({ model: 'claude-x', messages: [{ role: 'user', content: 'hi' }] })
      .withResponse();
    expect(data.input_tokens).toBeGreaterThan(0);
    expect(response.headers.get('x-llm-failover-backend')).toBe('local');
    expect(response.headers.get('x-llm-failover-fallback')).toBe('cloud:UPSTREAM_SERVER:503');
    expect(response.headers.get('x-llm-failover-estimate')).toBe('gpt-tokenizer/o200k_base');
  });

  it('accepts ?beta=true and answers 400 naming the field when messages is missing', async () => {
    h = await startHarness({ routes: anthropicFirst });
    const ok = await fetch(`${h.url}/v1/messages/count_tokens?beta=true`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'claude-x', messages: [{ role: 'user', content: 'abcd' }] }),
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ input_tokens: 1 });
    const err = await caught(h.anthropic.messages.countTokens({ model: 'claude-x' } as never));
    expect(err).toMatchObject({ status: 400 });
    expect(String(err)).toMatch(/messages: required/);
  });
});

describe('the local count_tokens estimate', () => {
  it('counts system, messages, tool calls and results, tools, and a fixed cost per image', async () => {
    const text = await estimateInputTokens({
      messages: [{ role: 'user', content: 'hello world' }],
    });
    // 3 per request + 3 per message + "hello world" (2 tokens in o200k_base).
    expect(text).toBe(8);
    const more = await estimateInputTokens({
      system: [{ type: 'text', text: 'hello world' }],
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } },
            { type: 'text', text: 'hello world' },
          ],
        },
      ],
    });
    expect(more).toBe(3 + 3 + 2 + 2 + 1600);
  });

  it('counts special-token strings in user text as plain text instead of refusing them', async () => {
    const n = await estimateInputTokens({
      messages: [{ role: 'user', content: 'say <|endoftext|> please' }],
    });
    expect(n).toBeGreaterThan(8);
  });
});
