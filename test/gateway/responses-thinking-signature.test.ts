import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { createAnthropicBackend } from '../../src/backends/index.js';
import { createGateway } from '../../src/gateway/index.js';
import type { Gateway } from '../../src/gateway/index.js';
import { BackendRouter } from '../../src/routing/index.js';
import type { SseEvent } from '../../src/sse/sse-event.js';
import { ScriptedServer } from '../support/scripted-server.js';
import type { RecordedRequest, ScriptedResponse } from '../support/scripted-server.js';

/*
 * Codex (PROTOCOLS.md) against an Anthropic upstream through the gateway, streamed both turns:
 * the thinking signature Anthropic streams (signature_delta) reaches Codex as the reasoning item's
 * encrypted_content, and Codex's next turn, handing that item back, reaches Anthropic as the
 * thinking block with the same signature (Anthropic refuses a thinking block it did not sign).
 */

const SIGNATURE = 'EuYBCkQIBxgCIkD9-opaque-signature+/==';

let closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.reverse()) await close();
  closers = [];
});

const event = (data: Record<string, unknown>): SseEvent => ({
  event: String(data.type),
  data: JSON.stringify(data),
});

/** Turn 1: signed thinking, then a shell call. Turn 2: a text answer. */
function anthropicTurn(turn: number): SseEvent[] {
  const message = {
    id: `msg_turn${turn}`,
    type: 'message',
    role: 'assistant',
    model: 'claude-up',
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: { input_tokens: 30, output_tokens: 1, cache_creation_input_tokens: 1200 },
  };
  const blocks =
    turn === 1
      ? [
          {
            type: 'content_block_start',
            index: 0,
            content_block: { type: 'thinking', thinking: '', signature: '' },
          },
          {
            type: 'content_block_delta',
            index: 0,
            delta: { type: 'thinking_delta', thinking: 'I should list ' },
          },
          {
            type: 'content_block_delta',
            index: 0,
            delta: { type: 'thinking_delta', thinking: 'the files.' },
          },
          {
            type: 'content_block_delta',
            index: 0,
            delta: { type: 'signature_delta', signature: SIGNATURE },
          },
          { type: 'content_block_stop', index: 0 },
          {
            type: 'content_block_start',
            index: 1,
            content_block: { type: 'tool_use', id: 'toolu_ls', name: 'shell', input: {} },
          },
          {
            type: 'content_block_delta',
            index: 1,
            delta: { type: 'input_json_delta', partial_json: '{"command":["ls"]}' },
          },
          { type: 'content_block_stop', index: 1 },
        ]
      : [
          { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
          {
            type: 'content_block_delta',
            index: 0,
            delta: { type: 'text_delta', text: 'Two files.' },
          },
          { type: 'content_block_stop', index: 0 },
        ];
  return [
    { type: 'message_start', message },
    ...blocks,
    {
      type: 'message_delta',
      delta: { stop_reason: turn === 1 ? 'tool_use' : 'end_turn', stop_sequence: null },
      usage: { output_tokens: 20 },
    },
    { type: 'message_stop' },
  ].map(event);
}

async function start(): Promise<{
  upstream: ScriptedServer;
  client: OpenAI;
  messages: () => RecordedRequest[];
}> {
  const messages = (): RecordedRequest[] =>
    upstream.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/messages'));
  // Answered by path (a health probe must not take a turn's transcript).
  const upstream = await ScriptedServer.start({
    fallback: (request): ScriptedResponse =>
      request.path.endsWith('/messages')
        ? { type: 'sse', events: anthropicTurn(messages().length) }
        : { type: 'json', body: { data: [] } },
  });
  closers.push(() => upstream.close());
  const backend = createAnthropicBackend({
    name: 'claude',
    baseUrl: upstream.url,
    apiKey: 'k',
    maxRetries: 0,
  });
  const router = new BackendRouter({
    backends: new Map([['claude', backend]]),
    routes: [{ match: '*', targets: [{ backend: 'claude', model: 'claude-up' }] }],
  });
  const gateway: Gateway = createGateway({ router });
  const { url } = await gateway.listen(0);
  closers.push(async () => {
    await gateway.close(0);
    await router.close();
    await backend.close();
  });
  return {
    upstream,
    client: new OpenAI({ baseURL: `${url}/v1`, apiKey: 'caller', maxRetries: 0 }),
    messages,
  };
}

describe('Codex two turns through the gateway to an Anthropic upstream (streamed)', () => {
  it('the streamed thinking signature comes back to Anthropic unchanged on the next turn', async () => {
    const { client, messages } = await start();
    const tools = [
      {
        type: 'function' as const,
        name: 'shell',
        parameters: { type: 'object', properties: { command: { type: 'array' } } },
        strict: false,
      },
    ];
    const user = {
      type: 'message' as const,
      role: 'user' as const,
      content: [{ type: 'input_text' as const, text: 'what is here?' }],
    };
    const common = {
      model: 'gpt-5-codex',
      tools,
      store: false,
      reasoning: { summary: 'auto' as const },
      include: ['reasoning.encrypted_content' as const],
    };

    const first = client.responses.stream({ ...common, input: [user] });
    const itemsDone: Record<string, unknown>[] = [];
    first.on('response.output_item.done', (e) => itemsDone.push(e.item as never));
    const turn1 = await first.finalResponse();
    const reasoning = {
      type: 'reasoning',
      summary: [{ type: 'summary_text', text: 'I should list the files.' }],
      encrypted_content: SIGNATURE,
    };
    expect(itemsDone[0]).toMatchObject(reasoning);
    expect(turn1.output[0]).toMatchObject(reasoning);
    const call = turn1.output[1];
    expect(call).toMatchObject({ type: 'function_call', call_id: 'toolu_ls', name: 'shell' });
    // Anthropic's cache writes, named as the openai SDK names them (counted in input_tokens).
    expect(turn1.usage).toMatchObject({
      input_tokens: 1230,
      input_tokens_details: { cached_tokens: 0, cache_write_tokens: 1200 },
    });

    // Codex hands back every output item, then the call's output.
    const turn2 = await client.responses
      .stream({
        ...common,
        input: [
          user,
          ...(turn1.output as never[]),
          { type: 'function_call_output', call_id: 'toolu_ls', output: 'a.txt\nb.txt' },
        ],
      })
      .finalResponse();
    expect(turn2.output_text).toBe('Two files.');

    expect(messages()).toHaveLength(2);
    const sent = JSON.parse(messages()[1]!.body) as {
      messages: { role: string; content: unknown }[];
    };
    expect(sent.messages[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: 'I should list the files.', signature: SIGNATURE },
        { type: 'tool_use', id: 'toolu_ls', name: 'shell', input: { command: ['ls'] } },
      ],
    });
    expect(sent.messages[2]).toMatchObject({
      role: 'user',
      content: [{ type: 'tool_result', tool_use_id: 'toolu_ls' }],
    });
  });
});
