import { systemClock } from '../time/index.js';
import type { RunningServer, StartServerOptions } from '../server/start-server.js';
import { MESSAGE, isClusterMessage } from './cluster-messages.js';
import type { ClusterMessage } from './cluster-messages.js';
import { removePidFile } from './pid-file.js';

/** How long a worker waits for the primary's sum of every worker's metrics. */
const METRICS_TIMEOUT_MS = 6_000;

/**
 * Runs one gateway process: `serve --workers 1`, or one cluster worker (`worker` true). Stops
 * gracefully on SIGTERM/SIGINT (and, in a worker, on the primary's word or its loss), reloads the
 * config on SIGHUP (and on the primary's word).
 * @throws what `startServer` throws (invalid config, listen error).
 */
export async function runServeProcess(
  options: StartServerOptions,
  worker: boolean,
  pidFile?: string,
): Promise<RunningServer> {
  // Listening from the start: a stop the primary sends while this worker boots must not be lost.
  const primary = worker ? listenToPrimary() : undefined;
  const { startServer } = await import('../server/start-server.js');
  const running = await startServer(options);
  const stop = handleSignals(running, pidFile);
  process.on('SIGHUP', () => void running.reload());
  if (primary !== undefined) await joinCluster(running, stop, primary);
  return running;
}

/** What a worker does with the primary's messages; set once the gateway runs. */
interface PrimaryLink {
  stop: ((why: string) => void) | undefined;
  reload: (() => void) | undefined;
  answers: Map<number, (message: ClusterMessage) => void>;
  /** Why the worker was told to stop before it was running. */
  stopEarly: string | undefined;
}

function listenToPrimary(): PrimaryLink {
  const link: PrimaryLink = {
    stop: undefined,
    reload: undefined,
    answers: new Map(),
    stopEarly: undefined,
  };
  const stop = (why: string): void => {
    if (link.stop === undefined) link.stopEarly ??= why;
    else link.stop(why);
  };
  process.on('message', (message: unknown) => {
    if (!isClusterMessage(message)) return;
    if (message.type === MESSAGE.shutdown) stop('primary');
    else if (message.type === MESSAGE.reload) link.reload?.();
    else if (message.type === MESSAGE.metricsAnswer && message.id !== undefined)
      link.answers.get(message.id)?.(message);
  });
  process.on('disconnect', () => stop('primary gone'));
  return link;
}

/** First signal: graceful close then exit 0. A second one: exit 1 at once (the user insists). */
function handleSignals(running: RunningServer, pidFile: string | undefined): (why: string) => void {
  let stopping = false;
  const stop = (why: string): void => {
    if (stopping) return;
    stopping = true;
    running.logger.info(
      { signal: why, graceMs: running.config.server.shutdownGraceMs },
      'shutting down: no new connections, letting in-flight requests finish',
    );
    // A ref'd timer keeps the process alive until close() settles (once the server stops
    // listening nothing else may hold the event loop) and bounds a close that hangs.
    const hardDeadlineMs = running.config.server.shutdownGraceMs + 5_000;
    void systemClock
      .sleep(hardDeadlineMs)
      .then(() =>
        exitAfterLogging(running, 1, `shutdown still running after ${hardDeadlineMs} ms`, pidFile),
      );
    running.close().then(
      () => exitAfterLogging(running, 0, 'stopped', pidFile),
      (err: unknown) => exitAfterLogging(running, 1, `shutdown failed: ${String(err)}`, pidFile),
    );
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      running.logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stop(signal);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return stop;
}

/**
 * Logs `msg`, waits until the logger has written every buffered line (the shipped stdout logger
 * buffers: src/server/create-logger.ts), then exits. Waiting for the asynchronous flush rather than
 * exiting at once matters: a write still in flight could be cut off by `process.exit`.
 */
function exitAfterLogging(
  running: RunningServer,
  code: number,
  msg: string,
  pidFile: string | undefined,
): void {
  if (pidFile !== undefined) removePidFile(pidFile);
  if (code === 0) running.logger.info(msg);
  else running.logger.error(msg);
  running.logger.flush(() => process.exit(code));
}

/**
 * The worker's side of `serve --workers N`: answers the primary's metrics collection with this
 * worker's registry, answers GET /metrics with the sum the primary collects, stops or reloads
 * when the primary says so, and stops if the primary goes away (its IPC channel closes).
 */
async function joinCluster(
  running: RunningServer,
  stop: (why: string) => void,
  link: PrimaryLink,
): Promise<void> {
  const { AggregatorRegistry } = await import('prom-client');
  // Constructing one installs prom-client's worker listener; it reports our registry.
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([running.metrics.registry]);
  const pending = link.answers;
  let nextId = 0;
  running.metrics.renderWith(
    () =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        const timer = systemClock.setTimer(METRICS_TIMEOUT_MS, () => {
          pending.delete(id);
          reject(new Error('the cluster primary did not answer the metrics request'));
        });
        pending.set(id, (message) => {
          timer.clear();
          pending.delete(id);
          resolve({ contentType: message.contentType ?? '', body: message.body ?? '' });
        });
        send({ type: MESSAGE.metricsRequest, id });
      }),
  );
  link.reload = () => void running.reload();
  link.stop = stop;
  if (link.stopEarly !== undefined) {
    stop(link.stopEarly);
    return;
  }
  send({ type: MESSAGE.ready, url: running.url });
}

function send(message: ClusterMessage): void {
  process.send?.(message);
}
