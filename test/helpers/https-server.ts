/**
 * A loopback HTTPS (or plain HTTP) server for tests that need a real upstream speaking the real wire format.
 *
 * The certificate is generated at test time by the `openssl` CLI: self-signed, `SAN DNS:localhost, IP:127.0.0.1`,
 * written into a fresh temp dir and read back (the dir is removed right away). Hand `ca` to the client under test,
 * e.g. `createHttpClient({ tls: { ca: server.ca }, addressPolicy: { allow: ['loopback'] } })`.
 *
 * Routes are either canned responses (`{ status, headers, body }`) or handlers that may do anything a real server
 * can do wrong: answer slowly, reset the connection, redirect in a loop, stream a huge body.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A canned response. An object `body` is sent as JSON (with `content-type: application/json` unless given). */
export interface CannedResponse {
  status?: number;
  headers?: Record<string, string | string[]>;
  body?: string | Uint8Array | object;
}

/** A request handler with full control over the response. */
export type RouteHandler = (req: http.IncomingMessage, res: http.ServerResponse, server: TestServer) => void | Promise<void>;

export type Route = CannedResponse | RouteHandler;

/** One request the server received, for assertions about what the client sent. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
}

export interface TestServer {
  /** `https` or `http`. */
  readonly protocol: 'https' | 'http';
  readonly port: number;
  /** `https://localhost:<port>` (the certificate names `localhost` and `127.0.0.1`). */
  readonly origin: string;
  /** The PEM certificate to trust (empty for plain HTTP). */
  readonly ca: string;
  /** Every request received, in order. */
  readonly requests: ReceivedRequest[];
  /** Adds or replaces a route (exact path match, query string included when the key has one). */
  route(path: string, route: Route): void;
  /** Stops listening and destroys open connections (including ones a handler left hanging). */
  close(): Promise<void>;
}

export interface StartServerOptions {
  /** Initial routes, path → response or handler. Unknown paths answer 404 with a JSON body. */
  routes?: Record<string, Route>;
  /** Serve TLS (default) or plain HTTP. */
  tls?: boolean;
}

export interface TestCertificate {
  cert: string;
  key: string;
}

let certificate: Promise<TestCertificate> | undefined;

/**
 * Generates (once per test process) a self-signed P-256 certificate with the openssl CLI. EC keys, because RSA
 * key generation costs noticeably more on the shared 2-core machines.
 */
export function testCertificate(): Promise<TestCertificate> {
  certificate ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'didbridge-tls-'));
    try {
      const keyPath = join(dir, 'key.pem');
      const certPath = join(dir, 'cert.pem');
      await run('openssl', [
        'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
        '-keyout', keyPath, '-out', certPath, '-days', '2', '-subj', '/CN=localhost',
        '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
      ]);
      return { cert: await readFile(certPath, 'utf8'), key: await readFile(keyPath, 'utf8') };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  })();
  return certificate;
}

function sendCanned(res: http.ServerResponse, canned: CannedResponse): void {
  const headers: Record<string, string | string[]> = { ...(canned.headers ?? {}) };
  let body: string | Uint8Array | undefined;
  if (canned.body === undefined || typeof canned.body === 'string' || canned.body instanceof Uint8Array) {
    body = canned.body;
  } else {
    body = JSON.stringify(canned.body);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
  }
  res.writeHead(canned.status ?? 200, headers);
  res.end(body);
}

/** Starts a server on 127.0.0.1, port 0 (the OS picks a free port). */
export async function startTestServer(options: StartServerOptions = {}): Promise<TestServer> {
  const routes = new Map<string, Route>(Object.entries(options.routes ?? {}));
  const requests: ReceivedRequest[] = [];
  const useTls = options.tls ?? true;
  const sockets = new Set<Socket>();
  const cert = useTls ? await testCertificate() : undefined;

  const handle = (self: TestServer, req: http.IncomingMessage, res: http.ServerResponse): void => {
    const path = req.url ?? '/';
    requests.push({ method: req.method ?? 'GET', path, headers: req.headers });
    const route = routes.get(path) ?? routes.get(path.split('?')[0]!);
    if (route === undefined) {
      sendCanned(res, { status: 404, body: { error: 'not found', path } });
      return;
    }
    if (typeof route === 'function') {
      Promise.resolve(route(req, res, self)).catch((err: unknown) => {
        if (!res.headersSent) sendCanned(res, { status: 500, body: { error: String(err) } });
        else res.destroy();
      });
      return;
    }
    sendCanned(res, route);
  };
  const server = useTls ? https.createServer({ cert: cert!.cert, key: cert!.key }) : http.createServer();
  // Track raw sockets so close() can end connections a handler deliberately left open.
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // A client that gives up mid-handshake (a refused certificate, an abort) is expected in these tests.
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const protocol = useTls ? 'https' : 'http';
  const self: TestServer = {
    protocol,
    port,
    origin: `${protocol}://localhost:${port}`,
    ca: cert?.cert ?? '',
    requests,
    route(path, route) {
      routes.set(path, route);
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => handle(self, req, res));
  return self;
}

/** Closes a raw TCP connection with an RST (not a FIN), as a crashing peer or a middlebox does. */
export function resetConnection(res: http.ServerResponse): void {
  // Under TLS the request socket is a TLSSocket wrapping the TCP socket; only the TCP one can send an RST.
  const tlsParent = (res.socket as (Socket & { _parent?: Socket }) | null)?._parent;
  const tcp = tlsParent ?? res.socket;
  if (tcp && typeof tcp.resetAndDestroy === 'function') {
    try {
      tcp.resetAndDestroy();
      return;
    } catch {
      /* not a TCP handle: fall through to a plain destroy */
    }
  }
  res.socket?.destroy();
}
