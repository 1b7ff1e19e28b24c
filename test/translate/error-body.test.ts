import { describe, expect, it } from 'vitest';
import { LlmFailoverError } from '../../src/errors/index.js';
import type { ErrorCode } from '../../src/errors/index.js';
import { anthropicErrorBodySchema, openAIErrorBodySchema } from '../../src/protocols/index.js';
import {
  anthropicErrorToOpenAI,
  anthropicErrorTypeForStatus,
  errorToAnthropic,
  errorToOpenAI,
  openAIErrorToAnthropic,
  openAIErrorTypeForStatus,
  statusForAnthropicErrorType,
  statusForError,
} from '../../src/translate/index.js';

describe('error types by status', () => {
  it('maps statuses to Anthropic types: 429 rate limit, 529 overloaded, 401 authentication, 413 too large', () => {
    expect(anthropicErrorTypeForStatus(429)).toBe('rate_limit_error');
    expect(anthropicErrorTypeForStatus(529)).toBe('overloaded_error');
    expect(anthropicErrorTypeForStatus(401)).toBe('authentication_error');
    expect(anthropicErrorTypeForStatus(403)).toBe('permission_error');
    expect(anthropicErrorTypeForStatus(404)).toBe('not_found_error');
    expect(anthropicErrorTypeForStatus(413)).toBe('request_too_large');
    expect(anthropicErrorTypeForStatus(400)).toBe('invalid_request_error');
    expect(anthropicErrorTypeForStatus(500)).toBe('api_error');
    expect(anthropicErrorTypeForStatus(502)).toBe('api_error');
  });

  it('maps statuses to OpenAI types', () => {
    expect(openAIErrorTypeForStatus(429)).toBe('rate_limit_error');
    expect(openAIErrorTypeForStatus(401)).toBe('authentication_error');
    expect(openAIErrorTypeForStatus(400)).toBe('invalid_request_error');
    expect(openAIErrorTypeForStatus(529)).toBe('server_error');
  });

  it('gives an in-band Anthropic error type its HTTP status', () => {
    expect(statusForAnthropicErrorType('overloaded_error')).toBe(529);
    expect(statusForAnthropicErrorType('rate_limit_error')).toBe(429);
    expect(statusForAnthropicErrorType('something_new')).toBe(500);
  });
});

describe('error body translation', () => {
  it('turns any junk into a valid body of the other protocol', () => {
    for (const junk of [undefined, 'oops', { error: 'str' }, { detail: 'x' }]) {
      expect(anthropicErrorBodySchema.safeParse(openAIErrorToAnthropic(junk, 502)).success).toBe(
        true,
      );
      expect(openAIErrorBodySchema.safeParse(anthropicErrorToOpenAI(junk, 502)).success).toBe(true);
    }
    expect(openAIErrorToAnthropic('oops', 502).error).toEqual({
      type: 'api_error',
      message: 'upstream error',
    });
  });

  it('maps an in-band Anthropic overloaded error for an OpenAI stream', () => {
    expect(
      anthropicErrorToOpenAI({
        type: 'error',
        error: { type: 'overloaded_error', message: 'Overloaded' },
      }),
    ).toEqual({
      error: { message: 'Overloaded', type: 'server_error', param: null, code: 'overloaded_error' },
    });
  });
});

describe('LlmFailoverError as a protocol response', () => {
  it('answers validation and translation errors with 400 and the field path', () => {
    const err = new LlmFailoverError('TRANSLATION_UNSUPPORTED', 'n: n > 1 cannot be expressed', {
      status: 400,
      path: 'n',
    });
    expect(errorToOpenAI(err)).toEqual({
      status: 400,
      body: {
        error: {
          message: 'n: n > 1 cannot be expressed',
          type: 'invalid_request_error',
          param: 'n',
          code: 'TRANSLATION_UNSUPPORTED',
        },
      },
    });
    expect(errorToAnthropic(err)).toEqual({
      status: 400,
      body: {
        type: 'error',
        error: { type: 'invalid_request_error', message: 'n: n > 1 cannot be expressed' },
      },
    });
  });

  it('passes upstream rate-limit and overload statuses through', () => {
    const limited = new LlmFailoverError('RATE_LIMITED', 'rate limited by b1', { status: 429 });
    expect(errorToAnthropic(limited).body.error.type).toBe('rate_limit_error');
    const overloaded = new LlmFailoverError('UPSTREAM_SERVER', 'b1 overloaded', { status: 529 });
    expect(errorToAnthropic(overloaded)).toMatchObject({
      status: 529,
      body: { error: { type: 'overloaded_error' } },
    });
    expect(errorToOpenAI(overloaded)).toMatchObject({
      status: 529,
      body: { error: { type: 'server_error' } },
    });
  });

  it('does not blame the caller for the gateway upstream key: upstream 401 becomes 502', () => {
    const auth = new LlmFailoverError('UPSTREAM_AUTH', 'b1 rejected our key', { status: 401 });
    expect(statusForError(auth)).toBe(502);
    expect(errorToAnthropic(auth).body.error.type).toBe('api_error');
  });

  it('has a status for every error code', () => {
    const codes: ErrorCode[] = [
      'CIRCUIT_OPEN',
      'TIMEOUT',
      'CONNECTION',
      'RATE_LIMITED',
      'UPSTREAM_SERVER',
      'UPSTREAM_AUTH',
      'UPSTREAM_BAD_REQUEST',
      'STREAM_TRUNCATED',
      'STREAM_UPSTREAM_ERROR',
      'ABORTED',
      'TRANSLATION_UNSUPPORTED',
      'INVALID_REQUEST',
      'NO_ROUTE',
      'ALL_BACKENDS_FAILED',
      'INVALID_CONFIG',
      'UNAUTHORIZED',
      'PAYLOAD_TOO_LARGE',
    ];
    for (const code of codes) {
      const status = statusForError(new LlmFailoverError(code, 'x'));
      expect(status, code).toBeGreaterThanOrEqual(400);
    }
    expect(statusForError(new LlmFailoverError('TIMEOUT', 'x'))).toBe(504);
    expect(statusForError(new LlmFailoverError('UNAUTHORIZED', 'x'))).toBe(401);
  });
});
