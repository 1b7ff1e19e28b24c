// A scripted fault upstream for the soak: one loopback HTTP server per backend, speaking one
// protocol (OpenAI chat completions or Anthropic messages), JSON or SSE, playing the fault that
// faults.ts draws for each attempt. Every wait is bounded and ends early when the gateway hangs
// up, so the upstream never holds a socket open for long.
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  anthropicJson,
  anthropicStream,
  answerPieces,
  errorBody,
  errorEvent,
  idFromMessage,
  openAIJson,
  openAIStream,
  pingEvent,
} from './answers.js';
import type { BackendName } from './answers.js';
import { describeFault, pickFault } from './faults.js';
import type { Fault, FaultKind } from './faults.js';

type Protocol = 'openai' | 'anthropic';

/** What every soak upstream records: faults played, per kind and per request (to reproduce). */
export class FaultLog {
  readonly byKind = new Map<FaultKind, number>();
  readonly attempts = new Map<number, string[]>();
  private readonly counts = new Map<string, number>();

  /** The next attempt number of `backend` for request `id` (0 first). */
  nextAttempt(backend: BackendName, id: number): number {
    const key = `${backend}:${id}`;
    const n = this.counts.get(key) ?? 0;
    this.counts.set(key, n + 1);
    return n;
  }

  record(backend: BackendName, id: number, fault: Fault): void {
    this.byKind.set(fault.kind, (this.byKind.get(fault.kind) ?? 0) + 1);
    const list = this.attempts.get(id) ?? [];
    list.push(`${backend}: ${describeFault(fault)}`);
    this.attempts.set(id, list);
  }
}

const SSE_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' };
const JSON_HEADERS = { 'content-type': 'application/json' };
/** How long a keep-alive-only upstream pings before it gives up and closes. */
const PINGS_GIVE_UP_MS = 6000;

/** Resolves after `ms`, or at once when the response is already closed. */
async function wait(res: ServerResponse, ms: number): Promise<boolean> {
  if (res.destroyed) return false;
  const closed = new AbortController();
  const onClose = (): void => closed.abort();
  res.once('close', onClose);
  try {
    await sleep(ms, undefined, { signal: closed.signal });
  } catch {
    // Closed meanwhile: nothing more to send.
  } finally {
    res.off('close', onClose);
  }
  return !res.destroyed;
}

/** Writes and resolves once the bytes are handed to the socket (so a destroy after it keeps them). */
function write(res: ServerResponse, data: string): Promise<void> {
  return new Promise((resolve) => {
    if (res.destroyed) return resolve();
    res.write(data, () => resolve());
  });
}

function destroy(res: ServerResponse): void {
  res.socket?.destroy();
  res.destroy();
}

async function playStream(
  res: ServerResponse,
  protocol: Protocol,
  events: string[],
  fault: Fault,
): Promise<void> {
  res.writeHead(200, SSE_HEADERS);
  res.flushHeaders();
  const head = (n: number): string => events.slice(0, n).join('');
  const tail = (n: number): string => events.slice(n).join('');
  switch (fault.kind) {
    case 'resetAfterHeaders':
      await wait(res, 5);
      return destroy(res);
    case 'stallFirstByte':
      if (await wait(res, fault.ms)) res.end(events.join(''));
      return;
    case 'stallMidStream':
      await write(res, head(fault.after));
      if (await wait(res, fault.ms)) res.end(tail(fault.after));
      return;
    case 'cut':
      if (fault.after > 0) await write(res, head(fault.after));
      return destroy(res);
    case 'endWithoutTerminal':
      return void res.end(head(fault.after));
    case 'garbage': {
      const junk =
        protocol === 'openai'
          ? 'data: {"choices":[{"delta":\n\n'
          : 'event: content_block_delta\ndata: %%garbage%%\n\n';
      return void res.end(head(fault.after) + junk + tail(fault.after));
    }
    case 'trickle':
      for (const event of events) {
        if (!(await wait(res, fault.ms))) return;
        await write(res, event);
      }
      return void res.end();
    case 'errorFirst':
      return void res.end(errorEvent(protocol));
    case 'errorMidStream':
      return void res.end(head(fault.after) + errorEvent(protocol));
    case 'pingsOnly': {
      const until = fault.thenStall ? PINGS_GIVE_UP_MS : fault.ms;
      for (let t = 0; t < until; t += 200) {
        await write(res, pingEvent(protocol));
        if (!(await wait(res, 200))) return;
      }
      if (fault.thenStall) return destroy(res);
      return void res.end(events.join(''));
    }
    case 'ok':
    case 'status':
    case 'resetBeforeAnswer':
      // status and resetBeforeAnswer are played before the headers (see handle).
      return void res.end(events.join(''));
  }
}

async function playJson(
  res: ServerResponse,
  protocol: Protocol,
  body: string,
  fault: Fault,
): Promise<void> {
  const half = Math.floor(body.length / 2);
  switch (fault.kind) {
    case 'resetAfterHeaders':
      res.writeHead(200, JSON_HEADERS);
      res.flushHeaders();
      await wait(res, 5);
      return destroy(res);
    case 'stallFirstByte':
      res.writeHead(200, JSON_HEADERS);
      res.flushHeaders();
      if (await wait(res, fault.ms)) res.end(body);
      return;
    case 'stallMidStream':
      res.writeHead(200, JSON_HEADERS);
      await write(res, body.slice(0, half));
      if (await wait(res, fault.ms)) res.end(body.slice(half));
      return;
    case 'cut':
    case 'errorMidStream': {
      res.writeHead(200, JSON_HEADERS);
      const part = Math.floor((body.length * fault.after) / 10);
      if (part > 0) await write(res, body.slice(0, part));
      return destroy(res);
    }
    case 'endWithoutTerminal':
      // Chunked, no content-length: a clean end of a body that is not whole JSON.
      res.writeHead(200, JSON_HEADERS);
      return void res.end(body.slice(0, half));
    case 'garbage':
      res.writeHead(200, JSON_HEADERS);
      return void res.end('<html>502 Bad Gateway</html>');
    case 'trickle': {
      res.writeHead(200, JSON_HEADERS);
      const step = Math.ceil(body.length / 5);
      for (let i = 0; i < body.length; i += step) {
        if (!(await wait(res, fault.ms))) return;
        await write(res, body.slice(i, i + step));
      }
      return void res.end();
    }
    case 'errorFirst':
      res.writeHead(500, JSON_HEADERS);
      return void res.end(errorBody(protocol, 500));
    case 'pingsOnly':
      // JSON has no keep-alive: the same wait, before the headers.
      if (!(await wait(res, fault.thenStall ? PINGS_GIVE_UP_MS : fault.ms))) return;
      if (fault.thenStall) return destroy(res);
      res.writeHead(200, JSON_HEADERS);
      return void res.end(body);
    case 'ok':
    case 'status':
    case 'resetBeforeAnswer':
      res.writeHead(200, JSON_HEADERS);
      return void res.end(body);
  }
}

function lastUserText(body: unknown): string {
  const messages = (body as { messages?: { role?: string; content?: unknown }[] }).messages ?? [];
  const last = messages.filter((m) => m.role === 'user').at(-1);
  if (typeof last?.content === 'string') return last.content;
  if (Array.isArray(last?.content)) {
    return (last.content as { text?: string }[]).map((b) => b.text ?? '').join('');
  }
  return '';
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  seed: number,
  backend: BackendName,
  protocol: Protocol,
  log: FaultLog,
): Promise<void> {
  const path = protocol === 'openai' ? '/v1/chat/completions' : '/v1/messages';
  let raw = '';
  req.setEncoding('utf8');
  for await (const chunk of req) raw += chunk as string;
  if (req.method !== 'POST' || req.url?.split('?')[0] !== path) {
    return void res.writeHead(404, JSON_HEADERS).end(errorBody(protocol, 404));
  }
  const body = JSON.parse(raw) as { stream?: boolean };
  const id = idFromMessage(lastUserText(body));
  if (id === undefined) return void res.writeHead(400, JSON_HEADERS).end(errorBody(protocol, 400));
  const fault = pickFault(seed, backend, id, log.nextAttempt(backend, id));
  log.record(backend, id, fault);
  if (fault.kind === 'status') {
    res.writeHead(fault.status, {
      ...JSON_HEADERS,
      'retry-after': String(fault.retryAfterSeconds),
    });
    return void res.end(errorBody(protocol, fault.status));
  }
  if (fault.kind === 'resetBeforeAnswer') return destroy(res);
  const pieces = answerPieces(seed, backend, id);
  if (body.stream === true) {
    const events = protocol === 'openai' ? openAIStream(pieces) : anthropicStream(pieces);
    return playStream(res, protocol, events, fault);
  }
  return playJson(
    res,
    protocol,
    protocol === 'openai' ? openAIJson(pieces) : anthropicJson(pieces),
    fault,
  );
}

/** Starts one soak upstream on a free loopback port. */
export async function startFaultUpstream(
  seed: number,
  backend: BackendName,
  protocol: Protocol,
  log: FaultLog,
): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    handle(req, res, seed, backend, protocol, log).catch(() => destroy(res));
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('upstream has no port');
  return { url: `http://127.0.0.1:${address.port}`, server };
}
