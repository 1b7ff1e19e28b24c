// What the soak's upstreams answer. Every answer's text is deterministic and names the backend
// that wrote it, so the client can tell a complete answer (exactly the text one backend sends)
// from a truncated one (a clean end with less text) and a duplicated one (a second opening
// marker: a retry's or a second backend's content after the first's).
import { Draw } from './random.js';

/** The two upstreams, by the backend name they have in the gateway's config. */
export const BACKENDS = ['oai', 'ant'] as const;
export type BackendName = (typeof BACKENDS)[number];

/** The text pieces (one per content event) of backend's answer to request `id`. */
export function answerPieces(seed: number, backend: BackendName, id: number): string[] {
  const count = new Draw(seed, 'length', id).int(3, 30);
  const pieces = [`<${backend}:${id}>`];
  for (let i = 0; i < count; i++) pieces.push(`w${i} `);
  pieces.push(`</${backend}:${id}>`);
  return pieces;
}

/** The complete answer text of backend to request `id`. */
export function answerText(seed: number, backend: BackendName, id: number): string {
  return answerPieces(seed, backend, id).join('');
}

/** Opening markers in a received text (more than one: content was duplicated). */
export function openingMarkers(text: string): string[] {
  return text.match(/<(?:oai|ant):\d+>/g) ?? [];
}

/** The user message of request `id`; the upstream reads the id back from it. */
export const requestMessage = (id: number): string => `soak request ${id}`;

/** The id in a request's last user message, or undefined. */
export function idFromMessage(text: string): number | undefined {
  const match = /soak request (\d+)/.exec(text);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

const sse = (event: string | undefined, data: unknown): string =>
  `${event === undefined ? '' : `event: ${event}\n`}data: ${JSON.stringify(data)}\n\n`;

/** OpenAI: role chunk, one chunk per piece, finish chunk, usage chunk, [DONE]. */
export function openAIStream(pieces: readonly string[]): string[] {
  const base = { id: 'chatcmpl-soak', object: 'chat.completion.chunk', created: 1, model: 'soak' };
  const chunk = (delta: object, finish: string | null = null): string =>
    sse(undefined, { ...base, choices: [{ index: 0, delta, finish_reason: finish }] });
  return [
    chunk({ role: 'assistant', content: '' }),
    ...pieces.map((p) => chunk({ content: p })),
    chunk({}, 'stop'),
    sse(undefined, {
      ...base,
      choices: [],
      usage: {
        prompt_tokens: 5,
        completion_tokens: pieces.length,
        total_tokens: 5 + pieces.length,
      },
    }),
    'data: [DONE]\n\n',
  ];
}

/** Anthropic: message_start, one text block, message_delta, message_stop. */
export function anthropicStream(pieces: readonly string[]): string[] {
  return [
    sse('message_start', {
      type: 'message_start',
      message: {
        id: 'msg_soak',
        type: 'message',
        role: 'assistant',
        model: 'soak',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 5, output_tokens: 1 },
      },
    }),
    sse('content_block_start', {
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'text', text: '' },
    }),
    ...pieces.map((p) =>
      sse('content_block_delta', {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'text_delta', text: p },
      }),
    ),
    sse('content_block_stop', { type: 'content_block_stop', index: 0 }),
    sse('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { output_tokens: pieces.length },
    }),
    sse('message_stop', { type: 'message_stop' }),
  ];
}

export function openAIJson(pieces: readonly string[]): string {
  return JSON.stringify({
    id: 'chatcmpl-soak',
    object: 'chat.completion',
    created: 1,
    model: 'soak',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: pieces.join(''), refusal: null },
        finish_reason: 'stop',
      },
    ],
    usage: { prompt_tokens: 5, completion_tokens: pieces.length, total_tokens: 5 + pieces.length },
  });
}

export function anthropicJson(pieces: readonly string[]): string {
  return JSON.stringify({
    id: 'msg_soak',
    type: 'message',
    role: 'assistant',
    model: 'soak',
    content: [{ type: 'text', text: pieces.join('') }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: 5, output_tokens: pieces.length },
  });
}

/** An error body in the upstream's protocol. */
export function errorBody(protocol: 'openai' | 'anthropic', status: number): string {
  const message = `soak fault: ${status}`;
  return protocol === 'openai'
    ? JSON.stringify({ error: { message, type: 'server_error', param: null, code: null } })
    : JSON.stringify({
        type: 'error',
        error: { type: status === 429 ? 'rate_limit_error' : 'api_error', message },
      });
}

/** An in-band stream error event in the upstream's protocol. */
export function errorEvent(protocol: 'openai' | 'anthropic'): string {
  return protocol === 'openai'
    ? sse(undefined, { error: { message: 'soak fault: in-band error', type: 'server_error' } })
    : sse('error', {
        type: 'error',
        error: { type: 'overloaded_error', message: 'soak fault: in-band error' },
      });
}

/** A keep-alive that is not progress. */
export const pingEvent = (protocol: 'openai' | 'anthropic'): string =>
  protocol === 'openai' ? ': ping\n\n' : sse('ping', { type: 'ping' });
