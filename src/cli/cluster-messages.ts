/** The IPC messages between the `serve --workers N` primary and its workers. */
export const MESSAGE = {
  /** worker -> primary: listening at `url`. */
  ready: 'llm-failover:ready',
  /** primary -> worker: stop gracefully (as on SIGTERM). */
  shutdown: 'llm-failover:shutdown',
  /** primary -> worker: reload the config file (the primary validated it). */
  reload: 'llm-failover:reload',
  /** worker -> primary: send me every worker's metrics, summed (request `id`). */
  metricsRequest: 'llm-failover:metrics-request',
  /** primary -> worker: the summed metrics for request `id`. */
  metricsAnswer: 'llm-failover:metrics-answer',
} as const;

/** One IPC message; fields by type as documented in {@link MESSAGE}. */
export interface ClusterMessage {
  type: (typeof MESSAGE)[keyof typeof MESSAGE];
  url?: string;
  id?: number;
  body?: string;
  contentType?: string;
}

const TYPES = new Set<string>(Object.values(MESSAGE));

/** True for one of our messages (the channel also carries prom-client's and Node's own). */
export function isClusterMessage(message: unknown): message is ClusterMessage {
  return (
    typeof message === 'object' &&
    message !== null &&
    TYPES.has((message as { type?: unknown }).type as string)
  );
}

/** Env var telling each worker the port the primary chose for them all (overrides --port). */
export const WORKER_PORT_ENV = 'LLM_FAILOVER_WORKER_PORT';
