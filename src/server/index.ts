// The `llm-failover/server` entry and the composition root's folder index: the gateway, its
// config (YAML parse, load, build), the logger and `startServer`. Everything that loads pino,
// prom-client or yaml is reached from here, never from the core entry (src/index.ts).

export { startServer, DEFAULT_CONFIG_PATH } from './start-server.js';
export type { RunningServer, StartServerOptions } from './start-server.js';
export type { ReloadResult } from './config-reloader.js';
export { createLogger, isLogLevel, REDACT_PATHS } from './create-logger.js';
export type { CreateLoggerOptions } from './create-logger.js';

export { createGateway, GatewayMetrics } from '../gateway/index.js';
export type { Gateway, GatewayOptions } from '../gateway/index.js';

export { parseConfig, loadConfigFile, buildBackends } from '../config/index.js';
export type { GatewayConfig, ParseConfigOptions } from '../config/index.js';

export { RedisStateStore, RedisResponseStore } from '../state/index.js';
export type { RedisStateStoreOptions, StateLogger } from '../state/index.js';
