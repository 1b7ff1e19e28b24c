/**
 * `${VAR}` / `${VAR:-default}` references. `$${` escapes a literal `${`. Names follow the
 * shell's rules so a stray `${` in a URL or prompt is left alone rather than half-expanded.
 */
const REFERENCE = /\$(\$)?\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Expands environment references in one string. `${VAR}` becomes the variable's value, or ""
 * when it is unset; `${VAR:-default}` becomes `default` when VAR is unset or empty (as in sh).
 */
export function expandEnvString(text: string, env: NodeJS.ProcessEnv): string {
  if (!text.includes('${')) return text;
  return text.replace(
    REFERENCE,
    (whole, escaped: string | undefined, name: string, fallback: string | undefined) => {
      if (escaped !== undefined) return whole.slice(1);
      const value = env[name];
      if (value !== undefined && value !== '') return value;
      return fallback ?? '';
    },
  );
}

/**
 * Expands environment references in every string of a parsed YAML tree (values only, not keys),
 * returning a new tree. Runs before validation, so numeric fields may arrive as strings; the
 * schema accepts numeric strings for them.
 */
export function expandEnv(value: unknown, env: NodeJS.ProcessEnv): unknown {
  if (typeof value === 'string') return expandEnvString(value, env);
  if (Array.isArray(value)) return value.map((item) => expandEnv(item, env));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = expandEnv(item, env);
    return out;
  }
  return value;
}

/** Names of the variables a string references (`${A} ${B:-x}` -> `['A', 'B']`), escapes excluded. */
export function referencedVariables(text: string): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(REFERENCE)) {
    if (match[1] === undefined && match[2] !== undefined) names.push(match[2]);
  }
  return names;
}
