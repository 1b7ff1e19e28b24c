import { LlmFailoverError } from '../errors/index.js';
import type { OpenAIToolCall } from '../protocols/openai-chat/index.js';
import { openAIAssistantFields } from './assistant-blocks.js';
import type { OpenAIAssistantParts } from './assistant-blocks.js';
import { toChatId } from './responses-id.js';
import { flatToolName } from './responses-tool-names.js';
import { responsesUsageToChat } from './responses-usage.js';
import { partTexts, reasoningText } from './responses-reasoning.js';
import { isPlainObject, kindOf } from './translated.js';

type Item = Record<string, unknown>;

function upstreamError(path: string, problem: string): LlmFailoverError {
  return new LlmFailoverError('UPSTREAM_SERVER', `upstream response: ${path}: ${problem}`, {
    status: 502,
    path,
  });
}

/** One function_call item -> a chat tool call (a namespaced name flattened, as sent). */
function toolCall(item: Item, path: string): OpenAIToolCall {
  const { name, namespace, call_id: callId, arguments: args } = item;
  if (typeof name !== 'string') throw upstreamError(`${path}.name`, 'must be a string');
  if (typeof callId !== 'string') throw upstreamError(`${path}.call_id`, 'must be a string');
  return {
    id: callId,
    type: 'function',
    function: {
      name: typeof namespace === 'string' ? flatToolName(namespace, name) : name,
      arguments: typeof args === 'string' ? args : '',
    },
  };
}

/** Output items -> the parts of one assistant message (plus the refusal text). */
function assistantParts(output: unknown[]): OpenAIAssistantParts & { refusal: string } {
  const parts = {
    text: '',
    reasoning: '',
    signature: undefined as string | undefined,
    toolCalls: [] as OpenAIToolCall[],
    refusal: '',
  };
  output.forEach((item, i) => {
    if (!isPlainObject(item)) throw upstreamError(`output.${i}`, 'must be an object');
    if (item.type === 'message') {
      parts.text += partTexts(item.content, 'output_text').join('');
      parts.refusal += partTexts(item.content, 'refusal', 'refusal').join('');
    } else if (item.type === 'reasoning') {
      parts.reasoning += reasoningText(item);
      if (typeof item.encrypted_content === 'string') parts.signature = item.encrypted_content;
    } else if (item.type === 'function_call') {
      parts.toolCalls.push(toolCall(item, `output.${i}`));
    }
    // Items of tools OpenAI runs (web_search_call...) report work already folded into the answer.
  });
  return parts;
}

function finishReason(res: Item, hasToolCalls: boolean): string {
  if (res.status === 'incomplete') {
    const details = res.incomplete_details;
    const reason = isPlainObject(details) ? details.reason : undefined;
    return reason === 'content_filter' ? 'content_filter' : 'length';
  }
  return hasToolCalls ? 'tool_calls' : 'stop';
}

/** A failed or unfinished response is the upstream's error, not an answer. */
function checkStatus(res: Item): void {
  const status = res.status;
  if (status === 'failed') {
    const error = isPlainObject(res.error) ? res.error : {};
    const message = typeof error.message === 'string' ? error.message.slice(0, 500) : 'no message';
    throw new LlmFailoverError('UPSTREAM_SERVER', `upstream response failed: ${message}`, {
      status: 502,
      path: 'status',
    });
  }
  if (status !== undefined && status !== 'completed' && status !== 'incomplete') {
    throw upstreamError('status', `"${kindOf(status)}" is not a finished response`);
  }
}

/**
 * OpenAI Responses `response` object -> OpenAI `chat.completion` (pure). Output message texts are
 * joined exactly into `content`, refusal parts into `refusal`, reasoning items (raw content, else
 * summary) into `reasoning_content` (`encrypted_content` -> `reasoning_signature`), function_call
 * items into `tool_calls` (`call_id` = id; a namespaced name flattened). Status `incomplete` is
 * finish `length` (`content_filter` for that reason); `resp_X` becomes `chatcmpl-X`.
 * @throws LlmFailoverError UPSTREAM_SERVER (502) for a failed or unfinished response, or a
 *   malformed output item.
 */
export function responsesResponseToChat(res: Record<string, unknown>): Record<string, unknown> {
  checkStatus(res);
  const output = res.output;
  if (!Array.isArray(output)) throw upstreamError('output', 'must be an array');
  const parts = assistantParts(output);
  const message = {
    ...openAIAssistantFields(parts),
    refusal: parts.refusal === '' ? null : parts.refusal,
  };
  const out: Record<string, unknown> = {
    id: toChatId(typeof res.id === 'string' ? res.id : ''),
    object: 'chat.completion',
    created: typeof res.created_at === 'number' ? res.created_at : 0,
    model: typeof res.model === 'string' ? res.model : '',
    choices: [
      {
        index: 0,
        message,
        finish_reason: finishReason(res, parts.toolCalls.length > 0),
        logprobs: null,
      },
    ],
  };
  if (isPlainObject(res.usage)) out.usage = responsesUsageToChat(res.usage);
  return out;
}
