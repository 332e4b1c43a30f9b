/**
 * What the reliability tests share: a loopback upstream whose behaviour each test sets per path (slow, 5xx, garbage,
 * oversized, reset, redirect loop, or a handler of its own), an adapter for a configured (trusted) upstream that
 * speaks to it the way the domestic adapters speak to theirs, a host lookup that maps test names to addresses, and a
 * driver built by `createDeployment` exactly as `didbridge serve` builds it.
 *
 * Nothing here is a stub of the code under test: the driver, the resolver, the HTTP client (pools, timeouts, SSRF
 * guard, retries, breakers) and the caches are the real ones; only the upstream is ours, and it speaks HTTP.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createKeyAdapter } from '../../adapters/key/index.js';
import { createWebAdapter } from '../../adapters/web/index.js';
import type { MethodAdapter, MethodResolution } from '../../src/adapter.js';
import { loadConfig, type ConfigOverrides } from '../../src/config.js';
import { InvalidDidDocumentError, NotFoundError, UpstreamError } from '../../src/errors.js';
import { createDeployment, type Deployment } from '../../src/http/deployment.js';
import { createLogger } from '../../src/log.js';
import type { HostAddress, HostLookup } from '../../src/net/http-client.js';
import type { DIDDocument } from '../../src/spec.js';

/** How the upstream answers one path. */
export type Behaviour =
  | { kind: 'json'; body: unknown; status?: number; headers?: Record<string, string> }
  | { kind: 'raw'; body: string | Buffer; status?: number; headers?: Record<string, string> }
  | { kind: 'slow'; delayMs: number; then?: Behaviour }
  | { kind: 'status'; status: number; headers?: Record<string, string> }
  | { kind: 'garbage' }
  | { kind: 'oversized'; bytes: number; chunked?: boolean }
  | { kind: 'reset' }
  | { kind: 'redirect-loop' }
  | { kind: 'sequence'; steps: Behaviour[] }
  | { kind: 'handler'; handle: (req: http.IncomingMessage, res: http.ServerResponse) => void };

export interface Upstream {
  readonly port: number;
  /** `http://<host>:<port>` with the host given (default 127.0.0.1). */
  origin(host?: string): string;
  /** Sets what a path answers (exact path, query excluded). Unset paths answer 404. */
  set(path: string, behaviour: Behaviour): void;
  /** Requests received per path. */
  hits(path: string): number;
  /** TCP connections accepted so far. */
  readonly connections: number;
  close(): Promise<void>;
}

/** Starts the upstream on 127.0.0.1, a free port. */
export async function startUpstream(): Promise<Upstream> {
  const behaviours = new Map<string, Behaviour>();
  const hits = new Map<string, number>();
  const sequencePosition = new Map<string, number>();
  const sockets = new Set<Socket>();
  let connections = 0;

  const answer = (path: string, b: Behaviour, req: http.IncomingMessage, res: http.ServerResponse): void => {
    switch (b.kind) {
      case 'json':
        res.writeHead(b.status ?? 200, { 'content-type': 'application/json', ...(b.headers ?? {}) });
        res.end(JSON.stringify(b.body));
        return;
      case 'raw':
        res.writeHead(b.status ?? 200, { 'content-type': 'application/json', ...(b.headers ?? {}) });
        res.end(b.body);
        return;
      case 'slow': {
        const timer = setTimeout(() => {
          if (b.then) answer(path, b.then, req, res);
          else {
            res.writeHead(200, { 'content-type': 'application/json' });
            res.end('{}');
          }
        }, b.delayMs);
        res.on('close', () => clearTimeout(timer));
        return;
      }
      case 'status':
        res.writeHead(b.status, { 'content-type': 'text/plain', ...(b.headers ?? {}) });
        res.end(`status ${b.status}`);
        return;
      case 'garbage':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('<html><body>502 Bad Gateway</body></html>\u0000{"id":');
        return;
      case 'oversized': {
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        res.writeHead(200, { 'content-type': 'application/json', ...(b.chunked ? {} : { 'content-length': String(b.bytes) }) });
        let sent = 0;
        const pump = () => {
          while (!res.destroyed && sent < b.bytes) {
            const n = Math.min(chunk.length, b.bytes - sent);
            sent += n;
            if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void res.once('drain', pump);
          }
          if (!res.destroyed) res.end();
        };
        pump();
        return;
      }
      case 'reset':
        req.socket.resetAndDestroy();
        return;
      case 'redirect-loop':
        res.writeHead(302, { location: `${path}?loop=${Math.random().toString(36).slice(2)}` });
        res.end();
        return;
      case 'sequence': {
        const at = sequencePosition.get(path) ?? 0;
        sequencePosition.set(path, at + 1);
        answer(path, b.steps[Math.min(at, b.steps.length - 1)]!, req, res);
        return;
      }
      case 'handler':
        b.handle(req, res);
        return;
    }
  };

  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const b = behaviours.get(path);
    if (!b) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"error":"not found"}');
      return;
    }
    answer(path, b, req, res);
  });
  server.on('connection', (socket: Socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    origin: (host = '127.0.0.1') => `http://${host}:${port}`,
    set(path, behaviour) {
      behaviours.set(path, behaviour);
      sequencePosition.delete(path);
    },
    hits: (path) => hits.get(path) ?? 0,
    get connections() {
      return connections;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A DID document for `did`, with one Ed25519 key. */
export function documentFor(did: string): DIDDocument {
  return {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
    id: did,
    verificationMethod: [
      { id: `${did}#key-1`, type: 'Multikey', controller: did, publicKeyMultibase: 'z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp' },
    ],
    authentication: [`${did}#key-1`],
    service: [{ id: `${did}#files`, type: 'LinkedDomains', serviceEndpoint: 'http://files.test/base/' }],
  };
}

/**
 * `did:up:<id>`: an adapter for a configured upstream (trusted: the operator chose its URL), reading
 * `GET <baseUrl>/dids/<id>` the way the domestic adapters read theirs: 200 with the document, 404 for an unknown DID,
 * anything else an upstream failure. It passes the resolver's deadline on as the request's signal.
 */
export function createUpstreamAdapter(baseUrl: string): MethodAdapter {
  return {
    id: 'up',
    methods: ['up'],
    identifierPattern: /^did:up:[a-z0-9-]{1,64}$/,
    traits: { updatable: false, deactivatable: false, enumerable: false, historyAvailable: false, humanReadable: true },
    capabilities: { cacheable: true },
    testIdentifiers: () => ['did:up:alice'],
    async resolve(did, _options, context): Promise<MethodResolution> {
      const res = await context.http.request(`${baseUrl}/dids/${did.methodSpecificId}`, {
        headers: { accept: 'application/json' },
        ...(context.signal ? { signal: context.signal } : {}),
      });
      if (res.status === 404) throw new NotFoundError(`${did.did} is not registered upstream`);
      if (res.status !== 200) throw new UpstreamError(`the upstream answered HTTP ${res.status}`, { extensions: { reason: 'upstream-status' } });
      let body: unknown;
      try {
        body = res.json();
      } catch (cause) {
        throw new UpstreamError(`the upstream answer is not JSON: ${(cause as Error).message}`, { cause, extensions: { reason: 'not-json' } });
      }
      if (body === null || typeof body !== 'object' || Array.isArray(body) || (body as { id?: unknown }).id !== did.did) {
        throw new InvalidDidDocumentError(`the upstream document is not a DID document for ${did.did}`);
      }
      return { didDocument: body as DIDDocument, didDocumentMetadata: {}, changes: [] };
    },
  };
}

/**
 * A host lookup for tests: `*.test` names from the table, anything else not found. The SSRF guard sees exactly what
 * this returns.
 */
export function testLookup(table: Record<string, string | string[]>): HostLookup {
  return async (hostname) => {
    const entry = table[hostname.toLowerCase()];
    if (entry === undefined) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    const list = Array.isArray(entry) ? entry : [entry];
    return list.map((address): HostAddress => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

export interface RunningDriver {
  deployment: Deployment;
  base: string;
  logLines: string[];
  close(): Promise<void>;
}

/**
 * Starts the driver as `didbridge serve` would, with did:up (pointed at `upstream`), did:web (plain HTTP allowed, for
 * the loopback upstream) and did:key. Loopback is allowed for DID-controlled URLs, as tests must.
 */
export async function startDriver(options: {
  upstreamBase: string;
  overrides?: ConfigOverrides;
  lookup?: HostLookup;
  adapters?: MethodAdapter[];
}): Promise<RunningDriver> {
  const overrides: ConfigOverrides = {
    ...options.overrides,
    http: { allowAddressClasses: ['loopback'], ...(options.overrides?.http ?? {}) },
  };
  const config = loadConfig({ env: {}, overrides });
  const logLines: string[] = [];
  const logger = createLogger({ level: 'debug', stream: { write: (line: string) => logLines.push(line) } as never });
  const adapters = options.adapters ?? [createUpstreamAdapter(options.upstreamBase), createWebAdapter({ allowHttp: true }), createKeyAdapter()];
  const deployment = createDeployment({ config, adapters, logger, http: options.lookup ? { lookup: options.lookup } : {} });
  const address = await deployment.driver.listen(0, '127.0.0.1');
  return { deployment, base: `http://127.0.0.1:${address.port}`, logLines, close: () => deployment.close() };
}

/** Reads a Prometheus text exposition into `name{labels}` → value. */
export function parseMetrics(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

/** The value of one series, e.g. `metric(m, 'didbridge_redis_degraded')` or with labels `{upstream: '...'}`. */
export function metric(metrics: Map<string, number>, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels);
  for (const [series, value] of metrics) {
    const brace = series.indexOf('{');
    const seriesName = brace < 0 ? series : series.slice(0, brace);
    if (seriesName !== name) continue;
    const labelText = brace < 0 ? '' : series.slice(brace + 1, -1);
    const have = new Map<string, string>();
    for (const m of labelText.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) have.set(m[1]!, m[2]!);
    if (wanted.every(([k, v]) => have.get(k) === v)) return value;
  }
  return undefined;
}

/** Sum of every series of a metric whose labels include `labels`. */
export function metricSum(metrics: Map<string, number>, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  const wanted = Object.entries(labels);
  for (const [series, value] of metrics) {
    const brace = series.indexOf('{');
    if ((brace < 0 ? series : series.slice(0, brace)) !== name) continue;
    const labelText = brace < 0 ? '' : series.slice(brace + 1, -1);
    if (wanted.every(([k, v]) => labelText.includes(`${k}="${v}"`))) sum += value;
  }
  return sum;
}
