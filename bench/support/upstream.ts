// The benchmark's upstream in its own process: the mock upstream, so its CPU does not compete
// with the process being measured. Env: BENCH_CHUNK_DELAY_MS (delay between streamed events).
import { runMockUpstream } from '../../src/backends/index.js';

await runMockUpstream({
  host: '127.0.0.1',
  port: 0,
  chunkDelayMs: Number(process.env.BENCH_CHUNK_DELAY_MS ?? '0'),
});

// The benchmark died without stopping us (Ctrl-C, crash): do not linger as an orphan.
process.once('disconnect', () => process.exit(0));
