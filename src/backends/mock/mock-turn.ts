import type { Protocol } from '../../protocols/protocol.js';
import { responsesAsChat } from './responses-mock-input.js';

/** One tool call the mock decided to make. `arguments` is a JSON object text. */
export interface MockToolCall {
  id: string;
  name: string;
  arguments: string;
}

/** Everything the mock answers for one chat request, protocol-neutral and deterministic. */
export interface MockTurn {
  /** Sequence number of the request on this server, used in ids. */
  seq: number;
  /** Unix seconds for OpenAI's `created`. */
  created: number;
  /** The request's model, echoed back (default `mock-model`). */
  model: string;
  /** Answer text: `echo: ` + the last user text. */
  text: string;
  /** `text` split for streaming (one piece when not streaming); joined they give `text` exactly. */
  pieces: string[];
  /**
   * Tool calls: one per tool when the request has tools and one text part of the last user turn
   * starts with `call tool` (see MOCK_TOOL_TRIGGER).
   */
  toolCalls: MockToolCall[];
  inputTokens: number;
  outputTokens: number;
  stream: boolean;
  /** OpenAI `stream_options.include_usage`. */
  includeUsage: boolean;
}

/**
 * The trigger for tool calls. It counts when a text part of the last user turn (or its string
 * content) starts with it, leading whitespace ignored, wherever that part is among the message's
 * parts: clients such as Claude Code prepend reminder parts (`<system-reminder>...`) to the user's
 * own text. Never in a tool result, and never when the last turn is a tool result (OpenAI `tool`
 * message), so a tool round trip ends with a text answer instead of calling the tool again.
 */
export const MOCK_TOOL_TRIGGER = 'call tool';

type Json = Record<string, unknown>;

const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null;

/** Text of a message content: a string, or the text parts / tool results of a parts array, joined exactly. */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let out = '';
  for (const part of content) {
    if (!isRecord(part)) continue;
    if (typeof part.text === 'string') out += part.text;
    else if (part.type === 'tool_result') out += contentText(part.content);
  }
  return out;
}

/** The last user turn; for OpenAI a trailing `tool` message counts as the user's turn. */
function lastUserMessage(messages: unknown, protocol: Protocol): Json | undefined {
  if (!Array.isArray(messages)) return undefined;
  for (let i = messages.length - 1; i >= 0; i--) {
    const m: unknown = messages[i];
    if (!isRecord(m)) continue;
    if (m.role === 'user' || (protocol === 'openai' && m.role === 'tool')) return m;
  }
  return undefined;
}

/** The text of the user's own part that starts with the trigger, if the last turn has one. */
function triggerText(message: Json | undefined): string | undefined {
  if (message?.role !== 'user') return undefined;
  const starts = (text: string): boolean => text.trimStart().startsWith(MOCK_TOOL_TRIGGER);
  const { content } = message;
  if (typeof content === 'string') return starts(content) ? content : undefined;
  if (!Array.isArray(content)) return undefined;
  for (const part of content) {
    if (isRecord(part) && part.type === 'text' && typeof part.text === 'string') {
      if (starts(part.text)) return part.text;
    }
  }
  return undefined;
}

function toolNames(tools: unknown, protocol: Protocol): string[] {
  if (!Array.isArray(tools)) return [];
  const names: string[] = [];
  for (const t of tools) {
    if (!isRecord(t)) continue;
    const name =
      protocol === 'openai' ? (isRecord(t.function) ? t.function.name : undefined) : t.name;
    if (typeof name === 'string') names.push(name);
  }
  return names;
}

const tokens = (chars: number): number => Math.max(1, Math.ceil(chars / 4));

/**
 * Decides the mock's answer to a chat request body of either protocol. Token counts derive from
 * text lengths only (the last user text in, the answer out), so the same conversation costs the
 * same whichever protocol carried it.
 */
export function buildMockTurn(
  protocol: Protocol,
  body: Json,
  seq: number,
  created: number,
): MockTurn {
  // A Responses request is decided as the Chat request it stands for.
  if (protocol === 'openai-responses') {
    return buildMockTurn('openai', responsesAsChat(body), seq, created);
  }
  const lastUser = lastUserMessage(body.messages, protocol);
  const userText = contentText(lastUser?.content);
  const text = `echo: ${userText}`;
  const trigger = triggerText(lastUser);
  const names = trigger === undefined ? [] : toolNames(body.tools, protocol);
  const prefix = protocol === 'openai' ? 'call_mock' : 'toolu_mock';
  const toolCalls = names.map((name, index) => ({
    id: `${prefix}_${seq}_${index}`,
    name,
    arguments: JSON.stringify({ text: trigger, index }),
  }));
  let outputTokens = tokens(text.length);
  for (const call of toolCalls) outputTokens += tokens(call.arguments.length);
  const streamOptions = body.stream_options;
  return {
    seq,
    created,
    model: typeof body.model === 'string' ? body.model : 'mock-model',
    text,
    // Only streams need the pieces.
    pieces: body.stream === true ? text.split(/(?<= )/) : [text],
    toolCalls,
    inputTokens: tokens(userText.length),
    outputTokens,
    stream: body.stream === true,
    includeUsage: isRecord(streamOptions) && streamOptions.include_usage === true,
  };
}

/** Splits a tool call's argument text into three pieces (fewer when short), joined exactly. */
export function splitArguments(args: string): string[] {
  const third = Math.ceil(args.length / 3);
  const out: string[] = [];
  for (let i = 0; i < args.length; i += third) out.push(args.slice(i, i + third));
  return out.length === 0 ? [''] : out;
}
