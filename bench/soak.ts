// The chaos soak: `npm run soak [-- --requests N --concurrency C --seconds S --seed X]`.
// Starts the built gateway (dist, as `llm-failover serve` runs it) in front of two scripted fault
// upstreams (an OpenAI-protocol and an Anthropic-protocol one, on one route in both orders), sends
// OpenAI and Anthropic callers at it, half streaming, classifies every answer and samples the
// gateway's RSS and open file descriptors. Loopback only; bounded in count and in time.
// Exit 1 when any answer hung, was truncated yet ended clean, was duplicated, was cut with no
// error event or was malformed, or when RSS / fds did not come back near their idle level.
import { closeSync, existsSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, startProcess } from './gateway/processes.js';
import { gatewayPool, send, shapeOf } from './soak/client.js';
import { classify, CLASSES, DEFECTS } from './soak/classify.js';
import type { AnswerClass } from './soak/classify.js';
import { printReport } from './soak/report.js';
import type { Example, SoakResult } from './soak/report.js';
import { Inspector } from './soak/inspector.js';
import { Sampler } from './soak/sampler.js';
import { FaultLog, startFaultUpstream } from './soak/upstream.js';

const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '20000' },
    concurrency: { type: 'string', default: '32' },
    seconds: { type: 'string', default: '900' },
    seed: { type: 'string', default: '1' },
    ids: { type: 'string' },
    'timeout-ms': { type: 'string', default: '60000' },
    'settle-seconds': { type: 'string', default: '10' },
  },
});

function positiveInt(name: string, text: string | undefined): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0)
    throw new Error(`--${name} must be a positive integer, got ${text}`);
  return n;
}

const seed = Number(values.seed);
if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got ${values.seed}`);
const concurrency = positiveInt('concurrency', values.concurrency);
const maxSeconds = positiveInt('seconds', values.seconds);
const timeoutMs = positiveInt('timeout-ms', values['timeout-ms']);
const settleSeconds = positiveInt('settle-seconds', values['settle-seconds']);
// --ids 12,345 replays those requests only (their faults follow from the seed and the id).
const ids =
  values.ids === undefined
    ? Array.from({ length: positiveInt('requests', values.requests) }, (_, i) => i)
    : values.ids.split(',').map((s) => positiveInt('ids', String(Number(s) + 1)) - 1);

const BIN = here('../bin/llm-failover.js');
if (!existsSync(here('../dist/cli/index.js')) && !existsSync(here('../dist/index.js'))) {
  throw new Error('dist/ is missing: run `npm run build` first (npm run soak does)');
}

function gatewayConfig(oaiUrl: string, antUrl: string): string {
  // Deadlines shorter than the longest injected stalls (3 s), so both "waited it out" and "gave
  // up and failed over / ended with an error event" happen; a breaker that opens and half-opens.
  return `
server: { host: 127.0.0.1, port: 0, firstByteTimeoutMs: 2500 }
x-backend: &backend
  maxRetries: 1
  backoffBaseMs: 50
  backoffCapMs: 500
  timeoutMs: 10000
  connectTimeoutMs: 1000
  firstByteTimeoutMs: 2500
  idleTimeoutMs: 2000
  circuitBreaker: { failMax: 8, resetTimeoutMs: 1000 }
backends:
  oai: { <<: *backend, type: openai, baseUrl: "${oaiUrl}/v1", apiKey: soak-upstream-key-oai }
  ant: { <<: *backend, type: anthropic, baseUrl: "${antUrl}", apiKey: soak-upstream-key-ant }
routes:
  - { match: "soak-ab", targets: [{ backend: oai }, { backend: ant }] }
  - { match: "soak-ba", targets: [{ backend: ant }, { backend: oai }] }
logging: { level: info }
`;
}

const MAX_EXAMPLES = 5;

async function main(): Promise<number> {
  const log = new FaultLog();
  const oai = await startFaultUpstream(seed, 'oai', 'openai', log);
  const ant = await startFaultUpstream(seed, 'ant', 'anthropic', log);
  const base = join(tmpdir(), `llm-failover-soak-${process.pid}`);
  const configFile = `${base}.yaml`;
  const logFile = `${base}.log`;
  writeFileSync(configFile, gatewayConfig(oai.url, ant.url));
  const logFd = openSync(logFile, 'w');
  const port = await freePort();
  const inspectPort = await freePort();
  // --inspect (loopback) lets the soak force a full GC before reading memory; see inspector.ts.
  const gateway = await startProcess(
    'gateway',
    [
      process.execPath,
      `--inspect=127.0.0.1:${inspectPort}`,
      BIN,
      'serve',
      '--config',
      configFile,
      '--port',
      String(port),
    ],
    port,
    {},
    logFd,
  );
  const inspector = await Inspector.connect(inspectPort);
  const sampler = new Sampler(gateway.pid);
  await sleep(2000);
  const freshHeap = await inspector.collectAndRead();
  const fresh = sampler.take();

  const counts = new Map<AnswerClass, number>(CLASSES.map((c) => [c, 0]));
  const byShape = new Map<string, Map<AnswerClass, number>>();
  const examples: Example[] = [];
  const startedAt = Date.now();
  const deadline = startedAt + maxSeconds * 1000;
  let next = 0;
  let done = 0;
  let stoppedByTime = false;

  const pool = gatewayPool(gateway.url, concurrency);
  const worker = async (upTo: number): Promise<void> => {
    while (next < upTo) {
      if (Date.now() > deadline) {
        stoppedByTime = true;
        return;
      }
      const id = ids[next++] as number;
      const shape = shapeOf(seed, id);
      const received = await send(pool, shape, id, timeoutMs);
      const v = classify(seed, id, received);
      counts.set(v.class, (counts.get(v.class) ?? 0) + 1);
      const key = `${shape.protocol} ${shape.stream ? 'stream' : 'json'}`;
      const row = byShape.get(key) ?? new Map<AnswerClass, number>();
      row.set(v.class, (row.get(v.class) ?? 0) + 1);
      byShape.set(key, row);
      if (DEFECTS.includes(v.class) && examples.length < MAX_EXAMPLES * DEFECTS.length) {
        examples.push({ id, shape, verdict: v, faults: log.attempts.get(id) ?? [] });
      }
      done++;
    }
  };
  const phase = async (upTo: number): Promise<void> => {
    await Promise.all(Array.from({ length: concurrency }, () => worker(upTo)));
  };
  const progress = setInterval(() => {
    const s = (Date.now() - startedAt) / 1000;
    process.stderr.write(
      `soak: ${done}/${ids.length} in ${s.toFixed(0)} s (${(done / s).toFixed(0)}/s), rss ${(sampler.samples.at(-1)!.rssBytes / 2 ** 20).toFixed(0)} MB\n`,
    );
  }, 10_000);

  // Warm-up (counted like every other request), then the idle level the run is compared with.
  const warmUp = Math.min(500, Math.ceil(ids.length / 20));
  await phase(warmUp);
  await sleep(3000);
  const idleHeap = await inspector.collectAndRead();
  const idleFrom = sampler.samples.length;
  const idle = sampler.take();
  await phase(ids.length);
  const elapsedMs = Date.now() - startedAt;
  clearInterval(progress);
  await pool.close();
  const peak = sampler.peak(idleFrom);
  await sleep(settleSeconds * 1000);
  const afterNoGc = sampler.take();
  const afterHeap = await inspector.collectAndRead();
  await sleep(1000);
  const after = sampler.take();
  sampler.stop();
  inspector.close();
  await gateway.stop();
  closeSync(logFd);
  await new Promise((resolve) => oai.server.close(resolve));
  await new Promise((resolve) => ant.server.close(resolve));
  oai.server.closeAllConnections();
  ant.server.closeAllConnections();

  const result: SoakResult = {
    seed,
    concurrency,
    requested: ids.length,
    sent: done,
    stoppedByTime,
    elapsedMs,
    counts,
    byShape,
    faults: log.byKind,
    examples,
    memory: {
      fresh,
      idle,
      peak,
      afterNoGc,
      after,
      heap: { fresh: freshHeap, idle: idleHeap, after: afterHeap },
      samples: sampler.samples,
      idleFrom,
    },
  };
  const ok = printReport(result);
  if (ok) rmSync(logFile, { force: true });
  else process.stdout.write(`gateway log kept: ${logFile}\n`);
  rmSync(configFile, { force: true });
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`soak failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(2);
  },
);
