import { request } from 'undici';
import { systemClock } from '../../src/time/index.js';
import type { BenchChild } from './bench-child.js';
import { startChildren } from './bench-targets.js';
import { benchAgent, chatBody, fmt, timedChat } from './measure.js';

const MEMORY_STREAMS = 1000;
const MEMORY_CHUNK_DELAY_MS = 250;
/** 30 words: with the mock's `echo: ` prefix, 31 content chunks per stream. */
const SLOW_TEXT = Array.from({ length: 30 }, (_, i) => `word${i}`).join(' ');

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

/** Samples the child's RSS every 200 ms until `stop()`; resolves the peak. */
function sampleRss(child: BenchChild, initial: number): { stop: () => Promise<number> } {
  let running = true;
  let peak = initial;
  const loop = (async () => {
    while (running) {
      peak = Math.max(peak, await child.rss());
      await systemClock.sleep(200);
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

/** 1,000 concurrent slow streams through the gateway; samples the gateway process's RSS. */
export async function runMemory(): Promise<void> {
  const targets = await startChildren(MEMORY_CHUNK_DELAY_MS);
  const { gateway } = targets;
  await targets.proxy.stop();
  try {
    for (let i = 0; i < 20; i++) await timedChat(gateway.url, chatBody('bench-model'));
    const idleRss = await gateway.rss();
    const body = chatBody('bench-model', true, SLOW_TEXT);
    const streams = new OpenStreams();
    const sampler = sampleRss(gateway, idleRss);
    const start = systemClock.now();
    const results = await Promise.allSettled(
      Array.from({ length: MEMORY_STREAMS }, () => slowStream(gateway.url, body, streams)),
    );
    const elapsed = systemClock.now() - start;
    const peakRss = await sampler.stop();
    const completed = results.filter((r) => r.status === 'fulfilled').length;
    const mb = (bytes: number): string => fmt(bytes / 1024 / 1024, 1);
    console.log(
      `\n## Memory: ${MEMORY_STREAMS} concurrent slow streams (31 content chunks each, one event per ${MEMORY_CHUNK_DELAY_MS} ms)`,
    );
    console.log(
      `completed ${completed}/${MEMORY_STREAMS} with [DONE], max open at once ${streams.max}, ${fmt(elapsed / 1000, 1)} s`,
    );
    console.log(`gateway RSS idle ${mb(idleRss)} MB, peak ${mb(peakRss)} MB (target < 300 MB)`);
  } finally {
    await targets.stopAll();
  }
}
