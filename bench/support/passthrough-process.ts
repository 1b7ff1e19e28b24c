// The pass-through proxy in its own process. Env: BENCH_UPSTREAM_URL. Tells the parent
// `{ type: 'listening', url }` over IPC.
import { startPassthroughProxy } from './passthrough-proxy.js';

const upstream = process.env.BENCH_UPSTREAM_URL;
if (upstream === undefined) throw new Error('BENCH_UPSTREAM_URL is required');
const proxy = await startPassthroughProxy(upstream);
process.once('SIGTERM', () => void proxy.close().finally(() => process.exit(0)));
process.send?.({ type: 'listening', url: proxy.url });

// The benchmark died without stopping us (Ctrl-C, crash): do not linger as an orphan.
process.once('disconnect', () => process.exit(0));
