export type { SseEvent } from './sse-event.js';
export { parseSse, toSseEvent } from './parse-sse.js';
export { encodeSseEvent } from './encode-sse-event.js';
