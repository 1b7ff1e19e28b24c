import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A benchmark participant running in its own Node process. */
export interface BenchChild {
  readonly url: string;
  readonly child: ChildProcess;
  /** The child's resident set size in bytes (only children that answer `rss`: the gateway). */
  rss(): Promise<number>;
  /** SIGTERM, then wait for the exit. */
  stop(): Promise<void>;
}

interface ChildMessage {
  type?: string;
  url?: string;
  rss?: number;
}

/**
 * Forks `bench/support/<entry>` with tsx loaded and waits for its `{ type: 'listening', url }`.
 * @param env extra environment for the child
 * @param stdout where the child's stdout goes (a file descriptor for the logging gateway)
 */
export async function forkBenchChild(
  entry: string,
  env: Record<string, string> = {},
  stdout: 'inherit' | number = 'inherit',
): Promise<BenchChild> {
  const path = fileURLToPath(new URL(entry, import.meta.url));
  const child = fork(path, [], {
    execArgv: ['--import', import.meta.resolve('tsx')],
    env: { ...process.env, ...env },
    stdio: ['ignore', stdout, 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`${entry} exited with ${code} before listening`)),
    );
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'listening' && message.url !== undefined) resolve(message.url);
    });
  });
  child.removeAllListeners('exit');
  return {
    url,
    child,
    rss: () =>
      new Promise<number>((resolve) => {
        const onMessage = (message: ChildMessage): void => {
          if (message.type !== 'rss' || message.rss === undefined) return;
          child.off('message', onMessage);
          resolve(message.rss);
        };
        child.on('message', onMessage);
        child.send({ type: 'rss' });
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
