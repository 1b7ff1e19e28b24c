import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { caught, chatRequests, startHarness } from './support/gateway-harness.js';
import type { Harness } from './support/gateway-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** The SSE events of a raw streamed answer: `[event name, parsed data]`, in order. */
async function sseEvents(res: Response): Promise<[string, Record<string, unknown>][]> {
  const text = await res.text();
  return text
    .split('\n\n')
    .filter((frame) => frame.trim() !== '')
    .map((frame) => {
      const name = /^event: (.*)$/m.exec(frame)?.[1] ?? '';
      const data = /^data: (.*)$/m.exec(frame)?.[1] ?? '{}';
      return [name, JSON.parse(data) as Record<string, unknown>];
    });
}

function postResponses(h: Harness, body: Record<string, unknown>): Promise<Response> {
  return fetch(`${h.url}/v1/responses`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('POST /v1/responses failover and the commit point', () => {
  it('fails over to the next backend when the first is down, non-streaming', async () => {
    h = await startHarness({ localDown: true });
    const { data, response } = await h.openai.responses
      .create({ model: 'm-1', input: 'anyone there?' })
      .withResponse();
    expect(data.output_text).toBe('echo: anyone there?');
    expect(response.headers.get('x-llm-failover-backend')).toBe('cloud');
    expect(response.headers.get('x-llm-failover-fallback')).toBe('local:CONNECTION');
  });

  it('fails over before the commit (in-band error as the first event) and sends only the second backend stream', async () => {
    h = await startHarness({ localFaults: [{ errorFirstEvent: true }] });
    const res = await postResponses(h, { model: 'm-1', input: 'once only', stream: true });
    expect(res.headers.get('x-llm-failover-backend')).toBe('cloud');
    const events = await sseEvents(res);
    const names = events.map(([name]) => name);
    expect(names.filter((n) => n === 'response.created')).toHaveLength(1);
    expect(names.at(-1)).toBe('response.completed');
    const text = events
      .filter(([name]) => name === 'response.output_text.delta')
      .map(([, data]) => String(data.delta))
      .join('');
    expect(text).toBe('echo: once only');
    expect(chatRequests(h.local)).toBe(1);
  });

  it('ends a stream cut after the commit with response.failed for the same response, never response.completed, and never asks the next backend', async () => {
    h = await startHarness({ localFaults: [{ cutAfterChunks: 3 }] });
    const res = await postResponses(h, { model: 'm-1', input: 'a b c d e f g h', stream: true });
    expect(res.status).toBe(200);
    const events = await sseEvents(res);
    const names = events.map(([name]) => name);
    expect(names).toContain('response.output_text.delta');
    expect(names.at(-1)).toBe('response.failed');
    expect(names).not.toContain('response.completed');
    const created = events.find(([name]) => name === 'response.created')?.[1];
    const failed = events.at(-1)?.[1] as {
      response: Record<string, unknown>;
      sequence_number: number;
    };
    expect(failed.response.id).toBe((created?.response as { id: string }).id);
    expect(failed.response.status).toBe('failed');
    expect(failed.sequence_number).toBe(
      (events.at(-2)?.[1] as { sequence_number: number }).sequence_number + 1,
    );
    expect(chatRequests(h.cloud)).toBe(0);
    const metrics = await fetch(`${h.url}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(
      /llm_failover_truncated_streams_total\{protocol="openai-responses",backend="local"\} 1/,
    );
  });

  it('gives the openai SDK a final response with status failed and the error when the stream is cut after the commit', async () => {
    h = await startHarness({ localFaults: [{ cutAfterChunks: 3 }] });
    const stream = h.openai.responses.stream({ model: 'm-1', input: 'a b c d e f g h' });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    const final = await stream.finalResponse();
    expect(types.at(-1)).toBe('response.failed');
    expect(types).not.toContain('response.completed');
    expect(final.status).toBe('failed');
    expect(final.error?.message).toMatch(/.+/);
    expect(final.output_text).not.toBe('echo: a b c d e f g h');
  });

  it('does not replay a delivered function call from a second backend when the stream is cut after it', async () => {
    h = await startHarness({ localFaults: [{ cutAfterChunks: 4 }] });
    const res = await postResponses(h, {
      model: 'm-1',
      stream: true,
      input: 'call tool once',
      tools: [{ type: 'function', name: 'run', parameters: { type: 'object' } }],
    });
    const events = await sseEvents(res);
    const added = events.filter(
      ([name, data]) =>
        name === 'response.output_item.added' &&
        (data.item as { type?: string } | undefined)?.type === 'function_call',
    );
    expect(added.length).toBeLessThanOrEqual(1);
    expect(events.map(([name]) => name)).not.toContain('response.completed');
    expect(chatRequests(h.cloud)).toBe(0);
  });

  it('answers a caller error as a 400 in the OpenAI error shape', async () => {
    h = await startHarness();
    const err = await caught(
      h.openai.responses.create({ input: 'no model' } as Parameters<
        typeof h.openai.responses.create
      >[0]),
    );
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as InstanceType<typeof OpenAI.BadRequestError>).message).toContain('model');
  });
});
