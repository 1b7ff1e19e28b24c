#!/usr/bin/env node
// The `llm-failover` command. It always runs the compiled CLI in dist/: no TypeScript loader
// (tsx, esbuild) at run time. In a git checkout, `npm ci` / `npm install` builds dist/ through the
// `prepare` script; the published package ships dist/ and no src/. A checkout whose src/ changed
// after the last build is refused rather than run stale: the fix is one `npm run build`.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import process from 'node:process';
import { URL, fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const compiled = join(root, 'dist', 'cli', 'main.js');
const sources = join(root, 'src');

/** The newest file below `dir` as { path, mtimeMs }, or undefined when there is none. */
function newestFile(dir) {
  let newest;
  // A bounded walk of src/ only (about a hundred files): a few ms on every start.
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const found = entry.isDirectory()
      ? newestFile(path)
      : { path, mtimeMs: statSync(path).mtimeMs };
    if (found !== undefined && (newest === undefined || found.mtimeMs > newest.mtimeMs))
      newest = found;
  }
  return newest;
}

/** Why dist/ cannot be run, or undefined when it is there and not older than src/. */
function buildProblem() {
  if (!existsSync(compiled)) {
    return (
      `no compiled build: ${relative(root, compiled)} is missing.\n` +
      'Run `npm run build` (in a git checkout, `npm ci` runs it through the prepare script).'
    );
  }
  if (!existsSync(sources)) return undefined;
  const newest = newestFile(sources);
  if (newest === undefined || newest.mtimeMs <= statSync(compiled).mtimeMs) return undefined;
  return (
    `the build in dist/ is older than src/ (${relative(root, newest.path)} changed after it).\n` +
    'Run `npm run build` to compile the current sources.'
  );
}

const problem = buildProblem();
if (problem === undefined) {
  const cli = await import(new URL('../dist/cli/main.js', import.meta.url).href);
  const code = await cli.main(process.argv.slice(2));
  if (code !== undefined) process.exitCode = code;
} else {
  process.stderr.write(`llm-failover: ${problem}\n`);
  process.exitCode = 1;
}
