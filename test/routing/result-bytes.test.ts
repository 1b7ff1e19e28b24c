import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { createOpenAIBackend } from '../../src/backends/index.js';
import type { ChatBackend } from '../../src/backends/index.js';
import { BackendRouter } from '../../src/routing/index.js';

// ChatResult.bytes and RoutedResult.bytes (a same-protocol answer's exact JSON) can be read, but a
// library user who logs or serializes a result does not get the body again as a Buffer dump.

const COMPLETION = {
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1,
  model: 'm',
  choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }],
};
const WIRE = Buffer.from(JSON.stringify(COMPLETION));

/** Read, but not enumerable: absent from JSON, inspect, keys and spreads. */
function expectHiddenBytes(result: { bytes?: Buffer }): void {
  expect(result.bytes?.equals(WIRE)).toBe(true);
  expect(Object.keys(result)).not.toContain('bytes');
  expect(JSON.stringify(result)).not.toContain('"Buffer"');
  expect(inspect(result, { depth: 5 })).not.toContain('Buffer');
  expect({ ...result }).not.toHaveProperty('bytes');
}

describe('result bytes are not enumerable', () => {
  let upstream: Server | undefined;
  let backend: ChatBackend | undefined;

  afterEach(async () => {
    await backend?.close();
    await new Promise((resolve) => upstream?.close(resolve));
  });

  async function start(): Promise<ChatBackend> {
    upstream = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(WIRE);
      });
    });
    await new Promise<void>((resolve) => upstream?.listen(0, '127.0.0.1', resolve));
    const { port } = upstream.address() as AddressInfo;
    backend = createOpenAIBackend({
      name: 'up',
      baseUrl: `http://127.0.0.1:${port}/v1`,
      maxRetries: 0,
    });
    return backend;
  }

  const request = { model: 'm', messages: [{ role: 'user', content: 'hi' }] };

  it('on a backend ChatResult', async () => {
    const b = await start();
    expectHiddenBytes(await b.chat('openai', request));
  });

  it('on a router RoutedResult', async () => {
    const b = await start();
    const router = new BackendRouter({
      backends: new Map([['up', b]]),
      routes: [{ match: '*', targets: [{ backend: 'up' }] }],
    });
    const result = await router.chat('openai', request);
    expect(result.backend).toBe('up');
    expectHiddenBytes(result);
  });
});
