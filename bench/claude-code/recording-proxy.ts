// A loopback pass-through proxy in front of the gateway that records what the client sends
// (method, path with query, headers; credentials redacted) and pipes both directions untouched,
// so the check can report Claude Code's own requests, including those the gateway answers itself
// (HEAD /, count_tokens).
import { createServer, request } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ClientRecord {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** The gateway's status. */
  status?: number;
  /** The gateway's `x-llm-failover-notes` (what a translation dropped or changed). */
  notes?: string;
  /** The gateway's `x-llm-failover-fallback` (the target that answered after a failover). */
  fallback?: string;
}

export async function startRecordingProxy(target: string): Promise<{
  url: string;
  requests: ClientRecord[];
  close: () => Promise<void>;
}> {
  const requests: ClientRecord[] = [];
  const to = new URL(target);
  const server = createServer((req, res) => {
    const headers = { ...req.headers };
    for (const h of ['authorization', 'x-api-key', 'cookie']) {
      if (headers[h] !== undefined) headers[h] = '<redacted>';
    }
    const record: ClientRecord = { method: req.method ?? '', url: req.url ?? '', headers };
    requests.push(record);
    const out = request(
      { host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers },
      (upstream) => {
        if (upstream.statusCode !== undefined) record.status = upstream.statusCode;
        const notes = upstream.headers['x-llm-failover-notes'];
        if (typeof notes === 'string') record.notes = notes;
        const fallback = upstream.headers['x-llm-failover-fallback'];
        if (typeof fallback === 'string') record.fallback = fallback;
        res.writeHead(upstream.statusCode ?? 502, upstream.headers);
        upstream.pipe(res);
      },
    );
    out.once('error', () => res.destroy());
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
