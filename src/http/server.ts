/**
 * The Universal Resolver driver: an HTTP server on node:http (no framework) serving DID resolution and DID URL
 * dereferencing, the driver's descriptive endpoints and health probes.
 *
 * What every answer gets: `X-Request-Id` (the client's when acceptable, else generated), CORS headers per
 * configuration, and during shutdown `Connection: close`. Every request is logged as one JSON line (method, path,
 * status, duration, cache, error name; never headers, bodies or options values beyond the identifier).
 *
 * @see https://w3c.github.io/did-resolution/#bindings-https
 * @see https://github.com/decentralized-identity/universal-resolver/blob/main/docs/driver-development.md
 */
import { cacheTtlMsOf } from '../cache.js';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig, type DidBridgeConfig, type ErrorProfileName } from '../config.js';
import { DidBridgeError } from '../errors.js';
import { silentLogger, type Logger } from '../log.js';
import type { Resolver } from '../resolver.js';
import { readBody } from './body.js';
import { consoleRoutes } from './console-route.js';
import {
  createIdentifiersHandler,
  hasConfigHeader,
  IDENTIFIERS_PREFIX,
  readProfile,
  requestErrorResult,
  responseCacheKey,
  sendRendered,
  VARY,
} from './identifiers.js';
import { metaRoutes, type ReadinessCheck } from './meta.js';
import { negotiateResolution } from './negotiate.js';
import { renderResolution } from './render.js';
import { ResponseCache } from './response-cache.js';
import { RouteTable, type RequestContext } from './routes.js';
import { originalRoute } from './routes/original.js';
import { translateRoute } from './translate-route.js';

/** One answered HTTP request, as `RequestObserver`s see it (metrics). */
export interface DriverRequestEvent {
  /** The route's path (`/1.0/identifiers/`, `/health/ready`, ...), `unmatched`, or `invalid-request` (unparseable HTTP). */
  route: string;
  /** For the identifiers route: the identifier as received (raw or URL-encoded), when it could be read. */
  identifier?: string;
  status: number;
  profile: ErrorProfileName;
  /** `hit`: replayed from the response cache; `miss` / `bypass`: resolved; `none`: not an identifier request. */
  cache: 'hit' | 'miss' | 'bypass' | 'none';
  durationMs: number;
}

/** Told about every answered request (after it is sent). Must be cheap: it runs on the hot path. */
export interface RequestObserver {
  request(event: DriverRequestEvent): void;
}

export interface DriverOptions {
  /** The resolver to serve. The driver closes it (`resolver.close()`) when it is closed. */
  resolver: Resolver;
  /** Configuration; default: `loadConfig({ env: {} })` (every default). */
  config?: DidBridgeConfig;
  /** Where request and lifecycle logs go; default: nowhere. */
  logger?: Logger;
  /** Told about every answered request (e.g. `DriverMetrics`). */
  observer?: RequestObserver;
}

export interface Driver {
  readonly server: http.Server;
  /** The route table; add endpoints here (`/1.0/translate/`, `/1.0/verify`, `/`, `/metrics`). */
  readonly routes: RouteTable;
  readonly responseCache: ResponseCache;
  /** Starts listening; resolves with the bound address (use port 0 for a free port). */
  listen(port?: number, host?: string): Promise<AddressInfo>;
  /**
   * Graceful shutdown: readiness turns 503, the listener stops accepting, idle keep-alive connections close, in-flight
   * requests finish (up to `limits.shutdownGraceMs`, then their connections are cut), and the resolver's HTTP pools
   * are released. Safe to call more than once.
   */
  close(): Promise<void>;
  /** Registers a readiness check (e.g. an upstream circuit breaker); `/health/ready` is 503 while any fails. */
  addReadinessCheck(name: string, check: ReadinessCheck): void;
  readonly shuttingDown: boolean;
}

/** Request ids accepted from clients: short, printable, no separators that could break log lines. */
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

const BOOT = Date.now().toString(36);
let requestCounter = 0;
function newRequestId(): string {
  requestCounter = (requestCounter + 1) % Number.MAX_SAFE_INTEGER;
  return `${BOOT}-${requestCounter.toString(36)}`;
}

function requestIdFor(req: http.IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && CLIENT_REQUEST_ID.test(incoming) ? incoming : newRequestId();
}

const ALLOWED_METHODS = 'GET, HEAD, POST, OPTIONS';
const ALLOWED_REQUEST_HEADERS = 'Accept, Content-Type, X-Request-Id, X-Error-Profile, X-Config, If-None-Match';
const EXPOSED_HEADERS = 'X-Request-Id, ETag, Location, X-Cache';

type CorsPolicy = { kind: 'none' } | { kind: 'any' } | { kind: 'list'; origins: Set<string> };

function corsPolicy(origin: string): CorsPolicy {
  const value = origin.trim();
  if (value === '') return { kind: 'none' };
  if (value === '*') return { kind: 'any' };
  return { kind: 'list', origins: new Set(value.split(',').map((o) => o.trim()).filter((o) => o !== '')) };
}

function problemBody(status: number, title: string, detail: string): Record<string, unknown> {
  return { type: 'about:blank', title, status, detail };
}

/**
 * Creates the driver. Call `listen()` to serve.
 *
 * @example
 * const resolver = new Resolver({ adapters: defaultAdapters() })
 * const driver = createDriver({ resolver, config: loadConfig({ env: process.env }), logger: createLogger() })
 * await driver.listen(8080, '0.0.0.0')
 */
export function createDriver(options: DriverOptions): Driver {
  if (options === null || typeof options !== 'object') throw new TypeError('"options" must be an object');
  const { resolver } = options;
  if (!resolver || typeof resolver.resolve !== 'function') throw new TypeError('"resolver" must be a Resolver');
  const config = options.config ?? loadConfig({ env: {} });
  const logger = options.logger ?? silentLogger;
  const observer = options.observer;
  if (observer !== undefined && (observer === null || typeof observer.request !== 'function')) {
    throw new TypeError('"observer" must have a request(event) method');
  }
  /** Calls the observer; a failing observer never breaks an answer. */
  const observe = (event: DriverRequestEvent): void => {
    try {
      observer!.request(event);
    } catch (err) {
      logger.debug('request observer failed', { error: err });
    }
  };
  const limits = config.limits;
  const cors = corsPolicy(config.corsOrigin);
  const readinessChecks = new Map<string, ReadinessCheck>();
  let shuttingDown = false;

  // A deployment that turned resolution caching off wants fresh answers: no replays either.
  const responseCache = new ResponseCache({
    maxEntries: resolver.cache ? config.responseCache.maxEntries : 0,
    maxBytes: config.responseCache.maxBytes,
  });
  /**
   * How long a rendered answer may be replayed: the TTL the resolver attached to the result (`cacheTtlMsOf`: the
   * method's own TTL, or the policy default, bounded by the policy), bounded again by the response cache's own limit.
   * A result without one (an error, or a resolver that did not attach it) is not replayed.
   */
  const replayTtlMs = (result: object): number => {
    const ttl = cacheTtlMsOf(result);
    if (ttl === undefined) return 0;
    return Math.min(ttl, config.responseCache.maxTtlSeconds * 1000);
  };

  const routes = new RouteTable();
  const identifiers = createIdentifiersHandler({ cache: responseCache, replayTtlMs });
  routes.add({ methods: ['GET', 'POST'], path: IDENTIFIERS_PREFIX, prefix: true, handler: identifiers, description: 'resolve or dereference' });
  for (const route of metaRoutes({ resolver, config, readinessChecks, isShuttingDown: () => shuttingDown })) routes.add(route);
  routes.add(originalRoute());
  routes.add(translateRoute());
  // The web console at `/` (`console.enabled: false` leaves `/` a 404).
  if (config.console.enabled) for (const route of consoleRoutes()) routes.add(route);

  const accessLog = config.accessLog && logger.enabled('info');
  // Replays of cached answers are logged at debug level: at tens of thousands per second an info line each costs
  // more than the replay itself, and the `didbridge_*` metrics count them anyway.
  const replayLog = config.accessLog && logger.enabled('debug');

  function logRequest(
    requestId: string,
    method: string,
    path: string,
    status: number,
    started: number,
    fields: Record<string, unknown> | undefined,
    level: 'info' | 'debug' = 'info',
  ): void {
    logger[level]('request', {
      requestId,
      method,
      path: path.length > 300 ? `${path.slice(0, 300)}...` : path,
      status,
      durationMs: Math.round((performance.now() - started) * 1000) / 1000,
      ...fields,
    });
  }

  /**
   * The hot path, before any routing: a GET (or HEAD) of an identifier whose answer is in the response cache is
   * replayed from the stored bytes and headers. Returns false when the request must take the normal path.
   */
  function replay(req: http.IncomingMessage, res: http.ServerResponse): boolean {
    const target = req.url;
    const method = req.method;
    if (
      target === undefined ||
      (method !== 'GET' && method !== 'HEAD') ||
      !target.startsWith(IDENTIFIERS_PREFIX) ||
      target.length > limits.maxUrlLength ||
      // Options in X-Config are not in the key: such requests are never replayed (identifiers.ts).
      hasConfigHeader(req)
    ) {
      return false;
    }
    const profileHeader = req.headers['x-error-profile'];
    const profile = (profileHeader === undefined ? undefined : readProfile(profileHeader)) ?? config.errorProfile;
    const hit = responseCache.get(responseCacheKey(profile, req.headers.accept, target));
    if (!hit) return false;
    const started = replayLog || observer ? performance.now() : 0;
    const requestId = requestIdFor(req);
    const cacheControl = `public, max-age=${Math.max(0, Math.floor((hit.expiresAt - Date.now()) / 1000))}`;
    const common = commonHeaders(req, requestId);
    let status = hit.status;
    if (req.headers['if-none-match'] === hit.etag) {
      status = 304;
      res.writeHead(304, ['etag', hit.etag, 'cache-control', cacheControl, 'vary', VARY, 'x-cache', 'hit', ...common]);
      res.end();
    } else {
      res.writeHead(status, [...hit.headers, 'cache-control', cacheControl, 'x-cache', 'hit', ...common]);
      res.end(hit.body);
    }
    if (replayLog) {
      const q = target.indexOf('?');
      logRequest(requestId, method, q < 0 ? target : target.slice(0, q), status, started, { cache: 'hit' }, 'debug');
    }
    if (observer) {
      const q = target.indexOf('?');
      const identifier = target.slice(IDENTIFIERS_PREFIX.length, q < 0 ? undefined : q);
      observe({ route: IDENTIFIERS_PREFIX, identifier, status, profile, cache: 'hit', durationMs: performance.now() - started });
    }
    return true;
  }

  /** Headers every answer carries, in flat form. */
  function commonHeaders(req: http.IncomingMessage, requestId: string): string[] {
    const out = ['x-request-id', requestId];
    if (cors.kind === 'any') out.push('access-control-allow-origin', '*', 'access-control-expose-headers', EXPOSED_HEADERS);
    else if (cors.kind === 'list') {
      const origin = req.headers.origin;
      if (origin !== undefined && cors.origins.has(origin)) {
        out.push('access-control-allow-origin', origin, 'access-control-expose-headers', EXPOSED_HEADERS);
      }
      out.push('vary', 'Origin');
    }
    if (shuttingDown) out.push('connection', 'close');
    return out;
  }

  class Context implements RequestContext {
    profile: ErrorProfileName;
    /** The `route` of this request's observer event. */
    route = 'unmatched';
    readonly logFields: Record<string, unknown> = {};
    readonly resolver = resolver;
    readonly config = config;
    private sent = false;
    private closeAfter = false;
    private loggerForRequest: Logger | undefined;

    constructor(
      readonly req: http.IncomingMessage,
      readonly res: http.ServerResponse,
      readonly method: string,
      readonly path: string,
      readonly query: string | undefined,
      readonly requestId: string,
      private readonly started: number,
    ) {
      const header = req.headers['x-error-profile'];
      this.profile = (header === undefined ? undefined : readProfile(header)) ?? config.errorProfile;
    }

    get logger(): Logger {
      return (this.loggerForRequest ??= logger.child({ requestId: this.requestId }));
    }

    get answered(): boolean {
      return this.sent;
    }

    async readBody(): Promise<string> {
      try {
        return await readBody(this.req, limits.maxBodyBytes);
      } catch (err) {
        this.closeAfter = true;
        throw err;
      }
    }

    sendRaw(status: number, headers: readonly string[], extra: readonly string[], body: string | Buffer): void {
      if (this.sent) return;
      this.sent = true;
      const common = commonHeaders(this.req, this.requestId);
      if (this.closeAfter && !shuttingDown) common.push('connection', 'close');
      this.res.writeHead(status, [...headers, ...extra, ...common]);
      this.res.end(body);
      this.log(status);
    }

    send(status: number, headers: Record<string, string | number>, body?: string | Buffer): void {
      const flat: string[] = [];
      for (const [k, v] of Object.entries(headers)) flat.push(k, String(v));
      // 304 and 204 carry no body and no length; everything else says how long it is. Text goes out as UTF-8 (node
      // writes it with the headers in one go; no Buffer is made for it).
      if (status !== 304 && status !== 204) {
        const length = body === undefined ? 0 : typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.length;
        flat.push('content-length', String(length));
      }
      this.sendRaw(status, flat, [], body ?? '');
    }

    sendJson(status: number, value: unknown, contentType = 'application/json'): void {
      this.send(status, { 'content-type': contentType, 'cache-control': 'no-store' }, JSON.stringify(value));
    }

    private log(status: number): void {
      if (accessLog) logRequest(this.requestId, this.method, this.path, status, this.started, this.logFields);
      if (observer) {
        const cache = this.logFields.cache;
        const did = this.logFields.did;
        observe({
          route: this.route,
          ...(typeof did === 'string' ? { identifier: did } : {}),
          status,
          profile: this.profile,
          cache: cache === 'miss' || cache === 'bypass' ? cache : 'none',
          durationMs: performance.now() - this.started,
        });
      }
    }
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const started = performance.now();
    const requestId = requestIdFor(req);
    const target = req.url ?? '/';
    const q = target.indexOf('?');
    const path = q < 0 ? target : target.slice(0, q);
    const query = q < 0 ? undefined : target.slice(q + 1);
    const method = req.method ?? 'GET';
    const ctx = new Context(req, res, method, path, query, requestId, started);
    const isIdentifiers = path.startsWith(IDENTIFIERS_PREFIX);
    if (isIdentifiers) ctx.route = IDENTIFIERS_PREFIX;

    if (target.length > limits.maxUrlLength) {
      ctx.logFields.error = 'URI_TOO_LONG';
      const detail = `the request target is ${target.length} characters long; the limit is ${limits.maxUrlLength}`;
      if (isIdentifiers) {
        const code = /[/?#]|%2F|%3F|%23/i.test(target.slice(IDENTIFIERS_PREFIX.length, 400)) ? 'INVALID_DID_URL' : 'INVALID_DID';
        const rendered = renderResolution(requestErrorResult(new DidBridgeError(code, detail)), negotiateResolution(undefined), ctx.profile);
        sendRendered(ctx, rendered, 414);
      } else {
        ctx.sendJson(414, problemBody(414, 'URI Too Long', detail), 'application/problem+json');
      }
      return;
    }

    if (method === 'OPTIONS') {
      const headers: Record<string, string | number> = { allow: ALLOWED_METHODS };
      if (cors.kind !== 'none') {
        headers['access-control-allow-methods'] = ALLOWED_METHODS;
        headers['access-control-allow-headers'] = ALLOWED_REQUEST_HEADERS;
        headers['access-control-max-age'] = 600;
      }
      ctx.send(204, headers);
      return;
    }

    const match = routes.find(method, path);
    // Route labels stay bounded: a route's own path (a prefix for prefix routes), never the request's.
    if (match && 'route' in match) ctx.route = match.route.path;
    else if (match && !isIdentifiers) ctx.route = 'method-not-allowed';
    if (!match) {
      ctx.sendJson(404, problemBody(404, 'Not Found', `nothing is served at ${path.slice(0, 200)}`), 'application/problem+json');
      return;
    }
    if ('allowed' in match) {
      ctx.send(
        405,
        { allow: match.allowed.join(', '), 'content-type': 'application/problem+json', 'cache-control': 'no-store' },
        JSON.stringify(problemBody(405, 'Method Not Allowed', `${method} is not allowed here; use ${match.allowed.join(', ')}`)),
      );
      return;
    }
    try {
      await match.route.handler(ctx);
    } catch (err) {
      ctx.logger.error('handler failed', { path: path.slice(0, 200), error: err });
      if (ctx.answered || res.headersSent) {
        res.destroy();
        return;
      }
      if (isIdentifiers) {
        const rendered = renderResolution(
          requestErrorResult(new DidBridgeError('INTERNAL_ERROR', 'the driver failed while answering')),
          negotiateResolution(undefined),
          ctx.profile,
        );
        sendRendered(ctx, rendered);
      } else {
        ctx.sendJson(500, problemBody(500, 'Internal Server Error', 'the driver failed while answering'), 'application/problem+json');
      }
    }
  }

  const server = http.createServer(
    {
      requestTimeout: limits.requestTimeoutMs,
      headersTimeout: Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs),
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      // Room for the longest accepted target plus ordinary headers; node answers 431 beyond it.
      maxHeaderSize: Math.max(16 * 1024, limits.maxUrlLength + 8 * 1024),
    },
    (req, res) => {
      if (responseCache.enabled && replay(req, res)) return;
      handle(req, res).catch((err: unknown) => {
        logger.error('request failed', { error: err });
        res.destroy();
      });
    },
  );
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    logger.debug('client error', { code: err.code, message: err.message });
    if (socket.writable && !socket.destroyed) {
      const status = err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
      socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
      if (observer) {
        observe({ route: 'invalid-request', status: Number(status.slice(0, 3)), profile: config.errorProfile, cache: 'none', durationMs: 0 });
      }
    } else socket.destroy();
  });

  let closing: Promise<void> | undefined;

  const driver: Driver = {
    server,
    routes,
    responseCache,
    get shuttingDown() {
      return shuttingDown;
    },
    addReadinessCheck(name, check) {
      if (typeof name !== 'string' || name === '') throw new TypeError('"name" must be a non-empty string');
      if (typeof check !== 'function') throw new TypeError('"check" must be a function');
      readinessChecks.set(name, check);
    },
    listen(port = config.port, host = config.host) {
      return new Promise<AddressInfo>((resolve, reject) => {
        const onError = (err: Error) => reject(err);
        server.once('error', onError);
        server.listen(port, host, () => {
          server.off('error', onError);
          const address = server.address() as AddressInfo;
          logger.info('listening', { host: address.address, port: address.port, methods: resolver.methods() });
          resolve(address);
        });
      });
    },
    close() {
      closing ??= (async () => {
        shuttingDown = true;
        logger.info('shutting down', { graceMs: limits.shutdownGraceMs });
        if (server.listening) {
          const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
          server.closeIdleConnections();
          const cut = setTimeout(() => {
            logger.warn('grace period over: closing remaining connections', { graceMs: limits.shutdownGraceMs });
            server.closeAllConnections();
          }, limits.shutdownGraceMs);
          cut.unref();
          await stopped;
          clearTimeout(cut);
        }
        await resolver.close();
        logger.info('stopped');
      })();
      return closing;
    },
  };
  return driver;
}
