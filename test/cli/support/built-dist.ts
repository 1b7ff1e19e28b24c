import { execFile } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** How long a build may take on a busy machine (tsc + esbuild on a shared 2-core CI box). */
export const BUILD_TIMEOUT_MS = 240_000;

const LOCK = `${ROOT}node_modules/.cache/llm-failover-test-build.lock`;
const POLL_MS = 250;

/** True when bin/llm-failover.js would run dist/ (present and not older than src/). */
async function distIsCurrent(): Promise<boolean> {
  try {
    await run(process.execPath, ['bin/llm-failover.js', '--version'], { cwd: ROOT });
    return true;
  } catch {
    return false;
  }
}

/**
 * Makes sure dist/ is built from the current src/, as the command and the published entry points
 * run it, building it (scripts/build.js, as `npm run build`) when it is missing or stale. Test files run in
 * parallel workers, so a lock directory makes one build at a time; the others wait and re-check.
 */
export async function ensureBuiltDist(): Promise<void> {
  const polls = BUILD_TIMEOUT_MS / POLL_MS;
  for (let i = 0; i < polls; i += 1) {
    if (await distIsCurrent()) return;
    if (tryLock()) {
      try {
        if (await distIsCurrent()) return;
        await run(process.execPath, ['scripts/build.js'], { cwd: ROOT });
        return;
      } finally {
        rmSync(LOCK, { recursive: true, force: true });
      }
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  throw new Error(`dist/ not built within ${BUILD_TIMEOUT_MS} ms (stale lock? remove ${LOCK})`);
}

function tryLock(): boolean {
  try {
    mkdirSync(`${ROOT}node_modules/.cache`, { recursive: true });
    mkdirSync(LOCK);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}
