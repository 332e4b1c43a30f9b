/**
 * The resolver: DID Resolution's `resolve` over a registry of method adapters, with caching.
 *
 * `resolve()` never throws for bad input or failed upstreams: every outcome is a DID Resolution result, with errors
 * as RFC 9457 objects in `didResolutionMetadata.error` (DID Resolution §errors). Programmer errors (a non-object
 * options argument) throw TypeError.
 *
 * @see https://w3c.github.io/did-resolution/#resolving-algorithm
 */
import type { AdapterContext, HttpClient, MethodAdapter, MethodResolution } from './adapter.js';
import { DEFAULT_CACHE_POLICY, MemoryCache, ttlFor, withCacheTtl, type CachePolicy, type ResolutionCache } from './cache.js';
import {
  DidBridgeError,
  FeatureNotSupportedError,
  InvalidDidError,
  InvalidOptionsError,
  MethodNotSupportedError,
  RepresentationNotSupportedError,
  toDidBridgeError,
} from './errors.js';
import { dereference as dereferenceUrl, type DereferenceOutcome } from './dereference.js';
import { createHttpClient, type HttpClientConfig } from './net/http-client.js';
import { isDocumentMediaType, parseAccept, produceDocument, rangeMatches } from './representation.js';
import {
  DOCUMENT_MEDIA_TYPES,
  MediaType,
  VERIFICATION_RELATIONSHIPS,
  type DIDDocument,
  type DIDDocumentMetadata,
  type DIDResolutionResult,
  type DereferencingOptions,
  type ChangeRecord,
  type DocumentMediaType,
  type JsonValue,
  type MethodTraits,
  type ResolutionOptions,
} from './spec.js';
import { parseDid, parseDidUrl, type ParsedDid, type SyntaxLimits } from './syntax/did-url.js';
import { normaliseDatetime } from './util/datetime.js';

export interface ResolverConfig {
  /** The method adapters to serve. */
  adapters: readonly MethodAdapter[];
  /** Outbound HTTP client; created from `httpConfig` when absent. */
  http?: HttpClient;
  httpConfig?: HttpClientConfig;
  /** A cache, or false to disable caching. Default: an in-process LRU. */
  cache?: ResolutionCache | false;
  cachePolicy?: Partial<CachePolicy>;
  limits?: SyntaxLimits;
  /** The clock (tests inject one). */
  now?: () => Date;
  /** Called for each resolution, for logs and metrics. */
  onResolved?: (event: ResolutionEvent) => void;
  /**
   * Deadline of one adapter call in ms (default 30 000). Adapters receive it as `context.signal`; a call still running
   * when it passes is answered with INTERNAL_ERROR, so a hung upstream never hangs `resolve()`.
   */
  resolutionTimeoutMs?: number;
}

export interface ResolutionEvent {
  did: string;
  method: string | undefined;
  error: string | undefined;
  cache: 'hit' | 'miss' | 'bypass' | 'shared';
  durationMs: number;
}

/** What {@link Resolver.resolveDetailed} returns: the result, and the adapter's original record and changes. */
export interface DetailedResolution {
  /** The DID Resolution result, as `resolve()` returns it. */
  result: DIDResolutionResult;
  /** The upstream record as the adapter received it (`MethodResolution.original`); undefined when there is none. */
  original: JsonValue | undefined;
  /** The change records of the translation (also in `result.didResolutionMetadata.didbridgeChanges`). */
  changes: ChangeRecord[];
}

/** Options as they arrive from HTTP are strings; these are the booleans among them. */
function readBoolean(options: ResolutionOptions, name: 'noCache' | 'expandRelativeUrls'): boolean {
  const v = options[name];
  if (v === undefined || v === false || v === 'false') return false;
  if (v === true || v === 'true') return true;
  throw new InvalidOptionsError(`option "${name}" must be true or false, got ${JSON.stringify(v)}`);
}

/** Picks the representation for the `accept` option; undefined means the default (`application/did`). */
export function negotiateDocumentType(accept: string | undefined): DocumentMediaType {
  // An empty Accept states no preference (RFC 9110 §12.5.1 only gives meaning to listed ranges).
  if (accept === undefined || accept.trim() === '') return MediaType.Did;
  const ranges = parseAccept(accept);
  for (const range of ranges) {
    // The UR maps ld+json and json to application/did (resolver-contract §3.2); the profile'd ld+json asks for a
    // whole result, which the caller handles, so the document itself is application/did.
    if (range.type === MediaType.LdJson || range.type === MediaType.Json) return MediaType.Did;
    const match = DOCUMENT_MEDIA_TYPES.find((t) => rangeMatches(range, t));
    if (match) return range.type.includes('*') ? MediaType.Did : match;
  }
  throw new RepresentationNotSupportedError(
    `no DID document representation matches accept "${accept}"; supported: ${DOCUMENT_MEDIA_TYPES.join(', ')}`,
  );
}

/** Rewrites relative DID URLs (`#key-1`) as absolute ones against the DID (DID Resolution `expandRelativeUrls`). */
export function expandRelativeUrls(doc: DIDDocument): DIDDocument {
  const base = doc.id;
  if (typeof base !== 'string') return doc;
  // Upstream documents are not always well-formed: leave anything that is not a string untouched.
  const abs = <T>(ref: T): T =>
    typeof ref === 'string' && (ref.startsWith('#') || ref.startsWith('?') || ref.startsWith('/'))
      ? ((base + ref) as T)
      : ref;
  const expandMethod = (vm: unknown) =>
    vm && typeof vm === 'object' && !Array.isArray(vm)
      ? { ...vm, id: abs((vm as { id?: unknown }).id), controller: abs((vm as { controller?: unknown }).controller) }
      : vm;
  const out: DIDDocument = { ...doc };
  if (Array.isArray(doc.verificationMethod)) {
    out.verificationMethod = doc.verificationMethod.map(expandMethod) as DIDDocument['verificationMethod'];
  }
  for (const rel of VERIFICATION_RELATIONSHIPS) {
    const entries = doc[rel];
    if (Array.isArray(entries)) {
      out[rel] = entries.map((e) => (typeof e === 'string' ? abs(e) : expandMethod(e))) as DIDDocument[typeof rel];
    }
  }
  if (Array.isArray(doc.service)) {
    out.service = doc.service.map((s) =>
      s && typeof s === 'object' ? { ...s, id: abs(s.id) } : s,
    ) as DIDDocument['service'];
  }
  return out;
}

function normaliseMetadata(meta: DIDDocumentMetadata): DIDDocumentMetadata {
  // Built member by member rather than copied and pruned with `delete`, which would turn the object into a slow
  // dictionary (and every JSON.stringify of the result with it).
  const out: DIDDocumentMetadata = {};
  for (const key in meta) {
    if (!Object.prototype.hasOwnProperty.call(meta, key)) continue;
    const value = meta[key];
    if (value === undefined) continue;
    if (key === 'created' || key === 'updated' || key === 'nextUpdate') {
      const normalised = normaliseDatetime(value);
      if (normalised) out[key] = normalised;
    } else if (key === 'deactivated') {
      if (value === true) out.deactivated = true;
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** An empty error result, spread so every result has the same shape. */
export function errorResult(err: DidBridgeError, extra: Record<string, unknown> = {}): DIDResolutionResult {
  return {
    didResolutionMetadata: { error: err.toProblem(), ...extra },
    didDocument: null,
    didDocumentMetadata: {},
  };
}

/**
 * Resolves DIDs through registered adapters.
 *
 * @example
 * const resolver = new Resolver({ adapters: defaultAdapters() })
 * const { didDocument, didResolutionMetadata } = await resolver.resolve('did:key:z6Mk...')
 */
export class Resolver {
  private readonly byMethod = new Map<string, MethodAdapter>();
  readonly adapters: readonly MethodAdapter[];
  readonly http: HttpClient;
  readonly cache: ResolutionCache | undefined;
  readonly cachePolicy: CachePolicy;
  /** Syntax limits applied to DIDs and DID URLs (read by `dereference`). */
  readonly limits: SyntaxLimits | undefined;
  private readonly now: () => Date;
  private readonly inflight = new Map<string, Promise<MethodResolution>>();
  /** In-flight calls that a concurrent caller joined: their resolution is shared, so nobody may own it. */
  private readonly joined = new WeakSet<Promise<MethodResolution>>();
  private readonly onResolved: ResolverConfig['onResolved'];
  private readonly ownsHttp: boolean;
  readonly resolutionTimeoutMs: number;
  private closed = false;
  private retrievedSecond = Number.NaN;
  private retrievedText = '';

  constructor(config: ResolverConfig) {
    if (!config || !Array.isArray(config.adapters)) throw new TypeError('"adapters" must be an array of MethodAdapter');
    for (const adapter of config.adapters) {
      for (const method of adapter.methods) {
        const existing = this.byMethod.get(method);
        if (existing) throw new TypeError(`method "${method}" is served by both "${existing.id}" and "${adapter.id}"`);
        this.byMethod.set(method, adapter);
      }
    }
    this.adapters = [...config.adapters];
    this.ownsHttp = !config.http;
    this.http = config.http ?? createHttpClient(config.httpConfig);
    this.cache = config.cache === false ? undefined : (config.cache ?? new MemoryCache());
    this.cachePolicy = { ...DEFAULT_CACHE_POLICY, ...(config.cachePolicy ?? {}) };
    this.limits = config.limits;
    this.now = config.now ?? (() => new Date());
    this.onResolved = config.onResolved;
    const timeout = config.resolutionTimeoutMs ?? 30_000;
    if (!Number.isFinite(timeout) || timeout <= 0) throw new TypeError('"resolutionTimeoutMs" must be a positive number');
    this.resolutionTimeoutMs = timeout;
  }

  /**
   * Dereferences a DID URL (DID Resolution §dereferencing). Never throws for bad input.
   * @see https://w3c.github.io/did-resolution/#dereferencing-algorithm
   */
  dereference(didUrl: string, options?: DereferencingOptions): Promise<DereferenceOutcome> {
    return dereferenceUrl(this, didUrl, options);
  }

  /** The method names served, in registration order. */
  methods(): string[] {
    return [...this.byMethod.keys()];
  }

  adapterFor(method: string): MethodAdapter | undefined {
    return this.byMethod.get(method);
  }

  /** Method → test identifiers (the driver's `/1.0/testIdentifiers`). */
  testIdentifiers(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const [method, adapter] of this.byMethod) {
      out[method] = adapter.testIdentifiers().filter((d) => d.startsWith(`did:${method}:`));
    }
    return out;
  }

  /** Method → traits (the driver's `/1.0/traits`). */
  traits(): Record<string, MethodTraits> {
    const out: Record<string, MethodTraits> = {};
    for (const [method, adapter] of this.byMethod) out[method] = { ...adapter.traits };
    return out;
  }

  /** Releases the HTTP pools if this resolver created them. */
  async close(): Promise<void> {
    // Idempotent: the driver and the CLI runtime may both close the same resolver.
    if (this.closed) return;
    this.closed = true;
    if (this.ownsHttp && 'close' in this.http && typeof (this.http as { close?: unknown }).close === 'function') {
      await (this.http as { close(): Promise<void> }).close();
    }
  }

  /** Validates a DID and finds its adapter. Throws INVALID_DID or METHOD_NOT_SUPPORTED. */
  parse(did: string): { parsed: ParsedDid; adapter: MethodAdapter } {
    let parsed: ParsedDid;
    try {
      parsed = parseDid(did, this.limits);
    } catch (err) {
      // A DID URL passed to resolve is not a DID: say so rather than pointing at a character.
      if (typeof did === 'string') {
        let isUrl = false;
        try {
          parseDidUrl(did, this.limits);
          isUrl = true;
        } catch {
          /* not a DID URL either */
        }
        if (isUrl) throw new InvalidDidError(`"${did.slice(0, 80)}" is a DID URL, not a DID; dereference it instead`);
      }
      throw err;
    }
    const adapter = this.byMethod.get(parsed.method);
    if (!adapter) {
      throw new MethodNotSupportedError(
        `DID method "${parsed.method}" is not supported; supported methods: ${this.methods().join(', ')}`,
      );
    }
    // A pattern with the g or y flag keeps state in lastIndex between calls; start each test from the beginning.
    adapter.identifierPattern.lastIndex = 0;
    if (!adapter.identifierPattern.test(parsed.did)) {
      throw new InvalidDidError(`"${parsed.did.slice(0, 80)}" is not a valid did:${parsed.method} identifier`);
    }
    adapter.validate?.(parsed);
    return { parsed, adapter };
  }

  /**
   * Resolves a DID. Never throws for bad input or failed upstreams.
   * @see https://w3c.github.io/did-resolution/#resolving-algorithm
   */
  async resolve(did: string, options: ResolutionOptions = {}): Promise<DIDResolutionResult> {
    return (await this.run(did, options, false)).result;
  }

  /**
   * Resolves like {@link Resolver.resolve}, for callers that only read the result (a verifier looking up an
   * issuer's key): a cached document is handed out as it is stored, without the deep copy `resolve` makes so that its
   * caller may edit its result. The stored copy is deeply frozen, so an edit throws instead of reaching the next
   * caller. Same steps, same cache, same events as `resolve`; never throws for bad input.
   */
  async resolveShared(did: string, options: ResolutionOptions = {}): Promise<DIDResolutionResult> {
    return (await this.run(did, options, true)).result;
  }

  /**
   * Resolves like {@link Resolver.resolve} and also hands back what the adapter returned beside the result: the
   * upstream record as received (`original`, a copy) and the change records, both from the same resolution as the
   * result. For views that put the original beside the W3C document (the web console, `GET /1.0/original/{did}`).
   *
   * The result is the one `resolve()` gives for the same call (same steps, same cache, same `onResolved` event);
   * `original` is undefined when the method keeps no native record (did:key) or on errors. Never throws for bad
   * input.
   * @see https://w3c.github.io/did-resolution/#resolving-algorithm
   */
  async resolveDetailed(did: string, options: ResolutionOptions = {}): Promise<DetailedResolution> {
    const { result, resolution } = await this.run(did, options, false);
    return {
      result,
      // The cached resolution is shared: the caller gets its own copy.
      original: resolution?.original === undefined ? undefined : structuredClone(resolution.original),
      changes: result.didResolutionMetadata.didbridgeChanges ?? [],
    };
  }

  /** The steps of the resolution algorithm, shared by `resolve` and `resolveDetailed`. */
  private async run(
    did: string,
    options: ResolutionOptions,
    readOnly: boolean,
  ): Promise<{ result: DIDResolutionResult; resolution: MethodResolution | undefined }> {
    if (options === null || typeof options !== 'object' || Array.isArray(options)) {
      throw new TypeError('"options" must be an object');
    }
    const started = performance.now();
    let method: string | undefined;
    let cacheState: ResolutionEvent['cache'] = 'miss';
    let errorCode: string | undefined;
    try {
      const { parsed, adapter } = this.parse(did);
      method = parsed.method;
      const { mediaType, adapterOptions } = this.checkOptions(options, adapter);
      const noCache = readBoolean(options, 'noCache');
      const expand = readBoolean(options, 'expandRelativeUrls');
      const { resolution, cache, ttlMs, owned } = await this.resolveWithCache(parsed, adapter, adapterOptions, noCache);
      cacheState = cache;
      const result = this.buildResult(resolution, mediaType, expand, cache === 'hit' || cache === 'shared', owned || readOnly);
      return { result: withCacheTtl(result, ttlMs), resolution };
    } catch (err) {
      const e = toDidBridgeError(err);
      errorCode = e.code;
      // No `duration` member: DID Core §7.3 allows no numbers in metadata structures; timing is in the driver's
      // logs and `Server-Timing` header instead.
      return { result: errorResult(e), resolution: undefined };
    } finally {
      // A failing log or metrics hook must not turn a result into a throw: resolve() never throws for input.
      try {
        this.onResolved?.({
          did: typeof did === 'string' ? did.slice(0, 200) : typeof did,
          method,
          error: errorCode,
          cache: cacheState,
          durationMs: performance.now() - started,
        });
      } catch {
        /* ignored on purpose */
      }
    }
  }

  /**
   * DID Resolution algorithm steps 3-4: options the adapter cannot honour, and invalid combinations. Returns the
   * representation to produce and the options handed to the adapter (with `versionTime` normalised to UTC).
   */
  private checkOptions(
    options: ResolutionOptions,
    adapter: MethodAdapter,
  ): { mediaType: DocumentMediaType; adapterOptions: ResolutionOptions } {
    const { versionId, versionTime, accept } = options;
    let normalisedVersionTime: string | undefined;
    if (versionId !== undefined && versionTime !== undefined) {
      throw new InvalidOptionsError('"versionId" and "versionTime" are mutually exclusive');
    }
    if (versionId !== undefined) {
      if (typeof versionId !== 'string' || versionId === '' || !/^[\x20-\x7e]+$/.test(versionId)) {
        throw new InvalidOptionsError('"versionId" must be a non-empty ASCII string');
      }
      if (!adapter.capabilities.versionId) {
        throw new FeatureNotSupportedError(`did:${adapter.methods[0]} does not support "versionId"`);
      }
    }
    if (versionTime !== undefined) {
      normalisedVersionTime = typeof versionTime === 'string' ? normaliseDatetime(versionTime) : undefined;
      if (normalisedVersionTime === undefined) {
        throw new InvalidOptionsError('"versionTime" must be an XML datetime such as 2021-05-10T17:00:00Z');
      }
      if (!adapter.capabilities.versionTime) {
        throw new FeatureNotSupportedError(`did:${adapter.methods[0]} does not support "versionTime"`);
      }
    }
    if (accept !== undefined && typeof accept !== 'string') throw new InvalidOptionsError('"accept" must be a string');
    const mediaType = negotiateDocumentType(accept);
    const adapterOptions = normalisedVersionTime === undefined ? options : { ...options, versionTime: normalisedVersionTime };
    return { mediaType, adapterOptions };
  }

  /**
   * The cache key: the DID plus every option that can change what the adapter returns (the version selectors and
   * the options the adapter declares it understands). Two requests differing only there must not share an entry.
   */
  private cacheKey(did: string, options: ResolutionOptions, adapter: MethodAdapter): string {
    const parts = [did];
    if (options.versionId !== undefined) parts.push(`versionId=${String(options.versionId)}`);
    if (options.versionTime !== undefined) parts.push(`versionTime=${String(options.versionTime)}`);
    for (const name of adapter.capabilities.options ?? []) {
      if (options[name] !== undefined) parts.push(`${name}=${JSON.stringify(options[name])}`);
    }
    // JSON keeps the parts unambiguous whatever characters option values contain.
    return parts.length === 1 ? did : JSON.stringify(parts);
  }

  private async resolveWithCache(
    parsed: ParsedDid,
    adapter: MethodAdapter,
    options: ResolutionOptions,
    noCache: boolean,
  ): Promise<{ resolution: MethodResolution; cache: ResolutionEvent['cache']; ttlMs: number; owned: boolean }> {
    const cacheable = this.cache !== undefined && adapter.capabilities.cacheable !== false;
    const key = this.cacheKey(parsed.did, options, adapter);
    if (cacheable && !noCache) {
      const hit = await Promise.resolve(this.cache!.get(key)).catch(() => undefined);
      if (hit) {
        if (hit.kind === 'resolved') {
          return { resolution: hit.resolution, cache: 'hit', ttlMs: Math.max(0, hit.expiresAt - Date.now()), owned: false };
        }
        throw new DidBridgeError(hit.code, hit.message, { extensions: { cached: true } });
      }
    }
    // Single flight: concurrent misses for the same key share one upstream call.
    const pending = this.inflight.get(key);
    if (pending && !noCache) {
      this.joined.add(pending);
      const shared = await pending;
      return { resolution: shared, cache: 'shared', ttlMs: ttlFor(shared, this.cachePolicy), owned: false };
    }
    const call = this.callAdapter(parsed, adapter, options);
    if (!noCache) this.inflight.set(key, call);
    try {
      const resolution = await call;
      if (cacheable) {
        const ttl = ttlFor(resolution, this.cachePolicy);
        const storedAt = Date.now();
        if (ttl > 0) {
          // The cache keeps its own copy, so the caller of this miss may own (and edit) the resolution it gets; the
          // copy is frozen, because `resolveShared` hands it out without copying again.
          const stored = deepFreeze(structuredClone(resolution));
          await Promise.resolve(
            this.cache!.set(key, { kind: 'resolved', resolution: stored, storedAt, expiresAt: storedAt + ttl }, ttl),
          ).catch(() => undefined);
        }
      }
      return {
        resolution,
        cache: noCache ? 'bypass' : 'miss',
        ttlMs: ttlFor(resolution, this.cachePolicy),
        owned: !this.joined.has(call),
      };
    } catch (err) {
      const e = toDidBridgeError(err);
      if (cacheable && e.code === 'NOT_FOUND' && this.cachePolicy.negativeTtlSeconds > 0) {
        const ttl = this.cachePolicy.negativeTtlSeconds * 1000;
        const storedAt = Date.now();
        await Promise.resolve(
          this.cache!.set(key, { kind: 'error', code: e.code, message: e.message, storedAt, expiresAt: storedAt + ttl }, ttl),
        ).catch(() => undefined);
      }
      throw e;
    } finally {
      if (this.inflight.get(key) === call) this.inflight.delete(key);
    }
  }

  private async callAdapter(parsed: ParsedDid, adapter: MethodAdapter, options: ResolutionOptions) {
    if (adapter.capabilities.network === false) {
      // Computed from the identifier alone: no deadline timer and no AbortController (together ~15 µs per call, a
      // tenth of an uncached did:key request in the driver; docs/BENCHMARKS.md, Driver).
      return checkedResolution(await adapter.resolve(parsed, options, { http: this.http, now: this.now }), adapter);
    }
    const controller = new AbortController();
    const context: AdapterContext = { http: this.http, now: this.now, signal: controller.signal };
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        const err = new DidBridgeError(
          'INTERNAL_ERROR',
          `did:${parsed.method} resolution did not finish within ${this.resolutionTimeoutMs} ms`,
          { extensions: { reason: 'timeout' } },
        );
        controller.abort(err);
        reject(err);
      }, this.resolutionTimeoutMs);
      timer.unref?.();
    });
    let resolution: MethodResolution;
    try {
      resolution = await Promise.race([adapter.resolve(parsed, options, context), deadline]);
    } finally {
      clearTimeout(timer);
    }
    return checkedResolution(resolution, adapter);
  }

  /** `retrieved` for a result made now: the text changes once a second, so it is formatted once a second. */
  private retrievedNow(): string {
    const ms = this.now().getTime();
    const second = Math.floor(ms / 1000);
    if (second !== this.retrievedSecond) {
      this.retrievedSecond = second;
      this.retrievedText = normaliseDatetime(ms) ?? '';
    }
    return this.retrievedText;
  }

  private buildResult(
    resolution: MethodResolution,
    mediaType: DocumentMediaType,
    expand: boolean,
    fromCache: boolean,
    owned: boolean,
  ): DIDResolutionResult {
    // A resolution from the cache or shared with concurrent callers is handed out as a copy, so that a caller editing
    // its result cannot change what the next caller receives. A fresh miss that nobody else holds (the cache stored
    // its own copy) needs no copy: that keeps the uncached hot path (did:key) free of a deep clone.
    const parts = {
      didDocument: resolution.didDocument,
      didDocumentMetadata: resolution.didDocumentMetadata ?? {},
      changes: Array.isArray(resolution.changes) ? resolution.changes : [],
      resolutionMetadata: resolution.resolutionMetadata ?? {},
    };
    const own = owned ? parts : structuredClone(parts);
    const didDocumentMetadata = normaliseMetadata(own.didDocumentMetadata);
    const deactivated = didDocumentMetadata.deactivated === true;
    let doc = own.didDocument;
    if (doc && expand) doc = expandRelativeUrls(doc);
    const result: DIDResolutionResult = {
      didResolutionMetadata: {
        contentType: mediaType,
        ...own.resolutionMetadata,
        ...(own.changes.length > 0 ? { didbridgeChanges: own.changes } : {}),
        servedFromCache: fromCache,
        retrieved: this.retrievedNow(),
      },
      // DID Resolution §resolving step 6: a deactivated DID yields no document, only `deactivated: true`.
      didDocument: deactivated || !doc ? null : produceDocument(doc, mediaType),
      didDocumentMetadata,
    };
    if (deactivated && doc) deactivatedDocuments.set(result, produceDocument(doc, mediaType));
    return result;
  }
}

/**
 * The document of a deactivated DID, kept beside its result (the result itself has `didDocument: null`, DID Resolution
 * §resolving step 6). Only the `legacy-1.0` rendering reads it: the older contract generation returned the document of
 * a deactivated DID (resolver-contract.md §2). A WeakMap, like the reuse TTL, so nothing that copies a result carries it.
 */
const deactivatedDocuments = new WeakMap<object, DIDDocument>();

/** The document behind a deactivated result, for renderings that show it (`legacy-1.0`); undefined otherwise. */
export function deactivatedDocumentOf(result: DIDResolutionResult): DIDDocument | undefined {
  return deactivatedDocuments.get(result);
}

/** Freezes a value and everything reachable from it (plain data: objects and arrays from structuredClone). */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

/** An adapter's answer, refused when it is not a resolution object (an adapter bug, not the caller's). */
function checkedResolution(resolution: MethodResolution, adapter: MethodAdapter): MethodResolution {
  if (!resolution || typeof resolution !== 'object') {
    throw new DidBridgeError('INTERNAL_ERROR', `adapter "${adapter.id}" returned no resolution`);
  }
  return resolution;
}

export { isDocumentMediaType };
