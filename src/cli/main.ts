import cluster from 'node:cluster';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { isLlmFailoverError } from '../errors/index.js';
// parse-config directly (not config/index) and start-server loaded lazily: --version, --help and
// check-config stay fast and do not load the HTTP stack.
import { loadConfigFile } from '../config/parse-config.js';
import { describeConfig } from './describe-config.js';
import { packageFile } from '../server/package-file.js';
import { WORKER_PORT_ENV } from './cluster-messages.js';
import { parsePid, readPidFile, writePidFile } from './pid-file.js';

/** Where the CLI writes; injectable for tests. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processIo: CliIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
};

const OPTIONS = {
  config: { type: 'string', short: 'c' },
  host: { type: 'string' },
  port: { type: 'string', short: 'p' },
  workers: { type: 'string', short: 'w' },
  'pid-file': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

/** Exit code of a usage error (unknown command or option), as in most CLIs. */
const USAGE_ERROR = 2;

const HELP = `Usage: llm-failover <command> [options]

Commands:
  serve [--config F] [--host H] [--port N] [--workers N|auto] [--pid-file F]
                                             Run the gateway (default config: the shipped
                                             config/default.yaml). SIGTERM/SIGINT: graceful stop;
                                             SIGHUP: reload the config file.
  reload PID | --pid-file F                  Tell a running gateway to reload its config file
                                             (sends SIGHUP; the server logs the outcome).
  check-config F                             Validate a config file and print a summary
                                             (exit 1 and the error when it is invalid).

Options:
  -c, --config F   Config file for serve
      --host H     Listen address (overrides server.host)
  -p, --port N     Listen port (overrides server.port; 0 = any free port)
  -w, --workers N  Worker processes on the one port (default 1: a single process; auto: one
                   per CPU). See docs/fleet.md
      --pid-file F serve: write the server's pid to F; reload: signal the pid in F
  -h, --help       Show this help
  -v, --version    Show the version

Environment: \${VAR} references in the config expand from it; LOG_LEVEL overrides logging.level.
Docs: docs/config.md
`;

/** The package version, read from the package's package.json (from src/ or the bundled dist/). */
export function packageVersion(): string {
  const text = readFileSync(packageFile('package.json'), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}

/**
 * Runs the `llm-failover` command line. Resolves the exit code, or undefined when `serve` is
 * running (the process then exits on SIGTERM/SIGINT after a graceful close).
 */
export async function main(
  argv: readonly string[],
  io: CliIo = processIo,
): Promise<number | undefined> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, options: OPTIONS });
  } catch (err) {
    io.stderr(`llm-failover: ${(err as Error).message}\n\n${HELP}`);
    return USAGE_ERROR;
  }
  const { values, positionals } = parsed;
  if (values.version === true) {
    io.stdout(`${packageVersion()}\n`);
    return 0;
  }
  const [command, ...rest] = positionals;
  if (values.help === true || command === undefined || command === 'help') {
    io.stdout(HELP);
    return 0;
  }
  switch (command) {
    case 'check-config':
      return checkConfig(rest[0] ?? values.config, io);
    case 'serve':
      return serve(values, rest, io);
    case 'reload':
      return reload(values['pid-file'], rest, io);
    default:
      io.stderr(`llm-failover: unknown command "${command}"\n\n${HELP}`);
      return USAGE_ERROR;
  }
}

async function checkConfig(path: string | undefined, io: CliIo): Promise<number> {
  if (path === undefined) {
    io.stderr(`llm-failover: check-config needs a file\n\n${HELP}`);
    return USAGE_ERROR;
  }
  try {
    const config = await loadConfigFile(path);
    io.stdout(`OK ${path}\n${describeConfig(config)}\n`);
    return 0;
  } catch (err) {
    io.stderr(`${errorText(err)}\n`);
    return 1;
  }
}

interface ServeFlags {
  config?: string;
  host?: string;
  port?: string;
  workers?: string;
  'pid-file'?: string;
}

async function serve(flags: ServeFlags, extra: string[], io: CliIo): Promise<number | undefined> {
  if (extra.length > 0) {
    io.stderr(`llm-failover: unexpected argument "${extra[0]}"\n\n${HELP}`);
    return USAGE_ERROR;
  }
  // Digits only: Number() would take "" (and " ") as 0, a random port, and "1e3" or "0x10" too.
  let port =
    flags.port !== undefined && /^\d{1,5}$/.test(flags.port) ? Number(flags.port) : undefined;
  if (flags.port !== undefined && (port === undefined || port > 65535)) {
    io.stderr(`llm-failover: --port must be an integer 0-65535, got "${flags.port}"\n`);
    return USAGE_ERROR;
  }
  const workers = workerCount(flags.workers);
  if (workers === undefined) {
    io.stderr(
      `llm-failover: --workers must be an integer 1-256 or "auto", got "${flags.workers}"\n`,
    );
    return USAGE_ERROR;
  }
  const pidFile = flags['pid-file'];
  try {
    if (workers > 1 && cluster.isPrimary) {
      const { runClusterPrimary } = await import('./cluster-primary.js');
      return await runClusterPrimary({
        workers,
        configPath: flags.config,
        pidFile,
        host: flags.host,
        port,
      });
    }
    const { runServeProcess } = await import('./serve-process.js');
    const worker = cluster.isWorker;
    const shared = worker ? process.env[WORKER_PORT_ENV] : undefined;
    if (shared !== undefined && shared !== '') port = Number(shared);
    await runServeProcess(
      {
        ...(flags.config === undefined ? {} : { configPath: flags.config }),
        ...(flags.host === undefined ? {} : { host: flags.host }),
        ...(port === undefined ? {} : { port }),
      },
      worker,
      worker ? undefined : pidFile,
    );
    if (!worker && pidFile !== undefined) writePidFile(pidFile);
  } catch (err) {
    io.stderr(`llm-failover: cannot start: ${errorText(err)}\n`);
    // A cluster worker's IPC channel would keep it alive: leave now, the primary reports it.
    if (cluster.isWorker) process.exit(1);
    return 1;
  }
  return undefined;
}

/** `--workers`: absent 1, `auto` one per CPU the process may use, else 1-256; undefined if bad. */
function workerCount(text: string | undefined): number | undefined {
  if (text === undefined) return 1;
  if (text === 'auto') return availableParallelism();
  const n = /^\d{1,3}$/.test(text) ? Number(text) : 0;
  return n >= 1 && n <= 256 ? n : undefined;
}

/** `reload PID` or `reload --pid-file F`: sends SIGHUP; the running server logs the outcome. */
function reload(pidFile: string | undefined, rest: string[], io: CliIo): number {
  let pid: number | undefined;
  try {
    pid = rest[0] === undefined ? undefined : parsePid(rest[0]);
    if (rest[0] !== undefined && pid === undefined) {
      io.stderr(`llm-failover: reload: "${rest[0]}" is not a process id\n`);
      return USAGE_ERROR;
    }
    if (pid === undefined && pidFile !== undefined) pid = readPidFile(pidFile);
  } catch (err) {
    io.stderr(`llm-failover: reload: ${errorText(err)}\n`);
    return 1;
  }
  if (pid === undefined) {
    io.stderr(`llm-failover: reload needs a PID or --pid-file F\n\n${HELP}`);
    return USAGE_ERROR;
  }
  try {
    process.kill(pid, 'SIGHUP');
  } catch (err) {
    io.stderr(`llm-failover: reload: cannot signal pid ${pid}: ${errorText(err)}\n`);
    return 1;
  }
  io.stdout(
    `sent SIGHUP to pid ${pid}: the server validates the config file and logs whether it was applied\n`,
  );
  return 0;
}

function errorText(err: unknown): string {
  if (isLlmFailoverError(err)) return err.message;
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}
