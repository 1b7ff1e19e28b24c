import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { isLlmFailoverError } from '../errors/index.js';
import { systemClock } from '../time/index.js';
// parse-config directly (not config/index) and start-server loaded lazily: --version, --help and
// check-config stay fast and do not load the HTTP stack.
import { loadConfigFile } from '../config/parse-config.js';
import { describeConfig } from './describe-config.js';
import { packageFile } from '../server/package-file.js';
import type { RunningServer } from '../server/start-server.js';

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
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

/** Exit code of a usage error (unknown command or option), as in most CLIs. */
const USAGE_ERROR = 2;

const HELP = `Usage: llm-failover <command> [options]

Commands:
  serve [--config F] [--host H] [--port N]   Run the gateway (default config: the shipped
                                             config/default.yaml). SIGTERM/SIGINT: graceful stop.
  check-config F                             Validate a config file and print a summary
                                             (exit 1 and the error when it is invalid).

Options:
  -c, --config F   Config file for serve
      --host H     Listen address (overrides server.host)
  -p, --port N     Listen port (overrides server.port; 0 = any free port)
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
}

async function serve(flags: ServeFlags, extra: string[], io: CliIo): Promise<number | undefined> {
  if (extra.length > 0) {
    io.stderr(`llm-failover: unexpected argument "${extra[0]}"\n\n${HELP}`);
    return USAGE_ERROR;
  }
  // Digits only: Number() would take "" (and " ") as 0, a random port, and "1e3" or "0x10" too.
  const port =
    flags.port !== undefined && /^\d{1,5}$/.test(flags.port) ? Number(flags.port) : undefined;
  if (flags.port !== undefined && (port === undefined || port > 65535)) {
    io.stderr(`llm-failover: --port must be an integer 0-65535, got "${flags.port}"\n`);
    return USAGE_ERROR;
  }
  let running: RunningServer;
  try {
    const { startServer } = await import('../server/start-server.js');
    running = await startServer({
      ...(flags.config === undefined ? {} : { configPath: flags.config }),
      ...(flags.host === undefined ? {} : { host: flags.host }),
      ...(port === undefined ? {} : { port }),
    });
  } catch (err) {
    io.stderr(`llm-failover: cannot start: ${errorText(err)}\n`);
    return 1;
  }
  handleSignals(running);
  return undefined;
}

/** First signal: graceful close then exit 0. A second one: exit 1 at once (the user insists). */
function handleSignals(running: RunningServer): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      running.logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    running.logger.info(
      { signal, graceMs: running.config.server.shutdownGraceMs },
      'shutting down: no new connections, letting in-flight requests finish',
    );
    // A ref'd timer keeps the process alive until close() settles (once the server stops
    // listening nothing else may hold the event loop) and bounds a close that hangs.
    const hardDeadlineMs = running.config.server.shutdownGraceMs + 5_000;
    void systemClock
      .sleep(hardDeadlineMs)
      .then(() =>
        exitAfterLogging(running, 1, `shutdown still running after ${hardDeadlineMs} ms`),
      );
    running.close().then(
      () => exitAfterLogging(running, 0, 'stopped'),
      (err: unknown) => exitAfterLogging(running, 1, `shutdown failed: ${errorText(err)}`),
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

/**
 * Logs `msg`, waits until the logger has written every buffered line (the shipped stdout logger
 * buffers: src/server/create-logger.ts), then exits. Waiting for the asynchronous flush rather than
 * exiting at once matters: a write still in flight could be cut off by `process.exit`.
 */
function exitAfterLogging(running: RunningServer, code: number, msg: string): void {
  if (code === 0) running.logger.info(msg);
  else running.logger.error(msg);
  running.logger.flush(() => process.exit(code));
}

function errorText(err: unknown): string {
  if (isLlmFailoverError(err)) return err.message;
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}
