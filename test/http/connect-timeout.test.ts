import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/time/manual-clock.js';
import { testClient } from './test-client.js';

// undici's connect timeout covers the TLS handshake ('secureConnect'), so an https:// base URL
// pointing at a loopback TCP server that accepts and then says nothing hangs in "connect" for
// sure, on any machine: no unroutable address, no backlog tricks. The client's clock is manual,
// so its own deadline never fires: only the pool's connect timeout can end the call.
describe('CloudBackendClient connectTimeoutMs', () => {
  let server: Server;
  const sockets = new Set<Socket>();
  let port = 0;

  beforeEach(async () => {
    server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterEach(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('fails a POST and a stream whose handshake never completes with TIMEOUT after connectTimeoutMs', async () => {
    const clock = new ManualClock();
    const client = testClient(`https://127.0.0.1:${port}/v1`, clock, {
      connectTimeoutMs: 50,
      maxRetries: 0,
    });
    // Both at once: undici's connect timer has a coarse (~1 s) resolution, so this takes ~1 s.
    const [error, streamError] = await Promise.all([
      client.post('/x', {}).catch((e: unknown) => e),
      client
        .stream('/x', {})
        [Symbol.asyncIterator]()
        .next()
        .catch((e: unknown) => e),
    ]);
    expect(error).toMatchObject({ code: 'TIMEOUT', attempts: 1, backend: 'test' });
    // undici names the timeout it applied: ours, not its 10 s default.
    expect((error as Error).cause).toMatchObject({ code: 'UND_ERR_CONNECT_TIMEOUT' });
    expect(((error as Error).cause as Error).message).toContain('timeout: 50ms');
    expect(streamError).toMatchObject({ code: 'TIMEOUT', attempts: 1 });
    expect(client.circuitBreaker.failCounter).toBe(2);
    expect(clock.now()).toBe(0); // not our deadline: the pool's connect timeout ended them
    await client.close();
  });
});
