/**
 * The contract between the sandbox core and the per-method upstream emulators.
 *
 * An emulator speaks one domestic upstream's real wire format (paths, envelopes, error codes, quirks) over documents
 * kept in the {@link SandboxStore}. The core owns HTTP, body limits, fault injection, the admin surface and the
 * store; an emulator owns everything the upstream would decide: which paths exist, how a DID is derived from a key,
 * what a document looks like, what "not found" looks like on the wire.
 *
 * Requests and responses are small plain objects, so an emulator is unit-testable without a server:
 *
 * @example
 * const store = new SandboxStore();
 * const ctx = createEmulatorContext({ store });
 * const created = await emulator.create(ctx, { keyType: 'ed25519' });
 * const res = await emulator.handle(sandboxRequest({ method: 'GET', path: `/${created.did}` }), ctx);
 * // res?.body is the upstream's envelope around the document
 *
 * ## Mount scheme
 *
 * The server mounts each emulator under `/<mount>` (`mount` defaults to `method`). An upstream whose base URL is
 * `https://host/prefix` is reached at `http://127.0.0.1:<port>/<mount>` and sees paths relative to that, e.g. a BID
 * resolver (`GET {base}/{did}`) gets `GET /did:bid:...`, a WeIdentity REST service (`POST {base}/weid/api/invoke`)
 * gets `POST /weid/api/invoke`. `Sandbox.baseUrlFor(mount)` gives the base URL an adapter should be configured with.
 */
import type { JsonObject, JsonValue } from '../spec.js';
import { parseJsonSafe } from '../util/json.js';
import type { DidRecord, SandboxStore } from './store.js';

/** A request as an emulator sees it. */
export interface SandboxRequest {
  /** The HTTP method, upper case. */
  method: string;
  /** The path below the emulator's mount, still percent-encoded, always starting with `/` (the query is not part of it). */
  path: string;
  /** The non-empty segments of `path`, percent-decoded (`did%3Aexample%3A1` becomes `did:example:1`). */
  segments: string[];
  /** Query parameters, percent-decoded. A parameter given more than once keeps its first value. */
  query: Record<string, string>;
  /** Request headers with lower-case names; repeated headers are joined with `, `. */
  headers: Record<string, string>;
  /** The request body as text (UTF-8); empty when there is none. */
  text: string;
  /**
   * The body parsed as JSON when it is JSON (whatever the content type says: domestic clients often send JSON as
   * `text/plain`); undefined when there is no body or it does not parse. The emulator decides what its upstream
   * answers to a body it cannot read.
   */
  body: JsonValue | undefined;
}

/**
 * What an emulator answers. Give `body` (sent as JSON) or `raw` (sent byte for byte: for envelopes JSON cannot express,
 * such as a duplicated member), or neither for an empty body.
 */
export interface SandboxResponse {
  /** HTTP status. Default 200: most domestic upstreams report failures inside a 200 envelope. */
  status?: number;
  /** Extra response headers. `content-type` defaults to `application/json;charset=UTF-8` for `body`. */
  headers?: Record<string, string>;
  body?: JsonValue;
  raw?: string | Uint8Array;
}

/** What the core hands an emulator on every call. */
export interface EmulatorContext {
  /** The shared store. Emulators write their DIDs here and read them back; they keep no state of their own. */
  store: SandboxStore;
  /**
   * The emulator's own base URL (`http://127.0.0.1:<port>/<mount>`) when served over HTTP, for upstreams that put
   * their own address in documents (resolver or sub-resolver services). Undefined when used without a server
   * (`didbridge sandbox create --db`, unit tests).
   */
  baseUrl?: string;
  /** The clock: the store's unless the context was built with another. */
  now(): Date;
}

/** Parameters of {@link UpstreamEmulator.create}: a key type plus anything the emulator documents (chain id, ...). */
export interface CreateParams {
  /** One of the emulator's `keyTypes`. */
  keyType: string;
  [param: string]: JsonValue | undefined;
}

/** Parameters of {@link UpstreamEmulator.update}: the DID plus whatever the emulator documents. */
export interface UpdateParams {
  did: string;
  /** A replacement native document, when the caller supplies one verbatim. */
  document?: JsonValue;
  [param: string]: JsonValue | undefined;
}

/** Parameters of {@link UpstreamEmulator.deactivate}. */
export interface DeactivateParams {
  did: string;
  [param: string]: JsonValue | undefined;
}

/**
 * A DID an emulator created, with its key pair. This is what ends up in a key file, so treat it as secret: never log
 * it as a whole.
 */
export interface CreatedDid {
  did: string;
  /** The DID URL of the verification method the key controls, as it appears in the native document. */
  verificationMethodId: string;
  /** The key type, one of the emulator's `keyTypes` (e.g. `ed25519`, `secp256k1`, `sm2`). */
  keyType: string;
  /** The public key in the form the method's SDK uses (e.g. 32 raw bytes for Ed25519, 65 uncompressed bytes for EC). */
  publicKey: Uint8Array;
  /** The private key in the form the method's SDK uses (the 32-byte seed for Ed25519, the 32-byte scalar for EC). */
  privateKey: Uint8Array;
}

/**
 * A domestic upstream emulator: one per method (or per upstream flavour of a method, with its own `mount`).
 *
 * Rules for implementers:
 * - Keep all state in `ctx.store` (documents in the native shape, per-method fields in `extra`), never in the object:
 *   the CLI creates DIDs in a store file with no server running, and several servers may share one store.
 * - Answer wire-format failures the way the upstream does (its envelope and status), not with exceptions. Throw a
 *   `SandboxError` only for admin-style misuse (`create` with bad params...); anything else thrown becomes a 500.
 * - Return undefined from `handle` for a path the upstream does not have; the core answers 404.
 * - `seed` must be idempotent (`put` with `ifExists: 'skip'`) and give every seeded record a `source`.
 */
export interface UpstreamEmulator {
  /** The DID method name, e.g. `example`. Records are stored under it. */
  readonly method: string;
  /** The mount name (`/<mount>/...`), lower-case letters, digits and `-`. Default: `method`. */
  readonly mount?: string;
  /** One line saying which upstream and which document describes its API, shown by the CLI and `GET /_admin/emulators`. */
  readonly description?: string;
  /** Key types `create` accepts, e.g. `['ed25519', 'sm2']`. */
  readonly keyTypes: readonly string[];
  /**
   * The extra `create` parameters the emulator understands, name → one-line description (e.g.
   * `{ chainId: 'FISCO BCOS chain id put in the DID (default 1)' }`). Shown by `GET /_admin/emulators` and the CLI help.
   */
  readonly createParams?: Readonly<Record<string, string>>;
  /** Answers a request under the emulator's mount; undefined when the upstream has no such route. */
  handle(req: SandboxRequest, ctx: EmulatorContext): Promise<SandboxResponse | undefined> | SandboxResponse | undefined;
  /** Stores the method's published sample documents (with provenance). */
  seed?(ctx: EmulatorContext): Promise<void> | void;
  /** Creates a DID with a fresh key, stores its native document and returns the DID and the key pair. */
  create(ctx: EmulatorContext, params: CreateParams): Promise<CreatedDid> | CreatedDid;
  /**
   * Writes a new version the way the upstream would (re-signing, bumping its own version fields...). Without it the
   * admin surface stores `params.document` verbatim.
   */
  update?(ctx: EmulatorContext, params: UpdateParams): Promise<DidRecord> | DidRecord;
  /** Deactivates the way the upstream would (tombstone document, flag...). Without it the admin surface flags the record. */
  deactivate?(ctx: EmulatorContext, params: DeactivateParams): Promise<DidRecord> | DidRecord;
}

/** Mount names: URL path segments (`_admin` cannot match). */
export const MOUNT_NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** Mount names taken by the admin surface's own routes (`/_admin/dids`, ...). */
export const RESERVED_MOUNTS: readonly string[] = ['dids', 'emulators', 'faults'];

/** The mount an emulator is served under. */
export function mountOf(emulator: Pick<UpstreamEmulator, 'method' | 'mount'>): string {
  return emulator.mount ?? emulator.method;
}

/** Options of {@link createEmulatorContext}. */
export interface EmulatorContextOptions {
  store: SandboxStore;
  baseUrl?: string;
  /** Default: the store's clock. */
  now?: () => Date;
}

/** Builds the context an emulator receives, for unit tests and for callers that drive emulators without a server. */
export function createEmulatorContext(options: EmulatorContextOptions): EmulatorContext {
  if (options === null || typeof options !== 'object') throw new TypeError('"options" must be an object');
  if (!options.store || typeof options.store.get !== 'function') throw new TypeError('"options.store" must be a SandboxStore');
  if (options.baseUrl !== undefined && typeof options.baseUrl !== 'string') throw new TypeError('"options.baseUrl" must be a string');
  const store = options.store;
  const now = options.now ?? (() => store.now());
  return { store: options.store, ...(options.baseUrl === undefined ? {} : { baseUrl: options.baseUrl }), now };
}

/** Input of {@link sandboxRequest}. */
export interface SandboxRequestInit {
  /** Default `GET`. */
  method?: string;
  /** The path below the mount, optionally with a query string (`/v1/resolve/did:x:1?versionId=2`). */
  path: string;
  headers?: Record<string, string>;
  /** A JSON body (serialised), or body text sent as is. */
  body?: JsonValue;
  text?: string;
  /** Nesting limit for parsing `text`. Default 64. */
  maxJsonDepth?: number;
}

/**
 * Builds a {@link SandboxRequest} the way the server does (the server calls this too), so emulator unit tests see
 * exactly what HTTP requests produce.
 * @throws TypeError when the path is not a path or contains a malformed percent-escape.
 */
export function sandboxRequest(init: SandboxRequestInit): SandboxRequest {
  if (init === null || typeof init !== 'object') throw new TypeError('"init" must be an object');
  if (typeof init.path !== 'string' || !init.path.startsWith('/')) throw new TypeError('"init.path" must be a string starting with "/"');
  if (init.body !== undefined && init.text !== undefined) throw new TypeError('give "init.body" or "init.text", not both');
  const queryAt = init.path.indexOf('?');
  const path = queryAt === -1 ? init.path : init.path.slice(0, queryAt);
  const search = queryAt === -1 ? '' : init.path.slice(queryAt + 1);
  const segments: string[] = [];
  for (const part of path.split('/')) {
    if (part === '') continue;
    try {
      segments.push(decodeURIComponent(part));
    } catch {
      throw new TypeError(`"init.path" has a malformed percent-escape in ${JSON.stringify(part.slice(0, 100))}`);
    }
  }
  const query: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(search)) if (!(name in query)) query[name] = value;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(init.headers ?? {})) headers[name.toLowerCase()] = value;
  const text = init.text ?? (init.body === undefined ? '' : JSON.stringify(init.body));
  let body: JsonValue | undefined;
  if (text.trim() !== '') {
    try {
      body = parseJsonSafe(text, { maxDepth: init.maxJsonDepth ?? 64 }) as JsonValue;
    } catch {
      body = undefined;
    }
  }
  return { method: (init.method ?? 'GET').toUpperCase(), path, segments, query, headers, text, body };
}

/** Options of {@link jsonReply} and {@link rawReply}. */
export interface ReplyOptions {
  /** Default 200. */
  status?: number;
  headers?: Record<string, string>;
}

/** A JSON response. */
export function jsonReply(body: JsonValue, options: ReplyOptions = {}): SandboxResponse {
  return { status: options.status ?? 200, ...(options.headers ? { headers: options.headers } : {}), body };
}

/** A response sent byte for byte, with a content type (default `application/json;charset=UTF-8`). */
export function rawReply(raw: string | Uint8Array, options: ReplyOptions & { contentType?: string } = {}): SandboxResponse {
  return {
    status: options.status ?? 200,
    headers: { 'content-type': options.contentType ?? 'application/json;charset=UTF-8', ...(options.headers ?? {}) },
    raw,
  };
}

/** Reads a member of a JSON object body without trusting its shape. */
export function bodyMember(body: JsonValue | undefined, name: string): JsonValue | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
  return Object.prototype.hasOwnProperty.call(body, name) ? (body as JsonObject)[name] : undefined;
}
