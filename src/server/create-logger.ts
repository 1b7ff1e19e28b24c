import cluster from 'node:cluster';
import { pino } from 'pino';
import type { DestinationStream, Logger } from 'pino';
import pretty from 'pino-pretty';

/** Options of {@link createLogger}. */
export interface CreateLoggerOptions {
  /** pino level (`fatal`...`trace`, or `silent`). Default `info`. */
  level?: string;
  /** Human-readable output. Default: when stdout is a TTY. */
  pretty?: boolean;
  /** Where lines go instead of stdout (tests). */
  destination?: DestinationStream;
  /**
   * Other processes write to the same stdout (`serve --workers N`: the primary and every worker):
   * each write is then whole lines of at most PIPE_BUF bytes, so lines never interleave. Default:
   * true in a cluster worker.
   */
  sharedStdout?: boolean;
}

/**
 * Paths censored in every log line, as a safety net: nothing should log a credential in the first
 * place, but a header object or a backend's options logged by mistake must not leak one.
 */
export const REDACT_PATHS = [
  'authorization',
  'apiKey',
  'apiKeys',
  'headers.authorization',
  'headers["x-api-key"]',
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'request.headers.authorization',
  'request.headers["x-api-key"]',
  '*.apiKey',
  '*.apiKeys',
  '*.authorization',
  '*["x-api-key"]',
  '*.headers.authorization',
  '*.headers["x-api-key"]',
];

/**
 * The gateway's logger: pino JSON lines (one per request, written by the gateway), pretty-printed
 * when stdout is a TTY, with credential paths redacted.
 */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const config = {
    name: 'llm-failover',
    level: options.level ?? 'info',
    redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
  };
  if (options.destination !== undefined) return pino(config, options.destination);
  // pino-pretty as an in-thread stream rather than a worker transport: no extra thread to start,
  // and lines are never lost on exit. Only used on a TTY, where throughput hardly matters.
  if (options.pretty ?? process.stdout.isTTY) {
    return pino(config, pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l' }));
  }
  return pino(config, bufferedStdout(options.sharedStdout ?? cluster.isWorker));
}

/**
 * Linux's PIPE_BUF: a write of at most this many bytes to a pipe is atomic, so `serve --workers N`
 * (every worker writing to the one stdout pipe) never interleaves two workers' lines.
 */
const PIPE_BUF = 4096;

/**
 * stdout, buffered: one synchronous write per line cost 18% of the gateway's busy time at the
 * shipped level (issue 7). Lines collect in memory and go out in asynchronous writes once a group
 * is nearly full, and at least every 100 ms (so an idle server's lines still show up promptly).
 * sonic-boom's buffer mode groups the pieces it is given (one line each), starting a new group when
 * the next would pass `maxWrite`, and writes one group per write, so every write is whole lines
 * (a single line over `maxWrite` is a group, and a write, of its own). `minLength` must be below
 * `maxWrite` (sonic-boom checks it): a write starts once a group is nearly full.
 * - Alone on stdout: 64 KiB groups. Each asynchronous write wakes a thread-pool thread, which
 *   costs the event loop far more than the write itself on a VM (~70 µs of main thread per write
 *   measured here): 4 KiB groups put ~6 µs per request of it back into the profile, 16 KiB
 *   (sonic-boom's default `maxWrite`) ~2 µs (issue 7). Memory is bounded the same way: at most a
 *   group is held past a write, plus what arrives while one is under way.
 * - Shared (workers): PIPE_BUF groups, since only a pipe write of at most PIPE_BUF is atomic; with
 *   16 KiB, a busy worker's write straddled other workers' lines.
 * Nothing is dropped (no maxLength): a stalled reader grows the buffer as a sync write would
 * block. pino registers the stream to be flushed synchronously on process exit, and `serve`
 * flushes before it exits on SIGTERM/SIGINT (src/cli/main.ts), so no line is lost at shutdown.
 * Buffer mode (`contentMode`): see bufferedStdout.
 */
function bufferedStdoutOptions(shared: boolean) {
  const maxWrite = shared ? PIPE_BUF : ALONE_MAX_WRITE;
  return {
    dest: 1,
    sync: false,
    minLength: maxWrite - 1,
    maxWrite,
    periodicFlush: 100,
    contentMode: 'buffer',
  } as const;
}

const ALONE_MAX_WRITE = 64 * 1024;

/**
 * pino's lines into sonic-boom in buffer mode, each handed over as a Buffer. In its text mode
 * sonic-boom measures the UTF-8 length of all the pending text on every line (a flatten and a scan
 * of up to its 16 KiB write size per line): ~8 µs per line against ~3.5 µs here, line building
 * included (issue 7). The stream itself is pino's own (`pino.destination`), so the exit flush
 * pino registers for it, and its EPIPE handling, are unchanged; this wrapper holds nothing.
 */
function bufferedStdout(shared: boolean): DestinationStream {
  const sonic = pino.destination(bufferedStdoutOptions(shared));
  return {
    // (sonic-boom types `write` for its text mode only.)
    write: (line: string) => sonic.write(Buffer.from(line) as unknown as string),
    flush: (cb?: (err?: Error) => void) => sonic.flush(cb),
    flushSync: () => sonic.flushSync(),
  } as DestinationStream;
}

const LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

/** True for a level name pino accepts (used to validate `LOG_LEVEL`). */
export function isLogLevel(value: string | undefined): value is string {
  return value !== undefined && LEVELS.has(value);
}
