import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { caught, chatRequests, startHarness } from './support/gateway-harness.js';
import type { Harness } from './support/gateway-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const ask = (content: string) => ({
  model: 'llama-3',
  messages: [{ role: 'user' as const, content }],
});

describe('gateway failover', () => {
  it('answers from the cloud when the local port is closed, and says so in the headers', async () => {
    h = await startHarness({ localDown: true });
    const { data, response } = await h.openai.chat.completions
      .create(ask('anyone home?'))
      .withResponse();
    expect(data.choices[0]?.message.content).toBe('echo: anyone home?');
    expect(response.headers.get('x-llm-failover-backend')).toBe('cloud');
    expect(response.headers.get('x-llm-failover-fallback')).toBe('local:CONNECTION');
    expect(h.cloud.requests.at(-1)?.body).toMatchObject({ model: 'cloud-model' });
  });

  it('streams from the cloud when the local port is closed', async () => {
    h = await startHarness({ localDown: true });
    const { data: stream, response } = await h.openai.chat.completions
      .create({ ...ask('stream please'), stream: true })
      .withResponse();
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('echo: stream please');
    expect(response.headers.get('x-llm-failover-backend')).toBe('cloud');
  });

  it('falls back when local answers 503 and reports the reason and total attempts', async () => {
    h = await startHarness({ localFaults: [{ status: 503 }] });
    const { response } = await h.openai.chat.completions.create(ask('x')).withResponse();
    expect(response.headers.get('x-llm-failover-backend')).toBe('cloud');
    expect(response.headers.get('x-llm-failover-fallback')).toBe('local:UPSTREAM_SERVER:503');
    expect(response.headers.get('x-llm-failover-attempts')).toBe('2');
    expect(chatRequests(h.local)).toBe(1);
  });

  it('sends local no request at all once its breaker is open', async () => {
    h = await startHarness({ localFailMax: 2, localFaults: [{ status: 500 }, { status: 500 }] });
    await h.openai.chat.completions.create(ask('1'));
    await h.openai.chat.completions.create(ask('2'));
    expect(h.backends.local.circuitBreaker.currentState).toBe('open');
    const { response } = await h.openai.chat.completions.create(ask('3')).withResponse();
    expect(chatRequests(h.local)).toBe(2);
    expect(response.headers.get('x-llm-failover-fallback')).toBe('local:CIRCUIT_OPEN');
    expect(response.headers.get('x-llm-failover-attempts')).toBe('1');
  });

  it('fails over on an in-band error as the first event and delivers one clean stream', async () => {
    h = await startHarness({ localFaults: [{ errorFirstEvent: true }] });
    const { data: stream, response } = await h.openai.chat.completions
      .create({ ...ask('clean?'), stream: true })
      .withResponse();
    const contents: string[] = [];
    for await (const chunk of stream) contents.push(chunk.choices[0]?.delta.content ?? '');
    expect(contents.join('')).toBe('echo: clean?');
    expect(response.headers.get('x-llm-failover-fallback')).toBe('local:STREAM_UPSTREAM_ERROR');
  });

  it('fails over when local breaks off after its role chunk, before any content, and sends only the cloud stream', async () => {
    // vLLM/llama.cpp send the role chunk first: a failure right after it is still before the commit.
    h = await startHarness({ localFaults: [{ cutAfterChunks: 1 }] });
    const { data: stream, response } = await h.openai.chat.completions
      .create({ ...ask('after the role'), stream: true })
      .withResponse();
    const ids = new Set<string>();
    let text = '';
    for await (const chunk of stream) {
      ids.add(chunk.id);
      text += chunk.choices[0]?.delta.content ?? '';
    }
    expect(text).toBe('echo: after the role');
    // One stream: the local role chunk buffered before the failure never reaches the caller.
    expect(ids.size).toBe(1);
    expect(response.headers.get('x-llm-failover-backend')).toBe('cloud');
    expect(response.headers.get('x-llm-failover-fallback')).toBe('local:STREAM_TRUNCATED');
    expect(chatRequests(h.local)).toBe(1);
  });

  it('fails over when a pass-through local stream sends a garbage line before any content, instead of handing the SDK a SyntaxError', async () => {
    h = await startHarness({ localFaults: [{ malformedSse: true }] });
    const { data: stream, response } = await h.openai.chat.completions
      .create({ ...ask('garbled'), stream: true })
      .withResponse();
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('echo: garbled');
    expect(response.headers.get('x-llm-failover-backend')).toBe('cloud');
    expect(response.headers.get('x-llm-failover-fallback')).toBe('local:STREAM_UPSTREAM_ERROR');
    expect(h.backends.local.circuitBreaker.failCounter).toBe(1);
  });

  it('fails over on an in-band first event for an Anthropic caller, across protocols, with one clean stream', async () => {
    h = await startHarness({ localFaults: [{ errorFirstEvent: true }] });
    const stream = h.anthropic.messages.stream({
      model: 'llama-3',
      max_tokens: 50,
      messages: [{ role: 'user', content: 'once only' }],
    });
    const final = await stream.finalMessage();
    expect(final.content).toEqual([
      expect.objectContaining({ type: 'text', text: 'echo: once only' }),
    ]);
    expect(chatRequests(h.local)).toBe(1);
    expect(chatRequests(h.cloud)).toBe(1);
  });

  it('ends a stream cut after the commit with an error the openai SDK raises, and never asks the cloud', async () => {
    h = await startHarness({ localFaults: [{ cutAfterChunks: 3 }] });
    const stream = await h.openai.chat.completions.create({
      ...ask('a b c d e f g h'),
      stream: true,
    });
    let text = '';
    const err = await caught(
      (async () => {
        for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      })(),
    );
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(text.length).toBeGreaterThan(0);
    expect(text).not.toBe('echo: a b c d e f g h');
    expect(chatRequests(h.cloud)).toBe(0);
    const metrics = await fetch(`${h.url}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(
      /llm_failover_truncated_streams_total\{protocol="openai",backend="local"\} 1/,
    );
  });

  it('ends a cut stream with an error event the Anthropic SDK raises (no message_stop)', async () => {
    h = await startHarness({ localFaults: [{ cutAfterChunks: 3 }] });
    const stream = h.anthropic.messages.stream({
      model: 'llama-3',
      max_tokens: 50,
      messages: [{ role: 'user', content: 'a b c d e f g h' }],
    });
    const err = await caught(stream.finalMessage());
    expect(err).toBeInstanceOf(Anthropic.APIError);
    expect(chatRequests(h.cloud)).toBe(0);
  });

  it('returns a caller error (400) as is, in the OpenAI shape, without fallback', async () => {
    const body = {
      error: {
        message: 'max_tokens is too large',
        type: 'invalid_request_error',
        param: 'max_tokens',
        code: null,
      },
    };
    h = await startHarness({ localFaults: [{ status: 400, body }] });
    const err = await caught(h.openai.chat.completions.create(ask('x')));
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    const e = err as InstanceType<typeof OpenAI.BadRequestError>;
    expect(e.status).toBe(400);
    expect(e.message).toContain('max_tokens is too large');
    expect(e.type).toBe('invalid_request_error');
    expect(e.headers.get('x-request-id')).toMatch(/.+/);
    expect(e.headers.get('x-llm-failover-backend')).toBe('local');
    expect(chatRequests(h.cloud)).toBe(0);
  });

  it('returns a caller error (422) to an Anthropic caller in the Anthropic shape, without fallback', async () => {
    h = await startHarness({ localFaults: [{ status: 422 }] });
    const err = await caught(
      h.anthropic.messages.create({
        model: 'llama-3',
        max_tokens: 5,
        messages: [{ role: 'user', content: 'x' }],
      }),
    );
    expect(err).toBeInstanceOf(Anthropic.UnprocessableEntityError);
    const e = err as InstanceType<typeof Anthropic.APIError>;
    expect(e.error).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    expect((e.error as { request_id?: string }).request_id).toBe(e.headers?.get('x-request-id'));
    expect(chatRequests(h.cloud)).toBe(0);
  });

  it('answers 502 listing every target when all fail, in the caller shape', async () => {
    h = await startHarness({ localDown: true, cloudFaults: [{ status: 500 }] });
    const err = await caught(h.openai.chat.completions.create(ask('x')));
    expect(err).toBeInstanceOf(OpenAI.InternalServerError);
    const e = err as InstanceType<typeof OpenAI.APIError>;
    expect(e.status).toBe(502);
    expect(e.code).toBe('all_backends_failed');
    expect(e.headers?.get('x-llm-failover-fallback')).toBe(
      'local:CONNECTION, cloud:UPSTREAM_SERVER:500',
    );
    expect(e.headers?.get('x-llm-failover-attempts')).toBe('2');
    expect(e.error).toMatchObject({
      failures: [
        { backend: 'local', reason: 'CONNECTION' },
        { backend: 'cloud', reason: 'UPSTREAM_SERVER', status: 500 },
      ],
    });
  });

  it('answers 429 with retry-after when the last backend was rate limited', async () => {
    h = await startHarness({
      localDown: true,
      cloudFaults: [{ status: 429, retryAfterSeconds: 120 }],
    });
    const err = await caught(
      h.anthropic.messages.create({
        model: 'llama-3',
        max_tokens: 5,
        messages: [{ role: 'user', content: 'x' }],
      }),
    );
    expect(err).toBeInstanceOf(Anthropic.RateLimitError);
    const e = err as InstanceType<typeof Anthropic.APIError>;
    expect(e.headers?.get('retry-after')).toBe('120');
    expect(e.error).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
  });
});
