import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createOpenAIBackend } from '../../src/backends/index.js';
import type { ChatBackend } from '../../src/backends/index.js';
import { createGateway } from '../../src/gateway/index.js';
import type { Gateway } from '../../src/gateway/index.js';
import { BackendRouter } from '../../src/routing/index.js';

// A same-protocol JSON answer is written as the upstream's own bytes (no second stringify) when
// they are exactly the JSON that was parsed; otherwise (a BOM, invalid UTF-8) it is re-stringified
// as before.

const COMPLETION = {
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1,
  model: 'm',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hi A' }, finish_reason: 'stop' }],
};

/** Not what JSON.stringify writes: spaces, a newline, an escaped letter, a 1.50. */
const SPACED = Buffer.from(
  '{ "id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "m",\n' +
    ' "choices": [ { "index": 0, "message": { "role": "assistant", "content": "Hi \\u0041" },' +
    ' "finish_reason": "stop" } ], "extra": 1.50 }',
);

describe('same-protocol JSON answers pass through as bytes', () => {
  let upstream: Server | undefined;
  let backend: ChatBackend | undefined;
  let gateway: Gateway | undefined;

  afterEach(async () => {
    await gateway?.close(0);
    await backend?.close();
    await new Promise((resolve) => upstream?.close(resolve));
  });

  /** A gateway in front of an OpenAI upstream that answers every request with `answer`. */
  async function start(answer: Buffer): Promise<string> {
    upstream = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(answer);
      });
    });
    await new Promise<void>((resolve) => upstream?.listen(0, '127.0.0.1', resolve));
    const { port } = upstream.address() as AddressInfo;
    backend = createOpenAIBackend({
      name: 'up',
      baseUrl: `http://127.0.0.1:${port}/v1`,
      maxRetries: 0,
    });
    const router = new BackendRouter({
      backends: new Map([['up', backend]]),
      routes: [{ match: '*', targets: [{ backend: 'up' }] }],
    });
    gateway = createGateway({ router });
    return (await gateway.listen(0)).url;
  }

  async function ask(url: string): Promise<{ bytes: Buffer; length: string | null }> {
    const res = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(200);
    return {
      bytes: Buffer.from(await res.arrayBuffer()),
      length: res.headers.get('content-length'),
    };
  }

  it('writes the upstream bytes as they came, with their length', async () => {
    const url = await start(SPACED);
    const { bytes, length } = await ask(url);
    expect(bytes.equals(SPACED)).toBe(true);
    expect(length).toBe(String(SPACED.length));
    expect(JSON.parse(bytes.toString('utf8'))).toMatchObject(COMPLETION);
  });

  it('re-stringifies an answer that starts with a byte-order mark', async () => {
    const url = await start(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), SPACED]));
    const { bytes } = await ask(url);
    expect(bytes.toString('utf8')).toBe(JSON.stringify(JSON.parse(SPACED.toString('utf8'))));
  });

  it('re-stringifies an answer that is not valid UTF-8 (decoded with U+FFFD, as before)', async () => {
    const broken = Buffer.from(JSON.stringify(COMPLETION).replace('Hi A', 'Hi #'));
    broken[broken.indexOf('#')] = 0xff;
    const url = await start(broken);
    const { bytes } = await ask(url);
    const expected = JSON.stringify({
      ...COMPLETION,
      choices: [{ ...COMPLETION.choices[0], message: { role: 'assistant', content: 'Hi \ufffd' } }],
    });
    expect(bytes.toString('utf8')).toBe(expected);
  });
});
