import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { LanguageModel } from 'ai';
import { generateText, stepCountIs, streamText, tool } from 'ai';
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

// The Vercel AI SDK (ai 6) drives a real gateway on 127.0.0.1 through four providers (OpenAI
// Chat Completions twice, OpenAI Responses, Anthropic Messages), each against an OpenAI Chat,
// an Anthropic and an OpenAI Responses mock upstream.

// Model names are routes here, unknown to the SDK: its max-tokens warning would only be noise.
(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;

let g: E2EGateways;
beforeAll(async () => {
  g = await startE2EGateways();
});
afterAll(() => g.close());

const CLIENTS: Record<string, (model: ChatUpstream) => LanguageModel> = {
  // Settings as in the README's "Use it with": baseURL ends in /v1 for all three.
  'openai-compatible': (model) =>
    createOpenAICompatible({ name: 'gateway', baseURL: `${g.urlFor(model)}/v1`, apiKey: 'unused' })(
      model,
    ),
  'openai .chat()': (model) =>
    createOpenAI({ baseURL: `${g.urlFor(model)}/v1`, apiKey: 'unused' }).chat(model),
  // The provider's default model speaks the Responses API (POST /v1/responses).
  'openai (Responses)': (model) =>
    createOpenAI({ baseURL: `${g.urlFor(model)}/v1`, apiKey: 'unused' })(model),
  anthropic: (model) =>
    createAnthropic({ baseURL: `${g.urlFor(model)}/v1`, apiKey: 'unused' })(model),
};

const lookup = tool({
  description: 'Looks a text up',
  // The mock calls every tool with { text, index }.
  inputSchema: z.object({ text: z.string(), index: z.number() }),
  execute: ({ text }) => Promise.resolve(`found: ${text}`),
});

describe.each(Object.keys(CLIENTS))('AI SDK %s', (client) => {
  const modelFor = CLIENTS[client] as (model: ChatUpstream) => LanguageModel;

  describe.each(CHAT_UPSTREAMS)('routed %s', (upstream) => {
    it('generates text with a system prompt that reaches the upstream', async () => {
      const result = await generateText({
        model: modelFor(upstream),
        system: 'You are terse.',
        prompt: 'hello gateway',
      });
      expect(result.text).toBe('echo: hello gateway');
      expect(result.finishReason).toBe('stop');
      expect(result.usage.inputTokens).toBeGreaterThan(0);
      expect(upstreamSystem(g.lastRequest(upstream))).toBe('You are terse.');
    });

    it('streams text to a clean end', async () => {
      const result = streamText({ model: modelFor(upstream), prompt: 'one two three four' });
      let text = '';
      for await (const delta of result.textStream) text += delta;
      expect(text).toBe('echo: one two three four');
      expect(await result.finishReason).toBe('stop');
    });

    it('runs a tool round trip: the call, the result sent back, the final answer', async () => {
      const result = await generateText({
        model: modelFor(upstream),
        tools: { lookup },
        stopWhen: stepCountIs(3),
        prompt: 'call tool lookup please',
      });
      expect(result.steps[0]?.toolCalls[0]).toMatchObject({
        toolName: 'lookup',
        input: { text: 'call tool lookup please', index: 0 },
      });
      expect(result.text).toBe('echo: found: call tool lookup please');
    });

    it('streams a tool round trip: the streamed call, the result sent back, the final answer', async () => {
      const result = streamText({
        model: modelFor(upstream),
        tools: { lookup },
        stopWhen: stepCountIs(3),
        prompt: 'call tool lookup now',
      });
      let text = '';
      for await (const delta of result.textStream) text += delta;
      const steps = await result.steps;
      expect(steps[0]?.toolCalls[0]).toMatchObject({
        toolName: 'lookup',
        input: { text: 'call tool lookup now', index: 0 },
      });
      expect(steps[0]?.finishReason).toBe('tool-calls');
      // The mock streams its echo text alongside the call; the final step answers from the result.
      expect(text.endsWith('echo: found: call tool lookup now')).toBe(true);
      expect(await result.text).toBe('echo: found: call tool lookup now');
      expect(await result.finishReason).toBe('stop');
    });

    it('sends an image part upstream', async () => {
      const result = await generateText({
        model: modelFor(upstream),
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'what is in the picture' },
              { type: 'image', image: PNG_1X1, mediaType: 'image/png' },
            ],
          },
        ],
      });
      expect(result.text).toBe('echo: what is in the picture');
      expect(upstreamHasImage(g.lastRequest(upstream))).toBe(true);
    });
  });
});
