import { LlmFailoverError } from '../errors/index.js';
import type {
  AnthropicContentBlock,
  AnthropicMessage,
} from '../protocols/anthropic-messages/index.js';
import type { OpenAIChatResponse, OpenAIResponseMessage } from '../protocols/openai-chat/index.js';
import { openAIFinishToAnthropicStop } from './finish-reason.js';
import { toAnthropicResponseId } from './response-id.js';
import { isPlainObject } from './translated.js';
import { openAIUsageToAnthropic } from './usage.js';

/** An upstream's tool-call arguments -> input object; junk is the upstream's fault (502). */
function upstreamArguments(args: string, path: string): Record<string, unknown> {
  if (args.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(args);
    if (isPlainObject(value)) return value;
  } catch {
    // reported below
  }
  throw new LlmFailoverError(
    'UPSTREAM_SERVER',
    `upstream response: ${path}: tool call arguments are not a JSON object`,
    { status: 502, path },
  );
}

/**
 * OpenAI `chat.completion` -> Anthropic message (pure), from the first choice. `reasoning_content`
 * becomes a thinking block, `refusal` a text block with stop_reason `refusal`, tool calls tool_use
 * blocks with parsed input. A `stop` finish with tool calls (a local-server quirk) becomes
 * `tool_use`. Missing usage is reported as 0 (non-streaming Anthropic messages require usage).
 * @throws LlmFailoverError UPSTREAM_SERVER (502) when there is no choice or arguments are not JSON.
 */
export function openAIResponseToAnthropic(res: OpenAIChatResponse): AnthropicMessage {
  const choice = res.choices[0];
  if (choice === undefined) {
    throw new LlmFailoverError('UPSTREAM_SERVER', 'upstream response: choices is empty', {
      status: 502,
      path: 'choices',
    });
  }
  const content = messageBlocks(choice.message, res.id ?? '');
  const stop = openAIFinishToAnthropicStop(choice.finish_reason, choice.stop_reason);
  let stopReason = stop.stopReason ?? 'end_turn';
  // Local servers may end a tool-calling turn with `stop` (or no finish_reason); OpenAI ends a
  // refusal with `stop`. Anthropic clients act on tool_use / refusal: what was said decides.
  if (stopReason === 'end_turn' && content.some((b) => b.type === 'tool_use')) {
    stopReason = 'tool_use';
  } else if (stopReason === 'end_turn' && (choice.message.refusal ?? '') !== '') {
    stopReason = 'refusal';
  }
  return {
    id: toAnthropicResponseId(res.id ?? ''),
    type: 'message',
    role: 'assistant',
    model: res.model ?? '',
    content,
    stop_reason: stopReason,
    stop_sequence: stop.stopSequence,
    usage: res.usage
      ? { ...openAIUsageToAnthropic(res.usage) }
      : { input_tokens: 0, output_tokens: 0 },
  };
}

/** The choice's message as blocks: thinking, text, refusal text, tool_use (in that order). */
function messageBlocks(message: OpenAIResponseMessage, resId: string): AnthropicContentBlock[] {
  const content: AnthropicContentBlock[] = [];
  const reasoning = message.reasoning_content ?? message.reasoning;
  if (typeof reasoning === 'string' && reasoning !== '') {
    const signature =
      typeof message.reasoning_signature === 'string' ? message.reasoning_signature : '';
    content.push({ type: 'thinking', thinking: reasoning, signature });
  }
  // A blank text ("\n\n" before tool calls) would come back in the caller's history as a text
  // block Anthropic refuses: it is left out.
  if (typeof message.content === 'string' && message.content.trim() !== '') {
    content.push({ type: 'text', text: message.content });
  }
  const refusal = message.refusal ?? '';
  if (refusal !== '') content.push({ type: 'text', text: refusal });
  (message.tool_calls ?? []).forEach((call, j) => {
    const path = `choices.0.message.tool_calls.${j}.function.arguments`;
    const input = upstreamArguments(call.function.arguments, path);
    // Some local servers send no id; one is needed to pair the tool_result later.
    const id = typeof call.id === 'string' && call.id !== '' ? call.id : `toolu_${j}_${resId}`;
    content.push({ type: 'tool_use', id, name: call.function.name, input });
  });
  return content;
}
