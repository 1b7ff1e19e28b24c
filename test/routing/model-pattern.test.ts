import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileModelPattern } from '../../src/routing/index.js';

describe('compileModelPattern', () => {
  it('matches a glob with * anywhere in the name, anchored at both ends', () => {
    const p = compileModelPattern('gpt-4*');
    expect(p.test('gpt-4o-mini')).toBe(true);
    expect(p.test('gpt-4')).toBe(true);
    expect(p.test('xgpt-4o')).toBe(false);
    expect(p.test('gpt-3.5')).toBe(false);
  });

  it('matches ? as exactly one character', () => {
    const p = compileModelPattern('llama-?b');
    expect(p.test('llama-8b')).toBe(true);
    expect(p.test('llama-70b')).toBe(false);
    expect(p.test('llama-b')).toBe(false);
  });

  it('treats regex metacharacters in a glob literally', () => {
    const p = compileModelPattern('qwen2.5-*');
    expect(p.test('qwen2.5-coder')).toBe(true);
    expect(p.test('qwen2x5-coder')).toBe(false);
    expect(compileModelPattern('a+b').test('a+b')).toBe(true);
    expect(compileModelPattern('a+b').test('aab')).toBe(false);
  });

  it('reports a wildcard-free glob as a literal model name', () => {
    expect(compileModelPattern('gpt-4o').literal).toBe('gpt-4o');
    expect(compileModelPattern('gpt-*').literal).toBeUndefined();
    expect(compileModelPattern('gpt-4o').test('gpt-4o-mini')).toBe(false);
  });

  it('uses a { regex } as written', () => {
    const p = compileModelPattern({ regex: '^(claude|anthropic)/' });
    expect(p.test('claude/opus')).toBe(true);
    expect(p.test('anthropic/haiku')).toBe(true);
    expect(p.test('my-claude/opus')).toBe(false);
    expect(p.literal).toBeUndefined();
  });

  it('lets * match every model, including an empty name', () => {
    const p = compileModelPattern('*');
    expect(p.test('')).toBe(true);
    expect(p.test('anything/at:all')).toBe(true);
  });
});

describe('compileModelPattern properties', () => {
  it('matches a name against any glob made from it by turning characters into ? or runs into *', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 20 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        (name, picks) => {
          let glob = '';
          let j = 0;
          for (let k = 0; j < name.length; k++) {
            const pick = picks[k] ?? 0;
            if (pick % 3 === 0) {
              glob += name[j];
              j += 1;
            } else if (pick % 3 === 1) {
              glob += '?';
              j += 1;
            } else {
              glob += '*';
              j += Math.floor(pick / 3) % 3; // a run of 0 to 2 characters
            }
          }
          // Wildcards the name itself contained stay wildcards, which only widens the match.
          expect(compileModelPattern(glob).test(name)).toBe(true);
        },
      ),
    );
  });

  it('matches a wildcard-free glob against exactly one name', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 20 }).filter((s) => !/[*?]/.test(s)),
        fc.string({ maxLength: 20 }),
        (glob, other) => {
          const p = compileModelPattern(glob);
          expect(p.test(glob)).toBe(true);
          expect(p.test(other)).toBe(other === glob);
        },
      ),
    );
  });

  it('agrees with the anchored-RegExp meaning of a glob on small alphabets', () => {
    // The reference the matcher replaced: correct, but polynomial on adversarial names.
    const reference = (glob: string, name: string): boolean =>
      new RegExp(
        `^${glob
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '.*')
          .replace(/\?/g, '.')}$`,
        's',
      ).test(name);
    const alphabet = (chars: string[]) =>
      fc.array(fc.constantFrom(...chars), { maxLength: 12 }).map((a) => a.join(''));
    fc.assert(
      fc.property(alphabet(['a', 'b', '*', '?', '.']), alphabet(['a', 'b', '.']), (glob, name) => {
        expect(compileModelPattern(glob).test(name)).toBe(reference(glob, name));
      }),
      { numRuns: 2000 },
    );
  });

  it('matches a many-star glob against a long adversarial name without backtracking blow-up', () => {
    // As a RegExp, `*:*:*:*z` against 1,000 colons took 34 s: the test would time out.
    const name = ':'.repeat(100_000);
    expect(compileModelPattern('*:*:*:*z').test(name)).toBe(false);
    expect(compileModelPattern('*:*:*:*:').test(name)).toBe(true);
    expect(compileModelPattern('gpt-*-mini-*-x').test(`gpt-${'-mini-'.repeat(20_000)}`)).toBe(
      false,
    );
  });
});
