export { startServer, DEFAULT_CONFIG_PATH } from './start-server.js';
export type { RunningServer, StartServerOptions } from './start-server.js';
export { createLogger, isLogLevel, REDACT_PATHS } from './create-logger.js';
export type { CreateLoggerOptions } from './create-logger.js';
