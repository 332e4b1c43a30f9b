/**
 * The sandbox server: one node:http server on loopback that mounts every emulator under `/<mount>` and the admin
 * surface under `/_admin`, with request-body limits and fault injection.
 *
 * URL layout (port 0 picks a free port):
 *
 * - `http://127.0.0.1:<port>/<mount>/...`: the emulator mounted at `<mount>` (its DID method name unless it sets
 *   `mount`), seeing paths relative to its mount. Configure an adapter's upstream base URL with
 *   `sandbox.baseUrlFor(mount)`.
 * - `http://127.0.0.1:<port>/_admin/...`: the admin surface (see `admin.ts`).
 *
 * @example
 * const sandbox = await startSandbox({ emulators: [exampleEmulator] });
 * const adapter = makeExampleAdapter({ baseUrl: sandbox.baseUrlFor('example') });
 * sandbox.faults.add({ kind: 'status', mount: 'example', status: 502 });
 * ...
 * await sandbox.close();
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { errorReply, handleAdmin, type AdminDeps } from './admin.js';
import { SandboxError } from './errors.js';
import {
  createEmulatorContext,
  MOUNT_NAME,
  mountOf,
  RESERVED_MOUNTS,
  sandboxRequest,
  type EmulatorContext,
  type SandboxResponse,
  type UpstreamEmulator,
} from './emulator.js';
import { FAULT_DEFAULTS, FaultInjector, GARBAGE_BODY, oversizedChunks, type Fault, type FaultKind, type FaultLimits } from './faults.js';
import { SandboxStore } from './store.js';

/** Limits of the sandbox server. All explicit, all configurable. */
export interface SandboxLimits extends FaultLimits {
  /** Largest request body accepted, in bytes; larger ones get 413. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Bytes read and discarded past `maxBodyBytes` (so the client sees the 413) before the connection is dropped. Default 8 MiB. */
  maxDrainBytes?: number;
  /** Deepest JSON nesting parsed in request bodies. Default 64. */
  maxJsonDepth?: number;
  /** Time allowed to receive a whole request, in ms (node:http `requestTimeout`). Default 30 000. */
  requestTimeoutMs?: number;
}

/** The defaults of {@link SandboxLimits} (fault limits are in `FAULT_DEFAULTS`). */
export const SANDBOX_DEFAULTS = {
  host: '127.0.0.1',
  port: 0,
  maxBodyBytes: 1024 * 1024,
  maxDrainBytes: 8 * 1024 * 1024,
  maxJsonDepth: 64,
  requestTimeoutMs: 30_000,
} as const;

/** One handled request, reported to `onRequest` (never with bodies: admin answers carry private keys). */
export interface SandboxRequestEvent {
  /** The emulator mount, `_admin`, or undefined when the path matched nothing. */
  mount: string | undefined;
  method: string;
  /** The path without the query. */
  path: string;
  /** The status sent, or 0 when the connection was dropped (a `reset` fault, an endless body). */
  status: number;
  /** The fault that hit the request, if any. */
  fault?: FaultKind;
  durationMs: number;
}

/** Options of {@link startSandbox}. */
export interface SandboxOptions {
  emulators: readonly UpstreamEmulator[];
  /** The store to serve. Default: a new in-memory store, closed by `close()` (a store passed in is left open). */
  store?: SandboxStore;
  /** Default 0 (a free port). */
  port?: number;
  /** Default `127.0.0.1`. */
  host?: string;
  /** Run every emulator's `seed` before answering. Default true. */
  seed?: boolean;
  /** Serve `/_admin`. Default true. */
  admin?: boolean;
  /**
   * Allow the admin surface on a non-loopback host. Default false: `create` answers with private keys, so exposing
   * it beyond the machine must be a deliberate choice.
   */
  allowRemoteAdmin?: boolean;
  limits?: SandboxLimits;
  /** The emulators' clock. Default: the store's. */
  now?: () => Date;
  /** Called once per request, after the answer (for logs). */
  onRequest?: (event: SandboxRequestEvent) => void;
}

/** A running sandbox. */
export interface Sandbox {
  /** `http://<host>:<port>`, without a trailing slash. */
  readonly url: string;
  readonly port: number;
  readonly store: SandboxStore;
  readonly faults: FaultInjector;
  /** The mounted emulators, by mount. */
  readonly emulators: ReadonlyMap<string, UpstreamEmulator>;
  /**
   * The base URL of the emulator mounted at `mount`: what an adapter uses as its upstream base URL.
   * @throws TypeError when nothing is mounted there.
   */
  baseUrlFor(mount: string): string;
  /** The context the emulator at `mount` receives (for tests that drive it directly). */
  contextFor(mount: string): EmulatorContext;
  /** Stops the server, drops open connections, cancels pending delays, closes the store if it owns it. Idempotent. */
  close(): Promise<void>;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

function checkLimit(name: string, value: number | undefined, min: number): void {
  if (value !== undefined && (!Number.isSafeInteger(value) || value < min)) {
    throw new TypeError(`"options.limits.${name}" must be an integer >= ${min}`);
  }
}

function checkEmulators(emulators: unknown): Map<string, UpstreamEmulator> {
  if (!Array.isArray(emulators)) throw new TypeError('"options.emulators" must be an array of UpstreamEmulator');
  const byMount = new Map<string, UpstreamEmulator>();
  emulators.forEach((emulator: UpstreamEmulator, i) => {
    const at = `options.emulators[${i}]`;
    if (emulator === null || typeof emulator !== 'object') throw new TypeError(`"${at}" must be an object`);
    if (typeof emulator.method !== 'string' || !/^[a-z0-9]+$/.test(emulator.method)) {
      throw new TypeError(`"${at}.method" must be a DID method name (lower-case letters and digits)`);
    }
    const mount = mountOf(emulator);
    if (typeof mount !== 'string' || !MOUNT_NAME.test(mount) || RESERVED_MOUNTS.includes(mount)) {
      throw new TypeError(`"${at}.mount" must match ${MOUNT_NAME} and not be one of ${RESERVED_MOUNTS.join(', ')}`);
    }
    if (byMount.has(mount)) throw new TypeError(`"${at}.mount": two emulators are mounted at /${mount}`);
    if (typeof emulator.handle !== 'function') throw new TypeError(`"${at}.handle" must be a function`);
    if (typeof emulator.create !== 'function') throw new TypeError(`"${at}.create" must be a function`);
    if (!Array.isArray(emulator.keyTypes) || emulator.keyTypes.some((k) => typeof k !== 'string')) {
      throw new TypeError(`"${at}.keyTypes" must be an array of strings`);
    }
    byMount.set(mount, emulator);
  });
  return byMount;
}

type BodyOutcome = { kind: 'ok'; text: string } | { kind: 'too-large'; bytes: number } | { kind: 'dropped' };

/**
 * Reads a request body up to `maxBytes`. Past the limit it keeps reading (and discarding) up to `maxDrainBytes` so the
 * client, still sending, gets to read the 413; past that it drops the connection.
 */
function readBody(req: IncomingMessage, maxBytes: number, maxDrainBytes: number): Promise<BodyOutcome> {
  return new Promise((resolve) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes + maxDrainBytes) {
      req.pause();
      resolve({ kind: 'too-large', bytes: declared });
      return;
    }
    const chunks: Buffer[] = [];
    let bytes = 0;
    let done = false;
    const finish = (outcome: BodyOutcome) => {
      if (done) return;
      done = true;
      resolve(outcome);
    };
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= maxBytes) {
        chunks.push(chunk);
        return;
      }
      chunks.length = 0;
      if (bytes > maxBytes + maxDrainBytes) {
        req.socket.destroy();
        finish({ kind: 'dropped' });
      }
    });
    req.on('end', () =>
      finish(bytes > maxBytes ? { kind: 'too-large', bytes } : { kind: 'ok', text: Buffer.concat(chunks, bytes).toString('utf8') }),
    );
    req.on('error', () => finish({ kind: 'dropped' }));
    req.on('close', () => finish({ kind: 'dropped' }));
  });
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** Sends a reply; a reply an emulator got wrong becomes a 500 that says so. */
function send(res: ServerResponse, reply: SandboxResponse): number {
  if (res.headersSent || res.destroyed) return res.statusCode;
  let status = reply.status ?? 200;
  let headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(reply.headers ?? {})) headers[name.toLowerCase()] = value;
  let payload: Buffer;
  if (!Number.isInteger(status) || status < 100 || status > 599 || (reply.body !== undefined && reply.raw !== undefined)) {
    const fixed = errorReply(new SandboxError('EMULATOR_FAILED', 'the emulator answered with an invalid status or with both body and raw'));
    status = fixed.status!;
    headers = { ...fixed.headers };
    payload = Buffer.from(JSON.stringify(fixed.body));
  } else if (reply.raw !== undefined) {
    payload = typeof reply.raw === 'string' ? Buffer.from(reply.raw, 'utf8') : Buffer.from(reply.raw);
  } else if (reply.body !== undefined) {
    headers['content-type'] ??= 'application/json;charset=UTF-8';
    payload = Buffer.from(JSON.stringify(reply.body), 'utf8');
  } else {
    payload = Buffer.alloc(0);
  }
  if (status === 204 || status === 304) payload = Buffer.alloc(0);
  headers['content-length'] = String(payload.length);
  res.writeHead(status, headers);
  res.end(payload);
  return status;
}

/** Drops the connection with a TCP RST where the platform can, else a plain close. */
function resetConnection(socket: Socket): void {
  if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
  else socket.destroy();
}

/**
 * Starts a sandbox: listens, seeds (unless `seed: false`), and resolves once requests can be answered.
 * @throws TypeError for malformed options (naming the member); rejects when the port cannot be bound or a seed fails.
 */
export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  if (options === null || typeof options !== 'object') throw new TypeError('"options" must be an object');
  const byMount = checkEmulators(options.emulators);
  const host = options.host ?? SANDBOX_DEFAULTS.host;
  if (typeof host !== 'string' || host === '') throw new TypeError('"options.host" must be a non-empty string');
  const port = options.port ?? SANDBOX_DEFAULTS.port;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new TypeError('"options.port" must be an integer from 0 to 65535');
  const adminEnabled = options.admin ?? true;
  if (adminEnabled && !isLoopback(host) && !options.allowRemoteAdmin) {
    throw new TypeError(
      `"options.host" ${host} is not a loopback address and the admin surface hands out private keys; ` +
        'pass admin: false, or allowRemoteAdmin: true if that is really intended',
    );
  }
  if (options.store !== undefined && !(options.store instanceof SandboxStore)) throw new TypeError('"options.store" must be a SandboxStore');
  if (options.now !== undefined && typeof options.now !== 'function') throw new TypeError('"options.now" must be a function');
  if (options.onRequest !== undefined && typeof options.onRequest !== 'function') {
    throw new TypeError('"options.onRequest" must be a function');
  }
  const limits = options.limits ?? {};
  if (limits === null || typeof limits !== 'object') throw new TypeError('"options.limits" must be an object');
  checkLimit('maxBodyBytes', limits.maxBodyBytes, 0);
  checkLimit('maxDrainBytes', limits.maxDrainBytes, 0);
  checkLimit('maxJsonDepth', limits.maxJsonDepth, 1);
  checkLimit('requestTimeoutMs', limits.requestTimeoutMs, 1);
  const maxBodyBytes = limits.maxBodyBytes ?? SANDBOX_DEFAULTS.maxBodyBytes;
  const maxDrainBytes = limits.maxDrainBytes ?? SANDBOX_DEFAULTS.maxDrainBytes;
  const maxJsonDepth = limits.maxJsonDepth ?? SANDBOX_DEFAULTS.maxJsonDepth;
  const requestTimeoutMs = limits.requestTimeoutMs ?? SANDBOX_DEFAULTS.requestTimeoutMs;
  const faults = new FaultInjector({
    ...(limits.maxDelayMs === undefined ? {} : { maxDelayMs: limits.maxDelayMs }),
    ...(limits.maxOversizedBytes === undefined ? {} : { maxOversizedBytes: limits.maxOversizedBytes }),
    ...(limits.maxFaults === undefined ? {} : { maxFaults: limits.maxFaults }),
  });

  const ownsStore = options.store === undefined;
  const store = options.store ?? new SandboxStore();
  const closing = new AbortController();
  let url = '';
  const contexts = new Map<string, EmulatorContext>();
  const baseUrlFor = (mount: string): string => {
    if (!byMount.has(mount)) throw new TypeError(`"mount" ${JSON.stringify(mount)} is not mounted; mounts: ${[...byMount.keys()].join(', ')}`);
    return `${url}/${mount}`;
  };
  const contextFor = (mount: string): EmulatorContext => {
    let ctx = contexts.get(mount);
    if (!ctx) {
      ctx = createEmulatorContext({ store, baseUrl: baseUrlFor(mount), ...(options.now ? { now: options.now } : {}) });
      contexts.set(mount, ctx);
    }
    return ctx;
  };
  const adminDeps: AdminDeps = { emulators: byMount, store, faults, contextFor, baseUrlFor };

  async function applyFault(fault: Fault, req: IncomingMessage, res: ServerResponse): Promise<number | 'continue'> {
    switch (fault.kind) {
      case 'delay':
        try {
          await sleep(fault.delayMs ?? FAULT_DEFAULTS.delayMs, undefined, { signal: closing.signal });
        } catch {
          req.socket.destroy();
          return 0;
        }
        return 'continue';
      case 'status':
        return send(res, {
          status: fault.status ?? FAULT_DEFAULTS.status,
          headers: { 'content-type': fault.contentType ?? 'text/plain; charset=utf-8' },
          raw: fault.body ?? '',
        });
      case 'garbage':
        return send(res, { status: 200, headers: { 'content-type': fault.contentType ?? 'application/json' }, raw: fault.body ?? GARBAGE_BODY });
      case 'oversized': {
        const bytes = fault.bytes ?? FAULT_DEFAULTS.oversizedBytes;
        res.writeHead(200, {
          'content-type': 'application/json;charset=UTF-8',
          ...(fault.chunked ? {} : { 'content-length': String(bytes) }),
        });
        // The client is expected to give up part way: a broken pipe here is the test passing, not a failure.
        await pipeline(Readable.from(oversizedChunks(bytes)), res).catch(() => undefined);
        return 200;
      }
      case 'reset':
        resetConnection(req.socket);
        return 0;
    }
  }

  async function answer(req: IncomingMessage, res: ServerResponse, event: SandboxRequestEvent): Promise<number> {
    const target = req.url ?? '/';
    if (!target.startsWith('/')) return send(res, errorReply(new SandboxError('INVALID_REQUEST', 'only origin-form request targets are served')));
    const queryAt = target.indexOf('?');
    const pathname = queryAt === -1 ? target : target.slice(0, queryAt);
    const search = queryAt === -1 ? '' : target.slice(queryAt);
    event.path = pathname;
    const slash = pathname.indexOf('/', 1);
    const first = pathname.slice(1, slash === -1 ? undefined : slash);
    const rest = slash === -1 ? '/' : pathname.slice(slash);
    const isAdmin = first === '_admin' && adminEnabled;
    const emulator = isAdmin ? undefined : byMount.get(first);
    if (!isAdmin && !emulator) {
      req.resume();
      return send(res, errorReply(new SandboxError('UNKNOWN_EMULATOR', `nothing is mounted at /${first.slice(0, 64)}`)));
    }
    event.mount = isAdmin ? '_admin' : first;

    const body = await readBody(req, maxBodyBytes, maxDrainBytes);
    if (body.kind === 'dropped') return 0;
    if (body.kind === 'too-large') {
      res.setHeader('connection', 'close');
      return send(res, errorReply(new SandboxError('BODY_TOO_LARGE', `the request body is ${body.bytes} bytes; the limit is ${maxBodyBytes}`)));
    }
    let request;
    try {
      request = sandboxRequest({ method: req.method ?? 'GET', path: rest + search, headers: flatHeaders(req), text: body.text, maxJsonDepth });
    } catch (err) {
      return send(res, errorReply(new SandboxError('INVALID_REQUEST', (err as Error).message)));
    }
    if (isAdmin) return send(res, await handleAdmin(request, adminDeps));

    const fault = faults.take({ mount: first, path: request.path, texts: [...request.segments, ...Object.values(request.query), request.text] });
    if (fault) {
      event.fault = fault.kind;
      const outcome = await applyFault(fault, req, res);
      if (outcome !== 'continue') return outcome;
    }
    try {
      const reply = await emulator!.handle(request, contextFor(first));
      if (reply === undefined) {
        return send(res, errorReply(new SandboxError('NO_ROUTE', `the ${first} emulator has no route ${request.method} ${request.path}`)));
      }
      return send(res, reply);
    } catch (err) {
      return send(res, errorReply(err));
    }
  }

  const server = createServer((req, res) => {
    const started = performance.now();
    const event: SandboxRequestEvent = { mount: undefined, method: req.method ?? 'GET', path: '', status: 0, durationMs: 0 };
    answer(req, res, event)
      .catch((err: unknown) => send(res, errorReply(err)))
      .then((status) => {
        event.status = status;
        event.durationMs = performance.now() - started;
        options.onRequest?.(event);
      })
      .catch(() => undefined);
  });
  server.requestTimeout = requestTimeoutMs;
  server.headersTimeout = Math.min(requestTimeoutMs, 60_000);

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    if (ownsStore) store.close();
    throw err;
  }
  const address = server.address() as AddressInfo;
  const urlHost = address.address === '0.0.0.0' || address.address === '::' ? '127.0.0.1' : address.address;
  url = `http://${urlHost.includes(':') ? `[${urlHost}]` : urlHost}:${address.port}`;

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= (async () => {
      closing.abort();
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await stopped;
      if (ownsStore) store.close();
    })();
    return closed;
  };

  if (options.seed ?? true) {
    try {
      for (const [mount, emulator] of byMount) await emulator.seed?.(contextFor(mount));
    } catch (err) {
      await close();
      throw err;
    }
  }

  return { url, port: address.port, store, faults, emulators: byMount, baseUrlFor, contextFor, close };
}
