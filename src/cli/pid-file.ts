import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { LlmFailoverError } from '../errors/index.js';

/** Writes this process's pid to `path` (what `llm-failover reload --pid-file` reads). */
export function writePidFile(path: string): void {
  writeFileSync(path, `${process.pid}\n`);
}

/** Removes the pid file if it still holds this process's pid (a newer server may own it now). */
export function removePidFile(path: string): void {
  try {
    if (readFileSync(path, 'utf8').trim() === String(process.pid)) rmSync(path);
  } catch {
    // Already gone or unreadable: nothing of ours to remove.
  }
}

/**
 * The pid in the pid file at `path`.
 * @throws LlmFailoverError INVALID_REQUEST when it cannot be read or holds no pid.
 */
export function readPidFile(path: string): number {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new LlmFailoverError(
      'INVALID_REQUEST',
      `cannot read pid file ${path}: is the server running with --pid-file?`,
      {
        cause,
      },
    );
  }
  const pid = parsePid(text.trim());
  if (pid === undefined) {
    throw new LlmFailoverError('INVALID_REQUEST', `pid file ${path} holds no process id`);
  }
  return pid;
}

/** A positive integer process id, or undefined. */
export function parsePid(text: string): number | undefined {
  return /^\d{1,10}$/.test(text) && Number(text) > 0 ? Number(text) : undefined;
}
