import { describe, expect, it } from 'vitest';
import { ApiKeyGuard } from '../../src/gateway/index.js';

const KEY = 'gateway-key-0123456789';

describe('ApiKeyGuard', () => {
  it('allows everything when no key is configured, and ignores empty keys (an unset ${VAR})', () => {
    expect(new ApiKeyGuard().allows({})).toBe(true);
    const blank = new ApiKeyGuard(['']);
    expect(blank.enabled).toBe(false);
    expect(blank.allows({})).toBe(true);
  });

  it('accepts the key as a Bearer token (any scheme case) or as x-api-key', () => {
    const guard = new ApiKeyGuard(['other-key-xxxxxxxx', KEY]);
    expect(guard.allows({ authorization: `Bearer ${KEY}` })).toBe(true);
    expect(guard.allows({ authorization: `bearer ${KEY}` })).toBe(true);
    expect(guard.allows({ 'x-api-key': KEY })).toBe(true);
  });

  it('refuses a missing, wrong, prefixed or differently-schemed key', () => {
    const guard = new ApiKeyGuard([KEY]);
    expect(guard.allows({})).toBe(false);
    expect(guard.allows({ authorization: `Bearer ${KEY}x` })).toBe(false);
    expect(guard.allows({ authorization: `Bearer ${KEY.slice(0, -1)}` })).toBe(false);
    expect(guard.allows({ authorization: `Basic ${KEY}` })).toBe(false);
    expect(guard.allows({ 'x-api-key': '' })).toBe(false);
  });

  it('accepts a request when either presented header holds a valid key', () => {
    const guard = new ApiKeyGuard([KEY]);
    expect(guard.allows({ authorization: 'Bearer nope', 'x-api-key': KEY })).toBe(true);
  });
});
