/**
 * Resolution caches. The resolver stores adapter results (not rendered responses), so one entry serves every
 * representation and profile. The default is an in-process LRU bounded by entries and bytes.
 */
import { LRUCache } from 'lru-cache';
import type { MethodResolution } from './adapter.js';
import type { ErrorName } from './spec.js';

/** A cached outcome: a resolution, or a negative result (NOT_FOUND) kept briefly. */
export type CachedOutcome =
  | { kind: 'resolved'; resolution: MethodResolution; storedAt: number; expiresAt: number }
  | { kind: 'error'; code: ErrorName; message: string; storedAt: number; expiresAt: number };

/** A cache the resolver can use. Implementations may be asynchronous (Redis) and must never throw for a miss. */
export interface ResolutionCache {
  get(key: string): CachedOutcome | undefined | Promise<CachedOutcome | undefined>;
  set(key: string, value: CachedOutcome, ttlMs: number): void | Promise<void>;
  delete(key: string): void | Promise<void>;
  clear?(): void | Promise<void>;
}

export interface MemoryCacheConfig {
  /** Maximum number of entries. Default 10 000. */
  maxEntries?: number;
  /** Maximum total size in bytes (approximated by the JSON length of each entry). Default 64 MiB. */
  maxBytes?: number;
}

export interface CacheStats {
  hits: number;
  misses: number;
  evictions: number;
  size: number;
}

/** The default in-process LRU. */
export class MemoryCache implements ResolutionCache {
  private readonly lru: LRUCache<string, CachedOutcome>;
  readonly stats: CacheStats = { hits: 0, misses: 0, evictions: 0, size: 0 };

  constructor(config: MemoryCacheConfig = {}) {
    this.lru = new LRUCache<string, CachedOutcome>({
      max: config.maxEntries ?? 10_000,
      maxSize: config.maxBytes ?? 64 * 1024 * 1024,
      sizeCalculation: (v) => Math.max(1, JSON.stringify(v).length),
      ttlAutopurge: false,
      dispose: (_v, _k, reason) => {
        if (reason === 'evict') this.stats.evictions++;
      },
    });
  }

  get(key: string): CachedOutcome | undefined {
    const v = this.lru.get(key);
    if (v && v.expiresAt <= Date.now()) {
      this.lru.delete(key);
      this.stats.misses++;
      return undefined;
    }
    if (v) this.stats.hits++;
    else this.stats.misses++;
    return v;
  }

  set(key: string, value: CachedOutcome, ttlMs: number): void {
    this.lru.set(key, value, { ttl: ttlMs });
    this.stats.size = this.lru.size;
  }

  delete(key: string): void {
    this.lru.delete(key);
  }

  clear(): void {
    this.lru.clear();
  }

  get size(): number {
    return this.lru.size;
  }
}

export interface CachePolicy {
  /** TTL when the method says nothing, in seconds. Default 300. */
  defaultTtlSeconds: number;
  /** Upper bound on any TTL, in seconds, whatever the method says. Default 3600. */
  maxTtlSeconds: number;
  /** TTL of NOT_FOUND results, in seconds (0 disables negative caching). Default 30. */
  negativeTtlSeconds: number;
}

export const DEFAULT_CACHE_POLICY: CachePolicy = {
  defaultTtlSeconds: 300,
  maxTtlSeconds: 3600,
  negativeTtlSeconds: 30,
};

/** TTL in ms for a resolution: the method's own TTL (BID `ttl`, HTTP Cache-Control) bounded by the policy. */
export function ttlFor(resolution: MethodResolution, policy: CachePolicy): number {
  const method = resolution.ttlSeconds;
  const seconds = method === undefined || !Number.isFinite(method) ? policy.defaultTtlSeconds : Math.max(0, method);
  return Math.min(seconds, policy.maxTtlSeconds) * 1000;
}

/**
 * How long a result may be reused, carried beside it rather than inside it: DID Core §7.3 allows no numbers in
 * metadata, and the TTL is a fact about this deployment's cache, not about the DID. The resolver attaches it to every
 * successful result (out of band, so it never reaches JSON), and the driver reads it to decide replays.
 */
// A WeakMap rather than a property on the result: defining a (symbol) property on every result object costs more
// than the lookup, and nothing that copies a result (spread, structuredClone, JSON) can carry the TTL along by mistake.
const cacheTtlMs = new WeakMap<object, number>();

/** Attaches a reuse TTL (ms) to a result object without making it part of the serialised result. */
export function withCacheTtl<T extends object>(value: T, ttlMs: number): T {
  cacheTtlMs.set(value, Math.max(0, ttlMs));
  return value;
}

/** The reuse TTL (ms) attached by `withCacheTtl`, or undefined. */
export function cacheTtlMsOf(value: unknown): number | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  return cacheTtlMs.get(value);
}
