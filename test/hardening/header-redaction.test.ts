import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { createAnthropicBackend, createOpenAIBackend } from '../../src/backends/index.js';
import { createLogger } from '../../src/server/create-logger.js';
import { backendSecrets, redactSecrets } from '../../src/errors/index.js';
import { createGateway } from '../../src/gateway/index.js';
import type { Gateway } from '../../src/gateway/index.js';
import type { Protocol } from '../../src/protocols/protocol.js';
import { BackendRouter } from '../../src/routing/index.js';

/** What the backend's `headers:` option holds (as `${VAR}` would expand it). */
const ORG_TOKEN = 'org-token-very-secret-4242';
const BEARER = 'proxy-credential-abcdef-9876';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * An upstream that refuses every request with 400 and echoes the headers it got in the error
 * message (some proxies and servers do), in its protocol's error shape. `inBand`: a streamed
 * request gets 200 and an in-band error event echoing them instead.
 */
async function echoingUpstream(protocol: Protocol, inBand = false): Promise<string> {
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on('end', () => {
      const message = `bad request; you sent x-org-token=${String(req.headers['x-org-token'])} and proxy-authorization="${String(req.headers['proxy-authorization'])}"`;
      const error = { type: 'invalid_request_error', message };
      if (inBand) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(
          protocol === 'openai'
            ? `data: ${JSON.stringify({ error })}\n\n`
            : `event: error\ndata: ${JSON.stringify({ type: 'error', error })}\n\n`,
        );
        return;
      }
      const body = protocol === 'openai' ? { error } : { type: 'error', error };
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;
  return `http://127.0.0.1:${port}${protocol === 'openai' ? '/v1' : ''}`;
}

async function gatewayFor(upstream: Protocol, inBand = false) {
  const baseUrl = await echoingUpstream(upstream, inBand);
  const options = {
    name: 'cloud',
    baseUrl,
    apiKey: 'sk-upstream-key-0123456789',
    maxRetries: 0,
    headers: { 'x-org-token': ORG_TOKEN, 'proxy-authorization': `Bearer ${BEARER}` },
  };
  const backend =
    upstream === 'openai' ? createOpenAIBackend(options) : createAnthropicBackend(options);
  let logs = '';
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs += chunk.toString('utf8');
      done();
    },
  });
  const router = new BackendRouter({
    backends: new Map([['cloud', backend]]),
    routes: [{ match: '*', targets: [{ backend: 'cloud' }] }],
  });
  const gateway: Gateway = createGateway({
    router,
    logger: createLogger({ level: 'debug', destination }),
  });
  const { url } = await gateway.listen(0);
  cleanups.push(async () => {
    await gateway.close(0);
    await router.close();
    await backend.close();
  });
  return { url, logs: () => logs };
}

const ask = { model: 'm', max_tokens: 10, messages: [{ role: 'user' as const, content: 'hi' }] };

async function rawAnswer(url: string, caller: Protocol, stream: boolean): Promise<string> {
  const path = caller === 'openai' ? '/v1/chat/completions' : '/v1/messages';
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...ask, stream }),
  });
  return `${res.status} ${await res.text()}`;
}

function expectRedacted(text: string): void {
  expect(text).not.toContain(ORG_TOKEN);
  expect(text).not.toContain(BEARER);
}

describe('redaction of backend header values', () => {
  it.each([
    ['openai', 'openai'],
    ['anthropic', 'anthropic'],
    ['openai', 'anthropic'],
    ['anthropic', 'openai'],
  ] as const)(
    'a %s caller never sees a header value a %s upstream echoes in a 400 (SDKs, raw, logs)',
    async (caller, upstream) => {
      const g = await gatewayFor(upstream);
      const sdkError =
        caller === 'openai'
          ? await new OpenAI({
              baseURL: `${g.url}/v1`,
              apiKey: 'k',
              maxRetries: 0,
            }).chat.completions
              .create(ask)
              .catch((err: unknown) => err)
          : await new Anthropic({ baseURL: g.url, apiKey: 'k', maxRetries: 0 }).messages
              .create(ask)
              .catch((err: unknown) => err);
      expect(sdkError).toBeInstanceOf(Error);
      const message = (sdkError as Error).message;
      expect(message).toContain('[REDACTED]');
      expectRedacted(message);
      for (const stream of [false, true]) {
        const raw = await rawAnswer(g.url, caller, stream);
        expect(raw).toMatch(/^4\d\d /);
        expectRedacted(raw);
      }
      expectRedacted(g.logs());
    },
  );

  it.each(['openai', 'anthropic'] as const)(
    'redacts header values a %s upstream echoes in an in-band stream error event',
    async (protocol) => {
      const g = await gatewayFor(protocol, true);
      for (const caller of ['openai', 'anthropic'] as const) {
        const raw = await rawAnswer(g.url, caller, true);
        expect(raw).toMatch(/^5\d\d /);
        expectRedacted(raw);
      }
      expect(g.logs()).toContain('STREAM_UPSTREAM_ERROR');
      expectRedacted(g.logs());
    },
  );
});

describe('backendSecrets', () => {
  it('lists the key, each header value, the credential after an auth scheme and JSON spellings', () => {
    const secrets = backendSecrets('sk-key-12345678', {
      authorization: 'Bearer abc/def"ghi-jkl',
      short: 'tiny',
    });
    expect(secrets).toEqual(
      expect.arrayContaining([
        'sk-key-12345678',
        'Bearer abc/def"ghi-jkl',
        'abc/def"ghi-jkl',
        'abc/def\\"ghi-jkl',
        'abc\\/def\\"ghi-jkl',
      ]),
    );
    expect(secrets).not.toContain('tiny');
    const echoed = JSON.stringify({ m: 'got abc/def"ghi-jkl' }).replaceAll('/', '\\/');
    expect(redactSecrets(echoed, secrets)).toBe('{"m":"got [REDACTED]"}');
  });
});
