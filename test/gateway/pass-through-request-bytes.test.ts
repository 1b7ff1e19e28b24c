import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createAnthropicBackend, createOpenAIBackend } from '../../src/backends/index.js';
import type { ChatBackend } from '../../src/backends/index.js';
import { createGateway } from '../../src/gateway/index.js';
import type { Gateway } from '../../src/gateway/index.js';
import { BackendRouter } from '../../src/routing/index.js';

// A same-protocol route that changes nothing sends the caller's request bytes as they came (no
// re-serialization: the caller's exact JSON, a big integer's digits included); a route that
// renames the model, or a body whose bytes are not valid UTF-8, is serialized from the parse.

/** Not what JSON.stringify writes: spaces, a newline, an escaped letter, 1.50, a 20-digit seed. */
function spaced(stream: boolean): Buffer {
  return Buffer.from(
    `{ "model": "m", "stream": ${stream},\n "messages": [ { "role": "user", "content": "Hi \\u0041" } ],` +
      ' "temperature": 1.50, "seed": 12345678901234567890 }',
  );
}

const COMPLETION = {
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1,
  model: 'm',
  choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
};
const CHUNKS = [
  {
    id: 'c',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'm',
    choices: [{ index: 0, delta: { content: 'ok' }, finish_reason: null }],
  },
  {
    id: 'c',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'm',
    choices: [{ index: 0, delta: {}, finish_reason: 'stop' }],
  },
];
const MESSAGE_EVENTS = [
  [
    'message_start',
    {
      type: 'message_start',
      message: {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        model: 'm',
        content: [],
        stop_reason: null,
        usage: { input_tokens: 1, output_tokens: 0 },
      },
    },
  ],
  [
    'content_block_start',
    { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
  ],
  [
    'content_block_delta',
    { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'ok' } },
  ],
  ['content_block_stop', { type: 'content_block_stop', index: 0 }],
  [
    'message_delta',
    { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 1 } },
  ],
  ['message_stop', { type: 'message_stop' }],
] as const;

describe('same-protocol requests go upstream as the caller sent them', () => {
  let upstream: Server | undefined;
  let backend: ChatBackend | undefined;
  let gateway: Gateway | undefined;
  /** The request bodies the upstream received, as bytes. */
  let received: Buffer[] = [];

  afterEach(async () => {
    await gateway?.close(0);
    await backend?.close();
    await new Promise((resolve) => upstream?.close(resolve));
    received = [];
  });

  /** A gateway whose `*` route goes to the upstream as is and `renamed` to its model `other`. */
  async function start(kind: 'openai' | 'anthropic'): Promise<string> {
    upstream = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        received.push(body);
        const stream = (JSON.parse(body.toString('utf8')) as { stream?: boolean }).stream === true;
        if (!stream) {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(COMPLETION));
          return;
        }
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        if (kind === 'openai') {
          for (const chunk of CHUNKS) res.write(`data: ${JSON.stringify(chunk)}\n\n`);
          res.end('data: [DONE]\n\n');
        } else {
          for (const [name, data] of MESSAGE_EVENTS)
            res.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
          res.end();
        }
      });
    });
    await new Promise<void>((resolve) => upstream?.listen(0, '127.0.0.1', resolve));
    const { port } = upstream.address() as AddressInfo;
    backend =
      kind === 'openai'
        ? createOpenAIBackend({ name: 'up', baseUrl: `http://127.0.0.1:${port}/v1`, maxRetries: 0 })
        : createAnthropicBackend({
            name: 'up',
            baseUrl: `http://127.0.0.1:${port}`,
            apiKey: 'k',
            maxRetries: 0,
          });
    const router = new BackendRouter({
      backends: new Map([['up', backend]]),
      routes: [
        { match: 'renamed', targets: [{ backend: 'up', model: 'other' }] },
        { match: '*', targets: [{ backend: 'up' }] },
      ],
    });
    gateway = createGateway({ router });
    return (await gateway.listen(0)).url;
  }

  async function send(url: string, path: string, body: Buffer): Promise<string> {
    const res = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body,
    });
    const text = await res.text();
    expect(res.status, text).toBe(200);
    return text;
  }

  it('OpenAI, answer and stream: the upstream receives the very bytes', async () => {
    const url = await start('openai');
    await send(url, '/v1/chat/completions', spaced(false));
    const streamed = await send(url, '/v1/chat/completions', spaced(true));
    expect(streamed).toContain('data: [DONE]');
    expect(received).toEqual([spaced(false), spaced(true)]);
    // What re-serializing would have lost: the seed's digits and the decimal's spelling.
    expect(received[0]?.toString('utf8')).toContain('"seed": 12345678901234567890');
  });

  it('Anthropic stream: the upstream receives the very bytes', async () => {
    const url = await start('anthropic');
    const streamed = await send(url, '/v1/messages', spaced(true));
    expect(streamed).toContain('event: message_stop');
    expect(received).toEqual([spaced(true)]);
  });

  it('a route that renames the model sends the parse, re-serialized, with the new model', async () => {
    const url = await start('openai');
    const body = Buffer.from(
      spaced(false).toString('utf8').replace('"model": "m"', '"model": "renamed"'),
    );
    await send(url, '/v1/chat/completions', body);
    const sent = received[0]?.toString('utf8') ?? '';
    expect(sent).not.toBe(body.toString('utf8'));
    expect(JSON.parse(sent)).toEqual({
      ...(JSON.parse(body.toString('utf8')) as object),
      model: 'other',
    });
  });

  it('bytes that are not valid UTF-8 are not sent on: the parse is, serialized', async () => {
    const url = await start('openai');
    const body = Buffer.concat([
      Buffer.from('{"model":"m","messages":[{"role":"user","content":"bad '),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"}]}'),
    ]);
    await send(url, '/v1/chat/completions', body);
    expect(received[0]?.equals(body)).toBe(false);
    const sent = JSON.parse(received[0]?.toString('utf8') ?? '') as {
      messages: { content: string }[];
    };
    expect(sent.messages[0]?.content).toBe('bad \ufffd\ufffd');
  });
});
