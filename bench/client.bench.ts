// bench:client: per-call cost of CloudBackendClient against raw undici and the official openai
// client, on one loopback server running in a child process (so its CPU time does not mix with
// the client's). Rounds alternate the clients (rotating the order) to spread noise evenly; each
// figure is the median over rounds of (round time / calls). Bounded: well under a minute.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { EventSourceParserStream } from 'eventsource-parser/stream';
import OpenAI from 'openai';
import { Pool } from 'undici';
import { CloudBackendClient } from '../src/http/index.js';
import type { PostResult, SseStream } from '../src/http/index.js';
import { parseSse } from '../src/sse/index.js';
import type { SseEvent } from '../src/sse/index.js';
import { systemClock } from '../src/time/index.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40);
const SEQ_CALLS = 150;
const CONC_CALLS = 480;
const CONCURRENCY = 32;
const STREAMS = 12;
const STREAM_EVENTS = 1000;

const SERVER = `
const http = require('node:http');
const completion = JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'm',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hello there, how can I help you today?' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 12, completion_tokens: 9, total_tokens: 21 } });
let stream = '';
for (let i = 0; i < ${STREAM_EVENTS}; i++) stream += 'data: ' + JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'm',
  choices: [{ index: 0, delta: { content: 'tok' + i + ' ' }, finish_reason: null }] }) + '\\n\\n';
stream += 'data: [DONE]\\n\\n';
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = JSON.parse(Buffer.concat(chunks).toString());
    if (body.stream) { res.writeHead(200, { 'content-type': 'text/event-stream' }); res.end(stream); return; }
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(completion) });
    res.end(completion);
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'));
`;

const REQUEST = {
  model: 'm',
  messages: [
    { role: 'system', content: 'You are a helpful assistant.' },
    { role: 'user', content: 'Say hello in a friendly way, please, and keep it short.' },
  ],
  max_tokens: 64,
  temperature: 0.2,
};
const STREAM_REQUEST = { ...REQUEST, stream: true };

class BenchClient extends CloudBackendClient {
  protected buildHeaders(): Record<string, string> {
    return { authorization: 'Bearer sk-bench' };
  }
  chatCompletion(request: Record<string, unknown>): Promise<unknown> {
    return this.post(request).then((r) => r.body);
  }
  post(request: unknown): Promise<PostResult> {
    return this.postWithCircuitBreaker('/chat/completions', request);
  }
  stream(request: unknown): SseStream {
    return this.streamWithCircuitBreaker('/chat/completions', request);
  }
  protected override isTerminalEvent(event: SseEvent): boolean {
    return event.data === '[DONE]';
  }
}

type Impl = { name: string; call: () => Promise<unknown>; stream: () => Promise<number> };

async function startServer(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [data] = (await once(child.stdout, 'data')) as [Buffer];
  return { url: `http://127.0.0.1:${data.toString().trim()}`, stop: () => child.kill() };
}

function makeImpls(url: string): Impl[] {
  const pool = new Pool(url);
  const headers = { 'content-type': 'application/json', authorization: 'Bearer sk-bench' };
  const raw = (body: unknown) =>
    pool.request({
      origin: url,
      path: '/v1/chat/completions',
      method: 'POST',
      headers,
      body: JSON.stringify(body),
    });
  const client = new BenchClient({ baseUrl: `${url}/v1`, name: 'bench' });
  const openai = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'sk-bench', maxRetries: 0 });
  return [
    {
      name: 'raw undici',
      call: async () => (await raw(REQUEST)).body.json(),
      stream: async () => {
        let n = 0;
        for await (const _ of parseSse((await raw(STREAM_REQUEST)).body)) n++;
        return n;
      },
    },
    {
      name: 'CloudBackendClient',
      call: () => client.post(REQUEST),
      stream: async () => {
        let n = 0;
        for await (const _ of client.stream(STREAM_REQUEST)) n++;
        return n;
      },
    },
    {
      name: 'openai 6.49',
      call: () =>
        openai.chat.completions.create({ ...REQUEST, messages: [...REQUEST.messages] } as never),
      stream: async () => {
        let n = 0;
        const s = await openai.chat.completions.create({
          ...STREAM_REQUEST,
          messages: [...REQUEST.messages],
        } as never);
        for await (const _ of s as unknown as AsyncIterable<unknown>) n++;
        return n + 1; // the SDK swallows [DONE]
      },
    },
  ];
}

/** Wall time and this process's CPU time (the server runs elsewhere), in µs per call. */
async function timePerCall(
  calls: number,
  concurrency: number,
  fn: () => Promise<unknown>,
): Promise<Sample> {
  let next = 0;
  const cpu0 = process.cpuUsage();
  const start = systemClock.now();
  const worker = async () => {
    while (next < calls) {
      next++;
      await fn();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const wall = ((systemClock.now() - start) * 1000) / calls;
  const cpu = process.cpuUsage(cpu0);
  return { wall, cpu: (cpu.user + cpu.system) / calls };
}

interface Sample {
  wall: number;
  cpu: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
};

/**
 * Runs every client once per round (rotating which goes first) and reports, per client, the
 * median per-call time and the median of its per-round ratios to raw undici: pairing each
 * client with the baseline of the same round cancels most of the drift of a shared machine.
 */
async function scenario(label: string, impls: Impl[], run: (impl: Impl) => Promise<Sample>) {
  const samples = new Map<string, Sample[]>(impls.map((i) => [i.name, []]));
  for (const impl of impls) await run(impl); // warm-up
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < impls.length; k++) {
      const impl = impls[(round + k) % impls.length]!;
      samples.get(impl.name)!.push(await run(impl));
    }
  }
  const base = samples.get('raw undici')!;
  console.log(`\n${label}`);
  console.log(`  ${''.padEnd(20)} ${'wall µs'.padStart(9)}  ratio ${'cpu µs'.padStart(9)}  ratio`);
  for (const impl of impls) {
    const own = samples.get(impl.name)!;
    const column = (key: keyof Sample) => {
      const ratio = median(own.map((x, i) => x[key] / base[i]![key]));
      return `${median(own.map((x) => x[key]))
        .toFixed(1)
        .padStart(9)}  ${ratio.toFixed(2)}x`;
    };
    console.log(`  ${impl.name.padEnd(20)} ${column('wall')} ${column('cpu')}`);
  }
}

async function parserChoice(url: string): Promise<void> {
  const pool = new Pool(url);
  const res = await pool.request({
    origin: url,
    path: '/v1/chat/completions',
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(STREAM_REQUEST),
  });
  const bytes = Buffer.from(await res.body.arrayBuffer());
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += 16_384) chunks.push(bytes.subarray(i, i + 16_384));
  async function* source() {
    for (const c of chunks) yield await Promise.resolve(c);
  }
  const viaCallback = async () => {
    let n = 0;
    for await (const _ of parseSse(source())) n++;
    return n;
  };
  const viaStream = async () => {
    let n = 0;
    const reader = ReadableStream.from(source())
      .pipeThrough(new TextDecoderStream())
      .pipeThrough(new EventSourceParserStream())
      .getReader();
    while (!(await reader.read()).done) n++;
    return n;
  };
  const time = async (fn: () => Promise<number>) => {
    const start = systemClock.now();
    for (let i = 0; i < 30; i++) await fn();
    return ((systemClock.now() - start) * 1000) / 30;
  };
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < 7; r++) {
    a.push(await time(viaCallback));
    b.push(await time(viaStream));
  }
  console.log(`\nSSE parser choice (${STREAM_EVENTS} events, in-memory, µs per stream)`);
  console.log(`  createParser (parseSse)         ${median(a).toFixed(1).padStart(9)}`);
  console.log(
    `  EventSourceParserStream         ${median(b).toFixed(1).padStart(9)}  ${(median(b) / median(a)).toFixed(2)}x`,
  );
  await pool.close();
}

async function main(): Promise<void> {
  const server = await startServer();
  try {
    const impls = makeImpls(server.url);
    console.log(
      `bench:client  node ${process.version}  rounds ${ROUNDS}  \n(median per call over rounds; ratio = median of per-round ratios to raw undici;\n cpu = this process only: the server runs in a child process)`,
    );
    await scenario(`sequential POST (${SEQ_CALLS} calls per round)`, impls, (i) =>
      timePerCall(SEQ_CALLS, 1, i.call),
    );
    await scenario(`${CONCURRENCY}-concurrent POST (${CONC_CALLS} calls per round)`, impls, (i) =>
      timePerCall(CONC_CALLS, CONCURRENCY, i.call),
    );
    await scenario(
      `stream of ${STREAM_EVENTS} events (${STREAMS} streams per round, µs per stream)`,
      impls,
      (i) => timePerCall(STREAMS, 1, i.stream),
    );
    await parserChoice(server.url);
  } finally {
    server.stop();
  }
  process.exit(0);
}

await main();
