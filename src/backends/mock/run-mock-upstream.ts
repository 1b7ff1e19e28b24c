import { MockUpstreamServer } from './mock-upstream-server.js';
import type { MockUpstreamOptions } from './mock-upstream-server.js';

/** Options of runMockUpstream. */
export interface RunMockUpstreamOptions extends MockUpstreamOptions {
  /** Close the server and exit on SIGTERM / SIGINT. Default true. */
  handleSignals?: boolean;
}

/**
 * Runs a MockUpstreamServer as the main thing of this process (e.g. the benchmark's upstream in
 * its own process). Once listening it tells the parent: by IPC `{ type: 'listening', url }` when
 * forked with an IPC channel, otherwise one JSON line `{"url": ...}` on stdout.
 */
export async function runMockUpstream(
  options: RunMockUpstreamOptions = {},
): Promise<MockUpstreamServer> {
  // A standalone upstream serves benchmarks: recording every request would only grow memory.
  const server = await MockUpstreamServer.start({ recordRequests: false, ...options });
  if (options.handleSignals !== false) {
    const stop = (): void => {
      void server.close().finally(() => process.exit(0));
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  }
  if (process.send !== undefined) process.send({ type: 'listening', url: server.url });
  else process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
  return server;
}
