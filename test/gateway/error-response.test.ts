import { describe, expect, it } from 'vitest';
import { LlmFailoverError } from '../../src/errors/index.js';
import type { ErrorCode } from '../../src/errors/index.js';
import { errorResponse, streamErrorEvent } from '../../src/gateway/index.js';
import { AllBackendsFailedError, NoEnabledBackendError } from '../../src/routing/index.js';

const err = (code: ErrorCode, facts: ConstructorParameters<typeof LlmFailoverError>[2] = {}) =>
  new LlmFailoverError(code, `${code} happened`, facts);

describe('errorResponse status mapping', () => {
  it.each([
    ['INVALID_REQUEST', {}, 400],
    ['TRANSLATION_UNSUPPORTED', { status: 400 }, 400],
    ['UPSTREAM_BAD_REQUEST', { status: 422 }, 422],
    ['UPSTREAM_BAD_REQUEST', { status: 404 }, 404],
    ['NO_ROUTE', { status: 404 }, 404],
    ['UNAUTHORIZED', {}, 401],
    ['PAYLOAD_TOO_LARGE', {}, 413],
    ['CONNECTION', {}, 502],
    ['UPSTREAM_AUTH', { status: 401 }, 502],
    ['UPSTREAM_SERVER', { status: 500 }, 502],
    ['UPSTREAM_SERVER', { status: 529 }, 503],
    ['CIRCUIT_OPEN', {}, 503],
    ['TIMEOUT', {}, 504],
    ['RATE_LIMITED', { status: 429 }, 429],
    ['STREAM_TRUNCATED', {}, 502],
  ] as const)('answers %s %o with %i', (code, facts, status) => {
    expect(errorResponse(err(code, facts), 'openai', 'rid').status).toBe(status);
  });

  it('never answers an upstream 401 (our key) as 401 to the caller, nor echoes the caller error as 5xx', () => {
    const all = new AllBackendsFailedError(
      'm',
      [{ backend: 'cloud', reason: 'UPSTREAM_AUTH', status: 401 }],
      err('UPSTREAM_AUTH', { status: 401 }),
      1,
    );
    expect(errorResponse(all, 'openai', 'rid').status).toBe(502);
  });

  it('answers 400 invalid_request_error, not a retryable 503, when a route has no enabled backend', () => {
    const none = new NoEnabledBackendError('claude-3', [
      { backend: 'anthropic', reason: 'its apiKey is empty: ANTHROPIC_API_KEY is unset' },
    ]);
    const res = errorResponse(none, 'anthropic', 'r');
    expect(res.status).toBe(400);
    expect(res.headers['retry-after']).toBeUndefined();
    expect(JSON.parse(res.body)).toMatchObject({
      type: 'error',
      error: {
        type: 'invalid_request_error',
        message:
          'no enabled backend can serve model "claude-3" (backend "anthropic" is disabled: its apiKey is empty: ANTHROPIC_API_KEY is unset); enable one and restart the gateway',
      },
    });
    const openai = JSON.parse(errorResponse(none, 'openai', 'r').body) as { error: unknown };
    expect(openai.error).toMatchObject({
      type: 'invalid_request_error',
      code: 'no_enabled_backend',
    });
  });

  it('takes the status of all-failed from the last error and adds retry-after in whole seconds', () => {
    const last = err('RATE_LIMITED', { status: 429, retryAfterMs: 1500 });
    const all = new AllBackendsFailedError(
      'm',
      [
        { backend: 'a', reason: 'CONNECTION' },
        { backend: 'b', reason: 'RATE_LIMITED', status: 429 },
      ],
      last,
      2,
    );
    const res = errorResponse(all, 'anthropic', 'rid-1');
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('2');
    expect(JSON.parse(res.body)).toEqual({
      type: 'error',
      error: { type: 'rate_limit_error', message: all.message, failures: all.failures },
      request_id: 'rid-1',
    });
  });

  it('shapes an OpenAI error with type, code, param and the request id', () => {
    const res = errorResponse(
      err('INVALID_REQUEST', { status: 400, path: 'messages.0.role' }),
      'openai',
      'rid-2',
    );
    expect(JSON.parse(res.body)).toEqual({
      error: {
        message: 'INVALID_REQUEST happened',
        type: 'invalid_request_error',
        code: 'invalid_request',
        param: 'messages.0.role',
        request_id: 'rid-2',
      },
    });
    expect(res.headers['x-request-id']).toBe('rid-2');
    expect(res.headers['content-length']).toBe(String(Buffer.byteLength(res.body)));
  });

  it("passes the upstream's own message for a caller error", () => {
    const e = err('UPSTREAM_BAD_REQUEST', {
      status: 400,
      upstreamBody: {
        type: 'error',
        error: { type: 'invalid_request_error', message: 'messages: roles must alternate' },
      },
    });
    expect(JSON.parse(errorResponse(e, 'openai', 'r').body).error.message).toBe(
      'messages: roles must alternate',
    );
  });

  it('hides the details of an unexpected (non-library) error behind a generic 500', () => {
    const res = errorResponse(new Error('secret internals at /home/x'), 'anthropic', 'r');
    expect(res.status).toBe(500);
    expect(res.body).not.toContain('secret internals');
  });
});

describe('streamErrorEvent', () => {
  it('is an unnamed data event with an error object for OpenAI callers', () => {
    const ev = streamErrorEvent(err('STREAM_TRUNCATED'), 'openai', 'r');
    expect(ev.event).toBeUndefined();
    expect(JSON.parse(ev.data)).toMatchObject({
      error: { type: 'server_error', code: 'stream_truncated' },
    });
  });

  it('is an `error` event with the Anthropic error body for Anthropic callers', () => {
    const ev = streamErrorEvent(err('TIMEOUT'), 'anthropic', 'r');
    expect(ev.event).toBe('error');
    expect(JSON.parse(ev.data)).toMatchObject({
      type: 'error',
      error: { type: 'timeout_error' },
      request_id: 'r',
    });
  });
});
