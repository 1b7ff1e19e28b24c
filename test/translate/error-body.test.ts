import { describe, expect, it } from 'vitest';
import { anthropicErrorBodySchema, openAIErrorBodySchema } from '../../src/protocols/index.js';
import {
  anthropicErrorToOpenAI,
  anthropicErrorTypeForStatus,
  openAIErrorToAnthropic,
  openAIErrorTypeForStatus,
  statusForAnthropicErrorType,
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
      expect(anthropicErrorBodySchema().safeParse(openAIErrorToAnthropic(junk, 502)).success).toBe(
        true,
      );
      expect(openAIErrorBodySchema().safeParse(anthropicErrorToOpenAI(junk, 502)).success).toBe(
        true,
      );
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
