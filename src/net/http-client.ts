/**
 * All outbound HTTP goes through this client (undici): connect, header and body timeouts, an overall deadline, a
 * response size limit, a redirect limit, and for URLs a DID controls an SSRF guard that checks the address actually
 * connected to. When configured (the driver does by default), GET requests are retried with jittered backoff after
 * transport failures, timeouts and gateway statuses (`retry.ts`), and each upstream origin has a circuit breaker
 * (`breaker.ts`).
 *
 * Connection pools: each of the two undici Agents (trusted and DID-controlled URLs) keeps one pool per origin, so a
 * slow upstream holds only its own connections.
 */
import dns from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { Agent, errors as undiciErrors, request, type Dispatcher } from 'undici';
import { DidBridgeError, UpstreamError } from '../errors.js';
import type { HttpClient, HttpRequestInit, HttpResponse } from '../adapter.js';
import { parseJsonSafe, type JsonLimits } from '../util/json.js';
import { AddressPolicy, type AddressPolicyConfig } from './address-policy.js';
import { BreakerRegistry, type BreakerOutcome, type BreakerPermit, type BreakerRegistryConfig, type BreakerSnapshot, type BreakerState } from './breaker.js';
import { backoffDelay, isRetryableError, retryAfterMs, retryPolicy, RETRYABLE_STATUSES, sleep, type RetryPolicy } from './retry.js';

/** One resolved address of a host name. */
export interface HostAddress {
  address: string;
  family: 4 | 6;
}

/**
 * Name resolution used when connecting: every address a host name resolves to (default: `dns.lookup` with
 * `all: true`). The SSRF guard checks what this returns before any connection is made.
 */
export type HostLookup = (hostname: string) => Promise<readonly HostAddress[]>;

/** How one attempt at an upstream ended (for metrics). */
export type UpstreamOutcome =
  | 'ok'
  | 'retryable-status'
  | 'timeout'
  | 'transport'
  | 'too-large'
  | 'refused'
  | 'circuit-open'
  | 'other';

/** One attempt (one hop) at an upstream. */
export interface UpstreamAttemptEvent {
  /** The origin, e.g. `https://bid.example:8443`. */
  upstream: string;
  /** False for URLs a DID controls (`untrusted: true`). */
  trusted: boolean;
  outcome: UpstreamOutcome;
  /** The HTTP status, when there was an answer. */
  status?: number;
  durationMs: number;
}

/** Told about what the client does, for metrics and logs. Observers must not throw (errors are swallowed). */
export interface UpstreamObserver {
  attempt?(event: UpstreamAttemptEvent): void;
  /** A retry is about to be made after `delayMs`. */
  retry?(event: { upstream: string; trusted: boolean; retry: number; delayMs: number; cause: string }): void;
  /** A breaker changed state. */
  breaker?(snapshot: BreakerSnapshot, from: BreakerState): void;
}

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
  /**
   * Retries of GET requests after transport failures, timeouts and 502/503/504 (`retry.ts`). Default: no retries
   * (the driver's configuration turns them on: `DIDBRIDGE_HTTP_RETRIES`).
   */
  retry?: Partial<RetryPolicy> | false;
  /** Circuit breakers per upstream origin (`breaker.ts`). Default: none (the driver's configuration turns them on). */
  breaker?: BreakerRegistryConfig | false;
  /** Name resolution (default `dns.lookup`); tests map names to addresses with it. */
  lookup?: HostLookup;
  /** Told about attempts, retries and breaker changes. */
  observer?: UpstreamObserver;
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

function lookupAll(hostname: string, options: dns.LookupOptions, custom: HostLookup | undefined, callback: (err: Error | null, list: readonly HostAddress[]) => void): void {
  if (custom) {
    custom(hostname).then(
      (list) => callback(null, list),
      (err: unknown) => callback(err instanceof Error ? err : new Error(String(err)), []),
    );
    return;
  }
  dns.lookup(hostname, { ...options, all: true }, (err, addresses) => callback(err, (addresses ?? []) as HostAddress[]));
}

/**
 * The connector's lookup: resolves every address of the host and, for DID-controlled URLs (`policy` given), refuses
 * the connection when any of them is in a refused class. Runs for every new connection, so a name that re-resolves
 * to an internal address later (DNS rebinding) is refused then too.
 */
function checkedLookup(policy: AddressPolicy | undefined, custom: HostLookup | undefined): LookupFunction {
  return ((hostname: string, options: dns.LookupOptions, callback: (...args: unknown[]) => void) => {
    lookupAll(hostname, options, custom, (err, list) => {
      if (err) return callback(err);
      if (list.length === 0) {
        // Thrown here it would be an uncaught exception in a DNS callback; as an error it fails only this request.
        return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }));
      }
      if (policy && !policy.hostAllowed(hostname)) {
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
  /** The retry policy, or undefined when GETs are not retried. */
  readonly retry: RetryPolicy | undefined;
  /** The circuit breakers per upstream origin, or undefined when there are none. */
  readonly breakers: BreakerRegistry | undefined;
  private readonly observer: UpstreamObserver | undefined;

  constructor(config: HttpClientConfig = {}) {
    if (config === null || typeof config !== 'object') throw new TypeError('"config" must be an object');
    checkLimit('timeoutMs', config.timeoutMs, 1);
    checkLimit('connectTimeoutMs', config.connectTimeoutMs, 1);
    checkLimit('maxBytes', config.maxBytes, 0);
    checkLimit('maxRedirects', config.maxRedirects, 0);
    this.config = { ...HTTP_DEFAULTS, ...stripUndefined(config) };
    if (config.lookup !== undefined && typeof config.lookup !== 'function') throw new TypeError('"lookup" must be a function');
    this.policy = new AddressPolicy(config.addressPolicy);
    const retry = config.retry === undefined || config.retry === false ? undefined : retryPolicy(config.retry);
    this.retry = retry && retry.retries > 0 ? retry : undefined;
    this.observer = config.observer;
    if (config.breaker !== undefined && config.breaker !== false) {
      const userOnChange = config.breaker.onChange;
      const registry = new BreakerRegistry({
        ...config.breaker,
        onChange: (snapshot, from) => {
          this.notify(() => userOnChange?.(snapshot, from));
          this.notify(() => this.observer?.breaker?.(snapshot, from));
        },
      });
      this.breakers = registry.enabled ? registry : undefined;
    }
    const connect = { timeout: this.config.connectTimeoutMs, ...(config.tls ?? {}) };
    this.trusted = new Agent({
      connect: config.lookup ? { ...connect, lookup: checkedLookup(undefined, config.lookup) } : connect,
      headersTimeout: this.config.timeoutMs,
      bodyTimeout: this.config.timeoutMs,
    });
    this.untrusted = new Agent({
      connect: { ...connect, lookup: checkedLookup(this.policy, config.lookup) },
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
   *
   * With `retry` configured, a GET that fails with no connection, a reset or a timeout, or that is answered 502, 503
   * or 504, is sent again after a jittered backoff (`Retry-After` honoured up to `retry.maxDelayMs`), within
   * `retry.budgetMs`; the last outcome is returned (a 5xx response) or thrown. With `breaker` configured, every hop
   * asks its origin's breaker first and fails fast with INTERNAL_ERROR (`reason: circuit-open`) while it is open.
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
    const retry = (init.method ?? 'GET') === 'GET' ? this.retry : undefined;
    if (!retry) return this.attempt(url, init, timeoutMs);
    const started = Date.now();
    const trusted = init.untrusted !== true;
    for (let attempt = 0; ; attempt++) {
      const elapsed = Date.now() - started;
      // The first attempt gets the whole timeout; later ones what is left of the budget.
      const attemptTimeout = attempt === 0 ? timeoutMs : Math.min(timeoutMs, retry.budgetMs - elapsed);
      let outcome: { res: HttpResponse } | { err: unknown };
      try {
        outcome = { res: await this.attempt(url, init, attemptTimeout) };
      } catch (err) {
        outcome = { err };
      }
      const next = this.nextRetry(outcome, attempt, started, retry, init.signal);
      if (next) {
        try {
          await this.pause(url, trusted, attempt + 1, next.delayMs, next.cause, init.signal);
          continue;
        } catch {
          // The caller gave up while we waited: the last outcome is all there is.
        }
      }
      if ('res' in outcome) return outcome.res;
      throw outcome.err;
    }
  }

  /**
   * Whether to retry after an outcome, and after how long: a retryable failure or status, attempts left, time left
   * in the budget for the wait plus a useful attempt, and a caller still waiting.
   */
  private nextRetry(
    outcome: { res: HttpResponse } | { err: unknown },
    attempt: number,
    started: number,
    retry: RetryPolicy,
    signal: AbortSignal | undefined,
  ): { delayMs: number; cause: string } | undefined {
    if (attempt >= retry.retries || signal?.aborted) return undefined;
    let delayMs = backoffDelay(attempt + 1, retry);
    let cause: string;
    if ('res' in outcome) {
      if (!RETRYABLE_STATUSES.has(outcome.res.status)) return undefined;
      const asked = retryAfterMs(outcome.res.headers['retry-after']);
      // An upstream asking for a longer pause than we would wait gets it: no more attempts, its answer stands.
      if (asked !== undefined && asked > retry.maxDelayMs) return undefined;
      delayMs = Math.max(delayMs, asked ?? 0);
      cause = `HTTP ${outcome.res.status}`;
    } else {
      if (!isRetryableError(outcome.err)) return undefined;
      cause = String((outcome.err as DidBridgeError).extensions?.reason);
    }
    return this.hasTime(started, delayMs, retry) ? { delayMs, cause } : undefined;
  }

  /** Whether a retry after `delayMs` would still start with time left in the budget (at least 50 ms of it). */
  private hasTime(started: number, delayMs: number, retry: RetryPolicy): boolean {
    return Date.now() - started + delayMs + 50 <= retry.budgetMs;
  }

  private async pause(url: URL, trusted: boolean, retry: number, delayMs: number, cause: string, signal: AbortSignal | undefined): Promise<void> {
    this.notify(() => this.observer?.retry?.({ upstream: url.origin, trusted, retry, delayMs, cause }));
    await sleep(delayMs, signal);
  }

  /** Calls an observer, never letting it break a request. */
  private notify(call: () => void): void {
    try {
      call();
    } catch {
      /* observers must not fail requests */
    }
  }

  /** One attempt: the request and the redirects it leads to, within `timeoutMs`. */
  private async attempt(url: URL, init: HttpRequestInit, timeoutMs: number): Promise<HttpResponse> {
    const input = url;
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
      const tracker = this.startHop(url, init);
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
        throw tracker.failed(this.wrap(err, url, timeoutMs));
      }
      if (REDIRECT_STATUSES.has(res.statusCode) && res.headers.location !== undefined) {
        tracker.answered(res.statusCode);
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
      let bytes: Uint8Array;
      try {
        bytes = await this.readBody(res, url, maxBytes, timeoutMs);
      } catch (err) {
        throw tracker.failed(this.wrap(err, url, timeoutMs), res.statusCode);
      }
      tracker.answered(res.statusCode);
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

  /**
   * Starts one hop at an upstream: asks its breaker for a permit (throwing at once while it is open) and returns the
   * callbacks that record how the hop ended, for the breaker and the observer, exactly once.
   */
  private startHop(url: URL, init: HttpRequestInit): { answered(status: number): void; failed(err: DidBridgeError, status?: number): DidBridgeError } {
    const upstream = url.origin;
    const trusted = init.untrusted !== true;
    const started = performance.now();
    const breaker = this.breakers?.for(upstream, trusted);
    let permit: BreakerPermit | undefined;
    if (breaker) {
      const granted = breaker.acquire();
      if ('refused' in granted) {
        const err = new UpstreamError(
          `the circuit breaker for ${upstream} is open (${granted.reason}); failing fast` +
            (granted.retryInMs > 0 ? `, next probe in ${Math.ceil(granted.retryInMs / 1000)} s` : ', a probe is under way'),
          { extensions: { reason: 'circuit-open' } },
        );
        this.notify(() => this.observer?.attempt?.({ upstream, trusted, outcome: 'circuit-open', durationMs: 0 }));
        throw err;
      }
      permit = granted;
    }
    let done = false;
    const finish = (outcome: UpstreamOutcome, forBreaker: BreakerOutcome, status?: number) => {
      if (done) return;
      done = true;
      if (breaker && permit) breaker.record(permit, forBreaker);
      const durationMs = performance.now() - started;
      this.notify(() => this.observer?.attempt?.({ upstream, trusted, outcome, durationMs, ...(status !== undefined ? { status } : {}) }));
    };
    return {
      answered: (status) => {
        const gateway = RETRYABLE_STATUSES.has(status);
        finish(gateway ? 'retryable-status' : 'ok', gateway ? 'failure' : 'success', status);
      },
      failed: (err, status) => {
        const reason = err.extensions?.reason;
        // The caller gave up (its own deadline): that says nothing about the upstream.
        const callerAborted = init.signal?.aborted === true;
        if (reason === 'timeout' || reason === 'transport') finish(reason, callerAborted ? 'ignored' : 'failure', status);
        else if (reason === 'too-large') finish('too-large', 'success', status);
        else if (reason === 'ssrf-refused') finish('refused', 'ignored', status);
        else finish('other', 'ignored', status);
        return err;
      },
    };
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
