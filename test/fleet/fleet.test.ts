import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/index.js';
import { ManualClock } from '../../src/testing/index.js';
import { startTestRedis, until } from '../support/redis-server.js';
import type { TestRedis } from '../support/redis-server.js';
import { ScriptedServer, gate } from '../support/scripted-server.js';
import { breakerOf, chat, startFleet } from './fleet-support.js';

// Three gateways and one Redis (the tests' own redis-server): what a fleet shares.
let redis: TestRedis;
let fleet: RunningServer[] = [];
let seq = 0;
const servers: ScriptedServer[] = [];

beforeAll(async () => {
  redis = await startTestRedis();
});
afterEach(async () => {
  await Promise.all(fleet.map((g) => g.close(0)));
  fleet = [];
  await Promise.all(servers.splice(0).map((s) => s.close()));
  if (redis !== undefined) await redis.start().catch(() => undefined);
});
afterAll(async () => {
  await redis.kill();
});

const FAIL_MAX = 3;

/** A loopback port nothing listens on: connections are refused. */
async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return `http://127.0.0.1:${port}/v1`;
}

async function roundRobin(rounds: number): Promise<number[]> {
  const costs: number[] = [];
  for (let i = 0; i < rounds * fleet.length; i++) {
    const outcome = await chat(fleet[i % fleet.length]!);
    expect(outcome.status).toBe(200);
    costs.push(outcome.flakyAttempts);
  }
  return costs;
}

const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);

function completion(content: string) {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 0,
    model: 'm',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
  };
}

async function health(gateway: RunningServer): Promise<{ state?: Record<string, unknown> }> {
  const response = await fetch(`${gateway.url}/health`);
  return (await response.json()) as { state?: Record<string, unknown> };
}

describe('a fleet of three gateways', () => {
  it('without Redis, a backend refusing connections costs 3 x failMax attempts: each instance learns alone', async () => {
    const clock = new ManualClock();
    fleet = await startFleet(3, {
      prefix: 'none',
      flakyUrl: await refusedUrl(),
      failMax: FAIL_MAX,
      clock,
    });
    const costs = await roundRobin(10);
    expect(sum(costs)).toBe(3 * FAIL_MAX);
    expect(costs.slice(-3)).toEqual([0, 0, 0]);
  });

  it('with Redis, a backend refusing connections costs at most failMax + 2 attempts before every instance skips it', async () => {
    const clock = new ManualClock();
    const options = {
      redisUrl: redis.url,
      prefix: `refuse${++seq}:`,
      flakyUrl: await refusedUrl(),
      failMax: FAIL_MAX,
      clock,
    };
    fleet = await startFleet(3, options);
    await until(() => fleet.every((g) => g.state.status().shared), 5000, 'fleet connected');
    const costs = await roundRobin(10);
    console.log(
      `fleet of 3 on Redis: ${sum(costs)} attempts on the refusing backend (failMax ${FAIL_MAX})`,
    );
    expect(sum(costs)).toBeLessThanOrEqual(FAIL_MAX + 2);
    expect(sum(costs)).toBeGreaterThanOrEqual(FAIL_MAX);
    expect(costs.slice(-3)).toEqual([0, 0, 0]);
    expect(fleet.map((g) => breakerOf(g).currentState)).toEqual(['open', 'open', 'open']);
  });

  it('after the open period, 50 concurrent requests across the fleet reach the upstream exactly once (one probe)', async () => {
    const hold = gate();
    const upstream = await ScriptedServer.start({
      fallback: (_request, index) =>
        index < FAIL_MAX
          ? { type: 'json', status: 500, body: { error: { message: 'down' } } }
          : index === FAIL_MAX
            ? { type: 'json', wait: hold.promise, body: completion('probe') }
            : { type: 'json', body: completion('after') },
    });
    servers.push(upstream);
    const clock = new ManualClock();
    const flakyUrl = `${upstream.url}/v1`;
    fleet = await startFleet(3, {
      redisUrl: redis.url,
      prefix: `probe${++seq}:`,
      flakyUrl,
      failMax: FAIL_MAX,
      clock,
    });
    await until(() => fleet.every((g) => g.state.status().shared), 5000, 'fleet connected');
    for (let i = 0; i < FAIL_MAX; i++) expect((await chat(fleet[0]!)).backend).toBe('spare');
    await until(() => fleet.every((g) => breakerOf(g).currentState === 'open'), 5000, 'fleet open');
    await clock.advance(10_000);
    let done = 0;
    const all = Array.from({ length: 50 }, (_, i) => chat(fleet[i % 3]!).finally(() => done++));
    await until(() => done >= 49, 10_000, '49 answers from the spare');
    expect(upstream.requests).toHaveLength(FAIL_MAX + 1);
    hold.open();
    const outcomes = await Promise.all(all);
    expect(outcomes.every((o) => o.status === 200)).toBe(true);
    expect(outcomes.filter((o) => o.backend === 'flaky')).toHaveLength(1);
    expect(upstream.requests).toHaveLength(FAIL_MAX + 1);
    await until(
      () => fleet.every((g) => breakerOf(g).currentState === 'closed'),
      5000,
      'fleet closed',
    );
  });

  it('Redis killed mid-load fails no request; when it returns, state converges', async () => {
    const upstream = await ScriptedServer.start({
      fallback: { type: 'json', body: completion('ok') },
    });
    servers.push(upstream);
    const clock = new ManualClock();
    const flakyUrl = `${upstream.url}/v1`;
    fleet = await startFleet(3, {
      redisUrl: redis.url,
      prefix: `kill${++seq}:`,
      flakyUrl,
      failMax: FAIL_MAX,
      clock,
    });
    await until(() => fleet.every((g) => g.state.status().shared), 5000, 'fleet connected');
    let done = 0;
    const outcomes: { status: number; backend: string | null }[] = [];
    const worker = async (w: number): Promise<void> => {
      for (let i = w; i < 300; i += 6) {
        outcomes.push(await chat(fleet[i % 3]!));
        done++;
      }
    };
    const load = Promise.all(Array.from({ length: 6 }, (_, w) => worker(w)));
    await until(() => done >= 60, 20_000, '60 answers');
    await redis.kill();
    await until(() => done >= 180, 20_000, '180 answers');
    await redis.start();
    await load;
    expect(outcomes).toHaveLength(300);
    expect(outcomes.filter((o) => o.status !== 200 || o.backend !== 'flaky')).toEqual([]);

    // Converging: a breaker opened while Redis is down reaches the others once it is back.
    await until(() => fleet.every((g) => g.state.status().shared), 10_000, 'fleet reconnected');
    await redis.kill();
    await until(() => fleet.every((g) => !g.state.status().shared), 5000, 'outage noticed');
    const during = await health(fleet[1]!);
    expect(during.state).toMatchObject({ kind: 'redis', shared: false });
    breakerOf(fleet[0]!).trip();
    expect(breakerOf(fleet[1]!).currentState).toBe('closed');
    await redis.start();
    await until(
      () => fleet.every((g) => breakerOf(g).currentState === 'open'),
      10_000,
      'open breaker shared after Redis returned',
    );
    expect((await health(fleet[2]!)).state).toEqual({ kind: 'redis', shared: true });
  });
});
