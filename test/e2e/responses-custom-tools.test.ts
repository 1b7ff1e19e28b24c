import type { ResponseInputItem } from 'openai/resources/responses/responses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../gateway/support/gateway-harness.js';
import { UPSTREAMS, lastChatRequest, startE2EHarness } from './e2e-support.js';

// Codex's apply_patch is a custom (freeform) tool: through the gateway to a Chat Completions or
// Messages mock, the openai SDK gets a custom_tool_call back and can send the call and its output
// in the next turn (a 400 before). The mock calls every tool with `{"text", "index"}`, not
// `{"input"}`, so the call's input is its arguments as written.

let h: Harness;
beforeAll(async () => {
  h = await startE2EHarness();
});
afterAll(() => h.close());

const applyPatch = {
  type: 'custom' as const,
  name: 'apply_patch',
  description: 'Edit files with a patch.',
  format: { type: 'grammar' as const, syntax: 'lark' as const, definition: 'start: /.+/' },
};

describe.each(UPSTREAMS)('a custom tool round trip with the openai SDK, routed %s', (model) => {
  it('answers a custom_tool_call, then takes it and its output back (200)', async () => {
    const first = await h.openai.responses.create({
      model,
      tools: [applyPatch],
      input: 'call tool please',
      store: false,
    });
    const call = first.output.find((item) => item.type === 'custom_tool_call');
    expect(call).toMatchObject({
      type: 'custom_tool_call',
      name: 'apply_patch',
      status: 'completed',
    });
    expect(call?.id).toMatch(/^ctc_/);
    const input = call?.type === 'custom_tool_call' ? call.input : '';
    expect(JSON.parse(input)).toEqual({ text: 'call tool please', index: 0 });
    const callId = call?.type === 'custom_tool_call' ? call.call_id : '';

    const tomorrow = { type: 'an_item_of_tomorrow', id: 'x_1' } as unknown as ResponseInputItem;
    const { data: second, response } = await h.openai.responses
      .create({
        model,
        tools: [applyPatch],
        store: false,
        input: [
          { role: 'user', content: 'call tool please' },
          ...(first.output as ResponseInputItem[]),
          { type: 'custom_tool_call_output', call_id: callId, output: 'Done!' },
          tomorrow,
        ],
      })
      .withResponse();
    expect(response.status).toBe(200);
    expect(second.output_text).toBe('echo: Done!');
    expect(response.headers.get('x-llm-failover-notes')).toContain(
      `input.${first.output.length + 2} dropped: a "an_item_of_tomorrow" item has no chat equivalent`,
    );
    if (model === 'to-openai') {
      // The chat upstream saw a function of one string input and the call replayed as its call.
      const body = lastChatRequest(h, model)?.body as {
        tools: { function: { name: string; parameters: unknown } }[];
        messages: { role: string; tool_calls?: { id: string; function: unknown }[] }[];
      };
      expect(body.tools[0]?.function).toMatchObject({
        name: 'apply_patch',
        parameters: { type: 'object', required: ['input'] },
      });
      const assistant = body.messages.find((m) => m.role === 'assistant');
      expect(assistant?.tool_calls?.[0]).toMatchObject({
        id: callId,
        function: { name: 'apply_patch', arguments: JSON.stringify({ input }) },
      });
    }
  });

  it('streams the custom_tool_call to the SDK accumulator', async () => {
    const stream = h.openai.responses.stream({
      model,
      tools: [applyPatch],
      input: 'call tool streamed',
    });
    let deltas = '';
    for await (const event of stream) {
      if (event.type === 'response.custom_tool_call_input.delta') deltas += event.delta;
    }
    const final = await stream.finalResponse();
    const call = final.output.find((item) => item.type === 'custom_tool_call');
    expect(call?.type === 'custom_tool_call' ? call.input : undefined).toBe(deltas);
    expect(JSON.parse(deltas)).toEqual({ text: 'call tool streamed', index: 0 });
  });
});
