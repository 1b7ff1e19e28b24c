#!/usr/bin/env node
// The `llm-failover` command. Runs the compiled CLI from dist/ when the package was built (as
// published), otherwise the TypeScript sources through tsx, so it works right after `npm ci`
// with no build step.
import { existsSync } from 'node:fs';
import process from 'node:process';
import { URL } from 'node:url';

const compiled = new URL('../dist/cli/main.js', import.meta.url);

async function loadCli() {
  if (existsSync(compiled)) return import(compiled.href);
  const { register } = await import('tsx/esm/api');
  register();
  return import('../src/cli/main.ts');
}

const cli = await loadCli();
const code = await cli.main(process.argv.slice(2));
if (code !== undefined) process.exitCode = code;
