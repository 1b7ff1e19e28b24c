// The gateway in its own process (clean RSS readings, no CPU shared with the load generator).
// Env: BENCH_GATEWAY_CONFIG (YAML text). IPC: sends `{ type: 'listening', url }`; answers
// `{ type: 'rss' }` with `{ type: 'rss', rss }` (bytes).
import { startServer } from '../../src/server/index.js';

const configText = process.env.BENCH_GATEWAY_CONFIG;
if (configText === undefined) throw new Error('BENCH_GATEWAY_CONFIG is required');
const running = await startServer({ configText, port: 0 });
process.on('message', (message: { type?: string }) => {
  if (message.type === 'rss') process.send?.({ type: 'rss', rss: process.memoryUsage().rss });
});
process.once('SIGTERM', () => void running.close(1000).finally(() => process.exit(0)));
process.send?.({ type: 'listening', url: running.url });

// The benchmark died without stopping us (Ctrl-C, crash): do not linger as an orphan.
process.once('disconnect', () => process.exit(0));
