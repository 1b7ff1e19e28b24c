// Sorts one answer the gateway gave into the soak's classes, from what the caller received.
import { createParser } from 'eventsource-parser';
import { answerText, openingMarkers } from './answers.js';
import type { BackendName } from './answers.js';

export const CLASSES = [
  'complete',
  'honest error',
  'hung',
  'truncated-but-clean',
  'duplicated',
  'cut silently',
  'malformed',
] as const;
export type AnswerClass = (typeof CLASSES)[number];

/** Classes that are a gateway defect: the soak fails when any of them is counted. */
export const DEFECTS: readonly AnswerClass[] = [
  'hung',
  'truncated-but-clean',
  'duplicated',
  'cut silently',
  'malformed',
];

export type CallerProtocol = 'openai' | 'anthropic';

/** What the caller received; `transport` set when no whole HTTP answer arrived. */
export interface Received {
  protocol: CallerProtocol;
  stream: boolean;
  status: number;
  body: string;
  /** The `x-llm-failover-backend` header: the backend the gateway says answered. */
  backendHeader?: string;
  /** 'timeout': nothing ended within the client's bound; 'error': the connection broke. */
  transport?: 'timeout' | 'error';
}

export interface Verdict {
  class: AnswerClass;
  /** Why, for the defect examples in the report. */
  detail: string;
}

const verdict = (cls: AnswerClass, detail: string): Verdict => ({ class: cls, detail });

/** The complete text of the backend whose opening marker starts `text`, if any. */
function expectedFor(seed: number, id: number, text: string): string | undefined {
  const match = /^<(oai|ant):(\d+)>/.exec(text);
  if (match === null || Number(match[2]) !== id) return undefined;
  return answerText(seed, match[1] as BackendName, id);
}

function judgeText(seed: number, id: number, text: string, how: string): Verdict {
  const markers = openingMarkers(text);
  if (markers.length > 1) return verdict('duplicated', `${how}: markers ${markers.join(' ')}`);
  if (text === expectedFor(seed, id, text)) return verdict('complete', how);
  return verdict('truncated-but-clean', `${how}: got ${JSON.stringify(text.slice(-60))}`);
}

function isCallerError(protocol: CallerProtocol, body: string): boolean {
  try {
    const parsed = JSON.parse(body) as {
      type?: unknown;
      error?: { message?: unknown; type?: unknown };
    };
    if (protocol === 'openai') return typeof parsed.error?.message === 'string';
    return parsed.type === 'error' && typeof parsed.error?.type === 'string';
  } catch {
    return false;
  }
}

function judgeJson(seed: number, id: number, r: Received): Verdict {
  let parsed: {
    choices?: { message?: { content?: unknown } }[];
    content?: { text?: unknown }[];
  };
  try {
    parsed = JSON.parse(r.body) as typeof parsed;
  } catch {
    return verdict('malformed', `200 JSON answer that does not parse: ${r.body.slice(0, 60)}`);
  }
  const text =
    r.protocol === 'openai'
      ? parsed.choices?.[0]?.message?.content
      : parsed.content?.map((b) => (typeof b.text === 'string' ? b.text : '')).join('');
  if (typeof text !== 'string')
    return verdict('malformed', `200 JSON with no text: ${r.body.slice(0, 80)}`);
  return judgeText(seed, id, text, 'json');
}

function judgeStream(seed: number, id: number, r: Received): Verdict {
  let text = '';
  let terminal = false;
  let error = false;
  let problem: string | undefined;
  const parser = createParser({
    onEvent: ({ event, data }) => {
      if (terminal) problem ??= `event after the terminal event: ${data.slice(0, 60)}`;
      if (r.protocol === 'openai' && data === '[DONE]') return void (terminal = true);
      let parsed: {
        type?: string;
        error?: unknown;
        choices?: { delta?: { content?: unknown } }[];
        delta?: { type?: string; text?: unknown };
      };
      try {
        parsed = JSON.parse(data) as typeof parsed;
      } catch {
        return void (problem ??= `event that is not JSON: ${data.slice(0, 60)}`);
      }
      if (r.protocol === 'openai') {
        if (parsed.error !== undefined) return void (error = true);
        const piece = parsed.choices?.[0]?.delta?.content;
        if (typeof piece === 'string') text += piece;
        return;
      }
      const type = parsed.type ?? event;
      if (type === 'message_stop') terminal = true;
      else if (type === 'error') error = true;
      else if (type === 'content_block_delta' && typeof parsed.delta?.text === 'string') {
        text += parsed.delta.text;
      }
    },
  });
  parser.feed(r.body);
  if (openingMarkers(text).length > 1) return judgeText(seed, id, text, 'stream');
  if (problem !== undefined) return verdict('malformed', problem);
  if (terminal && error)
    return verdict('malformed', 'stream with both an error and a terminal event');
  if (terminal) return judgeText(seed, id, text, 'stream');
  if (error) return verdict('honest error', 'stream error event');
  if (r.transport === 'error')
    return verdict('cut silently', 'stream connection broke, no error event');
  return verdict(
    'cut silently',
    `stream ended with neither terminal nor error event after ${JSON.stringify(text.slice(-40))}`,
  );
}

/** The class of one answer to request `id`. */
export function classify(seed: number, id: number, r: Received): Verdict {
  const v = classifyBody(seed, id, r);
  // A complete answer must also be labelled with the backend that wrote it.
  const writer = /^<(oai|ant):/.exec(textStart(r.body))?.[1];
  if (v.class === 'complete' && writer !== undefined && r.backendHeader !== writer) {
    return verdict(
      'malformed',
      `content from ${writer}, x-llm-failover-backend: ${r.backendHeader}`,
    );
  }
  return v;
}

/** The first opening marker in a raw body (JSON or SSE), as `<name:` for the label check. */
function textStart(body: string): string {
  return openingMarkers(body)[0] ?? '';
}

function classifyBody(seed: number, id: number, r: Received): Verdict {
  if (r.transport === 'timeout')
    return verdict('hung', `no end within the client timeout (status ${r.status})`);
  if (r.status === 0) return verdict('cut silently', 'connection closed before an HTTP answer');
  if (r.status >= 400) {
    return isCallerError(r.protocol, r.body)
      ? verdict('honest error', `HTTP ${r.status}`)
      : verdict(
          'malformed',
          `HTTP ${r.status} not in the caller's error shape: ${r.body.slice(0, 80)}`,
        );
  }
  if (r.status !== 200) return verdict('malformed', `HTTP ${r.status}`);
  if (r.stream) return judgeStream(seed, id, r);
  if (r.transport === 'error') return verdict('cut silently', 'JSON answer cut mid-body');
  return judgeJson(seed, id, r);
}
