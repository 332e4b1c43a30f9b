/**
 * The driver's hot path: serialised successful responses, replayed byte for byte for repeated GETs.
 *
 * The resolver already caches adapter results, but a hit there still costs option checks, document production and
 * JSON serialisation on every request. Here a hit costs one map lookup. Entries are keyed by the request target
 * (identifier and options as sent), the negotiated variant and the error profile; they live no longer than the
 * resolution may be reused (its TTL, bounded by configuration) and are never stored for `noCache` requests.
 *
 * What a replay means for the metadata: the body is the one produced by the original resolution, so
 * `didResolutionMetadata.duration`, `retrieved` and `servedFromCache` describe that resolution, not the replay
 * (`duration` is not recomputed; the time to answer a replay is in the access log and the `X-Cache: hit` header says
 * it was one).
 */
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';

export interface CachedResponse {
  status: number;
  /** Header names and values in the flat form `writeHead` takes, without per-request headers. */
  headers: string[];
  body: Buffer;
  etag: string;
  /** Epoch ms after which the entry is stale. */
  expiresAt: number;
}

export interface ResponseCacheConfig {
  /** Entries kept at most; 0 disables the cache. */
  maxEntries: number;
  /** Bytes of bodies kept at most. */
  maxBytes: number;
}

/** A strong validator for a body (the first 16 bytes of its SHA-256, base64url). */
export function etagFor(body: Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
}

/** Bounded LRU of serialised responses with per-entry expiry. */
export class ResponseCache {
  private readonly lru: LRUCache<string, CachedResponse> | undefined;
  hits = 0;
  misses = 0;
  /** Entries dropped to make room (not expiries). */
  evictions = 0;

  constructor(config: ResponseCacheConfig) {
    if (config === null || typeof config !== 'object') throw new TypeError('"config" must be an object');
    if (!Number.isInteger(config.maxEntries) || config.maxEntries < 0) {
      throw new TypeError('"maxEntries" must be an integer >= 0');
    }
    if (!Number.isInteger(config.maxBytes) || config.maxBytes < 1) throw new TypeError('"maxBytes" must be an integer >= 1');
    this.lru =
      config.maxEntries === 0
        ? undefined
        : new LRUCache<string, CachedResponse>({
            max: config.maxEntries,
            maxSize: config.maxBytes,
            sizeCalculation: (v) => Math.max(1, v.body.length + 64 * v.headers.length),
            dispose: (_v, _k, reason) => {
              if (reason === 'evict') this.evictions++;
            },
          });
  }

  get enabled(): boolean {
    return this.lru !== undefined;
  }

  /** A fresh entry, or undefined. Expired entries are dropped on the way. */
  get(key: string, now = Date.now()): CachedResponse | undefined {
    if (!this.lru) return undefined;
    const entry = this.lru.get(key);
    if (entry === undefined) {
      this.misses++;
      return undefined;
    }
    if (entry.expiresAt <= now) {
      this.lru.delete(key);
      this.misses++;
      return undefined;
    }
    this.hits++;
    return entry;
  }

  /** Stores an entry for `ttlMs` (ignored when not positive or the body is too large to be worth keeping). */
  set(key: string, entry: Omit<CachedResponse, 'expiresAt' | 'etag'> & { etag?: string }, ttlMs: number): CachedResponse | undefined {
    if (!this.lru || !(ttlMs > 0)) return undefined;
    const stored: CachedResponse = { ...entry, etag: entry.etag ?? etagFor(entry.body), expiresAt: Date.now() + ttlMs };
    this.lru.set(key, stored);
    return stored;
  }

  clear(): void {
    this.lru?.clear();
  }

  get size(): number {
    return this.lru?.size ?? 0;
  }
}
