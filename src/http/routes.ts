/**
 * A small route table: exact paths and path prefixes, per method. Other modules add their endpoints with
 * `driver.routes.add(...)` (translation, verification, the web console, metrics) without touching the server.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DidBridgeConfig, ErrorProfileName } from '../config.js';
import type { Logger } from '../log.js';
import type { Resolver } from '../resolver.js';

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** Everything a handler gets for one request. */
export interface RequestContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** The request method (HEAD is routed as GET; node drops the body). */
  readonly method: string;
  /** The path of the request target, still percent-encoded. */
  readonly path: string;
  /** The query of the request target without `?`, still percent-encoded; undefined when absent. */
  readonly query: string | undefined;
  /** The request id (from `X-Request-Id` when acceptable, else generated); echoed on the response. */
  readonly requestId: string;
  /** The error profile chosen by header or configuration (a handler may refine it from the query). */
  profile: ErrorProfileName;
  readonly resolver: Resolver;
  readonly config: DidBridgeConfig;
  /** A logger with the request id bound. */
  readonly logger: Logger;
  /** Extra fields for this request's access-log line (`cache`, `error`, `did`, ...). */
  readonly logFields: Record<string, unknown>;
  /** Reads the request body as text, up to `limits.maxBodyBytes`; throws a `BodyTooLargeError` beyond. */
  readBody(): Promise<string>;
  /** Sends a response with the driver's common headers (request id, CORS, connection handling on shutdown). */
  send(status: number, headers: Record<string, string | number>, body?: string | Buffer): void;
  /** Sends JSON (`application/json` unless `contentType` says otherwise). */
  sendJson(status: number, value: unknown, contentType?: string): void;
  /**
   * The fast path: sends prepared headers in the flat form `writeHead` takes (`[name, value, name, value]`), then
   * `extra` ones, then the common ones. The caller includes `content-length` (of a text body: its UTF-8 length).
   */
  sendRaw(status: number, headers: readonly string[], extra: readonly string[], body: string | Buffer): void;
}

export type RouteHandler = (ctx: RequestContext) => void | Promise<void>;

export interface Route {
  /** Methods served; a GET route also answers HEAD. */
  methods: readonly HttpMethod[];
  /** The path (exact) or the path prefix (when `prefix` is true), e.g. `/1.0/identifiers/`. */
  path: string;
  prefix?: boolean;
  handler: RouteHandler;
  /** One line for listings. */
  description?: string;
}

export type RouteMatch = { route: Route } | { allowed: HttpMethod[] } | undefined;

/** Exact routes are found by one map lookup; prefixes are tried longest first. */
export class RouteTable {
  private readonly exact = new Map<string, Route[]>();
  private prefixes: Route[] = [];

  /**
   * Adds a route. Throws TypeError when the same method is already served at the same path.
   * @example
   * driver.routes.add({ methods: ['GET'], path: '/metrics', handler: (ctx) => ctx.send(200, {...}, text) })
   */
  add(route: Route): this {
    if (route === null || typeof route !== 'object') throw new TypeError('"route" must be an object');
    if (typeof route.path !== 'string' || !route.path.startsWith('/')) throw new TypeError('"path" must start with "/"');
    if (!Array.isArray(route.methods) || route.methods.length === 0) throw new TypeError('"methods" must be a non-empty array');
    for (const m of route.methods) {
      if (!(HTTP_METHODS as readonly string[]).includes(m)) throw new TypeError(`"methods" has unknown method ${JSON.stringify(m)}`);
    }
    if (typeof route.handler !== 'function') throw new TypeError('"handler" must be a function');
    const same = route.prefix ? this.prefixes.filter((r) => r.path === route.path) : (this.exact.get(route.path) ?? []);
    for (const r of same) {
      const clash = r.methods.find((m) => route.methods.includes(m));
      if (clash) throw new TypeError(`${clash} ${route.path}${route.prefix ? '*' : ''} is already routed`);
    }
    if (route.prefix) {
      this.prefixes.push(route);
      this.prefixes = [...this.prefixes].sort((a, b) => b.path.length - a.path.length);
    } else {
      this.exact.set(route.path, [...same, route]);
    }
    return this;
  }

  /** Finds the route for a method and path; `{ allowed }` when the path exists for other methods only (405). */
  find(method: string, path: string): RouteMatch {
    const wanted = method === 'HEAD' ? 'GET' : method;
    const candidates = this.exact.get(path) ?? this.prefixes.filter((r) => path.startsWith(r.path));
    if (candidates.length === 0) return undefined;
    for (const r of candidates) if ((r.methods as readonly string[]).includes(wanted)) return { route: r };
    const allowed = new Set<HttpMethod>();
    for (const r of candidates) for (const m of r.methods) allowed.add(m);
    if (allowed.has('GET')) allowed.add('HEAD');
    return { allowed: [...allowed] };
  }

  /** The routes, for listings (`GET /` consoles, docs). */
  list(): Array<{ methods: readonly HttpMethod[]; path: string; prefix: boolean; description?: string }> {
    const all = [...[...this.exact.values()].flat(), ...this.prefixes];
    return all.map((r) => ({ methods: r.methods, path: r.path, prefix: r.prefix === true, description: r.description }));
  }
}
