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

const GLOB_SPECIAL = /[.+^${}()|[\]\\]/g;

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
  const body = match.replace(GLOB_SPECIAL, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  const re = new RegExp(`^${body}$`, 's');
  return { source: match, literal: undefined, test: (model) => re.test(model) };
}

/** A caller's model name for messages: quoted, and cut so a huge name cannot bloat errors/logs. */
export function quoteModel(model: string): string {
  return JSON.stringify(model.length > 200 ? `${model.slice(0, 200)}...` : model);
}
