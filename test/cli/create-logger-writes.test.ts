import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/*
 * `serve --workers N`: every worker writes its log to the one stdout pipe, and only a write of at
 * most PIPE_BUF (4096) bytes to a pipe is atomic. The child (fixtures/log-writes-child.ts) logs
 * through the shipped stdout logger into a real pipe (`| cat`) and reports every write(2) it
 * made; each must be whole lines and at most 4096 bytes, or one line alone when that line is
 * longer, and every line must arrive whole. A lone process (no workers) writes larger groups.
 */

const CHILD = fileURLToPath(new URL('./fixtures/log-writes-child.ts', import.meta.url));
const LINES = 3000;
const PIPE_BUF = 4096;

interface Report {
  writes: {
    bytes: number;
    newlines: number;
    endsWithNewline: boolean;
    written: number;
    writtenNewlines: number;
  }[];
  padding: number[];
}

type Mode = 'shared' | 'alone';

async function runChild(
  mode: Mode,
): Promise<{ stdout: string; report: Report; code: number | null }> {
  // sh makes the child's stdout a pipe (to cat), as a process manager's would be.
  const child = spawn(
    'sh',
    ['-c', '"$0" --import tsx "$1" "$2" "$3" | cat', process.execPath, CHILD, String(LINES), mode],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (b: Buffer) => out.push(b));
  child.stderr.on('data', (b: Buffer) => err.push(b));
  const [code] = (await once(child, 'close')) as [number | null];
  const stderr = Buffer.concat(err).toString('utf8');
  const reportLine = stderr.split('\n').find((l) => l.startsWith('{"writes"'));
  if (reportLine === undefined) throw new Error(`no report from the child: ${stderr}`);
  return {
    stdout: Buffer.concat(out).toString('utf8'),
    report: JSON.parse(reportLine) as Report,
    code,
  };
}

/** Every write is whole lines, what was written is exactly what arrived; returns the writes. */
async function checkWholeLines(mode: Mode, maxWrite: number): Promise<Report['writes']> {
  const { stdout, report, code } = await runChild(mode);
  expect(code).toBe(0);
  const { writes, padding } = report;

  const lines = stdout.split('\n');
  expect(lines.pop()).toBe('');
  expect(lines).toHaveLength(LINES);
  lines.forEach((line, i) => {
    const parsed = JSON.parse(line) as { seq: number; pad: string; msg: string };
    expect(parsed.seq).toBe(i);
    expect(parsed.pad.length).toBe(padding[i]);
  });

  expect(writes.length).toBeGreaterThan(0);
  for (const [i, w] of writes.entries()) {
    expect(w.endsWithNewline, `write ${i}`).toBe(true);
    if (w.bytes > maxWrite) expect(w.newlines, `write ${i} (${w.bytes} bytes)`).toBe(1);
  }
  // What was written is exactly what arrived, every line in some write. (A pipe may take part of
  // a write; sonic-boom writes the rest next, so what counts is what each write put out.)
  expect(writes.reduce((n, w) => n + w.written, 0)).toBe(Buffer.byteLength(stdout));
  expect(writes.reduce((n, w) => n + w.writtenNewlines, 0)).toBe(LINES);
  // Still batched: lines share writes (one write per line cost 18% of the gateway's time).
  expect(writes.length).toBeLessThan(LINES / 2);
  return writes;
}

describe('the stdout logger writes whole lines', () => {
  it('shared by workers: every write fits PIPE_BUF (a longer line alone); no line lost or cut', async () => {
    const writes = await checkWholeLines('shared', PIPE_BUF);
    // A pipe takes a write of at most PIPE_BUF whole (atomic) or not at all (EAGAIN), never in part.
    for (const w of writes) if (w.bytes <= PIPE_BUF) expect([0, w.bytes]).toContain(w.written);
    // Some lines are longer than PIPE_BUF (the test covers that case).
    expect(writes.filter((w) => w.bytes > PIPE_BUF).length).toBeGreaterThan(0);
  });

  it('alone: larger writes of whole lines (fewer thread-pool round trips); no line lost or cut', async () => {
    const alone = await checkWholeLines('alone', 64 * 1024);
    // Groups of several lines past PIPE_BUF: allowed alone, never when shared.
    expect(alone.some((w) => w.bytes > PIPE_BUF && w.newlines > 1)).toBe(true);
  });
});
