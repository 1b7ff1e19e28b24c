import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { chatRequests, startHarness } from './support/gateway-harness.js';
import type { Harness } from './support/gateway-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const ask = { model: 'llama-3', messages: [{ role: 'user' as const, content: 'hi' }] };

describe('gateway body limit', () => {
  it('refuses a body over the limit with 413 whether or not its length was declared', async () => {
    h = await startHarness({ gateway: { bodyLimitBytes: 1000 } });
    const big = JSON.stringify({ ...ask, messages: [{ role: 'user', content: 'x'.repeat(5000) }] });
    const declared = await fetch(`${h.url}/v1/messages`, {
      method: 'POST',
      body: big,
      headers: { 'content-type': 'application/json' },
    });
    expect(declared.status).toBe(413);
    expect(await declared.json()).toMatchObject({
      type: 'error',
      error: { type: 'request_too_large' },
    });
    const chunked = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        `${h!.url}/v1/chat/completions`,
        { method: 'POST', headers: { 'content-type': 'application/json' } },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      for (let i = 0; i < 5; i++) req.write(big.slice(i * 1000, (i + 1) * 1000));
      req.end(big.slice(5000));
    });
    expect(chunked.status).toBe(413);
    expect(JSON.parse(chunked.body).error).toMatchObject({
      type: 'invalid_request_error',
      code: 'payload_too_large',
    });
    expect(chatRequests(h.local)).toBe(0);
  });

  it('refuses a declared length over the limit before a body byte is sent, and closes the connection', async () => {
    h = await startHarness({ gateway: { bodyLimitBytes: 1000 } });
    const answer = await new Promise<{ status: number; connection: string | undefined }>(
      (resolve, reject) => {
        const req = request(`${h!.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': '100000000' },
        });
        req.on('response', (res) => {
          resolve({ status: res.statusCode ?? 0, connection: res.headers.connection });
          res.resume();
          req.destroy();
        });
        req.on('error', reject);
        // Headers only: a gateway that waited for the body would never answer.
        req.flushHeaders();
      },
    );
    expect(answer.status).toBe(413);
    // Otherwise node:http would keep reading (and discarding) the 100 MB the client announced.
    expect(answer.connection).toBe('close');
  });

  it('answers Expect: 100-continue with 413 and no 100 when the declared body is over the limit', async () => {
    h = await startHarness({ gateway: { bodyLimitBytes: 1000 } });
    const expectContinue = (length: number) =>
      new Promise<{ status: number; continued: boolean }>((resolve, reject) => {
        let continued = false;
        const body = JSON.stringify({ ...ask, pad: 'x'.repeat(Math.max(0, length - 80)) });
        const req = request(`${h!.url}/v1/chat/completions`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': String(Buffer.byteLength(body)),
            expect: '100-continue',
          },
        });
        req.on('continue', () => {
          continued = true;
          req.end(body);
        });
        req.on('response', (res) => {
          resolve({ status: res.statusCode ?? 0, continued });
          res.resume();
          if (!continued) req.destroy();
        });
        req.on('error', reject);
        req.flushHeaders();
      });
    expect(await expectContinue(5000)).toEqual({ status: 413, continued: false });
    expect(await expectContinue(200)).toEqual({ status: 200, continued: true });
  });
});
