import { describe, expect, it } from 'vitest';
import { expandEnv, expandEnvString } from '../../src/config/index.js';

describe('expandEnvString', () => {
  const env = { HOST: 'example', EMPTY: '', PORT: '8080' };

  it('replaces ${VAR} with the variable value', () => {
    expect(expandEnvString('http://${HOST}:${PORT}/v1', env)).toBe('http://example:8080/v1');
  });

  it('replaces an unset ${VAR} with an empty string', () => {
    expect(expandEnvString('key=${MISSING}.', env)).toBe('key=.');
  });

  it('uses the default of ${VAR:-default} when the variable is unset or empty', () => {
    expect(expandEnvString('${MISSING:-http://127.0.0.1:8080/v1}', env)).toBe(
      'http://127.0.0.1:8080/v1',
    );
    expect(expandEnvString('${EMPTY:-fallback}', env)).toBe('fallback');
  });

  it('ignores the default when the variable is set', () => {
    expect(expandEnvString('${PORT:-4000}', env)).toBe('8080');
  });

  it('accepts an empty default', () => {
    expect(expandEnvString('[${MISSING:-}]', env)).toBe('[]');
  });

  it('keeps $${VAR} as a literal ${VAR}', () => {
    expect(expandEnvString('cost $${PORT}', env)).toBe('cost ${PORT}');
  });

  it('leaves text that is not a reference alone', () => {
    expect(expandEnvString('a $HOST ${1x} ${ b} $', env)).toBe('a $HOST ${1x} ${ b} $');
  });
});

describe('expandEnv', () => {
  it('expands string values at every depth but never keys or non-strings', () => {
    const tree = { '${A}': ['${A}', 3, true, null, { k: '${A:-d}' }] };
    expect(expandEnv(tree, { A: 'x' })).toEqual({ '${A}': ['x', 3, true, null, { k: 'x' }] });
  });
});
