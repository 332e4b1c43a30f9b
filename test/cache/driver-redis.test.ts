/**
 * Two driver replicas sharing one real redis-server (DIDBRIDGE_REDIS_URL): one upstream call serves both; Redis dies
 * mid-test and every request still succeeds from the in-process caches while `/health/ready` and the metrics say
 * degraded; Redis comes back and sharing resumes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisCache } from '../../src/cache/redis.js';
import { request } from '../http/request.js';
import { startRedis, type TestRedis } from '../helpers/redis-server.js';
import { documentFor, metric, parseMetrics, startDriver, startUpstream, type RunningDriver, type Upstream } from '../reliability/harness.js';

let redis: TestRedis;
let upstream: Upstream;
let a: RunningDriver;
let b: RunningDriver;

async function replica(): Promise<RunningDriver> {
  const d = await startDriver({
    upstreamBase: upstream.origin(),
    overrides: { redis: { url: redis.url, keyPrefix: 'replicas:', commandTimeoutMs: 200 }, http: { retries: 0 } },
  });
  await (d.deployment.cache as RedisCache).ready();
  return d;
}

const settle = (d: RunningDriver) => (d.deployment.cache as RedisCache).settled();

async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  redis = await startRedis();
  upstream = await startUpstream();
  a = await replica();
  b = await replica();
});

afterAll(async () => {
  await a?.close();
  await b?.close();
  await upstream.close();
  await redis.stop();
});

const resolve = (d: RunningDriver, did: string) => request(d.base, `/1.0/identifiers/${did}`);
const readiness = async (d: RunningDriver) => (await request(d.base, '/health/ready')).json();
const degradedGauge = async (d: RunningDriver) => metric(parseMetrics((await request(d.base, '/metrics')).text), 'didbridge_redis_degraded');

describe('replicas sharing Redis', () => {
  it('the deployment uses the Redis cache when DIDBRIDGE_REDIS_URL is set', () => {
    expect(a.deployment.cache).toBeInstanceOf(RedisCache);
    expect(a.deployment.resolver.cache).toBe(a.deployment.cache);
  });

  it('one upstream call serves both replicas; the second answers from the shared cache', async () => {
    upstream.set('/dids/shared', { kind: 'json', body: documentFor('did:up:shared') });
    const first = await resolve(a, 'did:up:shared');
    expect(first.status).toBe(200);
    expect(first.json().didResolutionMetadata.servedFromCache).toBe(false);
    await settle(a);
    const second = await resolve(b, 'did:up:shared');
    expect(second.status).toBe(200);
    expect(second.json().didResolutionMetadata.servedFromCache).toBe(true);
    expect(upstream.hits('/dids/shared')).toBe(1);
    const m = parseMetrics((await request(b.base, '/metrics')).text);
    expect(metric(m, 'didbridge_cache_hits_total', { cache: 'resolution', layer: 'redis' })).toBe(1);
    expect(await readiness(a)).toMatchObject({ status: 'ready', checks: { cache: { ok: true, degraded: false } } });
  });

  it('NOT_FOUND is shared too (negative caching)', async () => {
    expect((await resolve(a, 'did:up:ghost')).status).toBe(404);
    await settle(a);
    expect((await resolve(b, 'did:up:ghost')).status).toBe(404);
    expect(upstream.hits('/dids/ghost')).toBe(1);
  });

  it('Redis dies: nothing fails, readiness and metrics say degraded; Redis returns: sharing resumes', async () => {
    upstream.set('/dids/before', { kind: 'json', body: documentFor('did:up:before') });
    expect((await resolve(a, 'did:up:before')).status).toBe(200);
    await settle(a);

    await redis.kill();
    await until(async () => (await readiness(a)).status === 'degraded' && (await readiness(b)).status === 'degraded');

    // Every request still succeeds: cached entries from the local LRU, new DIDs from the upstream.
    upstream.set('/dids/during', { kind: 'json', body: documentFor('did:up:during') });
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      expect((await resolve(a, 'did:up:during')).status).toBe(200);
      expect((await resolve(b, 'did:up:during')).status).toBe(200);
      expect((await resolve(a, 'did:up:before')).status).toBe(200);
      expect(performance.now() - started).toBeLessThan(500);
    }
    // Without Redis each replica asks once, then answers from its own cache.
    expect(upstream.hits('/dids/during')).toBe(2);
    const ready = await request(a.base, '/health/ready');
    expect(ready.status).toBe(200);
    const body = ready.json();
    expect(body.status).toBe('degraded');
    expect(body.checks.cache).toMatchObject({ ok: true, degraded: true });
    expect(body.checks.cache.detail).toMatch(/redis redis:\/\/127\.0\.0\.1:\d+ unavailable since .*serving from the in-process cache/);
    expect(await degradedGauge(a)).toBe(1);
    expect(a.logLines.some((l) => l.includes('redis cache unavailable'))).toBe(true);

    await redis.restart();
    await until(async () => (await readiness(a)).status === 'ready' && (await readiness(b)).status === 'ready');
    expect(await degradedGauge(a)).toBe(0);
    upstream.set('/dids/after', { kind: 'json', body: documentFor('did:up:after') });
    expect((await resolve(a, 'did:up:after')).status).toBe(200);
    await settle(a);
    expect((await resolve(b, 'did:up:after')).json().didResolutionMetadata.servedFromCache).toBe(true);
    expect(upstream.hits('/dids/after')).toBe(1);
  });

  it('single flight holds per replica under concurrent load: 100 requests, one upstream call per replica at most', async () => {
    upstream.set('/dids/popular', { kind: 'slow', delayMs: 200, then: { kind: 'json', body: documentFor('did:up:popular') } });
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) => resolve(i % 2 === 0 ? a : b, 'did:up:popular')),
    );
    expect(answers.every((r) => r.status === 200)).toBe(true);
    // Coalescing is within a process; across replicas the shared cache only helps once one has stored the result.
    expect(upstream.hits('/dids/popular')).toBeGreaterThanOrEqual(1);
    expect(upstream.hits('/dids/popular')).toBeLessThanOrEqual(2);
  });
});
