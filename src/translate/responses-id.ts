// A Responses id keeps the upstream's id, as response-id.ts does between Chat and Messages:
// `chatcmpl-X` <-> `resp_X`, so an id survives Responses -> Chat -> Responses unchanged.

const CHAT_PREFIX = 'chatcmpl-';
const RESPONSES_PREFIX = 'resp_';

/** A chat completion id -> a Responses id (`chatcmpl-1` -> `resp_1`, `abc` -> `resp_abc`). */
export function toResponsesId(chatId: string): string {
  if (chatId.startsWith(RESPONSES_PREFIX)) return chatId;
  const core = chatId.startsWith(CHAT_PREFIX) ? chatId.slice(CHAT_PREFIX.length) : chatId;
  return RESPONSES_PREFIX + core;
}

/** A Responses id -> a chat completion id (`resp_1` -> `chatcmpl-1`). */
export function toChatId(responseId: string): string {
  if (responseId.startsWith(CHAT_PREFIX)) return responseId;
  const core = responseId.startsWith(RESPONSES_PREFIX)
    ? responseId.slice(RESPONSES_PREFIX.length)
    : responseId;
  return CHAT_PREFIX + core;
}

/** The id core item ids derive from (`msg_<core>_<n>`, `fc_<core>_<n>`, `rs_<core>_<n>`). */
export function responsesIdCore(responseId: string): string {
  return responseId.startsWith(RESPONSES_PREFIX)
    ? responseId.slice(RESPONSES_PREFIX.length)
    : responseId;
}
