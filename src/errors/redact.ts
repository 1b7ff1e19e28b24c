/**
 * Replaces every occurrence of the given secrets in `text` with `[REDACTED]`.
 * Used where upstream text (error bodies, socket errors) could echo a key back.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    // Short strings would redact ordinary words; real keys are long.
    if (secret !== undefined && secret.length >= 8) out = out.split(secret).join('[REDACTED]');
  }
  return out;
}
