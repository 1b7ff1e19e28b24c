// Response ids keep the upstream's id, prefixed so each protocol sees its own shape; the prefix is
// taken off again on the way back, so ids survive a round trip unchanged.

const OPENAI_PREFIX = 'chatcmpl-';
const ANTHROPIC_PREFIX = 'msg_';

/** An Anthropic message id -> an OpenAI completion id (`msg_1` -> `chatcmpl-msg_1`). */
export function toOpenAIResponseId(id: string): string {
  if (id.startsWith(ANTHROPIC_PREFIX + OPENAI_PREFIX)) return id.slice(ANTHROPIC_PREFIX.length);
  return id.startsWith(OPENAI_PREFIX) ? id : OPENAI_PREFIX + id;
}

/** An OpenAI completion id -> an Anthropic message id (`chatcmpl-1` -> `msg_chatcmpl-1`). */
export function toAnthropicResponseId(id: string): string {
  if (id.startsWith(OPENAI_PREFIX + ANTHROPIC_PREFIX)) return id.slice(OPENAI_PREFIX.length);
  return id.startsWith(ANTHROPIC_PREFIX) ? id : ANTHROPIC_PREFIX + id;
}
