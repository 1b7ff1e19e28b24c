export type { ResponseStore, StoredResponse } from './response-store.js';
export { DEFAULT_RESPONSE_STORE_LIMITS, MemoryResponseStore } from './memory-response-store.js';
export type { MemoryResponseStoreOptions } from './memory-response-store.js';
export type {
  HealthVerdictStore,
  ProbeVerdict,
  StateStore,
  StateStoreStatus,
  VerdictChannel,
} from './state-store.js';
export { MemoryStateStore } from './memory-state-store.js';
export { RedisStateStore } from './redis-state-store.js';
export type { RedisStateStoreOptions } from './redis-state-store.js';
export { RedisResponseStore } from './redis-response-store.js';
export type { StateLogger } from './redis-connection.js';
