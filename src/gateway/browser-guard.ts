import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import type { GatewayMetrics } from './gateway-metrics.js';
import { RefusalCounter, forbidden, protocolOfPath, quoted, sendRefusal } from './refusal.js';
import type { Refusal, RefusalReason } from './refusal.js';

/** Options of {@link BrowserGuard} (config: `server.cors.allowedOrigins`, `server.allowedHosts`). */
export interface BrowserGuardOptions {
  /**
   * Web origins allowed to call the gateway from a browser (`http://localhost:5173`), or `"*"`
   * for any. Default none: a request carrying an `Origin` header is refused with 403.
   */
  allowedOrigins?: readonly string[] | undefined;
  /**
   * Extra names the gateway may be addressed by in `Host` (a reverse proxy's name), or `"*"` to
   * turn the check off. IP literals, `localhost` and the listen host are always accepted.
   */
  allowedHosts?: readonly string[] | undefined;
}

/** Headers a browser caller may read: the ones the SDKs use for retries and request ids. */
const EXPOSED_HEADERS = [
  'x-request-id',
  'request-id',
  'retry-after',
  'x-llm-failover-backend',
  'x-llm-failover-attempts',
  'x-llm-failover-fallback',
  'x-llm-failover-notes',
].join(', ');
/** Header names a preflight may ask for: RFC 9110 tokens, so reflecting them is safe. */
const HEADER_LIST = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+(\s*,\s*[!#$%&'*+.^_`|~0-9A-Za-z-]+)*$/;
const PREFLIGHT_MAX_AGE_SECONDS = '600';

/**
 * Keeps web pages the user happens to open from using the gateway (which usually has no key and
 * spends the user's cloud credits):
 * - a request with an `Origin` not in the allowlist is refused (browsers always send `Origin` on
 *   cross-origin fetches and on every POST; non-browser clients, SDKs included, send none);
 * - a `Host` that is neither an IP literal, `localhost`, the listen host nor an allowed name is
 *   refused: DNS rebinding makes an attacker's name resolve to 127.0.0.1, and that name is what
 *   the browser puts in `Host` (the port is not compared: port mappings change it, and it is
 *   not what tells the attacker's page apart);
 * - a POST must declare a JSON body: `text/plain`, forms and a missing type are exactly what a
 *   page may send cross-site without a CORS preflight. Every SDK sends `application/json`.
 * Allowed origins get CORS answers (preflight and `Access-Control-Allow-Origin`).
 */
export class BrowserGuard {
  private readonly anyOrigin: boolean;
  private readonly origins: ReadonlySet<string>;
  private readonly anyHost: boolean;
  private readonly hosts = new Set<string>(['localhost']);
  private readonly refusals: RefusalCounter;

  constructor(options: BrowserGuardOptions = {}, metrics?: GatewayMetrics) {
    const origins = options.allowedOrigins ?? [];
    this.anyOrigin = origins.includes('*');
    this.origins = new Set(origins.map((o) => o.toLowerCase().replace(/\/$/, '')));
    const hosts = options.allowedHosts ?? [];
    this.anyHost = hosts.includes('*');
    for (const host of hosts) this.allowHost(host);
    this.refusals = new RefusalCounter(metrics);
  }

  /** Accepts `host` (the listen address, or a configured name) in the `Host` header. */
  allowHost(host: string): void {
    this.hosts.add(normalizeHostName(host));
  }

  /**
   * Checks one request; answers it (403 / 415 / a preflight's 204) and returns false when it
   * must go no further. Sets the CORS headers of the answer for an allowed origin.
   */
  admit(req: IncomingMessage, res: ServerResponse, path: string, requestId: string): boolean {
    const refusal = this.check(req, res);
    if (refusal === undefined) return !this.answeredPreflight(req, res);
    this.refusals.count(refusal.reason);
    sendRefusal(req, res, refusal, protocolOfPath(path), requestId);
    return false;
  }

  private check(
    req: IncomingMessage,
    res: ServerResponse,
  ): (Refusal & { reason: RefusalReason }) | undefined {
    const host = req.headers.host;
    if (
      !this.anyHost &&
      host !== undefined &&
      !this.hosts.has(hostNameOf(host)) &&
      !isIpHost(host)
    ) {
      const message = `request refused: Host ${quoted(host)} is not a name this gateway serves (DNS rebinding protection); add the name to server.allowedHosts if a proxy forwards it`;
      return { ...forbidden('host_not_allowed', message), reason: 'host' };
    }
    const origin = req.headers.origin;
    if (origin !== undefined) {
      if (!this.anyOrigin && !this.origins.has(origin.toLowerCase())) {
        const message = `cross-origin request from ${quoted(origin)} refused; add the origin to server.cors.allowedOrigins to allow browser calls from it`;
        return { ...forbidden('origin_not_allowed', message), reason: 'origin' };
      }
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('vary', 'Origin');
      res.setHeader('access-control-expose-headers', EXPOSED_HEADERS);
    }
    if (req.method === 'POST' && !isJson(req.headers['content-type'])) {
      const got = req.headers['content-type'];
      const message = `request body must be sent as content-type application/json; got ${got === undefined ? 'no content-type' : quoted(got)}`;
      return {
        status: 415,
        openaiType: 'invalid_request_error',
        anthropicType: 'invalid_request_error',
        code: 'unsupported_media_type',
        message,
        reason: 'content_type',
      };
    }
    return undefined;
  }

  /** Answers a CORS preflight of an allowed origin (the origin was checked already). */
  private answeredPreflight(req: IncomingMessage, res: ServerResponse): boolean {
    const method = req.headers['access-control-request-method'];
    if (req.method !== 'OPTIONS' || req.headers.origin === undefined || method === undefined) {
      return false;
    }
    res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
    const asked = req.headers['access-control-request-headers'];
    // The origin is trusted by config, and the gateway ignores headers it does not know, so the
    // asked-for names are reflected: the SDKs add new x-stainless-*/anthropic-* headers often.
    if (asked !== undefined && HEADER_LIST.test(asked.trim())) {
      res.setHeader('access-control-allow-headers', asked.trim());
    }
    // Chrome's Private Network Access: a public page calling a loopback gateway asks for this.
    if (req.headers['access-control-request-private-network'] === 'true') {
      res.setHeader('access-control-allow-private-network', 'true');
    }
    res.setHeader('access-control-max-age', PREFLIGHT_MAX_AGE_SECONDS);
    res.writeHead(204, { 'content-length': '0' });
    res.end();
    return true;
  }
}

/** `application/json`, with or without parameters (`; charset=utf-8`), any case. */
function isJson(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const semi = contentType.indexOf(';');
  const type = (semi === -1 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
  return type === 'application/json';
}

/** The name part of a `Host` value: `[::1]:4000` -> `[::1]`, `Example.com.:80` -> `example.com`. */
function hostNameOf(host: string): string {
  const end = host.startsWith('[') ? host.indexOf(']') + 1 : host.lastIndexOf(':');
  return normalizeHostName(end <= 0 ? host : host.slice(0, end));
}

function normalizeHostName(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}

/**
 * An IP literal cannot be a rebinding attack: the attack needs a DNS name of the attacker's, and
 * that name is what the browser sends. Accepting literals keeps LAN and container access by
 * address working on a wildcard bind.
 */
function isIpHost(host: string): boolean {
  const name = hostNameOf(host);
  return name.startsWith('[') ? isIP(name.slice(1, -1)) === 6 : isIP(name) === 4;
}
