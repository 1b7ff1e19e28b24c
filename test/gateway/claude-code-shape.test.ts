import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Anthropic from '@anthropic-ai/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import type { MockUpstreamServer } from '../../src/backends/index.js';
import { startHarness } from './support/gateway-harness.js';
import type { Harness } from './support/gateway-harness.js';

// A request shaped like Claude Code's (see the fixture's description), sent with the official
// Anthropic SDK's beta client, which adds `?beta=true` and the `anthropic-beta` header.
interface ClaudeCodeFixture {
  betas: string[];
  body: Record<string, unknown> & { messages: unknown[]; tools: unknown[] };
}
const fixture = JSON.parse(
  readFileSync(join(import.meta.dirname, '../fixtures/claude-code/agent-turn.json'), 'utf8'),
) as ClaudeCodeFixture;

type Params = Anthropic.Beta.MessageCreateParamsStreaming;

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function lastPost(server: MockUpstreamServer | undefined) {
  const post = server?.requests.filter((r) => r.method === 'POST').at(-1);
  if (post === undefined) throw new Error('the upstream received no request');
  return post;
}

/** Sends the fixture through the gateway; returns the streamed event types and the response. */
async function send(harness: Harness) {
  const { data, response } = await harness.anthropic.beta.messages
    .create({ ...fixture.body, betas: fixture.betas } as unknown as Params, {
      headers: { 'anthropic-version': '2023-06-01' },
    })
    .withResponse();
  const events: Anthropic.Beta.BetaRawMessageStreamEvent[] = [];
  for await (const event of data) events.push(event);
  return { events, response };
}

describe('Claude Code-shaped requests', () => {
  it('pass through to an Anthropic upstream untouched except the model, with the betas', async () => {
    h = await startHarness({
      localProtocol: 'anthropic',
      routes: [{ match: 'claude-*', targets: [{ backend: 'local', model: 'upstream-claude' }] }],
    });
    const { events } = await send(h);
    expect(events.at(-1)?.type).toBe('message_stop');
    const got = lastPost(h.local);
    expect(got.path).toBe('/v1/messages');
    expect(got.body).toStrictEqual({ ...fixture.body, model: 'upstream-claude' });
    expect(got.headers['anthropic-beta']).toBe(fixture.betas.join(','));
    expect(fixture.betas).toHaveLength(8);
    // Claude Code sends anthropic-version: 2023-06-01 (set below); the caller's version is kept.
    expect(got.headers['anthropic-version']).toBe('2023-06-01');
    expect(got.headers['x-api-key']).toBeUndefined();
  });

  it('translate to an OpenAI upstream: system messages in place, every tool, dropped fields noted', async () => {
    h = await startHarness({
      localProtocol: 'openai',
      routes: [{ match: 'claude-*', targets: [{ backend: 'local' }] }],
    });
    const { events, response } = await send(h);
    expect(events.at(-1)?.type).toBe('message_stop');
    // The last user text starts with the mock's tool trigger: a tool call comes back.
    expect(
      events.some((e) => e.type === 'content_block_start' && e.content_block.type === 'tool_use'),
    ).toBe(true);
    expect(response.headers.get('x-llm-failover-notes')).toContain(
      'dropped (no OpenAI equivalent): context_management, output_config, thinking',
    );

    const got = lastPost(h.local);
    const body = got.body as Record<string, unknown> & {
      messages: { role: string; content: unknown; tool_call_id?: string }[];
      tools: { type: string; function: { name: string } }[];
    };
    expect(got.path).toBe('/v1/chat/completions');
    expect(got.headers['anthropic-beta']).toBeUndefined();
    expect(body.messages.map((m) => m.role)).toEqual([
      'system',
      'user',
      'assistant',
      'tool',
      'system',
      'assistant',
      'user',
    ]);
    expect(body.messages[0]?.content).toEqual([
      { type: 'text', text: 'You are a coding agent run from a terminal.' },
      {
        type: 'text',
        text: 'Answer briefly. Use the tools to read and change files.\n\nWorking directory: /tmp/project',
      },
    ]);
    expect(body.messages[3]).toMatchObject({ role: 'tool', tool_call_id: 'toolu_01A' });
    expect(body.messages[4]).toEqual({
      role: 'system',
      content: 'The user switched the permission mode to acceptEdits.',
    });
    expect(body.tools).toHaveLength(fixture.body.tools.length);
    expect(body.tools.every((t) => t.type === 'function')).toBe(true);
    expect(body.tool_choice).toBe('auto');
    expect(body.user).toBe((fixture.body.metadata as { user_id: string }).user_id);
    expect(body.max_tokens).toBe(32000);
    expect(body.stream_options).toEqual({ include_usage: true });
    for (const field of ['thinking', 'context_management', 'output_config', 'system', 'metadata']) {
      expect(body).not.toHaveProperty(field);
    }
  });
});
