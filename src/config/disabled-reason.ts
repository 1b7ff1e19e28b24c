import type { BackendConfig } from './config-schema.js';
import { referencedVariables } from './expand-env.js';

/**
 * The variables each backend's `apiKey` referenced before expansion, so the startup message can
 * say "OPENAI_API_KEY is unset" instead of a vague "empty key". Keyed by the validated entry.
 */
const keyVariables = new WeakMap<BackendConfig, string[]>();

/** Remembers which variables `entry.apiKey` came from (called by parseConfig). */
export function rememberKeyVariables(entry: BackendConfig, rawApiKey: unknown): void {
  if (typeof rawApiKey === 'string') keyVariables.set(entry, referencedVariables(rawApiKey));
}

/**
 * Why a backend entry is disabled at startup, or undefined when it is usable: a backend that
 * declares an `apiKey` which is empty after `${VAR}` expansion (its variable is unset) is left
 * out, not started to fail every request with 401. A backend with no `apiKey` at all (a local
 * server) needs none.
 */
export function backendDisabledReason(entry: BackendConfig): string | undefined {
  if (entry.type === 'mock') return undefined;
  if (entry.apiKey === undefined || entry.apiKey.trim() !== '') return undefined;
  const names = keyVariables.get(entry) ?? [];
  if (names.length === 0) return 'its apiKey is empty';
  return `its apiKey is empty: ${names.join(', ')} ${names.length > 1 ? 'are' : 'is'} unset`;
}
