import { afterEach, describe, expect, it } from 'vitest';
import {
  MockUpstreamServer,
  createOpenAIBackend,
  parseChatRequest,
} from '../../src/backends/index.js';
import type { ParsedChatRequest } from '../../src/backends/index.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function start() {
  const server = await MockUpstreamServer.start();
  const backend = createOpenAIBackend({ name: 'o', baseUrl: server.openaiBaseUrl, maxRetries: 0 });
  cleanups.push(
    () => backend.close(),
    () => server.close(),
  );
  return { server, backend };
}

const body = { model: 'm', max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] };

/** The parse of `body` with a different max_tokens: only a backend reading `parsed` sends 7. */
function marked(): ParsedChatRequest {
  const request = parseChatRequest('anthropic', body);
  if (request.protocol !== 'anthropic') throw new Error('unreachable');
  return { ...request, parsed: { ...request.parsed, max_tokens: 7 } };
}

describe('a translating backend and the parsed request it is handed', () => {
  it('translates the handed-down parse, not a parse of its own', async () => {
    const { server, backend } = await start();
    await backend.chat('anthropic', body, { request: marked() });
    expect(server.requests.at(-1)?.body).toMatchObject({ max_tokens: 7 });
    const stream = backend.chatStream('anthropic', body, { request: marked() });
    for await (const _ of stream) {
      // drain
    }
    expect(server.requests.at(-1)?.body).toMatchObject({ max_tokens: 7, stream: true });
  });

  it('parses the body itself when the request handed down is not the parse of that body', async () => {
    const { server, backend } = await start();
    await backend.chat('anthropic', { ...body }, { request: marked() });
    expect(server.requests.at(-1)?.body).toMatchObject({ max_tokens: 64 });
  });

  it('rejects an invalid body of a library caller with INVALID_REQUEST before any request', async () => {
    const { server, backend } = await start();
    await expect(backend.chat('anthropic', { model: 'm', messages: 'nope' })).rejects.toMatchObject(
      { code: 'INVALID_REQUEST', status: 400 },
    );
    expect(server.requests).toHaveLength(0);
  });
});
