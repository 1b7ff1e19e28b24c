export type { Clock, TimerHandle, RandomSource } from './clock.js';
export { systemClock } from './system-clock.js';
export { ManualClock } from './manual-clock.js';
export { abortReason } from './abort.js';
