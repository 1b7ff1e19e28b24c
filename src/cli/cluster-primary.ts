import cluster from 'node:cluster';
import type { Worker } from 'node:cluster';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { AggregatorRegistry } from 'prom-client';
import { loadConfigFile } from '../config/parse-config.js';
import { isLlmFailoverError } from '../errors/index.js';
import { createLogger, isLogLevel } from '../server/create-logger.js';
import { packageFile } from '../server/package-file.js';
import { systemClock } from '../time/index.js';
import { MESSAGE, WORKER_PORT_ENV, isClusterMessage } from './cluster-messages.js';
import { removePidFile, writePidFile } from './pid-file.js';

/** Options of {@link runClusterPrimary}. */
export interface ClusterOptions {
  workers: number;
  configPath: string | undefined;
  /** `--host` / `--port`, which override the config's `server.host` / `server.port`. */
  host: string | undefined;
  port: number | undefined;
  pidFile: string | undefined;
}

/** Restarts of crashed workers allowed within {@link CRASH_WINDOW_MS} before the primary gives up. */
const MAX_RESTARTS = 5;
const CRASH_WINDOW_MS = 60_000;
/** Backoff before a restart: doubles per recent crash, from 100 ms up to 5 s. */
const RESTART_BASE_MS = 100;
const RESTART_CAP_MS = 5_000;
/** Past the workers' own hard deadline (grace + 5 s): then they are killed. */
const EXTRA_STOP_MS = 2_000;

/**
 * `serve --workers N` (N > 1): validates the config, forks N workers that each run the gateway on
 * the same port (node:cluster shares the listening socket), restarts a worker that crashes (with
 * backoff, at most {@link MAX_RESTARTS} a minute), collects every worker's metrics for GET
 * /metrics, passes SIGHUP on as a reload and SIGTERM/SIGINT as a graceful stop. Resolves the exit
 * code when it fails to start; otherwise the process exits once every worker has stopped.
 */
export async function runClusterPrimary(options: ClusterOptions): Promise<number | undefined> {
  const configPath = options.configPath ?? packageFile('config/default.yaml');
  const config = await loadConfigFile(configPath);
  const level = isLogLevel(process.env.LOG_LEVEL) ? process.env.LOG_LEVEL : config.logging.level;
  // Its workers write to the same stdout: atomic-size writes, so lines never interleave.
  const logger = createLogger({ level, sharedStdout: true });
  // node:cluster shares `listen(0)` only among the workers that ask together: a replacement would
  // get a port of its own. So port 0 is chosen here, once, and every worker is told it.
  const port = options.port ?? config.server.port;
  process.env[WORKER_PORT_ENV] = String(
    port === 0 ? await freePort(options.host ?? config.server.host) : port,
  );
  const primary = new ClusterPrimary(options, configPath, config.server.shutdownGraceMs, logger);
  primary.start();
  return undefined;
}

/** A port free on `host` now (the workers bind it moments later). */
async function freePort(host: string): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

class ClusterPrimary {
  private readonly aggregator = new AggregatorRegistry();
  private readonly ready = new Set<number>();
  private readonly crashes: number[] = [];
  private stopping = false;
  /** Every first worker has listened once: from then on a worker that fails is replaced. */
  private started = false;
  private exitCode = 0;

  constructor(
    private readonly options: ClusterOptions,
    private readonly configPath: string,
    private readonly graceMs: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (this.options.pidFile !== undefined) writePidFile(this.options.pidFile);
    cluster.on('message', (worker, message) => this.onMessage(worker, message));
    cluster.on('exit', (worker, code, signal) => this.onExit(worker, code, signal));
    for (let i = 0; i < this.options.workers; i += 1) cluster.fork();
    process.on('SIGTERM', (signal) => this.onStopSignal(signal));
    process.on('SIGINT', (signal) => this.onStopSignal(signal));
    process.on('SIGHUP', () => void this.reload());
    this.logger.info(
      { workers: this.options.workers },
      `llm-failover primary: starting ${this.options.workers} workers`,
    );
  }

  private onMessage(worker: Worker, message: unknown): void {
    if (!isClusterMessage(message)) return;
    if (message.type === MESSAGE.ready) {
      this.ready.add(worker.id);
      if (this.ready.size === this.options.workers && !this.started) {
        this.started = true;
        this.logger.info(
          { url: message.url, workers: this.ready.size },
          `llm-failover: ${this.ready.size} workers listening on ${message.url ?? ''}`,
        );
      }
    } else if (message.type === MESSAGE.metricsRequest) {
      const answer = (body: string): void => {
        if (worker.isConnected()) {
          const contentType = this.aggregator.contentType;
          worker.send({ type: MESSAGE.metricsAnswer, id: message.id, body, contentType });
        }
      };
      this.aggregator.clusterMetrics().then(answer, (err: unknown) => {
        this.logger.warn({ err: String(err) }, 'collecting the workers metrics failed');
        answer('');
      });
    }
  }

  private onExit(worker: Worker, code: number | null, signal: string | null): void {
    const wasReady = this.ready.delete(worker.id);
    if (this.stopping) {
      if (code !== 0) this.exitCode = 1;
      if (Object.keys(cluster.workers ?? {}).length === 0) this.exit(this.exitCode, 'stopped');
      return;
    }
    const pid = worker.process.pid;
    if (!wasReady && !this.started) {
      // A first worker never listened (bad config, port taken): more would fail the same way.
      this.logger.error({ pid, code, signal }, 'a worker failed to start: stopping');
      this.exitCode = 1;
      this.stop('worker start failed');
      return;
    }
    const now = systemClock.now();
    this.crashes.push(now);
    while (this.crashes.length > 0 && (this.crashes[0] ?? now) <= now - CRASH_WINDOW_MS) {
      this.crashes.shift();
    }
    if (this.crashes.length > MAX_RESTARTS) {
      this.logger.error(
        { pid, code, signal, crashes: this.crashes.length },
        `workers crashed ${this.crashes.length} times within ${CRASH_WINDOW_MS / 1000} s: giving up`,
      );
      this.exitCode = 1;
      this.stop('too many crashes');
      return;
    }
    const delayMs = Math.min(RESTART_CAP_MS, RESTART_BASE_MS * 2 ** (this.crashes.length - 1));
    this.logger.error(
      { pid, code, signal, restartInMs: delayMs },
      'a worker exited unexpectedly: starting a new one',
    );
    void systemClock.sleep(delayMs).then(() => {
      if (!this.stopping) cluster.fork();
    });
  }

  private async reload(): Promise<void> {
    try {
      await loadConfigFile(this.configPath);
    } catch (err) {
      const reason = isLlmFailoverError(err) ? err.message : String(err);
      this.logger.error({ reason }, `config reload refused, keeping the running config: ${reason}`);
      return;
    }
    this.logger.info('config valid: telling every worker to reload');
    this.broadcast(MESSAGE.reload);
  }

  private onStopSignal(signal: NodeJS.Signals): void {
    if (!this.stopping) {
      this.stop(signal);
      return;
    }
    // The user insists: the workers get a second signal too, and exit at once.
    this.logger.warn({ signal }, 'second signal: exiting now');
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    this.exit(1, 'stopped by a second signal');
  }

  private stop(why: string): void {
    if (this.stopping) return;
    this.stopping = true;
    this.logger.info({ why }, 'stopping every worker gracefully');
    this.broadcast(MESSAGE.shutdown);
    const deadlineMs = this.graceMs + 5_000 + EXTRA_STOP_MS;
    void systemClock.sleep(deadlineMs).then(() => {
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGKILL');
      this.exit(1, `workers still running after ${deadlineMs} ms: killed`);
    });
    if (Object.keys(cluster.workers ?? {}).length === 0) this.exit(this.exitCode, 'stopped');
  }

  private broadcast(type: (typeof MESSAGE)[keyof typeof MESSAGE]): void {
    for (const worker of Object.values(cluster.workers ?? {})) {
      if (worker?.isConnected() === true) worker.send({ type });
    }
  }

  private exit(code: number, msg: string): void {
    if (this.options.pidFile !== undefined) removePidFile(this.options.pidFile);
    if (code === 0) this.logger.info(msg);
    else this.logger.error(msg);
    this.logger.flush(() => process.exit(code));
  }
}
