/**
 * A resolution cache shared by several driver replicas through Redis, with an in-process LRU in front of it.
 *
 * Semantics are those of `MemoryCache` (src/cache.ts): entries are the resolver's `CachedOutcome`s, resolutions and
 * negative (NOT_FOUND) results alike, each kept for the TTL the resolver gives (`PX` in Redis, so Redis expires them
 * itself). A read looks in the local LRU first, then in Redis; a Redis hit is copied into the LRU for the time it has
 * left. Writes go to both; the Redis write is not awaited, so a slow Redis never slows an answer.
 *
 * Keys are `<keyPrefix>v<REDIS_CACHE_FORMAT>:<sha256 of the resolver's key>`: the prefix separates deployments that
 * share a Redis, the format version separates releases that store entries differently (a new format starts with an
 * empty cache instead of misreading old entries), and the hash bounds the key length whatever the DID.
 *
 * **Redis failures never fail a resolution.** Commands have a timeout (`commandTimeoutMs`); nothing is queued while
 * disconnected (`enableOfflineQueue: false`), so an outage cannot pile up memory; after a command timeout Redis is
 * skipped for a moment so that a hung server does not cost every request a timeout; the client reconnects in the
 * background with jittered backoff. Meanwhile the cache is `degraded`: reads and writes use the local LRU only, the
 * `didbridge_redis_degraded` gauge is 1 and `/health/ready` says so (ready, degraded).
 */
import { createHash } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import { MemoryCache, type CachedOutcome, type MemoryCacheConfig, type ResolutionCache } from '../cache.js';
import type { Logger } from '../log.js';
import { ERROR_NAMES, type ErrorName } from '../spec.js';
import { parseJsonSafe } from '../util/json.js';

/** Version of the stored entry format; part of every key. */
export const REDIS_CACHE_FORMAT = 1;

export interface RedisCacheConfig {
  /** `redis://[[user]:password@]host[:port][/db]` or `rediss://` for TLS. */
  url: string;
  /** Prefix of every key (default `didbridge:`), to share one Redis between deployments. */
  keyPrefix?: string;
  /** Time a command may take before it counts as failed, in ms. Default 250. */
  commandTimeoutMs?: number;
  /** Time a connection attempt may take, in ms. Default 2 000. */
  connectTimeoutMs?: number;
  /** Largest serialised entry written to Redis, in bytes (larger ones stay local). Default 1 MiB. */
  maxEntryBytes?: number;
  /** The in-process LRU in front of Redis: a cache, or the configuration of a new one. */
  local?: MemoryCache | MemoryCacheConfig;
  /** Where connection changes are logged (never the URL's credentials). */
  logger?: Logger;
}

/** Counts since start, read by the metrics. */
export interface RedisCacheStats {
  /** Served from the local LRU. */
  localHits: number;
  /** Served from Redis (and copied into the LRU). */
  redisHits: number;
  /** Found nowhere (including while degraded). */
  misses: number;
  /** Redis commands that failed or timed out. */
  errors: number;
  /** Entries written to Redis. */
  writes: number;
  /** Entries not written because they were larger than `maxEntryBytes`. */
  oversized: number;
  /** Entries read from Redis that were not a valid entry (dropped and deleted). */
  invalid: number;
}

/** What `/health/ready` and the metrics report. */
export interface RedisCacheHealth {
  connected: boolean;
  degraded: boolean;
  /** Short, non-secret explanation. */
  detail: string;
}

const DEFAULTS = { keyPrefix: 'didbridge:', commandTimeoutMs: 250, connectTimeoutMs: 2_000, maxEntryBytes: 1024 * 1024 };

/** After a command timeout, Redis is left alone for this long (a hung server would otherwise cost every request). */
const PAUSE_AFTER_TIMEOUT_MS = 1_000;

/** Stored documents are translated upstream documents; this bounds the parse of whatever sits in Redis. */
const MAX_ENTRY_DEPTH = 128;

function positiveInteger(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new TypeError(`"${name}" must be an integer >= 1`);
  return value;
}

/** The URL without credentials, for logs and readiness details. */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Reads an entry back from Redis; undefined for anything that is not one this format wrote. */
export function decodeEntry(text: string): CachedOutcome | undefined {
  let value: unknown;
  try {
    value = parseJsonSafe(text, { maxDepth: MAX_ENTRY_DEPTH });
  } catch {
    return undefined;
  }
  if (!isObject(value) || typeof value.storedAt !== 'number' || typeof value.expiresAt !== 'number') return undefined;
  if (value.kind === 'resolved') {
    const r = value.resolution;
    if (!isObject(r) || !(r.didDocument === null || isObject(r.didDocument)) || !isObject(r.didDocumentMetadata)) return undefined;
    if (!Array.isArray(r.changes)) return undefined;
    return value as CachedOutcome;
  }
  if (value.kind === 'error') {
    if (typeof value.code !== 'string' || !(ERROR_NAMES as readonly string[]).includes(value.code)) return undefined;
    if (typeof value.message !== 'string') return undefined;
    return { kind: 'error', code: value.code as ErrorName, message: value.message, storedAt: value.storedAt, expiresAt: value.expiresAt };
  }
  return undefined;
}

/**
 * The shared cache. Create one per process, hand it to the `Resolver` (`cache`), and `close()` it on exit.
 *
 * @example
 * const cache = new RedisCache({ url: 'redis://redis:6379', local: { maxEntries: 10_000 } })
 * const resolver = new Resolver({ adapters, cache })
 */
export class RedisCache implements ResolutionCache {
  /** The in-process LRU in front of Redis (also what serves while Redis is away). */
  readonly local: MemoryCache;
  readonly stats: RedisCacheStats = { localHits: 0, redisHits: 0, misses: 0, errors: 0, writes: 0, oversized: 0, invalid: 0 };
  readonly keyPrefix: string;
  /** The URL without credentials. */
  readonly target: string;
  private readonly client: Redis;
  private readonly maxEntryBytes: number;
  private readonly logger: Logger | undefined;
  private readonly pending = new Set<Promise<unknown>>();
  private pausedUntil = 0;
  private lastError = '';
  private wasReady = false;
  private warned = false;
  private degradedSince = Date.now();
  private closed = false;

  constructor(config: RedisCacheConfig) {
    if (config === null || typeof config !== 'object') throw new TypeError('"config" must be an object');
    if (typeof config.url !== 'string' || !/^rediss?:\/\//i.test(config.url)) {
      throw new TypeError('"url" must be a redis:// or rediss:// URL');
    }
    const keyPrefix = config.keyPrefix ?? DEFAULTS.keyPrefix;
    if (typeof keyPrefix !== 'string') throw new TypeError('"keyPrefix" must be a string');
    const commandTimeoutMs = positiveInteger(config.commandTimeoutMs, 'commandTimeoutMs', DEFAULTS.commandTimeoutMs);
    const connectTimeoutMs = positiveInteger(config.connectTimeoutMs, 'connectTimeoutMs', DEFAULTS.connectTimeoutMs);
    this.maxEntryBytes = positiveInteger(config.maxEntryBytes, 'maxEntryBytes', DEFAULTS.maxEntryBytes);
    this.keyPrefix = keyPrefix;
    this.target = redactRedisUrl(config.url);
    this.logger = config.logger;
    this.local = config.local instanceof MemoryCache ? config.local : new MemoryCache(config.local ?? {});
    const options: RedisOptions = {
      // Fail at once while disconnected instead of queueing: the local cache answers meanwhile.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: commandTimeoutMs,
      connectTimeout: connectTimeoutMs,
      // A server that accepted the connection but stopped answering (paused, swapping) is dropped and reconnected.
      socketTimeout: Math.max(1_000, commandTimeoutMs * 4),
      // Reconnect forever in the background: 100 ms doubling to 5 s, with jitter so replicas spread out.
      retryStrategy: (times) => Math.min(5_000, 100 * 2 ** Math.min(times, 6)) * (0.5 + Math.random() / 2),
      disableClientInfo: true,
      connectionName: 'didbridge',
      lazyConnect: false,
    };
    this.client = new Redis(config.url, options);
    // Without an 'error' listener an unreachable Redis would be an unhandled 'error' event and end the process.
    this.client.on('error', (err: Error) => {
      this.lastError = err.message.slice(0, 200);
      // One line per outage, not one per reconnection attempt.
      if (!this.warned && !this.closed) {
        this.warned = true;
        this.logger?.warn('redis cache unavailable: serving from the in-process cache until it is back', {
          redis: this.target,
          error: this.lastError,
        });
      }
    });
    this.client.on('ready', () => {
      this.wasReady = true;
      this.warned = false;
      this.pausedUntil = 0;
      this.logger?.info('redis cache connected', { redis: this.target });
    });
    this.client.on('close', () => {
      if (this.closed || !this.wasReady) return;
      this.wasReady = false;
      this.degradedSince = Date.now();
      if (!this.warned) {
        this.warned = true;
        this.logger?.warn('redis cache unavailable: serving from the in-process cache until it is back', {
          redis: this.target,
          error: this.lastError || 'connection closed',
        });
      }
    });
  }

  /** Redis is used only while connected and not paused after a timeout. */
  private get usable(): boolean {
    return !this.closed && this.client.status === 'ready' && Date.now() >= this.pausedUntil;
  }

  /** Whether reads and writes currently bypass Redis. */
  get degraded(): boolean {
    return !this.usable;
  }

  /** Connection state for readiness and metrics. */
  health(): RedisCacheHealth {
    const connected = this.client.status === 'ready';
    if (this.usable) return { connected, degraded: false, detail: `connected to ${this.target}` };
    const why = !connected ? `${this.client.status}${this.lastError ? `: ${this.lastError}` : ''}` : 'commands timing out';
    return {
      connected,
      degraded: true,
      detail: `redis ${this.target} unavailable since ${new Date(this.degradedSince).toISOString()} (${why}); serving from the in-process cache`,
    };
  }

  /** Resolves once connected, or rejects after `timeoutMs` (tests and start-up checks; serving never waits for it). */
  async ready(timeoutMs = 5_000): Promise<void> {
    if (this.client.status === 'ready') return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.client.off('ready', onReady);
        reject(new Error(`redis ${this.target} not ready within ${timeoutMs} ms (${this.lastError || this.client.status})`));
      }, timeoutMs);
      const onReady = () => {
        clearTimeout(timer);
        resolve();
      };
      this.client.once('ready', onReady);
    });
  }

  /** The Redis key of a resolver key. */
  redisKey(key: string): string {
    return `${this.keyPrefix}v${REDIS_CACHE_FORMAT}:${createHash('sha256').update(key).digest('base64url')}`;
  }

  private failed(err: unknown): void {
    this.stats.errors++;
    const message = err instanceof Error ? err.message : String(err);
    this.lastError = message.slice(0, 200);
    if (/timed out/i.test(message) && this.client.status === 'ready') {
      if (Date.now() >= this.pausedUntil) this.degradedSince = Date.now();
      this.pausedUntil = Date.now() + PAUSE_AFTER_TIMEOUT_MS;
    }
  }

  private track<T>(promise: Promise<T>): void {
    const settled = promise.then(
      () => undefined,
      (err: unknown) => this.failed(err),
    );
    this.pending.add(settled);
    void settled.finally(() => this.pending.delete(settled));
  }

  async get(key: string): Promise<CachedOutcome | undefined> {
    const local = this.local.get(key);
    if (local) {
      this.stats.localHits++;
      return local;
    }
    if (!this.usable) {
      this.stats.misses++;
      return undefined;
    }
    const redisKey = this.redisKey(key);
    let text: string | null;
    try {
      text = await this.client.get(redisKey);
    } catch (err) {
      this.failed(err);
      this.stats.misses++;
      return undefined;
    }
    if (text === null) {
      this.stats.misses++;
      return undefined;
    }
    const entry = decodeEntry(text);
    const left = entry ? entry.expiresAt - Date.now() : 0;
    if (!entry || left <= 0) {
      if (!entry) {
        this.stats.invalid++;
        this.track(this.client.del(redisKey));
      }
      this.stats.misses++;
      return undefined;
    }
    this.local.set(key, entry, left);
    this.stats.redisHits++;
    return entry;
  }

  set(key: string, value: CachedOutcome, ttlMs: number): void {
    if (!(ttlMs > 0)) return;
    this.local.set(key, value, ttlMs);
    if (!this.usable) return;
    const text = JSON.stringify(value);
    if (Buffer.byteLength(text) > this.maxEntryBytes) {
      this.stats.oversized++;
      return;
    }
    this.stats.writes++;
    this.track(this.client.set(this.redisKey(key), text, 'PX', Math.max(1, Math.round(ttlMs))));
  }

  delete(key: string): void {
    this.local.delete(key);
    if (this.usable) this.track(this.client.del(this.redisKey(key)));
  }

  /** Empties the local LRU and this deployment's entries in Redis (other prefixes and formats are left alone). */
  async clear(): Promise<void> {
    this.local.clear();
    if (!this.usable) return;
    const pattern = `${this.keyPrefix.replace(/[*?[\]\\]/g, '\\$&')}v${REDIS_CACHE_FORMAT}:*`;
    let cursor = '0';
    try {
      do {
        const [next, keys] = await this.client.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
        if (keys.length > 0) await this.client.unlink(...keys);
        cursor = next;
      } while (cursor !== '0');
    } catch (err) {
      this.failed(err);
    }
  }

  /**
   * Server-wide counters from `INFO stats` (for metrics): keys Redis evicted under `maxmemory`. Undefined while
   * degraded or when the command fails.
   */
  async serverCounters(): Promise<{ evictedKeys: number } | undefined> {
    if (!this.usable) return undefined;
    try {
      const info = await this.client.info('stats');
      const m = /^evicted_keys:(\d+)/m.exec(info);
      return m ? { evictedKeys: Number(m[1]) } : undefined;
    } catch (err) {
      this.failed(err);
      return undefined;
    }
  }

  /** Resolves when every Redis write issued so far has finished (or failed). */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /** Finishes pending writes (up to `graceMs`), then closes the connection. Safe to call more than once. */
  async close(graceMs = 1_000): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs);
    });
    await Promise.race([this.settled(), grace]);
    if (this.client.status === 'ready') {
      await Promise.race([this.client.quit().catch(() => undefined), grace]);
    }
    clearTimeout(timer);
    this.client.disconnect();
  }
}
