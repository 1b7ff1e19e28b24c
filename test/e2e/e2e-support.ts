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

/** The chat clients' upstreams: both of the harness's, and `to-responses`, an OpenAI Responses mock. */
export type ChatUpstream = Upstream | 'to-responses';
export const CHAT_UPSTREAMS: readonly ChatUpstream[] = [...UPSTREAMS, 'to-responses'];

/**
 * The gateways the chat clients are judged against: the E2E harness, and a second gateway whose
 * only route, `to-responses`, reaches a mock through a backend speaking the Responses API (so a
 * Responses client is a pass-through there and every other client is translated to Responses).
 */
export interface E2EGateways {
  main: Harness;
  responses: Harness;
  /** The gateway serving `model`. */
  urlFor(model: ChatUpstream): string;
  /** The last chat request the upstream behind `model` received. */
  lastRequest(model: ChatUpstream): RecordedRequest | undefined;
  close(): Promise<void>;
}

export async function startE2EGateways(): Promise<E2EGateways> {
  const main = await startE2EHarness();
  const responses = await startHarness({
    localProtocol: 'openai-responses',
    routes: [{ match: 'to-responses', targets: [{ backend: 'local' }] }],
  });
  const gatewayOf = (model: ChatUpstream): Harness => (model === 'to-responses' ? responses : main);
  return {
    main,
    responses,
    urlFor: (model) => gatewayOf(model).url,
    lastRequest: (model) =>
      lastChatRequest(gatewayOf(model), model === 'to-anthropic' ? 'to-anthropic' : 'to-openai'),
    close: async () => {
      await Promise.all([main.close(), responses.close()]);
    },
  };
}

/** The last chat request the upstream behind `model` received. */
export function lastChatRequest(h: Harness, model: Upstream): RecordedRequest | undefined {
  const server = model === 'to-openai' ? h.local : h.cloud;
  return server?.requests.filter((r) => r.method === 'POST').at(-1);
}

type Parts = string | { text?: string }[] | undefined;
const textOfParts = (content: Parts): string =>
  typeof content === 'string' ? content : (content ?? []).map((p) => p.text ?? '').join('');

/**
 * The system prompt as the upstream received it, in any protocol: Anthropic `system`, Responses
 * `instructions`, or a `system`/`developer` message (Chat `messages`, Responses `input` items).
 */
export function upstreamSystem(request: RecordedRequest | undefined): string {
  const body = request?.body as {
    system?: Parts;
    instructions?: string;
    messages?: { role: string; content: Parts }[];
    input?: { role?: string; content?: Parts }[] | string;
  };
  if (body.system !== undefined) return textOfParts(body.system);
  if (typeof body.instructions === 'string') return body.instructions;
  const messages = body.messages ?? (Array.isArray(body.input) ? body.input : []);
  const system = messages.find((m) => m.role === 'system' || m.role === 'developer');
  return textOfParts(system?.content);
}

/**
 * Whether the upstream received an image part (OpenAI Chat `image_url`, Anthropic `image`,
 * Responses `input_image`).
 */
export function upstreamHasImage(request: RecordedRequest | undefined): boolean {
  const text = JSON.stringify(request?.body ?? {});
  return (
    text.includes('"image_url"') ||
    text.includes('"type":"image"') ||
    text.includes('"type":"input_image"')
  );
}

/** A 1x1 transparent PNG. */
export const PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);
