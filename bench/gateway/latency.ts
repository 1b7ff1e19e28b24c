// Sequential latency, time to first streamed content and failover cost: undici one request at a
// time, targets interleaved (a, b, c, a, b, c...) so machine noise hits every target alike.
import { Agent, request } from 'undici';

/** Keep-alive client for the sequential measurements (and the memory run's 1,000 streams). */
export const benchAgent = new Agent({ keepAliveTimeout: 60_000, connections: 2048 });

/** A small OpenAI chat request. */
export function chatBody(model: string, stream = false, text = 'hello from the benchmark'): string {
  return JSON.stringify({ model, stream, messages: [{ role: 'user', content: text }] });
}

const JSON_HEADERS = { 'content-type': 'application/json' };

/** One non-streaming POST to `${base}/v1/chat/completions`; resolves its latency in ms. */
export async function timedChat(base: string, body: string): Promise<number> {
  const start = performance.now();
  const res = await request(`${base}/v1/chat/completions`, {
    method: 'POST',
    headers: JSON_HEADERS,
    body,
    dispatcher: benchAgent,
  });
  await res.body.text();
  const ms = performance.now() - start;
  if (res.statusCode !== 200) throw new Error(`${base}: status ${res.statusCode}`);
  return ms;
}

// An OpenAI chunk whose delta carries text: the role-only first chunk does not count.
const CONTENT = /"content":"[^"]/;

/**
 * One streaming POST; resolves the time in ms until the first chunk carrying content arrived
 * (the body is then read to its end so the connection is reused).
 */
export async function timeToFirstContent(base: string, body: string): Promise<number> {
  const start = performance.now();
  const res = await request(`${base}/v1/chat/completions`, {
    method: 'POST',
    headers: JSON_HEADERS,
    body,
    dispatcher: benchAgent,
  });
  let seen = '';
  let first: number | undefined;
  for await (const chunk of res.body) {
    if (first !== undefined) continue;
    seen += (chunk as Buffer).toString('utf8');
    if (CONTENT.test(seen)) first = performance.now() - start;
  }
  if (res.statusCode !== 200 || first === undefined) {
    throw new Error(`${base}: status ${res.statusCode}, content seen: ${first !== undefined}`);
  }
  return first;
}

/** The p-th percentile (0-100) of `samples`, nearest-rank. */
export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

/** Runs `n` rounds of `measure` on every target, interleaved; resolves the samples per target. */
export async function interleaved(
  targets: Record<string, () => Promise<number>>,
  n: number,
): Promise<Record<string, number[]>> {
  const samples: Record<string, number[]> = {};
  for (const name of Object.keys(targets)) samples[name] = [];
  for (let i = 0; i < n; i++) {
    for (const [name, measure] of Object.entries(targets)) samples[name]?.push(await measure());
  }
  return samples;
}

/** `1.234` with `digits` decimals. */
export const fmt = (value: number, digits = 2): string => value.toFixed(digits);
