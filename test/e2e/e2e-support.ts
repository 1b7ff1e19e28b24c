import { startHarness } from '../gateway/support/gateway-harness.js';
import type { Harness } from '../gateway/support/gateway-harness.js';
import type { RecordedRequest } from '../../src/backends/index.js';

/**
 * Routes of the end-to-end tests: `to-openai` reaches the OpenAI-protocol mock (backend `local`),
 * `to-anthropic` the Anthropic-protocol mock (backend `cloud`). Every client library is run
 * against both, so each direction of translation and each pass-through is covered.
 */
export const E2E_ROUTES = [
  { match: 'to-openai', targets: [{ backend: 'local' }] },
  { match: 'to-anthropic', targets: [{ backend: 'cloud' }] },
];

export type Upstream = 'to-openai' | 'to-anthropic';
export const UPSTREAMS: readonly Upstream[] = ['to-openai', 'to-anthropic'];

/** A gateway with an OpenAI-protocol and an Anthropic-protocol mock behind it. */
export function startE2EHarness(): Promise<Harness> {
  return startHarness({ localProtocol: 'openai', cloudProtocol: 'anthropic', routes: E2E_ROUTES });
}

/** The last chat request the upstream behind `model` received. */
export function lastChatRequest(h: Harness, model: Upstream): RecordedRequest | undefined {
  const server = model === 'to-openai' ? h.local : h.cloud;
  return server?.requests.filter((r) => r.method === 'POST').at(-1);
}

/** The system prompt as the upstream received it, in either protocol. */
export function upstreamSystem(request: RecordedRequest | undefined): string {
  const body = request?.body as {
    system?: unknown;
    messages?: { role: string; content: unknown }[];
  };
  if (body.system !== undefined) {
    return typeof body.system === 'string'
      ? body.system
      : (body.system as { text: string }[]).map((b) => b.text).join('');
  }
  const system = body.messages?.find((m) => m.role === 'system' || m.role === 'developer');
  return typeof system?.content === 'string'
    ? system.content
    : ((system?.content ?? []) as { text: string }[]).map((p) => p.text).join('');
}

/** Whether the upstream received an image part (OpenAI `image_url` or Anthropic `image`). */
export function upstreamHasImage(request: RecordedRequest | undefined): boolean {
  const text = JSON.stringify(request?.body ?? {});
  return text.includes('"image_url"') || text.includes('"type":"image"');
}

/** A 1x1 transparent PNG. */
export const PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);
