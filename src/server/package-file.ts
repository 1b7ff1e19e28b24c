import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Absolute path of `relative` in this package's root (the folder of its package.json). Found by
 * resolving the package's own name (Node's self-reference through `exports`) rather than a path
 * relative to this file: the build bundles src/ into dist/ entry files and shared chunks at other
 * depths, and the same code also runs from src/ (tests, tsx). Works installed under node_modules.
 */
export function packageFile(relative: string): string {
  const manifest = createRequire(import.meta.url).resolve('llm-failover/package.json');
  return join(dirname(manifest), relative);
}
