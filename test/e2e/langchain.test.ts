import { ChatAnthropic } from '@langchain/anthropic';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { AIMessage, AIMessageChunk, ToolMessage } from '@langchain/core/messages';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import { tool } from '@langchain/core/tools';
import { ChatOpenAI } from '@langchain/openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  PNG_1X1,
  CHAT_UPSTREAMS,
  startE2EGateways,
  upstreamHasImage,
  upstreamSystem,
} from './e2e-support.js';
import type { ChatUpstream, E2EGateways } from './e2e-support.js';

// LangChain's ChatOpenAI (Chat Completions, and the Responses API with useResponsesApi) and
// ChatAnthropic drive a real gateway on 127.0.0.1, each against an OpenAI Chat, an Anthropic and
// an OpenAI Responses mock upstream.

let g: E2EGateways;
beforeAll(async () => {
  g = await startE2EGateways();
});
afterAll(() => g.close());

const CLIENTS: Record<string, (model: ChatUpstream) => BaseChatModel> = {
  // Settings as in the README's "Use it with".
  ChatOpenAI: (model) =>
    new ChatOpenAI({
      model,
      apiKey: 'unused',
      maxRetries: 0,
      configuration: { baseURL: `${g.urlFor(model)}/v1` },
    }),
  'ChatOpenAI useResponsesApi': (model) =>
    new ChatOpenAI({
      model,
      apiKey: 'unused',
      maxRetries: 0,
      useResponsesApi: true,
      configuration: { baseURL: `${g.urlFor(model)}/v1` },
    }),
  ChatAnthropic: (model) =>
    new ChatAnthropic({ model, apiKey: 'unused', maxRetries: 0, anthropicApiUrl: g.urlFor(model) }),
};

const lookup = tool((input: { text: string }) => `found: ${input.text}`, {
  name: 'lookup',
  description: 'Looks a text up',
  // The mock calls every tool with { text, index }.
  schema: z.object({ text: z.string(), index: z.number() }),
});

function textOf(message: AIMessage): string {
  return typeof message.content === 'string' ? message.content : message.text;
}

describe.each(Object.keys(CLIENTS))('LangChain %s', (client) => {
  const modelFor = CLIENTS[client] as (model: ChatUpstream) => BaseChatModel;

  describe.each(CHAT_UPSTREAMS)('routed %s', (upstream) => {
    it('invokes with a system prompt that reaches the upstream', async () => {
      const answer = await modelFor(upstream).invoke([
        new SystemMessage('You are terse.'),
        new HumanMessage('hello gateway'),
      ]);
      expect(textOf(answer)).toBe('echo: hello gateway');
      expect(
        (answer as unknown as { usage_metadata?: { input_tokens: number } }).usage_metadata
          ?.input_tokens,
      ).toBeGreaterThan(0);
      expect(upstreamSystem(g.lastRequest(upstream))).toBe('You are terse.');
    });

    it('streams to a clean end', async () => {
      let text = '';
      for await (const chunk of await modelFor(upstream).stream('one two three four')) {
        text += typeof chunk.content === 'string' ? chunk.content : chunk.text;
      }
      expect(text).toBe('echo: one two three four');
    });

    it('runs a tool round trip: the call, a ToolMessage back, the final answer', async () => {
      const model = modelFor(upstream).bindTools?.([lookup]);
      if (model === undefined) throw new Error('bindTools missing');
      const question = new HumanMessage('call tool lookup please');
      const first = await model.invoke([question]);
      const call = first.tool_calls?.[0];
      expect(call).toMatchObject({
        name: 'lookup',
        args: { text: 'call tool lookup please', index: 0 },
      });
      const result = (await lookup.invoke(call as never)) as ToolMessage;
      const final = await model.invoke([question, first, result]);
      expect(textOf(final)).toBe('echo: found: call tool lookup please');
      expect(final.tool_calls ?? []).toHaveLength(0);
    });

    it('streams a tool call whose chunks add up to the whole call', async () => {
      const model = modelFor(upstream).bindTools?.([lookup]);
      if (model === undefined) throw new Error('bindTools missing');
      let whole: AIMessageChunk | undefined;
      for await (const chunk of await model.stream('call tool lookup streamed')) {
        whole = whole === undefined ? chunk : whole.concat(chunk);
      }
      expect(whole?.tool_calls).toHaveLength(1);
      expect(whole?.tool_calls?.[0]).toMatchObject({
        name: 'lookup',
        args: { text: 'call tool lookup streamed', index: 0 },
      });
    });

    it('sends an image part upstream', async () => {
      const answer = await modelFor(upstream).invoke([
        new HumanMessage({
          content: [
            { type: 'text', text: 'what is in the picture' },
            {
              type: 'image_url',
              image_url: { url: `data:image/png;base64,${PNG_1X1.toString('base64')}` },
            },
          ],
        }),
      ]);
      expect(textOf(answer)).toBe('echo: what is in the picture');
      expect(upstreamHasImage(g.lastRequest(upstream))).toBe(true);
    });
  });
});
