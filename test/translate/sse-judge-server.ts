import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Writes the answer's SSE frames to `res` (through {@link SseJudgeServer.write}). */
export type SseHandler = (res: ServerResponse) => Promise<void>;

/**
 * Loopback: a node:http server that answers each SDK request with the frames its `handler`
 * writes (a translator's output, as the gateway writes it), keeping them in `frames`. The official
 * SDKs' stream accumulators, pointed at `url`, are the judges of what a caller can assemble.
 */
export class SseJudgeServer {
  readonly frames: string[] = [];
  handler: SseHandler = () => Promise.reject(new Error('no handler'));
  private readonly server: Server = createServer((req, res) => this.onRequest(req, res));
  private base = '';

  /** `http://127.0.0.1:<port>`, once listening. */
  get url(): string {
    return this.base;
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Writes one frame to `res` and keeps it. */
  write(res: ServerResponse, frame: string): void {
    this.frames.push(frame);
    res.write(frame);
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      this.handler(res).then(
        () => res.end(),
        (error: unknown) => res.destroy(error as Error),
      );
    });
  }
}
