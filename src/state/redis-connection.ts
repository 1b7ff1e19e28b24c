import type { Redis } from 'ioredis';
import type { Clock } from '../time/index.js';

/** Where the Redis store reports that sharing stopped or resumed (a pino logger fits). */
export interface StateLogger {
  warn(facts: object, message: string): void;
  info(facts: object, message: string): void;
}

/** Options of {@link RedisConnection.open}. */
export interface RedisConnectionOptions {
  /** `redis://[:password@]host:port[/db]` or `rediss://`: the password is never logged. */
  url: string;
  clock: Clock;
  logger?: StateLogger | undefined;
  /** Bound on every command; past it the call goes on with local state. Default 250. */
  commandTimeoutMs?: number | undefined;
  /** Bound on a (re)connect attempt. Default 1000. */
  connectTimeoutMs?: number | undefined;
  /** Channel of the state messages. */
  channel: string;
  /** Receives every message on the channel. */
  onMessage: (text: string) => void;
  /** Runs each time Redis becomes reachable (first time included): resynchronise. */
  onAvailable: () => void;
}

/**
 * Two connections to one Redis (commands, and a subscriber, which Redis requires apart) that never
 * make a caller wait for an outage: no offline queue (a command while disconnected fails at
 * once), a timeout on every command, no resend after a reconnect, and reconnection forever in the
 * background. Sharing stopping and resuming is logged once per change, not per command.
 */
export class RedisConnection {
  private available = false;
  private downSince: number | undefined;
  private closed = false;

  private constructor(
    private readonly commands: Redis,
    private readonly subscriber: Redis,
    private readonly options: RedisConnectionOptions,
  ) {}

  /** Connects in the background (an unreachable Redis is not an error: see `isAvailable`). */
  static async open(options: RedisConnectionOptions): Promise<RedisConnection> {
    // Loaded on first use: a gateway on the memory store never loads the client.
    const { Redis } = await import('ioredis');
    const settings = {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: options.commandTimeoutMs ?? 250,
      connectTimeout: options.connectTimeoutMs ?? 1000,
      autoResubscribe: false,
      // Reconnect forever, backing off to 1 s: Redis coming back must be noticed soon.
      retryStrategy: (times: number) => Math.min(times * 50, 1000),
    };
    const connection = new RedisConnection(
      new Redis(options.url, settings),
      new Redis(options.url, settings),
      options,
    );
    connection.watch();
    return connection;
  }

  /** True while commands reach Redis. */
  get isAvailable(): boolean {
    return this.available;
  }

  /** Wall ms since which Redis has been unreachable, if it is. */
  get unavailableSince(): number | undefined {
    return this.available ? undefined : this.downSince;
  }

  /**
   * Runs `command` when Redis is reachable; undefined at once when it is not, or when the command
   * fails or times out (which also marks Redis unreachable until a command succeeds again).
   */
  async run<T>(command: (redis: Redis) => Promise<T>): Promise<T | undefined> {
    if (!this.available || this.commands.status !== 'ready') return undefined;
    try {
      return await command(this.commands);
    } catch (error) {
      this.markDown(error);
      return undefined;
    }
  }

  /** Publishes without waiting; dropped when Redis is unreachable. */
  publish(text: string): void {
    void this.run((redis) => redis.publish(this.options.channel, text));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.available = false;
    await Promise.all([this.commands, this.subscriber].map((c) => quit(c)));
  }

  private watch(): void {
    for (const client of [this.commands, this.subscriber]) {
      // Without a listener, ioredis would throw connection errors as unhandled events.
      client.on('error', (error: unknown) => this.markDown(error));
      client.on('close', () => this.markDown(undefined));
      client.on('ready', () => this.onReady(client));
    }
    this.subscriber.on('message', (_channel: string, text: string) => this.options.onMessage(text));
  }

  private onReady(client: Redis): void {
    if (client === this.subscriber) {
      this.subscriber.subscribe(this.options.channel).then(
        () => this.markUp(),
        (error: unknown) => this.markDown(error),
      );
    } else this.markUp();
  }

  /** Up only when both connections are: messages missed while one was down need a resync. */
  private markUp(): void {
    if (this.closed || this.available) return;
    if (this.commands.status !== 'ready' || this.subscriber.status !== 'ready') return;
    this.available = true;
    const wasDown = this.downSince !== undefined;
    this.downSince = undefined;
    this.options.logger?.info(
      { redis: hostOf(this.options.url) },
      wasDown
        ? 'redis reachable again: state shared, resynchronising'
        : 'redis connected: state shared',
    );
    this.options.onAvailable();
  }

  private markDown(error: unknown): void {
    if (this.closed) return;
    const first = this.available || this.downSince === undefined;
    this.available = false;
    this.downSince ??= this.options.clock.wallNow();
    if (!first) return;
    this.options.logger?.warn(
      { redis: hostOf(this.options.url), reason: reasonOf(error) },
      'redis unreachable: serving on local state until it returns',
    );
  }
}

/** host:port only: the URL's user and password stay out of logs and /health. */
export function hostOf(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.host;
  } catch {
    return '(unparsable url)';
  }
}

/** The error's code or message, without the URL in case a client put it there. */
function reasonOf(error: unknown): string {
  if (error === undefined) return 'connection closed';
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  const message = error instanceof Error ? error.message : 'unknown error';
  return message.replace(/rediss?:\/\/\S*/g, '(redis url)');
}

async function quit(client: Redis): Promise<void> {
  try {
    if (client.status === 'ready') await client.quit();
  } catch {
    // Closing anyway.
  } finally {
    client.disconnect();
  }
}
