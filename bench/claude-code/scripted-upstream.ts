// A scripted loopback upstream for bench/claude-code-check.ts and bench/codex-check.ts. It speaks
// Anthropic Messages (`/v1/messages`, `/v1/messages/count_tokens`), OpenAI Chat Completions
// (`/v1/chat/completions`) and OpenAI Responses (`/v1/responses`), streamed or not, records every
// request it receives, and answers deterministically:
// - the conversation holds a tool result: `tool said: <the result's line with the marker>` (ends
//   the round trip);
// - a user text contains ROUNDTRIP_TRIGGER: one call of the client's shell tool (Claude Code's
//   `Bash`, Codex's `exec_command`) printing ROUNDTRIP_MARKER;
// - otherwise: `pong from the <protocol> upstream`.
// Unlike the built-in mock (which calls every tool with placeholder arguments), this makes one
// valid call to a real tool of the client, so the client runs it and sends its output back.
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { anthropicJson, anthropicStream } from './scripted-anthropic.js';
import { responsesJson, responsesMessages, responsesStream } from './scripted-responses.js';

export const ROUNDTRIP_TRIGGER = 'ROUNDTRIP';
export const ROUNDTRIP_MARKER = 'roundtrip-ok-42';
export const TEXT_ANSWER = 'pong from the';
/** Codex's command appends the marker to this file (in its working directory) and prints it. */
export const ROUNDTRIP_FILE = 'roundtrip-ran.txt';

export type Json = Record<string, unknown>;
export const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null;

/** One request as the upstream received it (credentials replaced by `<redacted>`). */
export interface UpstreamRecord {
  method: string;
  /** Path and query string, as sent. */
  url: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface Answer {
  text?: string;
  tool?: { id: string; name: string; input: Json };
}

/** Text of every text part and tool result of a message content, joined. */
function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((p: unknown) => {
      if (!isRecord(p)) return '';
      if (typeof p.text === 'string') return p.text;
      if (p.type === 'tool_result') return textOf(p.content);
      return '';
    })
    .join('');
}

/** The text of the first tool result in the conversation, either protocol; undefined when none. */
function toolResult(messages: Json[]): string | undefined {
  for (const m of messages) {
    if (m.role === 'tool') return textOf(m.content);
    if (m.role === 'user' && Array.isArray(m.content)) {
      const part = (m.content as unknown[]).find(
        (p): p is Json => isRecord(p) && p.type === 'tool_result',
      );
      if (part !== undefined) return textOf(part.content);
    }
  }
  return undefined;
}

/** Each client's shell tool and the arguments that run the marker command with it. */
const SHELL_TOOLS: Record<string, Json> = {
  Bash: { command: `echo ${ROUNDTRIP_MARKER}`, description: 'Print the marker' },
  exec_command: { cmd: `echo ${ROUNDTRIP_MARKER} | tee -a ${ROUNDTRIP_FILE}` },
};

/** The name of the first known shell tool the request declares (any protocol's tool shape). */
function shellToolOf(tools: unknown): string | undefined {
  if (!Array.isArray(tools)) return undefined;
  for (const t of tools as unknown[]) {
    if (!isRecord(t)) continue;
    const name = isRecord(t.function) ? t.function.name : t.name;
    if (typeof name === 'string' && Object.hasOwn(SHELL_TOOLS, name)) return name;
  }
  return undefined;
}

/** The line of a tool result that carries the marker, else its first line. */
function resultLine(result: string): string {
  const lines = result.trim().split('\n');
  return lines.find((l) => l.includes(ROUNDTRIP_MARKER)) ?? lines[0] ?? '';
}

type Protocol = 'anthropic' | 'openai' | 'responses';

function decide(body: Json, protocol: Protocol, seq: number): Answer {
  const messages = Array.isArray(body.messages)
    ? (body.messages as unknown[]).filter(isRecord)
    : [];
  const result = toolResult(messages);
  // Claude Code appends reminder text to a tool result, Codex wraps it in a header (chunk id,
  // wall time, exit code): the answer quotes the command's output line.
  if (result !== undefined) return { text: `tool said: ${resultLine(result)}` };
  const asked = messages.some(
    (m) => m.role === 'user' && textOf(m.content).includes(ROUNDTRIP_TRIGGER),
  );
  const shell = asked ? shellToolOf(body.tools) : undefined;
  if (shell !== undefined) {
    const id = protocol === 'anthropic' ? `toolu_scripted_${seq}` : `call_scripted_${seq}`;
    return { tool: { id, name: shell, input: SHELL_TOOLS[shell] as Json } };
  }
  return { text: `${TEXT_ANSWER} ${protocol} upstream` };
}

function openaiChunks(model: string, seq: number, a: Answer, usage: boolean): string {
  const base = {
    id: `chatcmpl-scripted-${seq}`,
    object: 'chat.completion.chunk',
    created: 0,
    model,
  };
  const chunk = (delta: Json, finish: string | null): string =>
    `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  let out = chunk({ role: 'assistant', content: '' }, null);
  if (a.tool !== undefined) {
    const call = {
      index: 0,
      id: a.tool.id,
      type: 'function',
      function: { name: a.tool.name, arguments: JSON.stringify(a.tool.input) },
    };
    out += chunk({ tool_calls: [call] }, null) + chunk({}, 'tool_calls');
  } else {
    out += chunk({ content: a.text ?? '' }, null) + chunk({}, 'stop');
  }
  if (usage) {
    const u = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 };
    out += `data: ${JSON.stringify({ ...base, choices: [], usage: u })}\n\n`;
  }
  return out + 'data: [DONE]\n\n';
}

function openaiJson(model: string, seq: number, a: Answer): Json {
  const message: Json = { role: 'assistant', content: a.text ?? null };
  if (a.tool !== undefined) {
    message.tool_calls = [
      {
        id: a.tool.id,
        type: 'function',
        function: { name: a.tool.name, arguments: JSON.stringify(a.tool.input) },
      },
    ];
  }
  return {
    id: `chatcmpl-scripted-${seq}`,
    object: 'chat.completion',
    created: 0,
    model,
    choices: [{ index: 0, message, finish_reason: a.tool !== undefined ? 'tool_calls' : 'stop' }],
    usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
  };
}

const SECRET_HEADERS = ['authorization', 'x-api-key', 'cookie'];

/** Starts the scripted upstream on 127.0.0.1 (ephemeral port). */
export async function startScriptedUpstream(): Promise<{
  url: string;
  requests: UpstreamRecord[];
  close: () => Promise<void>;
}> {
  const requests: UpstreamRecord[] = [];
  let seq = 0;
  const server: Server = createServer((req, res) => void handle(req, res));

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown = raw === '' ? undefined : raw;
    try {
      body = raw === '' ? undefined : (JSON.parse(raw) as unknown);
    } catch {
      // keep the text
    }
    const headers = { ...req.headers };
    for (const h of SECRET_HEADERS) if (headers[h] !== undefined) headers[h] = '<redacted>';
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers, body });
    const path = (req.url ?? '').split('?')[0];
    const json = (status: number, value: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    };
    if (req.method !== 'POST' || !isRecord(body)) {
      json(404, { error: { type: 'not_found_error', message: `no ${req.method} ${path}` } });
      return;
    }
    const n = ++seq;
    const model = typeof body.model === 'string' ? body.model : 'scripted';
    const stream = body.stream === true;
    if (path === '/v1/messages/count_tokens') {
      json(200, { input_tokens: 1234 });
    } else if (path === '/v1/messages') {
      const a = decide(body, 'anthropic', n);
      if (!stream) return json(200, anthropicJson(model, n, a));
      res.writeHead(200, { 'content-type': 'text/event-stream' }).end(anthropicStream(model, n, a));
    } else if (path === '/v1/chat/completions') {
      const a = decide(body, 'openai', n);
      if (!stream) return json(200, openaiJson(model, n, a));
      const so = body.stream_options;
      const usage = isRecord(so) && so.include_usage === true;
      res
        .writeHead(200, { 'content-type': 'text/event-stream' })
        .end(openaiChunks(model, n, a, usage));
    } else if (path === '/v1/responses' || path === '/responses') {
      const a = decide({ ...body, messages: responsesMessages(body.input) }, 'responses', n);
      if (!stream) return json(200, responsesJson(model, n, a));
      res.writeHead(200, { 'content-type': 'text/event-stream' }).end(responsesStream(model, n, a));
    } else {
      json(404, { error: { type: 'not_found_error', message: `no POST ${path}` } });
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
