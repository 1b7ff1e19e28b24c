// bench:import: what `import('llm-failover')` (the core entry, compiled dist/, resolved through
// the package's `exports` as a user's code resolves it) costs a fresh process. Each round runs, in
// a rotating order, fresh `node` children that import nothing (the baseline: node's own startup)
// or one entry point; two figures per entry, medians over rounds:
//   - process: wall time of the whole child minus the baseline child's (what a CLI user feels);
//   - in-process: performance.now() around the import() inside the child (no startup noise).
// Target (issue 7): core import under 100 ms. Needs a current build: `npm run build`.
import { execFile } from 'node:child_process';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const TARGET_MS = 100;

/** Children to compare; `null` is the baseline that imports nothing. */
const SUBJECTS: readonly { name: string; specifier: string | null }[] = [
  { name: 'baseline (no import)', specifier: null },
  { name: "import('llm-failover')", specifier: 'llm-failover' },
  { name: "import('llm-failover/server')", specifier: 'llm-failover/server' },
  { name: "import('llm-failover/testing')", specifier: 'llm-failover/testing' },
];

/**
 * Both children run the same code; only the import differs. The child reports the import's wall
 * and CPU time (user + system), measured before touching process.stdout (lazily created, ~ms).
 */
function childScript(specifier: string | null): string {
  const load = specifier === null ? '' : `await import(${JSON.stringify(specifier)});`;
  return [
    'const t0 = performance.now(); const c0 = process.cpuUsage();',
    'const startupCpuMs = (c0.user + c0.system) / 1000;',
    load,
    'const c = process.cpuUsage(c0); const ms = performance.now() - t0;',
    'process.stdout.write(JSON.stringify([ms, (c.user + c.system) / 1000, startupCpuMs]));',
  ].join('\n');
}

interface ChildTimes {
  wallMs: number;
  importMs: number;
  importCpuMs: number;
  /** CPU node spent before running the script: startup, the same for every subject. */
  startupCpuMs: number;
}

async function runChild(specifier: string | null): Promise<ChildTimes> {
  const start = performance.now();
  const { stdout } = await run(
    process.execPath,
    ['--input-type=module', '-e', childScript(specifier)],
    { cwd: ROOT },
  );
  const [importMs, importCpuMs, startupCpuMs] = JSON.parse(stdout) as [number, number, number];
  return { wallMs: performance.now() - start, importMs, importCpuMs, startupCpuMs };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function assertCurrentBuild(): Promise<void> {
  try {
    await run(process.execPath, ['bin/llm-failover.js', '--version'], { cwd: ROOT });
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr ?? String(err);
    throw new Error(`bench:import measures dist/, which is not usable: ${stderr.trim()}`);
  }
}

async function main(): Promise<void> {
  await assertCurrentBuild();
  const rows = SUBJECTS.map(() => [] as ChildTimes[]);
  // One warm-up round (file system cache), not counted.
  for (const subject of SUBJECTS) await runChild(subject.specifier);
  for (let round = 0; round < ROUNDS; round += 1) {
    // Rotate the order so that no subject always runs right after the same other one.
    for (let k = 0; k < SUBJECTS.length; k += 1) {
      const index = (round + k) % SUBJECTS.length;
      rows[index]!.push(await runChild(SUBJECTS[index]!.specifier));
    }
  }
  const med = (i: number, key: keyof ChildTimes): number => median(rows[i]!.map((r) => r[key]));
  const baseline = med(0, 'wallMs');
  const startupCpu = med(0, 'startupCpuMs');
  // Wall times on a shared machine follow its load: print it next to the figures.
  const load = loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
  console.log(
    `bench:import  node ${process.version}, ${ROUNDS} rounds, medians in ms, load average ${load}`,
  );
  console.log(
    'subject'.padEnd(32) +
      ['process', '- base', 'ratio', 'import', 'imp.cpu', 'cpu/start']
        .map((h) => h.padStart(10))
        .join(''),
  );
  SUBJECTS.forEach((subject, i) => {
    const processMs = med(i, 'wallMs');
    const cells = [
      processMs.toFixed(0),
      (processMs - baseline).toFixed(0),
      `${(processMs / baseline).toFixed(2)}x`,
      med(i, 'importMs').toFixed(0),
      med(i, 'importCpuMs').toFixed(0),
      `${(med(i, 'importCpuMs') / startupCpu).toFixed(2)}x`,
    ];
    console.log(subject.name.padEnd(32) + cells.map((c) => c.padStart(10)).join(''));
  });
  // Wall figures swing with the machine's load; the CPU ratio to node's own startup does less.
  const core = med(1, 'importMs');
  const coreOverBase = med(1, 'wallMs') - baseline;
  const verdict = Math.max(core, coreOverBase) < TARGET_MS ? 'MET' : 'NOT MET';
  console.log(
    `node startup: ${baseline.toFixed(0)} ms wall, ${startupCpu.toFixed(0)} ms CPU. core import: ` +
      `${core.toFixed(0)} ms in-process, ${coreOverBase.toFixed(0)} ms over node startup, ` +
      `${(med(1, 'importCpuMs') / startupCpu).toFixed(2)}x node startup's CPU; target < ${TARGET_MS} ms: ${verdict}`,
  );
}

await main();
