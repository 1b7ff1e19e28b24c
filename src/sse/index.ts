export type { SseEvent } from './sse-event.js';
export { parseSse, toSseEvent } from './parse-sse.js';
export { encodeSseEvent } from './encode-sse-event.js';
export { SseReader, MAX_SSE_BUFFER_CHARS } from './sse-reader.js';
export type { SseBatch, BatchSource } from './sse-batch.js';
export { batchesOf, eventsOf, frameSseEvents, hasBatches, sseBatchOf } from './sse-batch.js';
