/** Shorter strings would redact ordinary words; real credentials are long. */
const MIN_SECRET_LENGTH = 8;

/**
 * Replaces every occurrence of the given secrets in `text` with `[REDACTED]`.
 * Used where upstream text (error bodies, socket errors) could echo a key back.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret !== undefined && secret.length >= MIN_SECRET_LENGTH && out.includes(secret)) {
      out = out.split(secret).join('[REDACTED]');
    }
  }
  return out;
}

/**
 * Every string to redact for one backend: its API key and each value of its `headers:` option
 * (the docs invite `${VAR}` credentials there), each also as the credential after an auth scheme
 * (`Bearer x` echoed as `x`) and in its JSON-escaped spelling (a body echoing it as a JSON
 * string escapes `"`, `\` and `/`). Longest first, so a value is redacted before a part of it.
 */
export function backendSecrets(
  apiKey: string | undefined,
  headers: Readonly<Record<string, string>> | undefined,
): string[] {
  const found = new Set<string>();
  for (const value of [apiKey, ...Object.values(headers ?? {})]) {
    if (value === undefined) continue;
    const trimmed = value.trim();
    const credential = /^[A-Za-z][\w-]*\s+(\S.*)$/.exec(trimmed)?.[1];
    for (const form of [trimmed, credential]) {
      if (form === undefined || form.length < MIN_SECRET_LENGTH) continue;
      found.add(form);
      found.add(JSON.stringify(form).slice(1, -1));
      found.add(JSON.stringify(form).slice(1, -1).replaceAll('/', '\\/'));
    }
  }
  return [...found].sort((a, b) => b.length - a.length);
}
