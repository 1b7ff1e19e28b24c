import { z } from 'zod';
import { DEFAULT_REQUEST_LIMITS as LIMITS } from '../gateway/index.js';
import { unforwardableHeaderReason } from '../protocols/index.js';
import { DEFAULT_RESPONSE_STORE_LIMITS as STORE_LIMITS } from '../state/index.js';

/**
 * Env expansion runs before validation, so `port: "${PORT:-4000}"` arrives as a string. Numeric
 * and boolean fields accept the obvious string spellings; anything else fails with the field's path.
 */
function fromString(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (text === 'true') return true;
  if (text === 'false') return false;
  return value;
}

const int = (min = 0) => z.preprocess(fromString, z.number().int().min(min));
const ratio = z.preprocess(fromString, z.number().min(0).max(1));
const bool = z.preprocess(fromString, z.boolean());

/**
 * An http(s) URL, or the pseudo-URL `mock://` meaning "the built-in mock upstream" (so one
 * backend can switch between a real server and the mock through one variable).
 */
const httpUrl = z.string().refine(isHttpUrlOrMock, {
  message: 'Invalid URL (expected http://..., https://... or mock://)',
});

/** Base URL of an anthropic backend that sets none. */
export const DEFAULT_ANTHROPIC_BASE_URL = 'https://api.anthropic.com';

/** The pseudo base URL that selects the built-in mock upstream for an openai/anthropic backend. */
export const MOCK_BASE_URL = 'mock://';

const circuitBreakerSchema = z.strictObject({
  failMax: int(1).optional(),
  resetTimeoutMs: int(1).optional(),
  probeTimeoutMs: int(1).optional(),
  maxRetryAfterMs: int(0).optional(),
});

const retryBudgetSchema = z.union([
  z.literal(false),
  z.strictObject({
    ratio: ratio.optional(),
    minRetriesPerWindow: int(0).optional(),
    windowMs: int(1).optional(),
  }),
]);

/** Options every backend type shares: the client's retry, timeout and breaker knobs. */
const clientOptionShape = {
  maxRetries: int(0).optional(),
  backoffBaseMs: int(0).optional(),
  backoffCapMs: int(0).optional(),
  timeoutMs: int(1).optional(),
  connectTimeoutMs: int(1).optional(),
  firstByteTimeoutMs: int(1).optional(),
  idleTimeoutMs: int(1).optional(),
  maxResponseBytes: int(1).optional(),
  maxStreamEventChars: int(1).optional(),
  circuitBreaker: circuitBreakerSchema.optional(),
  retryBudget: retryBudgetSchema.optional(),
  headers: z.record(z.string(), z.string()).optional(),
  defaultMaxTokens: int(1).optional(),
  /** Background `GET {baseUrl}/models` probe: meant for local servers. */
  healthProbe: z
    .strictObject({
      intervalMs: int(100),
      timeoutMs: int(1).optional(),
      path: z.string().startsWith('/').optional(),
    })
    .optional(),
};

/**
 * `forwardHeaders`: the caller's headers this backend forwards upstream, replacing its protocol's
 * default list (DEFAULT_FORWARDED_HEADERS); `[]` forwards none. Credentials, cookies and
 * hop-by-hop headers are refused here, naming the header.
 */
const forwardHeadersSchema = z.array(
  z
    .string()
    .transform((name) => name.trim().toLowerCase())
    .superRefine((name, ctx) => {
      const reason = unforwardableHeaderReason(name);
      if (reason !== undefined) ctx.addIssue({ code: 'custom', message: `"${name}": ${reason}` });
    }),
);

/** Shared by the two real-upstream types. `apiKey` present but empty => backend disabled. */
const upstreamShape = {
  ...clientOptionShape,
  baseUrl: httpUrl.optional(),
  apiKey: z.string().optional(),
  forwardHeaders: forwardHeadersSchema.optional(),
};

export const PRESET_NAMES = [
  'openai',
  'groq',
  'together',
  'fireworks',
  'mistral',
  'deepseek',
  'openrouter',
] as const;

const openAIBackendSchema = z.strictObject({
  type: z.literal('openai'),
  ...upstreamShape,
  preset: z.enum(PRESET_NAMES).optional(),
  /** Which OpenAI API the upstream is spoken to in: Chat Completions (default) or Responses. */
  api: z.enum(['chat', 'responses']).optional(),
});

const anthropicBackendSchema = z.strictObject({
  type: z.literal('anthropic'),
  ...upstreamShape,
});

const mockFaultSchema = z.strictObject({
  status: int(100).optional(),
  retryAfterSeconds: z.preprocess(fromString, z.number().min(0)).optional(),
  errorFirstEvent: bool.optional(),
  cutAfterChunks: int(0).optional(),
  stallMs: int(0).optional(),
  stallAfterChunks: int(0).optional(),
  firstByteDelayMs: int(0).optional(),
  malformedSse: bool.optional(),
  latencyMs: int(0).optional(),
  resetConnection: bool.optional(),
  body: z.unknown().optional(),
});

const mockBackendSchema = z.strictObject({
  type: z.literal('mock'),
  ...clientOptionShape,
  protocol: z.enum(['openai', 'anthropic', 'openai-responses']).optional(),
  faults: z.array(mockFaultSchema).optional(),
  chunkDelayMs: int(0).optional(),
});

const backendSchema = z.discriminatedUnion(
  'type',
  [openAIBackendSchema, anthropicBackendSchema, mockBackendSchema],
  { error: 'type must be one of: openai, anthropic, mock' },
);

const routeSchema = z.strictObject({
  match: z.union([
    z.string().min(1),
    z.strictObject({
      regex: z.string().refine(isValidRegex, { message: 'Invalid regular expression' }),
    }),
  ]),
  priority: z.preprocess(fromString, z.number().int()).optional(),
  targets: z
    .array(z.strictObject({ backend: z.string().min(1), model: z.string().min(1).optional() }))
    .min(1, { message: 'a route needs at least one target' }),
});

/** A web origin (`http://localhost:5173`: scheme, host, optional port, nothing else) or `*`. */
const originSchema = z
  .string()
  .refine(isOriginOrStar, {
    message:
      'expected a web origin such as http://localhost:5173 (scheme://host[:port], no path), or "*"',
  })
  .transform((text) => (text === '*' ? text : new URL(text).origin));

/** A host name (no scheme, no port) a reverse proxy forwards in `Host`, or `*`. */
const hostNameSchema = z.string().regex(/^(\*|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9.])?)$/, {
  message: 'expected a host name such as llm.example.com (no scheme, no port), or "*"',
});

/**
 * Browser safety and server limits (docs/config.md). Optional: the defaults live in the gateway
 * (`DEFAULT_REQUEST_LIMITS`, `BrowserGuard`), so a library user gets the same ones.
 */
const edgeServerShape = {
  cors: z.strictObject({ allowedOrigins: z.array(originSchema).optional() }).optional(),
  allowedHosts: z.array(hostNameSchema).optional(),
  protectInfoEndpoints: bool.optional(),
  headersTimeoutMs: int(0).optional(),
  requestTimeoutMs: int(0).optional(),
  keepAliveTimeoutMs: int(1).optional(),
  maxConnections: int(1).optional(),
  maxConcurrentRequests: int(1).optional(),
};

const serverSchema = z.strictObject({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.preprocess(fromString, z.number().int().min(0).max(65535)).default(4000),
  // `["${GATEWAY_KEY}"]` with the variable unset means "no gateway keys", not a key "".
  apiKeys: z
    .array(z.string())
    .default([])
    .transform((keys) => keys.filter((key) => key.trim() !== '')),
  bodyLimitBytes: int(1).default(10 * 1024 * 1024),
  maxNestingDepth: int(1).default(128),
  shutdownGraceMs: int(0).default(10_000),
  firstByteTimeoutMs: int(1).optional(),
  ...edgeServerShape,
});

/** node:http refuses a headers timeout longer than the whole-request timeout: say it here. */
function checkReceiveTimeouts(
  server: { headersTimeoutMs?: number | undefined; requestTimeoutMs?: number | undefined },
  ctx: z.RefinementCtx,
): void {
  const headers = server.headersTimeoutMs ?? LIMITS.headersTimeoutMs;
  const request = server.requestTimeoutMs ?? LIMITS.requestTimeoutMs;
  if (request > 0 && headers > request) {
    ctx.addIssue({
      code: 'custom',
      path: ['server', 'headersTimeoutMs'],
      message: `must not exceed server.requestTimeoutMs (${request})`,
    });
  }
}

/**
 * `state`: where breakers, retry budgets and probe verdicts live. Absent: this process's memory.
 * `redis`: shared by every gateway using the same Redis (docs/fleet.md). The URL may hold a
 * password: messages here never repeat the value.
 */
const stateSchema = z.strictObject({
  redis: z
    .strictObject({
      url: z.string().refine((text) => /^rediss?:\/\/[^\s]/.test(text) && URL.canParse(text), {
        message: 'Invalid URL (expected redis://[:password@]host:port[/db] or rediss://...)',
      }),
      keyPrefix: z.string().min(1).optional(),
      commandTimeoutMs: int(1).optional(),
    })
    .optional(),
});

/**
 * The gateway's own store of the Responses it produced (for `previous_response_id` on any
 * backend and `GET /v1/responses/{id}`): bounded, in memory. `maxEntries: 0` keeps nothing.
 */
const responsesSchema = z.strictObject({
  store: z
    .strictObject({
      maxEntries: int(0).default(STORE_LIMITS.maxEntries),
      maxBytes: int(1).default(STORE_LIMITS.maxBytes),
      ttlSeconds: int(1).default(STORE_LIMITS.ttlSeconds),
    })
    .prefault({}),
});

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** The whole config file. Unknown keys anywhere are errors: a typo must not be silently ignored. */
export const gatewayConfigSchema = z
  .strictObject({
    server: serverSchema.prefault({}),
    backends: z.record(z.string().regex(/^[A-Za-z0-9_.-]+$/), backendSchema),
    routes: z.array(routeSchema).default([]),
    responses: responsesSchema.prefault({}),
    logging: z.strictObject({ level: z.enum(LOG_LEVELS).default('info') }).prefault({}),
    state: stateSchema.optional(),
  })
  .superRefine((config, ctx) => {
    checkReceiveTimeouts(config.server, ctx);
    for (const [name, backend] of Object.entries(config.backends)) {
      if (backend.type !== 'openai' || backend.baseUrl !== undefined) continue;
      if (backend.preset !== undefined) continue;
      ctx.addIssue({
        code: 'custom',
        path: ['backends', name, 'baseUrl'],
        message: 'required for type openai (or set preset)',
      });
    }
    config.routes.forEach((route, r) => {
      route.targets.forEach((target, t) => {
        if (Object.hasOwn(config.backends, target.backend)) return;
        const known = Object.keys(config.backends).join(', ') || 'none';
        ctx.addIssue({
          code: 'custom',
          path: ['routes', r, 'targets', t, 'backend'],
          message: `unknown backend "${target.backend}" (defined: ${known})`,
        });
      });
    });
  });

function isHttpUrlOrMock(text: string): boolean {
  return text === MOCK_BASE_URL || (/^https?:\/\/[^\s/]/.test(text) && URL.canParse(text));
}

function isOriginOrStar(text: string): boolean {
  if (text === '*') return true;
  if (!URL.canParse(text)) return false;
  const url = new URL(text);
  return (
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    url.origin.toLowerCase() === text.replace(/\/$/, '').toLowerCase()
  );
}

function isValidRegex(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

/** A validated config, defaults applied. */
export type GatewayConfig = z.output<typeof gatewayConfigSchema>;
/** One backend's validated entry. */
export type BackendConfig = GatewayConfig['backends'][string];
/** One route's validated entry. */
export type RouteEntry = GatewayConfig['routes'][number];
/** Accepted log levels. */
export type LogLevel = GatewayConfig['logging']['level'];
