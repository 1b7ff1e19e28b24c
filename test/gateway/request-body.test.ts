import { describe, expect, it } from 'vitest';
import { isLlmFailoverError } from '../../src/errors/index.js';
import { parseJsonObject } from '../../src/gateway/index.js';

describe('parseJsonObject', () => {
  it('keeps the body out of a malformed-JSON error, its JSON view included', () => {
    let caught: unknown;
    try {
      parseJsonObject(Buffer.from('private-words'));
    } catch (err) {
      caught = err;
    }
    expect(isLlmFailoverError(caught, 'INVALID_REQUEST')).toBe(true);
    expect(JSON.stringify(caught)).toMatch(/malformed JSON/);
    expect(JSON.stringify(caught)).not.toContain('private-words');
  });
});
