// Benchmark participants as plain child processes, measured from outside through /proc (CPU time,
// RSS), so any gateway command (this checkout's or another branch's) can be measured the same way.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, almost always 100). */
const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** A running participant. */
export interface BenchProcess {
  readonly name: string;
  readonly url: string;
  readonly pid: number;
  /** User + system CPU time of the process so far, in microseconds (all its threads). */
  cpuMicros(): number;
  /** Resident set size in bytes. */
  rss(): number;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
// Children never outlive the benchmark, whatever way it ends.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => process.exit(130));
}

/** A free loopback port (listen on 0, close). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Spawns `command` (its first word the executable, which must be the process that serves:
 * `node ...`, not a wrapper such as npm, or the CPU figures would be the wrapper's) and waits until
 * `port` accepts connections (at most 30 s).
 * @param stdout where the child's stdout goes: a file descriptor (the gateway's log) or ignored
 */
export async function startProcess(
  name: string,
  command: readonly string[],
  port: number,
  env: Record<string, string | undefined> = {},
  stdout: number | 'ignore' = 'ignore',
): Promise<BenchProcess> {
  const [file, ...args] = command;
  if (file === undefined) throw new Error(`${name}: empty command`);
  const child = spawn(file, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', stdout, 'inherit', 'ipc'],
  });
  running.add(child);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${name}: could not start ${command.join(' ')}`);
  for (let i = 0; !(await accepts(port)); i++) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
    if (i > 600) throw new Error(`${name} not listening on ${port} after 30 s`);
    await sleep(50);
  }
  return {
    name,
    url: `http://127.0.0.1:${port}`,
    pid,
    cpuMicros: () => {
      // Fields after "pid (comm) ": state is field 3, utime 14, stime 15 (proc(5)).
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]);
      return (ticks * 1e6) / TICKS_PER_SECOND;
    },
    rss: () => {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
      return Number(kb) * 1024;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        running.delete(child);
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        // A graceful close normally takes milliseconds; do not hang the benchmark on one.
        const force = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
