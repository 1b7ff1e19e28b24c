export {
  gatewayConfigSchema,
  DEFAULT_ANTHROPIC_BASE_URL,
  MOCK_BASE_URL,
  PRESET_NAMES,
} from './config-schema.js';
export type { GatewayConfig, BackendConfig, RouteEntry, LogLevel } from './config-schema.js';
export { expandEnv, expandEnvString, referencedVariables } from './expand-env.js';
export { parseConfig, loadConfigFile } from './parse-config.js';
export type { ParseConfigOptions } from './parse-config.js';
export { buildBackends, resolveRoutes, healthProbePlan } from './build-backends.js';
export type { BackendSharing, BuiltBackends, DisabledBackend } from './build-backends.js';
export { backendDisabledReason } from './disabled-reason.js';
