import { afterEach, describe, expect, it } from 'vitest';
import { isLlmFailoverError } from '../../src/errors/index.js';
import { assertNestingDepth } from '../../src/gateway/nesting-depth.js';
import { chatRequests, startHarness } from '../gateway/support/gateway-harness.js';
import type { Harness } from '../gateway/support/gateway-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** `levels` nested arrays around a 0: ~2 bytes a level, so 8,000 levels are a 16 KB body. */
const deep = (levels: number): string => `${'['.repeat(levels)}0${']'.repeat(levels)}`;

function depthError(text: string, limit: number): unknown {
  try {
    assertNestingDepth(Buffer.from(text), limit);
  } catch (err) {
    return err;
  }
  return undefined;
}

describe('assertNestingDepth', () => {
  it('accepts nesting up to the limit and refuses one level more, naming the limit', () => {
    expect(depthError(deep(3), 3)).toBeUndefined();
    const err = depthError(`{"a":${deep(3)}}`, 3);
    expect(isLlmFailoverError(err) && err.code).toBe('INVALID_REQUEST');
    expect(isLlmFailoverError(err) && err.status).toBe(400);
    expect((err as Error).message).toContain('limit of 3 levels');
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    expect(depthError(JSON.stringify({ a: '[[[[{{{{', b: 'say \\"[[[[\\" ok [[[[' }), 2)).toBe(
      undefined,
    );
    expect(depthError(JSON.stringify([['\\', [[0]]]]), 3)).toBeDefined();
  });

  it('scans 8,000 levels without recursion', () => {
    expect(depthError(deep(8_000), 128)).toBeDefined();
  });
});

const openaiBody = (extra: Record<string, unknown>): string =>
  JSON.stringify({ model: 'llama-3', messages: [{ role: 'user', content: 'hi' }], ...extra });

function withDeep(body: string, marker: string, levels: number): string {
  return body.replace(`"${marker}"`, deep(levels));
}

describe('gateway: deeply nested request bodies', () => {
  it.each([
    ['openai', '/v1/chat/completions', openaiBody({ passthrough: 'DEEP' })],
    [
      'openai',
      '/v1/chat/completions',
      openaiBody({
        tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'DEEP' } } }],
      }),
    ],
    [
      'anthropic',
      '/v1/messages',
      JSON.stringify({
        model: 'llama-3',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'hi' }],
        tools: [{ name: 'f', input_schema: { type: 'object', properties: 'DEEP' } }],
        stream: true,
      }),
    ],
    // The JSON endpoints read their bodies the same way (readJsonObject).
    ['openai', '/v1/embeddings', JSON.stringify({ model: 'llama-3', input: 'DEEP' })],
    [
      'anthropic',
      '/v1/messages/count_tokens',
      JSON.stringify({ model: 'llama-3', messages: [{ role: 'user', content: 'DEEP' }] }),
    ],
  ])(
    'answers an 8,000-level %s body (%s) with 400 naming the limit, not 500',
    async (protocol, path, template) => {
      h = await startHarness();
      const body = withDeep(template, 'DEEP', 8_000);
      expect(body.length).toBeLessThan(17_000);
      const res = await fetch(`${h.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(res.status).toBe(400);
      const json = (await res.json()) as { error: { message: string; type: string } };
      expect(json.error.message).toContain('limit of 128 levels');
      if (protocol === 'anthropic') expect(json).toMatchObject({ type: 'error' });
      expect(chatRequests(h.local)).toBe(0);
    },
  );

  it('takes the limit from the gateway options', async () => {
    h = await startHarness({ gateway: { maxNestingDepth: 8 } });
    const res = await fetch(`${h.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: withDeep(openaiBody({ x: 'DEEP' }), 'DEEP', 8),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain(
      'limit of 8 levels',
    );
  });

  it('still serves an ordinary request with a nested tool schema', async () => {
    h = await startHarness();
    const res = await h.openai.chat.completions.create({
      model: 'llama-3',
      messages: [{ role: 'user', content: 'hi' }],
      tools: [
        {
          type: 'function',
          function: {
            name: 'f',
            parameters: {
              type: 'object',
              properties: { a: { type: 'array', items: { type: 'object' } } },
            },
          },
        },
      ],
    });
    expect(res.choices[0]?.message.content).toContain('hi');
  });
});
