/**
 * All outbound HTTP goes through this client (undici): connect, header and body timeouts, an overall deadline, a
 * response size limit, a redirect limit, and for URLs a DID controls an SSRF guard that checks the address actually
 * connected to.
 */
import dns from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { Agent, errors as undiciErrors, request, type Dispatcher } from 'undici';
import { DidBridgeError, UpstreamError } from '../errors.js';
import type { HttpClient, HttpRequestInit, HttpResponse } from '../adapter.js';
import { parseJsonSafe, type JsonLimits } from '../util/json.js';
import { AddressPolicy, type AddressPolicyConfig } from './address-policy.js';

export interface HttpClientConfig {
  /** Overall deadline of one request including redirects, in ms. Default 10 000. */
  timeoutMs?: number;
  /** TCP/TLS connect timeout in ms. Default 5 000. */
  connectTimeoutMs?: number;
  /** Response size limit in bytes. Default 1 MiB. */
  maxBytes?: number;
  /** Redirects followed at most. Default 5. */
  maxRedirects?: number;
  /** SSRF policy for untrusted URLs. */
  addressPolicy?: AddressPolicyConfig;
  /** Extra TLS options, e.g. a test CA (`ca`) for loopback HTTPS servers. */
  tls?: { ca?: string | Buffer | Array<string | Buffer>; rejectUnauthorized?: boolean };
  json?: JsonLimits;
  /** User-Agent sent upstream. */
  userAgent?: string;
}

export const HTTP_DEFAULTS = {
  timeoutMs: 10_000,
  connectTimeoutMs: 5_000,
  maxBytes: 1024 * 1024,
  maxRedirects: 5,
} as const;

/** Thrown (as INTERNAL_ERROR) when an untrusted URL would reach a refused address. */
export class RefusedAddressError extends UpstreamError {
  constructor(host: string, address: string, classes: string[]) {
    super(`refused to connect to ${host} (${address}): ${classes.join(', ')} addresses are not allowed for DID-controlled URLs`, {
      extensions: { reason: 'ssrf-refused' },
    });
    this.name = 'RefusedAddressError';
  }
}

function guardedLookup(policy: AddressPolicy): LookupFunction {
  return ((hostname: string, options: dns.LookupOptions, callback: (...args: unknown[]) => void) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err);
      const list = addresses as dns.LookupAddress[];
      if (list.length === 0) {
        // Thrown here it would be an uncaught exception in a DNS callback; as an error it fails only this request.
        return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }));
      }
      if (!policy.hostAllowed(hostname)) {
        for (const a of list) {
          const refused = policy.refusedClasses(a.address);
          if (refused.length > 0) return callback(new RefusedAddressError(hostname, a.address, refused));
        }
      }
      if (options.all) callback(null, list);
      else callback(null, list[0]!.address, list[0]!.family);
    });
  }) as LookupFunction;
}

/** Status codes whose `Location` is followed (RFC 9110 §15.4); 300 and 304 are answers, not redirects. */
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Request headers that carry credentials: dropped when a redirect leaves the origin they were meant for. */
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

function checkLimit(name: string, value: unknown, min: number): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new TypeError(`"${name}" must be a finite number >= ${min}, got ${String(value)}`);
  }
}

/** Lower-cases header names so a caller's `User-Agent` replaces the default instead of being sent twice. */
function lowerCaseHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = v;
  return out;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function normaliseHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** The undici-based HttpClient. Create one per process (it owns two connection pools) and `close()` it on exit. */
export class UndiciHttpClient implements HttpClient {
  readonly config: Required<Pick<HttpClientConfig, 'timeoutMs' | 'connectTimeoutMs' | 'maxBytes' | 'maxRedirects'>> &
    HttpClientConfig;
  private readonly policy: AddressPolicy;
  private readonly trusted: Agent;
  private readonly untrusted: Agent;

  constructor(config: HttpClientConfig = {}) {
    if (config === null || typeof config !== 'object') throw new TypeError('"config" must be an object');
    checkLimit('timeoutMs', config.timeoutMs, 1);
    checkLimit('connectTimeoutMs', config.connectTimeoutMs, 1);
    checkLimit('maxBytes', config.maxBytes, 0);
    checkLimit('maxRedirects', config.maxRedirects, 0);
    this.config = { ...HTTP_DEFAULTS, ...stripUndefined(config) };
    this.policy = new AddressPolicy(config.addressPolicy);
    const connect = { timeout: this.config.connectTimeoutMs, ...(config.tls ?? {}) };
    this.trusted = new Agent({ connect, headersTimeout: this.config.timeoutMs, bodyTimeout: this.config.timeoutMs });
    this.untrusted = new Agent({
      connect: { ...connect, lookup: guardedLookup(this.policy) },
      headersTimeout: this.config.timeoutMs,
      bodyTimeout: this.config.timeoutMs,
    });
  }

  async close(): Promise<void> {
    await Promise.all([this.trusted.close(), this.untrusted.close()]);
  }

  /** Refuses IP-literal hosts up front: the connector does no DNS lookup for them, so the lookup guard never runs. */
  private checkLiteral(url: URL): void {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) !== 0 && !this.policy.hostAllowed(host)) {
      const refused = this.policy.refusedClasses(host);
      if (refused.length > 0) throw new RefusedAddressError(host, host, refused);
    }
  }

  /**
   * Fetches `input`, following at most `maxRedirects` redirects, within one overall deadline.
   *
   * Redirects are followed by this client (not undici) so that every hop of an untrusted request passes the SSRF
   * guard. A redirect from `https:` to `http:` is refused: it would downgrade a document the caller asked to get over
   * TLS (did:web requires HTTPS). Credentials headers are dropped when a redirect leaves the original origin.
   */
  async request(input: string | URL, init: HttpRequestInit = {}): Promise<HttpResponse> {
    if (init === null || typeof init !== 'object') throw new TypeError('"init" must be an object');
    checkLimit('init.timeoutMs', init.timeoutMs, 1);
    checkLimit('init.maxBytes', init.maxBytes, 0);
    let url: URL;
    try {
      url = new URL(input);
    } catch {
      throw new TypeError(`"url" must be an absolute URL, got ${JSON.stringify(String(input).slice(0, 200))}`);
    }
    const timeoutMs = init.timeoutMs ?? this.config.timeoutMs;
    const maxBytes = init.maxBytes ?? this.config.maxBytes;
    // The caller's signal (e.g. the resolver's overall deadline) and our own timeout, whichever fires first.
    const deadline = init.signal ? AbortSignal.any([init.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
    const firstOrigin = url.origin;
    let method = init.method ?? 'GET';
    let body = init.body;
    let requestHeaders: Record<string, string> = {
      'user-agent': this.config.userAgent ?? 'didbridge',
      ...lowerCaseHeaders(init.headers ?? {}),
    };
    for (let hop = 0; ; hop++) {
      if (url.protocol !== 'https:' && url.protocol !== 'http:') {
        throw new UpstreamError(`unsupported URL scheme ${url.protocol} (${url.href})`);
      }
      if (init.untrusted) this.checkLiteral(url);
      let res: Dispatcher.ResponseData;
      try {
        res = await request(url, {
          method,
          headers: requestHeaders,
          body,
          signal: deadline,
          dispatcher: init.untrusted ? this.untrusted : this.trusted,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        });
      } catch (err) {
        throw this.wrap(err, url, timeoutMs);
      }
      if (REDIRECT_STATUSES.has(res.statusCode) && res.headers.location !== undefined) {
        res.body.dump().catch(() => undefined);
        if (hop >= this.config.maxRedirects) {
          throw new UpstreamError(`more than ${this.config.maxRedirects} redirects fetching ${new URL(input).href}`, {
            extensions: { reason: 'too-many-redirects' },
          });
        }
        const location = String(res.headers.location);
        let next: URL;
        try {
          next = new URL(location, url);
        } catch {
          throw new UpstreamError(`${url.host} redirected to an invalid URL ${JSON.stringify(location.slice(0, 200))}`, {
            extensions: { reason: 'bad-redirect' },
          });
        }
        if (url.protocol === 'https:' && next.protocol === 'http:') {
          throw new UpstreamError(`${url.host} redirected from https to plain http (${next.href}); refusing the downgrade`, {
            extensions: { reason: 'insecure-redirect' },
          });
        }
        if (next.origin !== firstOrigin) {
          requestHeaders = Object.fromEntries(Object.entries(requestHeaders).filter(([k]) => !CREDENTIAL_HEADERS.includes(k)));
        }
        if (res.statusCode === 303 || ((res.statusCode === 301 || res.statusCode === 302) && method === 'POST')) {
          method = 'GET';
          body = undefined;
          const { 'content-type': _type, 'content-length': _length, ...rest } = requestHeaders;
          requestHeaders = rest;
        }
        url = next;
        continue;
      }
      const bytes = await this.readBody(res, url, maxBytes, timeoutMs);
      const headers = normaliseHeaders(res.headers as Record<string, string | string[] | undefined>);
      const finalUrl = url.href;
      const jsonLimits = this.config.json;
      return {
        status: res.statusCode,
        headers,
        body: bytes,
        url: finalUrl,
        text: () => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'),
        json: () => parseJsonSafe(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'), jsonLimits),
      };
    }
  }

  private async readBody(res: Dispatcher.ResponseData, url: URL, maxBytes: number, timeoutMs: number): Promise<Uint8Array> {
    const declared = Number(res.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      res.body.destroy();
      throw new UpstreamError(`response from ${url.host} is ${declared} bytes; the limit is ${maxBytes}`, {
        extensions: { reason: 'too-large' },
      });
    }
    const chunks: Buffer[] = [];
    let total = 0;
    try {
      for await (const chunk of res.body) {
        total += (chunk as Buffer).length;
        if (total > maxBytes) {
          res.body.destroy();
          throw new UpstreamError(`response from ${url.host} exceeds the limit of ${maxBytes} bytes`, {
            extensions: { reason: 'too-large' },
          });
        }
        chunks.push(chunk as Buffer);
      }
    } catch (err) {
      throw this.wrap(err, url, timeoutMs);
    }
    return Buffer.concat(chunks, total);
  }

  private wrap(err: unknown, url: URL, timeoutMs: number): DidBridgeError {
    if (err instanceof DidBridgeError) return err;
    const cause = err as { cause?: unknown; name?: string; code?: string; message?: string };
    if (cause?.cause instanceof DidBridgeError) return cause.cause;
    const timedOut =
      cause?.name === 'TimeoutError' ||
      cause?.name === 'AbortError' ||
      err instanceof undiciErrors.HeadersTimeoutError ||
      err instanceof undiciErrors.BodyTimeoutError ||
      err instanceof undiciErrors.ConnectTimeoutError;
    if (timedOut) {
      return new UpstreamError(`no answer from ${url.host} within ${timeoutMs} ms`, {
        cause: err,
        extensions: { reason: 'timeout' },
      });
    }
    return new UpstreamError(`request to ${url.host} failed: ${cause?.code ?? cause?.message ?? String(err)}`, {
      cause: err,
      extensions: { reason: 'transport' },
    });
  }
}

/** Creates the default client. */
export function createHttpClient(config?: HttpClientConfig): UndiciHttpClient {
  return new UndiciHttpClient(config);
}
