#!/usr/bin/env node
// The `llm-failover` command. In a checkout (src/ present) it runs the TypeScript sources through
// tsx, so it works right after `npm ci` with no build step and never runs a stale dist/. The
// published package ships dist/ and no src/, so it runs the compiled CLI.
import { existsSync } from 'node:fs';
import process from 'node:process';
import { URL } from 'node:url';

const sources = new URL('../src/cli/main.ts', import.meta.url);
const compiled = new URL('../dist/cli/main.js', import.meta.url);

async function loadCli() {
  if (!existsSync(sources) && existsSync(compiled)) return import(compiled.href);
  const { register } = await import('tsx/esm/api');
  register();
  return import('../src/cli/main.ts');
}

const cli = await loadCli();
const code = await cli.main(process.argv.slice(2));
if (code !== undefined) process.exitCode = code;
