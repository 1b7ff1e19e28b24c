import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type * as Protocols from '../../src/protocols/index.js';
import { startHarness } from './support/gateway-harness.js';
import type { Harness } from './support/gateway-harness.js';

// Every parse of a chat request goes through these two exported functions: wrap them to count.
// The gateway's own check reads only the routing fields (parseRoutingFields), counted apart.
const parses = vi.hoisted(() => ({ openai: 0, anthropic: 0 }));
const routingChecks = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../src/protocols/index.js', async (importOriginal) => {
  const original = await importOriginal<typeof Protocols>();
  return {
    ...original,
    parseOpenAIChatRequest: (body: unknown) => {
      parses.openai++;
      return original.parseOpenAIChatRequest(body);
    },
    parseAnthropicMessagesRequest: (body: unknown) => {
      parses.anthropic++;
      return original.parseAnthropicMessagesRequest(body);
    },
    parseRoutingFields: (...args: Parameters<typeof original.parseRoutingFields>) => {
      routingChecks.count++;
      return original.parseRoutingFields(...args);
    },
  };
});

const total = (): number => parses.openai + parses.anthropic;

describe('the gateway parses a chat request once', () => {
  let h: Harness | undefined;

  beforeEach(() => {
    parses.openai = 0;
    parses.anthropic = 0;
    routingChecks.count = 0;
  });
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('an Anthropic caller translated to an OpenAI upstream: one parse, answer or stream', async () => {
    h = await startHarness();
    const message = await h.anthropic.messages.create({
      model: 'm',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'Hello' }],
    });
    expect(message.content[0]).toMatchObject({ type: 'text' });
    expect(h.local?.requests).toHaveLength(1);
    expect(parses).toEqual({ openai: 0, anthropic: 1 });

    const stream = await h.anthropic.messages.create({
      model: 'm',
      max_tokens: 64,
      stream: true,
      messages: [{ role: 'user', content: 'Hello' }],
    });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types.at(-1)).toBe('message_stop');
    expect(parses).toEqual({ openai: 0, anthropic: 2 });
  });

  it('an OpenAI caller failing over from a dead local to an Anthropic cloud: still one parse', async () => {
    h = await startHarness({ localDown: true });
    const completion = await h.openai.chat.completions.create({
      model: 'm',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(completion.object).toBe('chat.completion');
    expect(h.cloud.requests).toHaveLength(1);
    expect(total()).toBe(1);
  });

  it('a library caller without a parsed request: the backend parses lazily, once', async () => {
    h = await startHarness();
    const answer = await h.backends.local.chat('anthropic', {
      model: 'm',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'Hello' }],
    });
    expect(answer.body).toMatchObject({ type: 'message' });
    expect(parses).toEqual({ openai: 0, anthropic: 1 });
  });

  it('a same-protocol pass-through checks the routing fields once, in the gateway, and parses nothing else', async () => {
    h = await startHarness();
    await h.openai.chat.completions.create({
      model: 'm',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    // Tolerant pass-through: the upstream judges the rest of the body (issue 8).
    expect(routingChecks.count).toBe(1);
    expect(parses).toEqual({ openai: 0, anthropic: 0 });
  });
});
