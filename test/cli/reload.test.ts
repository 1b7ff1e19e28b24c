import { Writable } from 'node:stream';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatBackend } from '../../src/backends/index.js';
import { createLogger, startServer } from '../../src/server/index.js';
import type { RunningServer } from '../../src/server/index.js';

const running: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close(0)));
});

function captureLogger() {
  let text = '';
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString('utf8');
      done();
    },
  });
  return { read: () => text, logger: createLogger({ level: 'info', destination }) };
}

async function start(configText: string) {
  const log = captureLogger();
  const server = await startServer({ port: 0, configText, env: {}, logger: log.logger });
  running.push(server);
  return { server, log };
}

/** Two slow-streaming mock backends; `model` routes to `target`, and `other` is kept or not. */
function config(target: string, withOther = true, extra = ''): string {
  const other = target === 'a' ? 'b' : 'a';
  return [
    'backends:',
    `  ${target}: { type: mock, chunkDelayMs: 15 }`,
    withOther ? `  ${other}: { type: mock, chunkDelayMs: 15 }` : '',
    `  down: { type: openai, baseUrl: "http://127.0.0.1:9/v1", maxRetries: 0, circuitBreaker: { failMax: 1, resetTimeoutMs: 600000 } }`,
    'routes:',
    `  - { match: m, targets: [{ backend: ${target} }] }`,
    '  - { match: d, targets: [{ backend: down }] }',
    extra,
  ].join('\n');
}

const WORDS = Array.from({ length: 16 }, (_, i) => `w${i}`).join(' ');

function client(server: RunningServer): OpenAI {
  return new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'unused', maxRetries: 0 });
}

/** One streamed request: resolves `first` at its first content chunk, `done` with its text and backend. */
function streamOne(openai: OpenAI, content: string) {
  let markFirst!: () => void;
  const first = new Promise<void>((resolve) => (markFirst = resolve));
  const done = (async () => {
    const { data: stream, response } = await openai.chat.completions
      .create({ model: 'm', stream: true, messages: [{ role: 'user', content }] })
      .withResponse();
    let text = '';
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (text !== '') markFirst();
    }
    return { text, backend: response.headers.get('x-llm-failover-backend') };
  })();
  done.catch(() => markFirst());
  return { first, done };
}

async function plainOne(openai: OpenAI, content: string) {
  const { data, response } = await openai.chat.completions
    .create({ model: 'm', messages: [{ role: 'user', content }] })
    .withResponse();
  return {
    text: data.choices[0]?.message.content,
    backend: response.headers.get('x-llm-failover-backend'),
  };
}

/** Waits (bounded) until `backend` refuses calls because it was closed. */
async function closedSoon(backend: ChatBackend): Promise<boolean> {
  for (let i = 0; i < 200; i += 1) {
    const closed = await backend.chat('openai', { model: 'm', messages: [] }).then(
      () => false,
      (err: unknown) => /closed/.test(String(err)),
    );
    if (closed) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return false;
}

describe('config reload', () => {
  it('swaps routes under load: no request fails or is cut, and the removed backend closes after them', async () => {
    const { server } = await start(config('a'));
    const oldA = server.backends.get('a');
    const openai = client(server);
    const streams = Array.from({ length: 16 }, (_, i) => streamOne(openai, `${WORDS} s${i}`));
    const plains = Array.from({ length: 16 }, (_, i) => plainOne(openai, `p${i}`));
    // Every stream is mid-way (its first chunk arrived, 15 more are 15 ms apart) at the swap.
    await Promise.all(streams.map((s) => s.first));
    const result = await server.reload({ configText: config('b', false) });
    expect(result).toMatchObject({
      applied: true,
      changes: { removed: ['a'], kept: ['b', 'down'], added: [] },
    });
    const after = Array.from({ length: 8 }, (_, i) => streamOne(openai, `${WORDS} t${i}`));
    const afterPlain = Array.from({ length: 8 }, (_, i) => plainOne(openai, `q${i}`));

    const before = await Promise.all(streams.map((s) => s.done));
    before.forEach((r, i) => expect(r).toEqual({ text: `echo: ${WORDS} s${i}`, backend: 'a' }));
    const beforePlain = await Promise.all(plains);
    beforePlain.forEach((r, i) => expect(r.text).toBe(`echo: p${i}`));
    const late = await Promise.all(after.map((s) => s.done));
    late.forEach((r, i) => expect(r).toEqual({ text: `echo: ${WORDS} t${i}`, backend: 'b' }));
    const latePlain = await Promise.all(afterPlain);
    latePlain.forEach((r, i) => expect(r).toEqual({ text: `echo: q${i}`, backend: 'b' }));
    expect(server.backends.has('a')).toBe(false);
    expect(await closedSoon(oldA as ChatBackend)).toBe(true);
  });

  it('keeps the running config when the new one is invalid, and logs the problem by path', async () => {
    const { server, log } = await start(config('a'));
    const broken = config('b').replace(
      'routes:',
      'routes:\n  - { match: x, targets: [{ backend: nope }] }',
    );
    const result = await server.reload({ configText: broken });
    expect(result.applied).toBe(false);
    expect(!result.applied && result.error).toMatch(
      /routes\.0\.targets\.0\.backend.*unknown backend "nope"/,
    );
    expect(log.read()).toMatch(/config reload refused, keeping the running config/);
    expect(await plainOne(client(server), 'still')).toEqual({ text: 'echo: still', backend: 'a' });
  });

  it('keeps the breaker (and its open state) of an unchanged backend; a changed one starts closed', async () => {
    const { server } = await start(config('a'));
    const openai = client(server);
    await expect(
      openai.chat.completions.create({ model: 'd', messages: [{ role: 'user', content: 'x' }] }),
    ).rejects.toThrow();
    const down = server.backends.get('down');
    expect(down?.circuitBreaker.currentState).toBe('open');
    expect(await server.reload({ configText: config('b') })).toMatchObject({
      applied: true,
      changes: { kept: ['b', 'a', 'down'], changed: [], removed: [] },
    });
    expect(server.backends.get('down')).toBe(down);
    const status = server.router.backendStatus().find((b) => b.name === 'down');
    expect(status?.state).toBe('open');

    const changed = config('b').replace('failMax: 1,', 'failMax: 2,');
    expect(await server.reload({ configText: changed })).toMatchObject({
      applied: true,
      changes: { changed: ['down'] },
    });
    expect(server.backends.get('down')?.circuitBreaker.currentState).toBe('closed');
  });

  it('reports settings that need a restart instead of ignoring them', async () => {
    const { server, log } = await start(config('a'));
    const moved = `${config('a')}\nserver: { port: 4999, apiKeys: ["sk-secret-1"] }`;
    const result = await server.reload({ configText: moved });
    expect(result).toMatchObject({
      applied: true,
      changes: { needsRestart: ['server.port', 'server.apiKeys'] },
    });
    expect(log.read()).toMatch(
      /server\.port, server\.apiKeys changed but only take effect on a restart/,
    );
    expect(log.read()).not.toContain('sk-secret-1');
    expect(server.port).not.toBe(4999);
  });
});
