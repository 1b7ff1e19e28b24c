import type { Logger } from 'pino';
import type { GatewayConfig } from '../config/index.js';
import { MemoryStateStore, RedisStateStore } from '../state/index.js';
import type { StateStore } from '../state/index.js';
import type { Clock } from '../time/index.js';

/**
 * The instance's state store from `state`: Redis when `state.redis` is set (shared with every
 * gateway on that Redis; connecting in the background, so a Redis down at startup is no startup
 * failure), else this process's memory.
 */
export async function createStateStore(
  config: GatewayConfig,
  logger: Logger,
  clock: Clock | undefined,
): Promise<StateStore> {
  const redis = config.state?.redis;
  if (redis === undefined) return new MemoryStateStore(clock);
  return RedisStateStore.connect({
    url: redis.url,
    keyPrefix: redis.keyPrefix,
    commandTimeoutMs: redis.commandTimeoutMs,
    clock,
    logger: logger.child({ component: 'state' }),
  });
}
