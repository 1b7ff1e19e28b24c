import { LlmFailoverError } from '../errors/index.js';
import { parseOpenAIChatResponse } from '../protocols/openai-chat/index.js';
import type { OpenAIResponseMessage } from '../protocols/openai-chat/index.js';
import { customToolCallItem } from './responses-custom-tools.js';
import { responseEnvelope } from './responses-envelope.js';
import { includesEncryptedReasoning } from './responses-reasoning.js';
import { responsesIdCore, toResponsesId } from './responses-id.js';
import type { OpenAIResponsesRequest } from '../protocols/openai-responses/index.js';
import { responsesToolNameOf } from './responses-tool-names.js';
import { chatUsageToResponses } from './responses-usage.js';

type Item = Record<string, unknown>;

/** Chat finish -> Responses `incomplete_details.reason`; undefined for a complete answer. */
export function chatFinishToIncompleteReason(
  finish: string | null | undefined,
): string | undefined {
  if (finish === 'length') return 'max_output_tokens';
  if (finish === 'content_filter') return 'content_filter';
  return undefined;
}

/** The choice's message as output items: reasoning, message, function calls (in that order). */
function outputItems(
  message: OpenAIResponseMessage,
  core: string,
  request: OpenAIResponsesRequest,
): Item[] {
  const items: Item[] = [];
  const id = (prefix: string): string => `${prefix}_${core}_${items.length}`;
  const reasoning = message.reasoning_content ?? message.reasoning;
  if (typeof reasoning === 'string' && reasoning !== '') {
    const item: Item = {
      id: id('rs'),
      type: 'reasoning',
      summary: [{ type: 'summary_text', text: reasoning }],
    };
    // A thinking signature (Anthropic) travels as encrypted_content, when the caller asks for it,
    // so the next turn can hand it back.
    const signature = message.reasoning_signature;
    if (typeof signature === 'string' && signature !== '' && includesEncryptedReasoning(request)) {
      item.encrypted_content = signature;
    }
    items.push(item);
  }
  const calls = message.tool_calls ?? [];
  const parts: Item[] = [];
  const text = message.content;
  // Local servers put "\n\n" before tool calls: not an answer.
  if (typeof text === 'string' && text !== '' && (calls.length === 0 || text.trim() !== '')) {
    parts.push({ type: 'output_text', text, annotations: [], logprobs: [] });
  }
  const refusal = message.refusal ?? '';
  if (refusal !== '') parts.push({ type: 'refusal', refusal });
  if (parts.length > 0) {
    items.push({
      id: id('msg'),
      type: 'message',
      status: 'completed',
      role: 'assistant',
      content: parts,
    });
  }
  const nameOf = responsesToolNameOf(request);
  calls.forEach((call, j) => {
    const callId = typeof call.id === 'string' && call.id !== '' ? call.id : `call_${core}_${j}`;
    const tool = nameOf(call.function.name);
    const args = call.function.arguments;
    if (tool.custom === true) {
      items.push(customToolCallItem(id('ctc'), callId, tool, args, 'completed'));
      return;
    }
    const { name, namespace } = tool;
    const item: Item = { id: id('fc'), type: 'function_call', status: 'completed' };
    if (namespace !== undefined) item.namespace = namespace;
    items.push({ ...item, call_id: callId, name, arguments: args });
  });
  return items;
}

/**
 * OpenAI `chat.completion` -> OpenAI Responses `response` object (pure), from the first choice,
 * echoing the request fields the API echoes. `reasoning_content` becomes a reasoning item with a
 * summary, content an output_text part, `refusal` a refusal part, tool calls function_call items
 * (flattened namespace names restored), or custom_tool_call items (`ctc_` ids) for the request's
 * custom tools. A `length` finish is status `incomplete` with reason
 * `max_output_tokens` (`content_filter` likewise), the last item incomplete too. Ids: `resp_`
 * from the chat id, items `rs_` / `msg_` / `fc_` + that core + index; `call_id` = tool call id.
 * Usage is null when the upstream sent none (never 0 tokens as if true).
 * @throws LlmFailoverError UPSTREAM_SERVER (502) for a malformed completion or no choice.
 */
export function chatResponseToResponses(
  res: Record<string, unknown>,
  request: OpenAIResponsesRequest,
): Record<string, unknown> {
  const chat = parseOpenAIChatResponse(res);
  const choice = chat.choices[0];
  if (choice === undefined) {
    throw new LlmFailoverError('UPSTREAM_SERVER', 'upstream response: choices is empty', {
      status: 502,
      path: 'choices',
    });
  }
  const id = toResponsesId(chat.id ?? '');
  const output = outputItems(choice.message, responsesIdCore(id), request);
  const reason = chatFinishToIncompleteReason(choice.finish_reason);
  const last = output[output.length - 1];
  if (reason !== undefined && last !== undefined && last.status !== undefined) {
    last.status = 'incomplete';
  }
  const model = typeof chat.model === 'string' && chat.model !== '' ? chat.model : request.model;
  return {
    ...responseEnvelope(request, { id, createdAt: chat.created ?? 0, model }),
    status: reason === undefined ? 'completed' : 'incomplete',
    incomplete_details: reason === undefined ? null : { reason },
    output,
    usage: chat.usage ? chatUsageToResponses(chat.usage) : null,
  };
}
