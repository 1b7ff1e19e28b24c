// `npm run build`: dist/ as installed users load it. Declarations come from tsc (tsconfig.build.json
// emits declarations only: the `types` paths of package.json's exports, dist/index.d.ts,
// dist/server/index.d.ts, dist/testing/index.d.ts); the JavaScript from esbuild, one bundle per
// entry point with shared chunks. Why bundle: Node's ESM loader costs ~0.7 ms CPU per file, and
// the core entry was ~96 files (issue 7: core import under 100 ms). `splitting` keeps ONE copy of
// each module across entries (error classes, brands, breakers: `instanceof` between llm-failover
// and llm-failover/server holds), and `packages: 'external'` leaves every dependency to
// node_modules (the lazy deep `createRequire` paths resolve from dist/chunks/ the same way).
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import process from 'node:process';
import { URL, fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

/** What package.json's exports and bin/llm-failover.js load: dist/<same path>.js. */
const ENTRY_POINTS = [
  'src/index.ts',
  'src/server/index.ts',
  'src/testing/index.ts',
  'src/cli/main.ts',
];

rmSync(`${root}dist`, { recursive: true, force: true });

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
  cwd: root,
  stdio: 'inherit',
});

await build({
  absWorkingDir: root,
  entryPoints: ENTRY_POINTS,
  outdir: 'dist',
  outbase: 'src',
  // Shared code in dist/chunks/, apart from the entry files that package.json points at.
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
