/**
 * The Redis-backed resolution cache against a real redis-server on loopback: the MemoryCache semantics (TTL, negative
 * entries) kept in Redis, sharing between replicas, key prefix and format version, hostile entries, and what happens
 * when Redis dies, hangs and comes back (the cache degrades to its in-process LRU and never fails a read or write).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CachedOutcome } from '../../src/cache.js';
import { decodeEntry, REDIS_CACHE_FORMAT, RedisCache, redactRedisUrl } from '../../src/cache/redis.js';
import { Resolver } from '../../src/resolver.js';
import { createTestAdapter } from '../helpers/test-adapter.js';
import { startRedis, type TestRedis } from '../helpers/redis-server.js';

let redis: TestRedis;
const caches: RedisCache[] = [];

function makeCache(options: Partial<ConstructorParameters<typeof RedisCache>[0]> = {}): RedisCache {
  const cache = new RedisCache({ url: redis.url, keyPrefix: 'test:', ...options });
  caches.push(cache);
  return cache;
}

function resolved(id: string, ttlMs: number): CachedOutcome {
  const storedAt = Date.now();
  return {
    kind: 'resolved',
    resolution: { didDocument: { id }, didDocumentMetadata: { versionId: '1' }, changes: [] },
    storedAt,
    expiresAt: storedAt + ttlMs,
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `check` is true (bounded), for state that changes on socket events. */
async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await sleep(20);
  }
}

beforeAll(async () => {
  redis = await startRedis();
});

afterEach(async () => {
  while (caches.length > 0) await caches.pop()!.close();
  if (!redis.running) await redis.restart();
  await redis.command(['FLUSHALL']);
});

afterAll(async () => {
  await redis.stop();
});

describe('RedisCache: the MemoryCache semantics, kept in Redis', () => {
  it('stores an entry under <prefix>v<format>:<sha256> with its TTL as PX, and reads it back', async () => {
    const cache = makeCache();
    await cache.ready();
    const entry = resolved('did:test:alice', 60_000);
    cache.set('did:test:alice', entry, 60_000);
    await cache.settled();
    const key = cache.redisKey('did:test:alice');
    expect(key).toMatch(new RegExp(`^test:v${REDIS_CACHE_FORMAT}:[A-Za-z0-9_-]{43}$`));
    const pttl = Number((await redis.command(['PTTL', key])).slice(1));
    expect(pttl).toBeGreaterThan(59_000);
    expect(pttl).toBeLessThanOrEqual(60_000);
    const raw = await redis.command(['GET', key]);
    expect(raw).toContain('"did:test:alice"');
    // A second instance (another replica) has an empty local LRU: the entry comes from Redis.
    const other = makeCache();
    await other.ready();
    expect(await other.get('did:test:alice')).toEqual(entry);
    expect(other.stats.redisHits).toBe(1);
    // ...and is then served locally.
    expect(await other.get('did:test:alice')).toEqual(entry);
    expect(other.stats.localHits).toBe(1);
  });

  it('keeps negative (NOT_FOUND) entries too', async () => {
    const cache = makeCache();
    await cache.ready();
    const storedAt = Date.now();
    const negative: CachedOutcome = { kind: 'error', code: 'NOT_FOUND', message: 'no such DID', storedAt, expiresAt: storedAt + 30_000 };
    cache.set('did:test:nobody', negative, 30_000);
    await cache.settled();
    const other = makeCache();
    await other.ready();
    expect(await other.get('did:test:nobody')).toEqual(negative);
  });

  it('lets Redis expire entries: after the TTL the key is gone and the read is a miss', async () => {
    const cache = makeCache();
    await cache.ready();
    cache.set('did:test:brief', resolved('did:test:brief', 150), 150);
    await cache.settled();
    const key = cache.redisKey('did:test:brief');
    expect(await redis.command(['EXISTS', key])).toBe(':1\r\n');
    await sleep(250);
    expect(await redis.command(['EXISTS', key])).toBe(':0\r\n');
    const other = makeCache();
    await other.ready();
    expect(await other.get('did:test:brief')).toBeUndefined();
    expect(await cache.get('did:test:brief')).toBeUndefined();
  });

  it('does not store entries with a TTL of zero or less', async () => {
    const cache = makeCache();
    await cache.ready();
    cache.set('did:test:zero', resolved('did:test:zero', 0), 0);
    await cache.settled();
    expect(await redis.command(['DBSIZE'])).toBe(':0\r\n');
    expect(await cache.get('did:test:zero')).toBeUndefined();
  });

  it('separates deployments by key prefix, and clear() removes only its own entries', async () => {
    const a = makeCache({ keyPrefix: 'deploy-a:' });
    const b = makeCache({ keyPrefix: 'deploy-b:' });
    await Promise.all([a.ready(), b.ready()]);
    a.set('did:test:alice', resolved('did:test:alice', 60_000), 60_000);
    b.set('did:test:alice', resolved('did:test:alice', 60_000), 60_000);
    await Promise.all([a.settled(), b.settled()]);
    expect(await redis.command(['DBSIZE'])).toBe(':2\r\n');
    const fresh = makeCache({ keyPrefix: 'deploy-c:' });
    await fresh.ready();
    expect(await fresh.get('did:test:alice')).toBeUndefined();
    await a.clear();
    expect(await redis.command(['DBSIZE'])).toBe(':1\r\n');
    expect(await redis.command(['EXISTS', b.redisKey('did:test:alice')])).toBe(':1\r\n');
  });

  it('drops an entry that is not one it wrote (garbage, wrong shape, unknown error name) and deletes it', async () => {
    const cache = makeCache();
    await cache.ready();
    const bodies = [
      'not json {',
      '{"kind":"resolved","storedAt":1,"expiresAt":9999999999999}',
      '{"kind":"error","code":"EVERYTHING_IS_FINE","message":"x","storedAt":1,"expiresAt":9999999999999}',
      '{"kind":"resolved","resolution":{"didDocument":"a string","didDocumentMetadata":{},"changes":[]},"storedAt":1,"expiresAt":9999999999999}',
      `${'['.repeat(200)}${']'.repeat(200)}`,
      '{"__proto__":{"polluted":true},"kind":"error","code":"NOT_FOUND","message":"x","storedAt":1,"expiresAt":9999999999999}',
    ];
    for (const [i, body] of bodies.entries()) {
      const key = cache.redisKey(`did:test:hostile-${i}`);
      await redis.command(['SET', key, body]);
      const got = await cache.get(`did:test:hostile-${i}`);
      if (i === bodies.length - 1) {
        // The __proto__ member is dropped by the safe parser; what is left is a valid negative entry.
        expect(got).toEqual({ kind: 'error', code: 'NOT_FOUND', message: 'x', storedAt: 1, expiresAt: 9999999999999 });
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        continue;
      }
      expect(got, body.slice(0, 40)).toBeUndefined();
      await cache.settled();
      expect(await redis.command(['EXISTS', key])).toBe(':0\r\n');
    }
    expect(cache.stats.invalid).toBe(bodies.length - 1);
  });

  it('keeps entries larger than maxEntryBytes local only', async () => {
    const cache = makeCache({ maxEntryBytes: 1024 });
    await cache.ready();
    const big = resolved('did:test:big', 60_000);
    (big as { resolution: { didDocument: Record<string, unknown> } }).resolution.didDocument.padding = 'x'.repeat(2_000);
    cache.set('did:test:big', big, 60_000);
    await cache.settled();
    expect(cache.stats.oversized).toBe(1);
    expect(await redis.command(['DBSIZE'])).toBe(':0\r\n');
    expect(await cache.get('did:test:big')).toEqual(big);
  });

  it('decodeEntry accepts exactly what set() writes', () => {
    const entry = resolved('did:test:x', 1000);
    expect(decodeEntry(JSON.stringify(entry))).toEqual(entry);
    expect(decodeEntry('null')).toBeUndefined();
    expect(decodeEntry('{"kind":"other","storedAt":1,"expiresAt":2}')).toBeUndefined();
  });
});

describe('RedisCache shared by two resolvers (replicas)', () => {
  it('one upstream call for two replicas, for a document and for NOT_FOUND; TTL from the method', async () => {
    const adapter = createTestAdapter();
    const [cacheA, cacheB] = [makeCache(), makeCache()];
    await Promise.all([cacheA.ready(), cacheB.ready()]);
    const a = new Resolver({ adapters: [adapter], cache: cacheA });
    const b = new Resolver({ adapters: [adapter], cache: cacheB });
    const first = await a.resolve('did:test:alice');
    expect(first.didResolutionMetadata.servedFromCache).toBe(false);
    await cacheA.settled();
    const second = await b.resolve('did:test:alice');
    expect(second.didResolutionMetadata.servedFromCache).toBe(true);
    expect(second.didDocument).toEqual(first.didDocument);
    expect(adapter.calls.get('did:test:alice')).toBe(1);
    // did:test:alice says ttlSeconds: 120; the Redis TTL follows it.
    const pttl = Number((await redis.command(['PTTL', cacheA.redisKey('did:test:alice')])).slice(1));
    expect(pttl).toBeGreaterThan(110_000);
    expect(pttl).toBeLessThanOrEqual(120_000);

    const missing = await a.resolve('did:test:nobody');
    expect(missing.didResolutionMetadata.error?.type).toContain('NOT_FOUND');
    await cacheA.settled();
    const missingAgain = await b.resolve('did:test:nobody');
    expect(missingAgain.didResolutionMetadata.error?.type).toContain('NOT_FOUND');
    expect(adapter.calls.get('did:test:nobody')).toBe(1);
    // Negative entries live negativeTtlSeconds (default 30 s).
    const negativeTtl = Number((await redis.command(['PTTL', cacheA.redisKey('did:test:nobody')])).slice(1));
    expect(negativeTtl).toBeGreaterThan(25_000);
    expect(negativeTtl).toBeLessThanOrEqual(30_000);
  });

  it('noCache goes to the adapter and does not read the shared entry', async () => {
    const adapter = createTestAdapter();
    const cache = makeCache();
    await cache.ready();
    const resolver = new Resolver({ adapters: [adapter], cache });
    await resolver.resolve('did:test:bob');
    await resolver.resolve('did:test:bob', { noCache: true });
    expect(adapter.calls.get('did:test:bob')).toBe(2);
  });
});

describe('RedisCache when Redis fails', () => {
  it('a dead Redis: reads and writes keep working on the local LRU, degraded until it is back, then shared again', async () => {
    const cache = makeCache();
    await cache.ready();
    expect(cache.health()).toMatchObject({ connected: true, degraded: false });
    cache.set('did:test:before', resolved('did:test:before', 60_000), 60_000);
    await cache.settled();

    await redis.kill();
    await until(() => cache.degraded);
    const health = cache.health();
    expect(health.degraded).toBe(true);
    expect(health.detail).toMatch(/unavailable since .*serving from the in-process cache/);
    expect(health.detail).not.toMatch(/password/);

    // Nothing throws, nothing waits for a timeout: an offline queue would hold these until reconnection.
    const started = performance.now();
    cache.set('did:test:during', resolved('did:test:during', 60_000), 60_000);
    expect(await cache.get('did:test:during')).toMatchObject({ kind: 'resolved' });
    expect(await cache.get('did:test:before')).toMatchObject({ kind: 'resolved' });
    expect(await cache.get('did:test:unknown')).toBeUndefined();
    await cache.settled();
    expect(performance.now() - started).toBeLessThan(100);

    await redis.restart();
    await cache.ready(10_000);
    await until(() => !cache.degraded);
    cache.set('did:test:after', resolved('did:test:after', 60_000), 60_000);
    await cache.settled();
    expect(await redis.command(['EXISTS', cache.redisKey('did:test:after')])).toBe(':1\r\n');
  });

  it('a hung Redis (SIGSTOP): a read costs at most about one command timeout, then Redis is skipped for a while', async () => {
    const cache = makeCache({ commandTimeoutMs: 150 });
    await cache.ready();
    redis.pause();
    try {
      let started = performance.now();
      expect(await cache.get('did:test:hung')).toBeUndefined();
      const first = performance.now() - started;
      expect(first).toBeGreaterThanOrEqual(140);
      expect(first).toBeLessThan(1_000);
      expect(cache.degraded).toBe(true);
      expect(cache.health().detail).toMatch(/commands timing out|unavailable/);
      started = performance.now();
      for (let i = 0; i < 20; i++) expect(await cache.get(`did:test:hung-${i}`)).toBeUndefined();
      expect(performance.now() - started).toBeLessThan(100);
      expect(cache.stats.errors).toBeGreaterThanOrEqual(1);
    } finally {
      redis.resume();
    }
    await until(() => !cache.degraded, 10_000);
  });

  it('starts without Redis at all and serves locally', async () => {
    const cache = new RedisCache({ url: 'redis://127.0.0.1:1', connectTimeoutMs: 200 });
    caches.push(cache);
    await expect(cache.ready(300)).rejects.toThrow(/not ready/);
    expect(cache.degraded).toBe(true);
    cache.set('did:test:x', resolved('did:test:x', 60_000), 60_000);
    expect(await cache.get('did:test:x')).toMatchObject({ kind: 'resolved' });
  });
});

describe('RedisCache configuration', () => {
  it('throws TypeError naming the parameter', () => {
    expect(() => new RedisCache({ url: 'http://redis' })).toThrow(/"url"/);
    expect(() => new RedisCache({ url: redis.url, commandTimeoutMs: 0 })).toThrow(/"commandTimeoutMs"/);
    expect(() => new RedisCache({ url: redis.url, maxEntryBytes: 1.5 })).toThrow(/"maxEntryBytes"/);
    expect(() => new RedisCache(null as never)).toThrow(/"config"/);
  });

  it('never shows credentials', () => {
    expect(redactRedisUrl('redis://user:s3cret@redis.internal:6380/2')).toBe('redis://redis.internal:6380/2');
    const cache = new RedisCache({ url: 'redis://:s3cret@127.0.0.1:1', connectTimeoutMs: 100 });
    caches.push(cache);
    expect(cache.target).toBe('redis://127.0.0.1:1');
    expect(cache.health().detail).not.toContain('s3cret');
  });
});
