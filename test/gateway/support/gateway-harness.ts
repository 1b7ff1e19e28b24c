import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import type { ChatBackend } from '../../../src/backends/index.js';
import {
  MockUpstreamServer,
  createAnthropicBackend,
  createOpenAIBackend,
  createOpenAIResponsesBackend,
} from '../../../src/backends/index.js';
import type { MockFault } from '../../../src/backends/index.js';
import type { Protocol } from '../../../src/protocols/protocol.js';
import { createGateway } from '../../../src/gateway/index.js';
import type { Gateway, GatewayOptions } from '../../../src/gateway/index.js';
import { BackendRouter } from '../../../src/routing/index.js';
import type { BackendRouterOptions, RouteConfig } from '../../../src/routing/index.js';
import type { Clock } from '../../../src/time/index.js';

/** The upstream key of the cloud backend: must never show up anywhere the caller can see. */
export const CLOUD_KEY = 'sk-cloud-upstream-secret-0123456789';
/** A gateway key used by tests that turn the key check on. */
export const GATEWAY_KEY = 'gw-key-for-tests-abcdefghijklmnop';

/** Options of `startHarness`. */
export interface HarnessOptions {
  /** Protocol of the local (first) upstream. Default openai (a llama.cpp/MLX-like server). */
  localProtocol?: Protocol;
  /** Protocol of the cloud (second) upstream. Default anthropic. */
  cloudProtocol?: Protocol;
  /** Local port is closed (connection refused) instead of a running mock. */
  localDown?: boolean;
  localFaults?: MockFault[];
  cloudFaults?: MockFault[];
  /** Default: everything to local then cloud (renamed to `cloud-model`). */
  routes?: RouteConfig[];
  gateway?: Partial<GatewayOptions>;
  router?: Partial<BackendRouterOptions>;
  clock?: Clock;
  /** Breaker failMax of the local backend. Default 5. */
  localFailMax?: number;
}

/** A gateway in front of a local and a cloud mock upstream, with both official SDKs pointed at it. */
export interface Harness {
  local: MockUpstreamServer | undefined;
  cloud: MockUpstreamServer;
  backends: { local: ChatBackend; cloud: ChatBackend };
  router: BackendRouter;
  gateway: Gateway;
  url: string;
  openai: OpenAI;
  anthropic: Anthropic;
  close(): Promise<void>;
}

/** A loopback port with nothing listening on it (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function backendFor(
  name: string,
  protocol: Protocol,
  server: MockUpstreamServer | string,
  options: HarnessOptions,
  apiKey?: string,
): ChatBackend {
  const url = typeof server === 'string' ? server : undefined;
  const common = {
    name,
    maxRetries: 0,
    connectTimeoutMs: 2000,
    ...(apiKey === undefined ? {} : { apiKey }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    circuitBreaker: {
      failMax: name === 'local' ? (options.localFailMax ?? 5) : 5,
      resetTimeoutMs: 30_000,
      ...(options.clock ? { clock: options.clock } : {}),
    },
  };
  if (protocol === 'openai-responses') {
    return createOpenAIResponsesBackend({
      ...common,
      baseUrl: url ?? (server as MockUpstreamServer).openaiBaseUrl,
    });
  }
  if (protocol === 'openai') {
    return createOpenAIBackend({
      ...common,
      baseUrl: url ?? (server as MockUpstreamServer).openaiBaseUrl,
    });
  }
  return createAnthropicBackend({
    ...common,
    baseUrl: url ?? (server as MockUpstreamServer).anthropicBaseUrl,
  });
}

/** Starts the upstreams, backends, router and gateway on 127.0.0.1 ports. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const localProtocol = options.localProtocol ?? 'openai';
  const cloudProtocol = options.cloudProtocol ?? 'anthropic';
  const local =
    options.localDown === true
      ? undefined
      : await MockUpstreamServer.start({ faults: options.localFaults ?? [] });
  const cloud = await MockUpstreamServer.start({ faults: options.cloudFaults ?? [] });
  const localTarget =
    local ?? `http://127.0.0.1:${await closedPort()}${localProtocol === 'anthropic' ? '' : '/v1'}`;
  const backends = {
    local: backendFor('local', localProtocol, localTarget, options),
    cloud: backendFor('cloud', cloudProtocol, cloud, options, CLOUD_KEY),
  };
  const routes = options.routes ?? [
    { match: '*', targets: [{ backend: 'local' }, { backend: 'cloud', model: 'cloud-model' }] },
  ];
  const router = new BackendRouter({
    backends: new Map(Object.entries(backends)),
    routes,
    ...(options.clock ? { clock: options.clock } : {}),
    ...options.router,
  });
  const gateway = createGateway({ router, ...options.gateway });
  const { url } = await gateway.listen(0);
  const key = options.gateway?.apiKeys?.[0] ?? 'caller-key-not-needed';
  return {
    local,
    cloud,
    backends,
    router,
    gateway,
    url,
    openai: new OpenAI({ baseURL: `${url}/v1`, apiKey: key, maxRetries: 0 }),
    anthropic: new Anthropic({ baseURL: url, apiKey: key, maxRetries: 0 }),
    async close() {
      await gateway.close(0);
      await router.close();
      await Promise.all([backends.local.close(), backends.cloud.close()]);
      await Promise.all([local?.close(), cloud.close()]);
    },
  };
}

/** Chat paths the mock upstreams saw (health probes and model lists excluded). */
export function chatRequests(server: MockUpstreamServer | undefined): number {
  return (
    server?.requests.filter(
      (r) =>
        r.path.endsWith('/chat/completions') ||
        r.path.endsWith('/messages') ||
        r.path.endsWith('/responses'),
    ).length ?? 0
  );
}

/** The error a call rejects with; fails the test when the call succeeds instead. */
export async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail');
}
