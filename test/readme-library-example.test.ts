import { afterEach, describe, expect, it } from 'vitest';
import { BackendRouter, createAnthropicBackend, createOpenAIBackend } from '../src/index.js';
import type { ChatBackend } from '../src/index.js';
import { MockUpstreamServer } from '../src/testing/index.js';

// The README's "Library" example, line for line, with the two base URLs pointed at loopback mock
// upstreams (an OpenAI-protocol "local" and an Anthropic "cloud"), so the README cannot drift
// from the real API: it must type-check and behave as its comments say.
const servers: MockUpstreamServer[] = [];
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('the README library example', () => {
  it('answers an Anthropic request from an OpenAI backend, and routes local first', async () => {
    const [localServer, cloudServer] = await Promise.all([
      MockUpstreamServer.start(),
      MockUpstreamServer.start(),
    ]);
    servers.push(localServer, cloudServer);
    // prettier-ignore
    const local = createOpenAIBackend({ name: 'local', baseUrl: localServer.openaiBaseUrl, maxRetries: 0 });
    // prettier-ignore
    const cloud = createAnthropicBackend({ name: 'anthropic', baseUrl: cloudServer.anthropicBaseUrl, apiKey: 'sk-ant-test-key' });
    closers.push(
      () => local.close(),
      () => cloud.close(),
    );

    const answer = await local.chat('anthropic', {
      model: 'qwen2.5-7b',
      max_tokens: 256,
      messages: [{ role: 'user', content: 'Hello' }],
    });
    expect(answer.body).toMatchObject({
      type: 'message',
      content: [{ type: 'text', text: 'echo: Hello' }],
    });

    // prettier-ignore
    const router = new BackendRouter({
      backends: new Map<string, ChatBackend>([['local', local], ['anthropic', cloud]]),
      routes: [{ match: '*', targets: [{ backend: 'local' }, { backend: 'anthropic', model: 'claude-haiku-4-5' }] }],
    });
    closers.push(() => router.close());
    const routed = await router.chat('openai', {
      model: 'any',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect([routed.backend, routed.attempts]).toEqual(['local', 1]);
    expect(routed.body).toMatchObject({
      object: 'chat.completion',
      choices: [{ message: { content: 'echo: Hi' } }],
    });

    // "cloud when local fails before the first byte": local answers 503 once.
    localServer.script({ status: 503 });
    const failedOver = await router.chat('openai', {
      model: 'any',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(failedOver.backend).toBe('anthropic');
    expect(cloudServer.requests.at(-1)?.body).toMatchObject({ model: 'claude-haiku-4-5' });
  });
});
