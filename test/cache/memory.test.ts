/**
 * The in-process cache through the deployed driver: bounded by entries and bytes (with evictions counted), TTL from
 * the method (did:web Cache-Control) or the configured default, bounded by the maximum, short negative caching,
 * `noCache`, and single flight under concurrent load.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryCache, type CachedOutcome } from '../../src/cache.js';
import { request } from '../http/request.js';
import { documentFor, startDriver, startUpstream, testLookup, type RunningDriver, type Upstream } from '../reliability/harness.js';

function entry(id: string, padding = 0): CachedOutcome {
  const now = Date.now();
  return {
    kind: 'resolved',
    resolution: { didDocument: { id, padding: 'x'.repeat(padding) } as never, didDocumentMetadata: {}, changes: [] },
    storedAt: now,
    expiresAt: now + 60_000,
  };
}

describe('MemoryCache bounds', () => {
  it('evicts least recently used entries beyond maxEntries, counting evictions', () => {
    const cache = new MemoryCache({ maxEntries: 3 });
    for (const id of ['a', 'b', 'c']) cache.set(id, entry(id), 60_000);
    cache.get('a');
    cache.set('d', entry('d'), 60_000);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    expect(cache.stats.evictions).toBe(1);
    expect(cache.size).toBe(3);
  });

  it('evicts by approximate size beyond maxBytes', () => {
    const cache = new MemoryCache({ maxEntries: 100, maxBytes: 5_000 });
    for (let i = 0; i < 5; i++) cache.set(`k${i}`, entry(`k${i}`, 1_500), 60_000);
    expect(cache.size).toBeLessThanOrEqual(3);
    expect(cache.stats.evictions).toBeGreaterThanOrEqual(2);
    expect(cache.get('k4')).toBeDefined();
  });

  it('does not serve an entry past its expiresAt', async () => {
    const cache = new MemoryCache();
    const e = { ...entry('x'), expiresAt: Date.now() + 30 };
    cache.set('x', e, 30);
    expect(cache.get('x')).toBeDefined();
    await new Promise((r) => setTimeout(r, 50));
    expect(cache.get('x')).toBeUndefined();
  });
});

describe('caching through the driver', () => {
  let upstream: Upstream;
  let d: RunningDriver;

  beforeAll(async () => {
    upstream = await startUpstream();
    d = await startDriver({
      upstreamBase: upstream.origin(),
      lookup: testLookup({ 'web.test': '127.0.0.1' }),
      overrides: { cache: { defaultTtlSeconds: 120, maxTtlSeconds: 600, negativeTtlSeconds: 1 }, http: { retries: 0 } },
    });
  });
  afterAll(async () => {
    await d.close();
    await upstream.close();
  });

  const web = (name: string) => `did:web:web.test%3A${upstream.port}:${name}`;
  const cacheControl = async (did: string, accept = 'application/did-resolution') => {
    await request(d.base, `/1.0/identifiers/${did}`, { headers: { accept } });
    const replay = await request(d.base, `/1.0/identifiers/${did}`, { headers: { accept } });
    expect(replay.headers['x-cache']).toBe('hit');
    return Number(/max-age=(\d+)/.exec(String(replay.headers['cache-control']))![1]);
  };

  it("honours the method's TTL (did:web Cache-Control max-age), the configured default, and the maximum", async () => {
    upstream.set('/short/did.json', { kind: 'json', body: documentFor(web('short')), headers: { 'cache-control': 'max-age=45' } });
    upstream.set('/none/did.json', { kind: 'json', body: documentFor(web('none')) });
    upstream.set('/long/did.json', { kind: 'json', body: documentFor(web('long')), headers: { 'cache-control': 'max-age=86400' } });
    const short = await cacheControl(web('short'));
    expect(short).toBeGreaterThan(40);
    expect(short).toBeLessThanOrEqual(45);
    // No Cache-Control: the default (120 s), bounded by the response cache's own limit (300 s by default).
    const none = await cacheControl(web('none'));
    expect(none).toBeGreaterThan(115);
    expect(none).toBeLessThanOrEqual(120);
    // A day asked for: cut to the maximum TTL (600 s), then to the response cache's limit (300 s).
    const long = await cacheControl(web('long'));
    expect(long).toBeGreaterThan(295);
    expect(long).toBeLessThanOrEqual(300);
    expect(upstream.hits('/short/did.json')).toBe(1);
  });

  it('Cache-Control: no-store is not cached', async () => {
    upstream.set('/volatile/did.json', { kind: 'json', body: documentFor(web('volatile')), headers: { 'cache-control': 'no-store' } });
    await request(d.base, `/1.0/identifiers/${web('volatile')}`);
    const again = await request(d.base, `/1.0/identifiers/${web('volatile')}`);
    expect(again.headers['x-cache']).not.toBe('hit');
    expect(again.json().didResolutionMetadata.servedFromCache).toBe(false);
    expect(upstream.hits('/volatile/did.json')).toBe(2);
  });

  it('NOT_FOUND is cached briefly (negativeTtlSeconds), then asked again', async () => {
    expect((await request(d.base, '/1.0/identifiers/did:up:missing')).status).toBe(404);
    expect((await request(d.base, '/1.0/identifiers/did:up:missing')).status).toBe(404);
    expect(upstream.hits('/dids/missing')).toBe(1);
    await new Promise((r) => setTimeout(r, 1_100));
    expect((await request(d.base, '/1.0/identifiers/did:up:missing')).status).toBe(404);
    expect(upstream.hits('/dids/missing')).toBe(2);
  });

  it('noCache goes upstream every time and is never replayed', async () => {
    upstream.set('/dids/fresh', { kind: 'json', body: documentFor('did:up:fresh') });
    for (let i = 0; i < 3; i++) {
      const r = await request(d.base, '/1.0/identifiers/did%3Aup%3Afresh?noCache=true');
      expect(r.status).toBe(200);
      expect(r.headers['x-cache']).toBeUndefined();
      expect(r.headers['cache-control']).toBe('no-store');
    }
    expect(upstream.hits('/dids/fresh')).toBe(3);
  });

  it('single flight under load: 200 concurrent requests for one slow DID make one upstream call', async () => {
    upstream.set('/dids/rush', { kind: 'slow', delayMs: 300, then: { kind: 'json', body: documentFor('did:up:rush') } });
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        request(d.base, '/1.0/identifiers/did:up:rush', { headers: { accept: i % 2 ? 'application/did' : 'application/did-resolution' } }),
      ),
    );
    expect(answers.every((r) => r.status === 200)).toBe(true);
    expect(upstream.hits('/dids/rush')).toBe(1);
  });

  it('a failure is shared by the requests waiting on it, and not cached', async () => {
    upstream.set('/dids/crash', { kind: 'slow', delayMs: 200, then: { kind: 'status', status: 500 } });
    const answers = await Promise.all(Array.from({ length: 20 }, () => request(d.base, '/1.0/identifiers/did:up:crash')));
    expect(answers.every((r) => r.status === 500)).toBe(true);
    expect(upstream.hits('/dids/crash')).toBe(1);
    await request(d.base, '/1.0/identifiers/did:up:crash');
    expect(upstream.hits('/dids/crash')).toBe(2);
  });
});
