/** What a route matches: a glob on the requested model (`*`, `?`) or `{ regex }`. */
export type ModelMatch = string | { regex: string };

/** A route pattern compiled once, at router construction. */
export interface ModelPattern {
  /** The pattern as written, for logs and errors. */
  readonly source: string;
  /** The model name when the pattern is a glob without wildcards (it can be listed in /v1/models). */
  readonly literal: string | undefined;
  test(model: string): boolean;
}

/**
 * Compiles a route's `match` into a reusable matcher. Globs are anchored and case-sensitive:
 * `*` matches any run of characters (including `/` and none), `?` exactly one. A `{ regex }` is
 * used as written (unanchored unless it anchors itself).
 * @throws SyntaxError when a `{ regex }` is not a valid regular expression.
 */
export function compileModelPattern(match: ModelMatch): ModelPattern {
  if (typeof match !== 'string') {
    const re = new RegExp(match.regex);
    return { source: `/${match.regex}/`, literal: undefined, test: (model) => re.test(model) };
  }
  if (!match.includes('*') && !match.includes('?')) {
    // The common case (an exact model name) needs no RegExp at all.
    return { source: match, literal: match, test: (model) => model === match };
  }
  if (match === '*') return { source: match, literal: undefined, test: () => true };
  return { source: match, literal: undefined, test: (model) => globMatches(match, model) };
}

/**
 * Glob match without RegExp: a glob with several `*` compiled to `.*...*` backtracks
 * polynomially in V8, and the model name is the caller's (`*:*:*:*z` against 1,000 colons took
 * 34 s). This keeps only the last `*` to retry from, so it is O(name x glob) at worst.
 */
function globMatches(glob: string, text: string): boolean {
  let g = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    const c = glob[g];
    if (c === '*') {
      star = g++;
      mark = t;
    } else if (c !== undefined && (c === '?' || c === text[t])) {
      g++;
      t++;
    } else if (star !== -1) {
      // Let the last `*` swallow one more character and retry the rest of the glob from there.
      g = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (glob[g] === '*') g++;
  return g === glob.length;
}

/** A caller's model name for messages: quoted, and cut so a huge name cannot bloat errors/logs. */
export function quoteModel(model: string): string {
  return JSON.stringify(model.length > 200 ? `${model.slice(0, 200)}...` : model);
}
