import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

const digest = (key: string): Buffer => createHash('sha256').update(key, 'utf8').digest();

/**
 * Checks the caller's gateway key (`Authorization: Bearer` or `x-api-key`) in constant time:
 * keys are compared as SHA-256 digests (equal lengths, so `timingSafeEqual` applies) and every
 * configured key is compared, match or not. Keys are never kept in clear after construction.
 */
export class ApiKeyGuard {
  private readonly digests: Buffer[];

  /** Empty strings (an unset `${VAR}`) are ignored; no keys at all disables the check. */
  constructor(keys: readonly string[] = []) {
    this.digests = keys.filter((k) => k.length > 0).map(digest);
  }

  get enabled(): boolean {
    return this.digests.length > 0;
  }

  /** True when the check is off or a presented key matches a configured one. */
  allows(headers: IncomingHttpHeaders): boolean {
    if (!this.enabled) return true;
    let ok = false;
    for (const presented of presentedKeys(headers)) {
      const d = digest(presented);
      for (const k of this.digests) ok = timingSafeEqual(d, k) || ok;
    }
    return ok;
  }
}

function presentedKeys(headers: IncomingHttpHeaders): string[] {
  const out: string[] = [];
  const auth = headers.authorization;
  if (auth !== undefined && auth.length > 7 && auth.slice(0, 7).toLowerCase() === 'bearer ') {
    out.push(auth.slice(7).trim());
  }
  const apiKey = headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey.length > 0) out.push(apiKey);
  return out;
}
