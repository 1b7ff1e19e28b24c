import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../gateway/support/gateway-harness.js';
import { UPSTREAMS, startE2EHarness } from './e2e-support.js';

// The mock's `call tool` trigger as a coding agent's request carries it: Claude Code sends the
// user's words as one text part after `<system-reminder>` parts. Tested text: a reminder part
// `<system-reminder>...</system-reminder>` then `call tool lookup` (and the other order), through
// the official Anthropic SDK, to both mock protocols.

let h: Harness;
beforeAll(async () => {
  h = await startE2EHarness();
});
afterAll(() => h.close());

const lookup = {
  name: 'lookup',
  description: 'Looks a text up',
  input_schema: { type: 'object' as const, properties: { text: { type: 'string' } } },
};
const REMINDER = {
  type: 'text' as const,
  text: '<system-reminder>\nYou can call tools when useful.\n</system-reminder>',
};

describe.each(UPSTREAMS)('mock tool trigger, routed %s', (model) => {
  it('fires when reminder text parts come before the user text', async () => {
    const answer = await h.anthropic.messages.create({
      model,
      max_tokens: 100,
      tools: [lookup],
      messages: [{ role: 'user', content: [REMINDER, { type: 'text', text: 'call tool lookup' }] }],
    });
    expect(answer.stop_reason).toBe('tool_use');
    expect(answer.content.find((b) => b.type === 'tool_use')).toMatchObject({
      name: 'lookup',
      input: { text: 'call tool lookup', index: 0 },
    });
  });

  it('fires when the user text comes first, and ignores "call tools" inside a reminder', async () => {
    const first = await h.anthropic.messages.create({
      model,
      max_tokens: 100,
      tools: [lookup],
      messages: [{ role: 'user', content: [{ type: 'text', text: ' call tool x' }, REMINDER] }],
    });
    expect(first.stop_reason).toBe('tool_use');
    const reminderOnly = await h.anthropic.messages.create({
      model,
      max_tokens: 100,
      tools: [lookup],
      messages: [{ role: 'user', content: [REMINDER, { type: 'text', text: 'hello' }] }],
    });
    expect(reminderOnly.stop_reason).toBe('end_turn');
  });

  it('answers with text, not another call, once the tool result comes back', async () => {
    const answer = await h.anthropic.messages.create({
      model,
      max_tokens: 100,
      tools: [lookup],
      messages: [
        { role: 'user', content: 'call tool lookup' },
        {
          role: 'assistant',
          content: [{ type: 'tool_use', id: 'toolu_1', name: 'lookup', input: { text: 'a' } }],
        },
        {
          role: 'user',
          content: [
            REMINDER,
            { type: 'tool_result', tool_use_id: 'toolu_1', content: 'call tool result text' },
          ],
        },
      ],
    });
    expect(answer.stop_reason).toBe('end_turn');
    expect(answer.content[0]).toMatchObject({ type: 'text' });
  });
});
