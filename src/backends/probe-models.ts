import { isAbortError } from '../errors/index.js';
import type { RequestOptions } from '../http/index.js';
import type { CancelSignal } from '../time/index.js';

type Get = (
  path: string,
  options: RequestOptions & { timeoutMs?: number },
) => Promise<{ status: number; body: unknown }>;

/**
 * A liveness probe: resolves true for a 2xx, false for any other status or failure (refused,
 * timed out). Rethrows only the caller's own abort.
 */
export async function probeModels(
  get: Get,
  path: string,
  timeoutMs: number,
  signal: CancelSignal | undefined,
): Promise<boolean> {
  try {
    const res = await get(path, signal === undefined ? { timeoutMs } : { timeoutMs, signal });
    return res.status >= 200 && res.status < 300;
  } catch (err) {
    if (signal?.aborted === true && isAbortError(err)) throw err;
    return false;
  }
}
