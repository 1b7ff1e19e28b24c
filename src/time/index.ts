export type { Clock, TimerHandle, RandomSource } from './clock.js';
export { systemClock } from './system-clock.js';
export { abortReason } from './abort.js';
export { CancelSource } from './cancel-signal.js';
export type { CancelSignal } from './cancel-signal.js';
// ManualClock is deliberately not exported here: it is a test tool, public through
// `llm-failover/testing` (src/testing/), so the core entry does not load it.
