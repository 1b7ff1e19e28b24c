// The soak's report: counts per class (overall and per caller shape), the faults played, the
// gateway's memory and descriptors, the first defects with what to replay them, and the verdict.
import { CLASSES, DEFECTS } from './classify.js';
import type { AnswerClass, Verdict } from './classify.js';
import type { Shape } from './client.js';
import type { FaultKind } from './faults.js';
import type { HeapReading } from './inspector.js';
import type { Sample } from './sampler.js';

export interface Example {
  id: number;
  shape: Shape;
  verdict: Verdict;
  faults: string[];
}

export interface SoakResult {
  seed: number;
  concurrency: number;
  requested: number;
  sent: number;
  stoppedByTime: boolean;
  elapsedMs: number;
  counts: Map<AnswerClass, number>;
  byShape: Map<string, Map<AnswerClass, number>>;
  faults: Map<FaultKind, number>;
  examples: Example[];
  memory: {
    fresh: Sample;
    idle: Sample;
    peak: { rssBytes: number; fds: number };
    /** After the settle, before the forced GC. */
    afterNoGc: Sample;
    /** After the settle and a forced full GC: what the verdict uses. */
    after: Sample;
    heap: { fresh: HeapReading; idle: HeapReading; after: HeapReading };
    samples: Sample[];
    /** Index of the first sample of the main run (after the warm-up). */
    idleFrom: number;
  };
}

/**
 * "Back near idle", both after a forced GC: RSS within 25 % (at least 32 MB) of the idle level,
 * live JS heap within 25 % (at least 8 MB), fds within 4.
 */
export function backNearIdle(m: SoakResult['memory']): {
  rss: boolean;
  heap: boolean;
  fds: boolean;
} {
  const rssSlack = Math.max(32 * 2 ** 20, m.idle.rssBytes * 0.25);
  const heapSlack = Math.max(8 * 2 ** 20, m.heap.idle.heapUsed * 0.25);
  return {
    rss: m.after.rssBytes <= m.idle.rssBytes + rssSlack,
    heap: m.heap.after.heapUsed <= m.heap.idle.heapUsed + heapSlack,
    fds: m.after.fds <= m.idle.fds + 4,
  };
}

/** About ten samples spread over the main run, e.g. `112 150 176 ... MB`. */
function timeline(m: SoakResult['memory'], pick: (s: Sample) => string): string {
  const run = m.samples.slice(m.idleFrom);
  const step = Math.max(1, Math.floor(run.length / 10));
  return run
    .filter((_, i) => i % step === 0)
    .map(pick)
    .join(' ');
}

const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MB`;

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
        .join('  '),
    )
    .join('\n');
}

/** Prints the report; returns true when the soak passed. */
export function printReport(r: SoakResult): boolean {
  const out: string[] = [];
  const shapes = [...r.byShape.keys()].sort();
  out.push(
    `chaos soak: seed ${r.seed}, ${r.sent}/${r.requested} requests, concurrency ${r.concurrency}, ` +
      `${(r.elapsedMs / 1000).toFixed(1)} s (${((r.sent * 1000) / r.elapsedMs).toFixed(0)} req/s)` +
      (r.stoppedByTime ? ', STOPPED BY --seconds' : ''),
    '',
  );
  out.push(
    table([
      ['class', ...shapes, 'total'],
      ...CLASSES.map((c) => [
        c + (DEFECTS.includes(c) ? ' (defect)' : ''),
        ...shapes.map((s) => String(r.byShape.get(s)?.get(c) ?? 0)),
        String(r.counts.get(c) ?? 0),
      ]),
    ]),
    '',
  );
  const faultRows = [...r.faults.entries()].sort((a, b) => b[1] - a[1]);
  const attempts = faultRows.reduce((sum, [, n]) => sum + n, 0);
  out.push(
    `upstream attempts: ${attempts}; faults played: ` +
      faultRows.map(([k, n]) => `${k} ${n}`).join(', '),
    '',
  );
  const m = r.memory;
  const near = backNearIdle(m);
  const yes = (b: boolean): string => (b ? 'yes' : 'NO');
  out.push(
    table([
      [
        'gateway',
        'fresh',
        'idle (after warm-up)',
        'peak',
        'settled, no GC',
        'settled + GC',
        'back near idle',
      ],
      [
        'RSS',
        mb(m.fresh.rssBytes),
        mb(m.idle.rssBytes),
        mb(m.peak.rssBytes),
        mb(m.afterNoGc.rssBytes),
        mb(m.after.rssBytes),
        yes(near.rss),
      ],
      [
        'JS heap used',
        mb(m.heap.fresh.heapUsed),
        mb(m.heap.idle.heapUsed),
        '',
        '',
        mb(m.heap.after.heapUsed),
        yes(near.heap),
      ],
      [
        'open fds',
        String(m.fresh.fds),
        String(m.idle.fds),
        String(m.peak.fds),
        String(m.afterNoGc.fds),
        String(m.after.fds),
        yes(near.fds),
      ],
    ]),
    `RSS over the run and the settle (MB): ${timeline(m, (s) => (s.rssBytes / 2 ** 20).toFixed(0))}`,
    `fds over the run and the settle: ${timeline(m, (s) => String(s.fds))}`,
    '(fresh, idle and "settled + GC" are read after a forced full GC through the inspector)',
    '',
  );
  const defects = DEFECTS.reduce((sum, c) => sum + (r.counts.get(c) ?? 0), 0);
  for (const e of r.examples) {
    out.push(
      `${e.verdict.class}: id ${e.id} (${e.shape.protocol} ${e.shape.stream ? 'stream' : 'json'} ${e.shape.model}): ${e.verdict.detail}`,
      `  faults: ${e.faults.join('; ') || 'none reached an upstream'}`,
      `  replay: npm run soak -- --seed ${r.seed} --ids ${e.id}`,
    );
  }
  const memoryOk = near.rss && near.heap && near.fds;
  const ok = defects === 0 && memoryOk;
  out.push(
    ok
      ? 'PASS'
      : `FAIL: ${defects} defective answers${memoryOk ? '' : ', memory/fds not back near idle'}`,
  );
  process.stdout.write(out.join('\n') + '\n');
  return ok;
}
