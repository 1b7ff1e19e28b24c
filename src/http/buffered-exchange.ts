import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import { abortReason } from '../time/index.js';
import { MAX_ERROR_BODY_BYTES, ResponseTooLarge } from './attempt-failure.js';
import type { AbortSource } from './client-core.js';

/** A whole HTTP response: status, headers and the body decoded as UTF-8. */
export interface BufferedResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The body as received (a leading BOM included), which `text` decodes. */
  bytes: Buffer;
}

type DispatchController = Parameters<NonNullable<Dispatcher.DispatchHandler['onRequestStart']>>[0];

/**
 * One request whose response is read whole, through undici's dispatcher handler API rather than
 * `request()`. Why: for small JSON exchanges `request()`'s machinery (an AsyncResource, a Readable
 * body, and above all its abort-signal bookkeeping, ~3 µs per call measured) is a sizeable part
 * of a loopback call; a handler gets undici's own abort controller for free.
 *
 * Abort: when `source` aborts, the request is aborted (or, still queued in the pool, rejected at
 * once and aborted as soon as undici starts it).
 */
export class BufferedExchange implements Dispatcher.DispatchHandler {
  /** The status once response headers arrived (0 before): tells a body error from a connect one. */
  status = 0;
  private headers: IncomingHttpHeaders = {};
  private chunks: Buffer[] = [];
  private size = 0;
  private controller: DispatchController | undefined;
  private resolve!: (response: BufferedResponse) => void;
  private reject!: (error: unknown) => void;
  private readonly onAbort = this.abortNow.bind(this);

  /** @param maxBytes largest 2xx body held; past it the request is aborted (`ResponseTooLarge`). */
  constructor(
    private readonly source: AbortSource,
    private readonly maxBytes = Infinity,
  ) {}

  /** Sends `options` through `dispatcher`; resolves with the whole response, any status. */
  send(dispatcher: Dispatcher, options: Dispatcher.DispatchOptions): Promise<BufferedResponse> {
    const promise = new Promise<BufferedResponse>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    if (this.source.aborted) {
      this.reject(abortReason(this.source));
      return promise;
    }
    this.source.on('abort', this.onAbort);
    try {
      dispatcher.dispatch(options, this);
    } catch (err) {
      this.finish();
      this.reject(err);
    }
    return promise;
  }

  onRequestStart(controller: DispatchController): void {
    if (this.source.aborted) controller.abort(abortReason(this.source));
    else this.controller = controller;
  }

  onResponseStart(controller: DispatchController, status: number, headers: IncomingHttpHeaders) {
    if (status < 200) return; // 1xx informational: the real response follows
    this.status = status;
    this.headers = headers;
    // A declared length over the limit is refused before a byte of the body is read.
    const declared = Number(headers['content-length']);
    if (status < 300 && declared > this.maxBytes) this.tooLarge(controller, `${declared} bytes`);
  }

  onResponseData(controller: DispatchController, chunk: Buffer): void {
    if (this.status >= 300) {
      // Only a 2xx body is the answer; an error body is a fact cut to 16 KiB: hold no more of it
      // (the rest is still read, so the connection stays reusable).
      if (this.size >= MAX_ERROR_BODY_BYTES) return;
    } else if (this.size + chunk.length > this.maxBytes) {
      // Stop at once: nothing more is buffered, and aborting destroys the upstream socket.
      this.chunks = [];
      this.tooLarge(controller, `more than ${this.maxBytes} bytes`);
      return;
    }
    this.size += chunk.length;
    this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    this.finish();
    const chunks = this.chunks;
    const bytes = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, this.size);
    let text = bytes.toString('utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a UTF-8 BOM is not content
    this.resolve({ status: this.status, headers: this.headers, text, bytes });
  }

  onResponseError(_controller: DispatchController, error: Error): void {
    this.finish();
    this.reject(error);
  }

  private tooLarge(controller: DispatchController, what: string): void {
    const detail = `the answer is too large: ${what}, over the limit of ${this.maxBytes} bytes (maxResponseBytes)`;
    controller.abort(new ResponseTooLarge(detail));
  }

  private abortNow(): void {
    const reason = abortReason(this.source);
    // Not started yet: reject now; onRequestStart will abort it when undici gets to it.
    if (this.controller === undefined) this.reject(reason);
    else this.controller.abort(reason);
  }

  private finish(): void {
    this.source.removeListener('abort', this.onAbort);
  }
}
