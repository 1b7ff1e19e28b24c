// Added latency of the Redis state store on the hot path (npm run bench:state [-- --requests N]).
// Two gateways in this process on the same config, one on the memory store, one on a Redis the
// benchmark starts (redis-server on a free loopback port), both in front of one pre-built
// loopback upstream; non-streaming requests alternate between them one at a time. Prints each
// gateway's median and mean latency, their ratio, and the commands Redis processed during the
// measurement (INFO stats): the design target is none per request while breakers are closed.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { createLogger, startServer } from '../src/server/index.js';
import { startTestRedis } from '../test/support/redis-server.js';
import { openAIJson } from './gateway/answers.js';
import {
  benchAgent,
  chatBody,
  fmt,
  interleaved,
  percentile,
  timedChat,
} from './gateway/latency.js';

const { values } = parseArgs({ options: { requests: { type: 'string', default: '3000' } } });
const requests = Number(values.requests);

const answer = Buffer.from(openAIJson(20));
const upstream = createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(answer));
});
await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1`;

const redis = await startTestRedis();
const config = (state: string): string => `${state}
server: { host: 127.0.0.1, port: 0 }
backends:
  up: { type: openai, baseUrl: '${upstreamUrl}', circuitBreaker: { failMax: 5 } }
routes: [{ match: '*', targets: [{ backend: up }] }]
logging: { level: silent }
`;
const logger = createLogger({ level: 'silent' });
const memory = await startServer({ configText: config(''), env: {}, logger });
const shared = await startServer({
  configText: config(`state: { redis: { url: '${redis.url}', keyPrefix: 'bench:' } }`),
  env: {},
  logger,
});
for (let i = 0; i < 100 && !shared.state.status().shared; i++) {
  await new Promise((resolve) => setTimeout(resolve, 20));
}
if (!shared.state.status().shared) throw new Error('the Redis gateway did not connect');

const body = chatBody('m');
// Warm-up: connections, JIT, schema loading.
await interleaved(
  { memory: () => timedChat(memory.url, body), redis: () => timedChat(shared.url, body) },
  300,
);

const probe = new Redis(redis.url);
const statsBefore = await commandStats(probe);
const commandsBefore = await processedCommands(probe);
const samples = await interleaved(
  { memory: () => timedChat(memory.url, body), redis: () => timedChat(shared.url, body) },
  requests,
);
// Minus one: the INFO that read the first figure.
const commandsDuring = (await processedCommands(probe)) - commandsBefore - 1;
const statsAfter = await commandStats(probe);
const perCommand = [...statsAfter]
  .map(([name, calls]) => [name, calls - (statsBefore.get(name) ?? 0)] as const)
  .filter(([name, calls]) => calls > 0 && name !== 'info')
  .map(([name, calls]) => `${name} ${calls}`)
  .join(', ');

const summary = (name: string, list: number[]) => ({
  name,
  p50: percentile(list, 50),
  mean: list.reduce((a, b) => a + b, 0) / list.length,
});
const [m, r] = [summary('memory', samples.memory ?? []), summary('redis', samples.redis ?? [])];
console.log(
  `load average ${loadavg()
    .map((x) => fmt(x))
    .join(' ')}; ${requests} requests each, alternating`,
);
for (const s of [m, r])
  console.log(`${s.name.padEnd(7)} p50 ${fmt(s.p50, 3)} ms  mean ${fmt(s.mean, 3)} ms`);
console.log(`ratio redis/memory: p50 ${fmt(r.p50 / m.p50, 3)}  mean ${fmt(r.mean / m.mean, 3)}`);
console.log(
  `redis commands during the measurement: ${commandsDuring} (for ${requests} requests): ${perCommand}`,
);
console.log(
  `(retry-budget syncs are batched: one MULTI per backend per 100 ms at most, whatever the rate)`,
);

probe.disconnect();
await Promise.all([memory.close(0), shared.close(0)]);
await benchAgent.close();
await new Promise((resolve) => upstream.close(resolve));
await redis.kill();

async function processedCommands(client: Redis): Promise<number> {
  const info = await client.info('stats');
  const match = /total_commands_processed:(\d+)/.exec(info);
  return Number(match?.[1] ?? Number.NaN);
}

/** Calls per command so far (INFO commandstats). */
async function commandStats(client: Redis): Promise<Map<string, number>> {
  const info = await client.info('commandstats');
  const stats = new Map<string, number>();
  for (const match of info.matchAll(/cmdstat_([a-z|]+):calls=(\d+)/g)) {
    stats.set(match[1] ?? '', Number(match[2]));
  }
  return stats;
}
