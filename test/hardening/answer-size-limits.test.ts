import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { createAnthropicBackend, createOpenAIBackend } from '../../src/backends/index.js';
import type { ChatBackend } from '../../src/backends/index.js';
import { createGateway } from '../../src/gateway/index.js';
import type { Protocol } from '../../src/protocols/protocol.js';
import { BackendRouter } from '../../src/routing/index.js';
import { MAX_SSE_BUFFER_CHARS } from '../../src/sse/index.js';

const MiB = 1024 * 1024;
/** The default `maxResponseBytes`. */
const MAX_RESPONSE_BYTES = 32 * MiB;
/** What an upstream would send in all: 100 MB, never allocated at once (written 64 KiB at a time). */
const HUGE = 100 * 1000 * 1000;
/** Slack for what sits in socket buffers when the gateway stops reading. */
const SLACK = 8 * MiB;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** What an upstream does with each request. */
type Answer = (res: ServerResponse, track: Track) => Promise<void>;

/** What one upstream saw: requests, bytes its answers handed to the socket, early closes. */
interface Track {
  requests: number;
  sent: number;
  closedEarly: boolean;
  /** Resolves once the last answer's connection closed or the answer finished. */
  done: Promise<void>;
}

async function upstream(answer: Answer): Promise<{ baseUrl: string; track: Track }> {
  const track: Track = { requests: 0, sent: 0, closedEarly: false, done: Promise.resolve() };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    track.requests++;
    track.done = new Promise<void>((resolve) => {
      res.on('close', () => {
        if (!res.writableFinished) track.closedEarly = true;
        resolve();
      });
    });
    req.resume();
    req.on('end', () => void answer(res, track));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, track };
}

/** Writes `prefix`, then filler bytes up to `total` as the socket takes them, unless cut first. */
async function pump(res: ServerResponse, track: Track, prefix: string, total: number) {
  const filler = Buffer.alloc(64 * 1024, 'x');
  res.write(prefix);
  track.sent += prefix.length;
  while (track.sent < total && !res.destroyed) {
    track.sent += filler.length;
    if (!res.write(filler)) {
      await new Promise<void>((resolve) => {
        const go = (): void => {
          res.off('drain', go);
          res.off('close', go);
          resolve();
        };
        res.on('drain', go);
        res.on('close', go);
      });
    }
  }
  if (!res.destroyed) res.end();
}

/** A 100 MB JSON answer sent chunked (no length known up front). */
const hugeJson: Answer = async (res, track) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  await pump(res, track, '{"id":"x","choices":[{"message":{"content":"', HUGE);
};

/** A 100 MB JSON answer that declares its length. */
const declaredHugeJson: Answer = async (res, track) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(HUGE) });
  await pump(res, track, '{"type":"message","content":[{"type":"text","text":"', HUGE);
};

/** A stream whose second event never ends (no blank line), after `first` (a whole event). */
function endlessEvent(first: string): Answer {
  return async (res, track) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    await pump(res, track, `${first}data: {"x":"`, HUGE);
  };
}

const OPENAI_ROLE = `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { role: 'assistant' }, finish_reason: null }] })}\n\n`;
const OPENAI_TEXT = `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: 'Hel' }, finish_reason: null }] })}\n\n`;

/** A healthy OpenAI upstream: "ok", streamed or not. */
const healthy: Answer = (res) => {
  const chunk = (delta: object, finish: string | null) =>
    `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  res.end(
    `${chunk({ role: 'assistant', content: 'ok' }, null)}${chunk({}, 'stop')}data: [DONE]\n\n`,
  );
  return Promise.resolve();
};

function backendOf(protocol: Protocol, name: string, baseUrl: string): ChatBackend {
  // Retries on: the point is that an oversized answer is not downloaded a second time.
  const options = {
    name,
    baseUrl: protocol === 'openai' ? `${baseUrl}/v1` : baseUrl,
    apiKey: 'sk-test-key-123456',
    maxRetries: 3,
    backoffBaseMs: 1,
  };
  return protocol === 'openai' ? createOpenAIBackend(options) : createAnthropicBackend(options);
}

async function gatewayOf(backends: ChatBackend[]) {
  const router = new BackendRouter({
    backends: new Map(backends.map((b) => [b.name, b])),
    routes: [{ match: '*', targets: backends.map((b) => ({ backend: b.name })) }],
  });
  const gateway = createGateway({ router });
  const { url } = await gateway.listen(0);
  cleanups.push(async () => {
    await gateway.close(0);
    await router.close();
    await Promise.all(backends.map((b) => b.close()));
  });
  return url;
}

const ask = { model: 'm', max_tokens: 10, messages: [{ role: 'user' as const, content: 'hi' }] };

function expectHealthyAndSentOnce(backend: ChatBackend, track: Track, limit: number): void {
  expect(track.requests).toBe(1);
  expect(track.closedEarly).toBe(true);
  expect(track.sent).toBeLessThan(limit + SLACK);
  expect(backend.circuitBreaker.currentState).toBe('closed');
  expect(backend.circuitBreaker.failCounter).toBe(0);
}

describe('upstream answer size limits', () => {
  it('answers an OpenAI caller 502 (UPSTREAM_RESPONSE_TOO_LARGE) for a 100 MB JSON answer, reading no more than the limit, once, breaker closed', async () => {
    const big = await upstream(hugeJson);
    const backend = backendOf('openai', 'big', big.baseUrl);
    const url = await gatewayOf([backend]);
    const openai = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'k', maxRetries: 0 });
    const err = (await openai.chat.completions
      .create(ask)
      .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(err.status).toBe(502);
    expect(err.code).toBe('all_backends_failed');
    expect(err.message).toContain('UPSTREAM_RESPONSE_TOO_LARGE');
    await big.track.done;
    expectHealthyAndSentOnce(backend, big.track, MAX_RESPONSE_BYTES);
  });

  it('answers an Anthropic caller 502 api_error for a declared 100 MB answer before reading its body', async () => {
    const big = await upstream(declaredHugeJson);
    const backend = backendOf('anthropic', 'big', big.baseUrl);
    const url = await gatewayOf([backend]);
    const anthropic = new Anthropic({ baseURL: url, apiKey: 'k', maxRetries: 0 });
    const err = (await anthropic.messages.create(ask).catch((e: unknown) => e)) as InstanceType<
      typeof Anthropic.APIError
    >;
    expect(err).toBeInstanceOf(Anthropic.APIError);
    expect(err.status).toBe(502);
    expect((err.error as { error: { type: string } }).error.type).toBe('api_error');
    expect(err.message).toContain('UPSTREAM_RESPONSE_TOO_LARGE');
    await big.track.done;
    expectHealthyAndSentOnce(backend, big.track, 0);
  });

  it('fails over from a stream whose event never ends (before any content) to the next backend, without a breaker failure or a retry', async () => {
    const big = await upstream(endlessEvent(OPENAI_ROLE));
    const good = await upstream(healthy);
    const first = backendOf('openai', 'big', big.baseUrl);
    const url = await gatewayOf([first, backendOf('openai', 'good', good.baseUrl)]);
    const openai = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'k', maxRetries: 0 });
    let text = '';
    const stream = await openai.chat.completions.create({ ...ask, stream: true });
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('ok');
    await big.track.done;
    expectHealthyAndSentOnce(first, big.track, MAX_SSE_BUFFER_CHARS);
    expect(good.track.requests).toBe(1);
  });

  it('ends a committed Anthropic stream with an error event when a later event never ends', async () => {
    const big = await upstream(endlessEvent(`${OPENAI_ROLE}${OPENAI_TEXT}`));
    const backend = backendOf('openai', 'big', big.baseUrl);
    const url = await gatewayOf([backend]);
    const anthropic = new Anthropic({ baseURL: url, apiKey: 'k', maxRetries: 0 });
    let text = '';
    const err = await (async () => {
      const stream = await anthropic.messages.create({ ...ask, stream: true });
      for await (const event of stream) {
        if (event.type === 'content_block_delta' && event.delta.type === 'text_delta')
          text += event.delta.text;
      }
    })().catch((e: unknown) => e);
    expect(text).toBe('Hel');
    expect(err).toBeInstanceOf(Anthropic.APIError);
    expect((err as Error).message).toContain('too large');
    await big.track.done;
    expectHealthyAndSentOnce(backend, big.track, MAX_SSE_BUFFER_CHARS);
  });

  it('honours configured limits: maxResponseBytes and maxStreamEventChars', async () => {
    const body = JSON.stringify({
      id: 'x',
      object: 'chat.completion',
      created: 1,
      model: 'm',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'y'.repeat(2_000) },
          finish_reason: 'stop',
        },
      ],
    });
    const server = await upstream((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body);
      return Promise.resolve();
    });
    const streamer = await upstream(endlessEvent(OPENAI_ROLE));
    const limited = (baseUrl: string, limits: object) =>
      createOpenAIBackend({
        name: 'l',
        baseUrl: `${baseUrl}/v1`,
        apiKey: 'sk-test-key-123456',
        ...limits,
      });
    const req = { model: 'm', messages: [{ role: 'user', content: 'hi' }] };
    const roomy = limited(server.baseUrl, { maxResponseBytes: body.length });
    const tight = limited(server.baseUrl, { maxResponseBytes: body.length - 1 });
    const tightStream = limited(streamer.baseUrl, { maxStreamEventChars: 1_024 });
    cleanups.push(async () => {
      await Promise.all([roomy.close(), tight.close(), tightStream.close()]);
    });
    await expect(roomy.chat('openai', req)).resolves.toMatchObject({ attempts: 1 });
    await expect(tight.chat('openai', req)).rejects.toMatchObject({
      code: 'UPSTREAM_RESPONSE_TOO_LARGE',
      attempts: 1,
    });
    const stream = tightStream.chatStream('openai', { ...req, stream: true });
    const err = await (async () => {
      for await (const _ of stream) {
        // drain
      }
    })().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'UPSTREAM_RESPONSE_TOO_LARGE' });
    expect((err as Error).message).toContain('1024 characters');
    await streamer.track.done;
    expect(streamer.track.sent).toBeLessThan(1_024 + SLACK);
  });
});
