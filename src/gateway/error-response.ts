import { isLlmFailoverError } from '../errors/index.js';
import type { LlmFailoverError } from '../errors/index.js';
import type { Protocol } from '../protocols/protocol.js';
import { anthropicMessagesWire, openAIChatWire, wireProtocolOf } from '../protocols/index.js';
import { isAllBackendsFailedError } from '../routing/index.js';
import type { SseEvent } from '../sse/sse-event.js';
import { fallbackHeader, headerSafe } from './header-values.js';

/** An error as the gateway answers it, before it is put in a protocol's shape. */
export interface ErrorDescription {
  status: number;
  /** The OpenAI error type for `status` (from the protocol's table; bodies are built from it). */
  openaiType: string;
  /** The Anthropic error type for `status` (from the protocol's table). */
  anthropicType: string;
  /** Lower-case error code for the OpenAI `code` field (e.g. `all_backends_failed`). */
  code: string;
  message: string;
  param: string | null;
  /** Whole seconds for `retry-after`, when waiting makes sense. */
  retryAfterSeconds: number | undefined;
  failures: readonly { backend: string; reason: string; status?: number }[] | undefined;
}

/** A ready-to-send error response in the caller's protocol. */
export interface ErrorResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * What an error code answers: only the HTTP status. The error type of each protocol follows the
 * status through that protocol's one table (protocols/<name>/error.ts), so a 503 is
 * `overloaded_error` for Anthropic callers and `server_error` for OpenAI callers.
 */
type Kind = number;

const BAD_REQUEST = 400;
const BAD_GATEWAY = 502;
const UNAVAILABLE = 503;
const NOT_FOUND = 404;
const TOO_LARGE = 413;

/** Status of an upstream-side failure code (also the last error of ALL_BACKENDS_FAILED). */
function upstreamKind(code: string | undefined, status: number | undefined): Kind {
  if (code === 'RATE_LIMITED') return 429;
  if (code === 'TIMEOUT') return 504;
  if (code === 'CIRCUIT_OPEN') return UNAVAILABLE;
  if (code === 'UPSTREAM_SERVER' && (status === 503 || status === 529)) return UNAVAILABLE;
  // CONNECTION, other 5xx, UPSTREAM_AUTH (our key for that backend, not the caller's), streams.
  return BAD_GATEWAY;
}

/** A caller error keeps the upstream's 4xx (400 when there is none). */
function callerKind(err: LlmFailoverError): Kind {
  return err.status !== undefined && err.status >= 400 && err.status < 500
    ? err.status
    : BAD_REQUEST;
}

function kindOf(err: LlmFailoverError): Kind {
  switch (err.code) {
    case 'INVALID_REQUEST':
    case 'TRANSLATION_UNSUPPORTED':
    case 'UPSTREAM_BAD_REQUEST':
      return callerKind(err);
    case 'NO_ROUTE':
      return NOT_FOUND;
    case 'UNAUTHORIZED':
      return 401;
    case 'PAYLOAD_TOO_LARGE':
      return TOO_LARGE;
    case 'REQUEST_TIMEOUT':
      return 408;
    case 'ABORTED':
      // Nobody reads this answer: the caller has gone (nginx's "client closed request").
      return 499;
    case 'ALL_BACKENDS_FAILED': {
      const last = isAllBackendsFailedError(err) ? err.lastCode : undefined;
      return last === undefined ? UNAVAILABLE : upstreamKind(last, err.status);
    }
    case 'NO_ENABLED_BACKEND':
      // Not 503/529: every client (Anthropic/OpenAI SDKs, Claude Code, AI SDK, LangChain) retries
      // those and then reports "overloaded". 400 is retried by none and its message is shown as
      // is: it names the disabled backends and the variable that would enable them.
      return BAD_REQUEST;
    case 'SHUTTING_DOWN':
      return UNAVAILABLE;
    case 'INVALID_CONFIG':
      return 500;
    case 'CIRCUIT_OPEN':
    case 'CONNECTION':
    case 'RATE_LIMITED':
    case 'STREAM_TRUNCATED':
    case 'STREAM_UPSTREAM_ERROR':
    case 'UPSTREAM_RESPONSE_TOO_LARGE':
    case 'TIMEOUT':
    case 'UPSTREAM_AUTH':
    case 'UPSTREAM_SERVER':
      return upstreamKind(err.code, err.status);
  }
}

/** The status and each protocol's error type for it. */
function typed(status: number): Pick<ErrorDescription, 'status' | 'openaiType' | 'anthropicType'> {
  return {
    status,
    openaiType: openAIChatWire.errorTypes.typeForStatus(status),
    anthropicType: anthropicMessagesWire.errorTypes.typeForStatus(status),
  };
}

/** The upstream's own message for a caller error (it says what is wrong with the request). */
function upstreamMessage(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const error = (body as { error?: unknown }).error;
  if (error === null || typeof error !== 'object') return undefined;
  const message = (error as { message?: unknown }).message;
  return typeof message === 'string' ? message : undefined;
}

/**
 * Maps any error to what the gateway answers: the single place where codes become statuses.
 * Non-library errors are bugs: a generic 500 that leaks nothing.
 */
export function describeError(err: unknown): ErrorDescription {
  if (!isLlmFailoverError(err)) {
    return {
      ...typed(500),
      code: 'internal_error',
      message: 'internal gateway error',
      param: null,
      retryAfterSeconds: undefined,
      failures: undefined,
    };
  }
  const kind = typed(kindOf(err));
  const upstream =
    err.code === 'UPSTREAM_BAD_REQUEST' ? upstreamMessage(err.upstreamBody) : undefined;
  const waits = kind.status === 429 || kind.status === 503;
  return {
    ...kind,
    code: err.code.toLowerCase(),
    message: upstream ?? err.message,
    param: err.path ?? null,
    retryAfterSeconds:
      waits && err.retryAfterMs !== undefined
        ? Math.max(1, Math.ceil(err.retryAfterMs / 1000))
        : undefined,
    failures: isAllBackendsFailedError(err) ? err.failures : undefined,
  };
}

/** The error body in `protocol`'s shape, with the request id. */
export function errorBody(
  d: ErrorDescription,
  protocol: Protocol,
  requestId: string,
): Record<string, unknown> {
  const wire = wireProtocolOf(protocol);
  return wire.errorBody({
    type: wire.errorTypes.typeForStatus(d.status),
    message: d.message,
    code: d.code,
    param: d.param,
    requestId,
    ...(d.failures === undefined ? {} : { details: { failures: d.failures } }),
  });
}

/** A complete error response (status, headers, JSON body) in the caller's protocol. */
export function errorResponse(err: unknown, protocol: Protocol, requestId: string): ErrorResponse {
  const d = describeError(err);
  const body = JSON.stringify(errorBody(d, protocol, requestId));
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    'x-request-id': requestId,
  };
  const idHeader = wireProtocolOf(protocol).requestIdHeader;
  if (idHeader !== undefined) headers[idHeader] = requestId;
  if (d.retryAfterSeconds !== undefined) headers['retry-after'] = String(d.retryAfterSeconds);
  addRoutingHeaders(headers, err, d);
  return { status: d.status, headers, body };
}

/** Which backends an error came from, as on a success: the reasons and the attempts spent. */
function addRoutingHeaders(
  headers: Record<string, string>,
  err: unknown,
  d: ErrorDescription,
): void {
  if (!isLlmFailoverError(err)) return;
  if (err.attempts !== undefined) headers['x-llm-failover-attempts'] = String(err.attempts);
  if (d.failures !== undefined && d.failures.length > 0) {
    headers['x-llm-failover-fallback'] = fallbackHeader(d.failures);
  } else if (err.code === 'UPSTREAM_BAD_REQUEST' && err.backend !== undefined) {
    // The backend that refused the caller's request (a config name, never a secret).
    headers['x-llm-failover-backend'] = headerSafe(err.backend);
  }
}

/**
 * The event that ends a committed stream after a failure: OpenAI `data: {"error":...}`, Anthropic
 * `event: error`. Never followed by `[DONE]` or `message_stop`.
 */
export function streamErrorEvent(err: unknown, protocol: Protocol, requestId: string): SseEvent {
  return wireProtocolOf(protocol).errorEvent(streamErrorBody(err, protocol, requestId));
}

/** The error body a committed stream's error event carries (see streamErrorEvent). */
export function streamErrorBody(
  err: unknown,
  protocol: Protocol,
  requestId: string,
): Record<string, unknown> {
  return errorBody(describeError(err), protocol, requestId);
}
