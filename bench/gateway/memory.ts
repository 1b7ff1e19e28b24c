// --memory: 1,000 concurrent slow streams through the gateway; its RSS sampled from /proc.
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import { benchAgent, chatBody, fmt, timedChat } from './latency.js';
import type { BenchProcess } from './processes.js';
import { startTargets } from './targets.js';

const MEMORY_STREAMS = 1000;
const MEMORY_CHUNKS = 31;
const MEMORY_CHUNK_DELAY_MS = 250;

/** How many streams have started delivering and not ended yet, and the most at once. */
class OpenStreams {
  open = 0;
  max = 0;
  enter(): void {
    this.max = Math.max(this.max, ++this.open);
  }
  leave(): void {
    this.open--;
  }
}

/** One streaming request read to its end; throws unless it ended with `[DONE]`. */
async function slowStream(url: string, body: string, streams: OpenStreams): Promise<void> {
  const res = await request(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    dispatcher: benchAgent,
  });
  let tail = '';
  let entered = false;
  try {
    for await (const chunk of res.body) {
      if (!entered) streams.enter();
      entered = true;
      tail = (tail + (chunk as Buffer).toString('utf8')).slice(-64);
    }
  } finally {
    if (entered) streams.leave();
  }
  if (res.statusCode !== 200 || !tail.includes('[DONE]')) throw new Error(`bad stream`);
}

/** Samples the process's RSS every 200 ms until `stop()`; resolves the peak. */
function sampleRss(target: BenchProcess, initial: number): { stop: () => Promise<number> } {
  let running = true;
  let peak = initial;
  const loop = (async () => {
    while (running) {
      peak = Math.max(peak, target.rss());
      await sleep(200);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return peak;
    },
  };
}

/** 1,000 concurrent slow streams through the gateway; prints completion and peak RSS. */
export async function runMemory(gatewayCommand: readonly string[]): Promise<void> {
  const targets = await startTargets({
    gatewayCommand,
    chunks: MEMORY_CHUNKS,
    chunkDelayMs: MEMORY_CHUNK_DELAY_MS,
    proxy: false,
  });
  const { gateway } = targets;
  try {
    for (let i = 0; i < 20; i++) await timedChat(gateway.url, chatBody('bench-model'));
    const idleRss = gateway.rss();
    const body = chatBody('bench-model', true);
    const streams = new OpenStreams();
    const sampler = sampleRss(gateway, idleRss);
    const start = performance.now();
    const results = await Promise.allSettled(
      Array.from({ length: MEMORY_STREAMS }, () => slowStream(gateway.url, body, streams)),
    );
    const elapsed = performance.now() - start;
    const peakRss = await sampler.stop();
    const completed = results.filter((r) => r.status === 'fulfilled').length;
    const mb = (bytes: number): string => fmt(bytes / 1024 / 1024, 1);
    console.log(
      `\n## Memory: ${MEMORY_STREAMS} concurrent slow streams (${MEMORY_CHUNKS} content chunks each, one event per ${MEMORY_CHUNK_DELAY_MS} ms)`,
    );
    console.log(
      `completed ${completed}/${MEMORY_STREAMS} with [DONE], max open at once ${streams.max}, ${fmt(elapsed / 1000, 1)} s`,
    );
    console.log(`gateway RSS idle ${mb(idleRss)} MB, peak ${mb(peakRss)} MB (target < 300 MB)`);
  } finally {
    await targets.stopAll();
  }
}
