/**
 * `/metrics` of the deployed driver: the Prometheus series for requests (by DID method, status and profile), latency
 * histograms (replays apart from resolutions), resolver outcomes, cache hits, misses and evictions, upstream attempts
 * and retries, bounded label values; and request ids in responses and logs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyAdapter } from '../../adapters/key/index.js';
import { DriverMetrics } from '../../src/metrics.js';
import { metricsRoute } from '../../src/http/routes/metrics.js';
import { request } from '../http/request.js';
import { createTestAdapter } from '../helpers/test-adapter.js';
import {
  createUpstreamAdapter,
  documentFor,
  metric,
  metricSum,
  parseMetrics,
  startDriver,
  startUpstream,
  type RunningDriver,
  type Upstream,
} from '../reliability/harness.js';

const KEY_DID = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';

let upstream: Upstream;
let d: RunningDriver;

beforeAll(async () => {
  upstream = await startUpstream();
  d = await startDriver({
    upstreamBase: upstream.origin(),
    adapters: [createTestAdapter(), createUpstreamAdapter(upstream.origin()), createKeyAdapter()],
    overrides: {
      cache: { maxEntries: 3 },
      responseCache: { maxEntries: 2 },
      http: { retries: 2, retryBaseDelayMs: 5, retryMaxDelayMs: 10, breakerFailures: 5 },
    },
  });
});

afterAll(async () => {
  await d.close();
  await upstream.close();
});

const get = (path: string, headers: Record<string, string> = {}) => request(d.base, path, { headers });
const scrape = async () => {
  const r = await get('/metrics');
  expect(r.status).toBe(200);
  return { r, m: parseMetrics(r.text) };
};

describe('/metrics', () => {
  it('serves the Prometheus text format, uncached, with process metrics', async () => {
    const { r, m } = await scrape();
    expect(r.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.text).toContain('# TYPE didbridge_http_requests_total counter');
    expect(r.text).toContain('# TYPE didbridge_http_request_duration_seconds histogram');
    expect(metric(m, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(metric(m, 'didbridge_redis_degraded')).toBe(0);
  });

  it('counts requests by route, DID method, status and profile; times replays apart from resolutions', async () => {
    const before = (await scrape()).m;
    const base = (labels: Record<string, string>) => metric(before, 'didbridge_http_requests_total', labels) ?? 0;
    const ok = { route: '/1.0/identifiers/', did_method: 'test', status: '200', profile: 'spec' };
    const okBefore = base(ok);
    expect((await get('/1.0/identifiers/did:test:bob')).headers['x-cache']).toBe('miss');
    expect((await get('/1.0/identifiers/did:test:bob')).headers['x-cache']).toBe('hit');
    expect((await get('/1.0/identifiers/did:test:nobody')).status).toBe(404);
    expect((await get('/1.0/identifiers/did:test:nobody', { 'x-error-profile': 'uniresolver' })).status).toBe(404);
    expect((await get('/1.0/identifiers/did%3Atest%3Abob?versionId=1')).status).toBe(200);
    expect((await get('/1.0/identifiers/did:nosuch:x')).status).toBe(501);
    expect((await get('/1.0/identifiers/not-a-did')).status).toBe(400);
    expect((await get('/health/live')).status).toBe(200);
    expect((await get('/no/such/path/12345')).status).toBe(404);

    const { m } = await scrape();
    expect(metric(m, 'didbridge_http_requests_total', ok)! - okBefore).toBe(3);
    expect(metric(m, 'didbridge_http_requests_total', { ...ok, status: '404' })).toBe(1);
    expect(metric(m, 'didbridge_http_requests_total', { ...ok, status: '404', profile: 'uniresolver' })).toBe(1);
    expect(metric(m, 'didbridge_http_requests_total', { route: '/1.0/identifiers/', did_method: 'unsupported', status: '501' })).toBe(1);
    expect(metric(m, 'didbridge_http_requests_total', { route: '/1.0/identifiers/', status: '400' })).toBeGreaterThanOrEqual(1);
    expect(metric(m, 'didbridge_http_requests_total', { route: '/health/live', did_method: 'none', status: '200' })).toBeGreaterThanOrEqual(1);
    expect(metric(m, 'didbridge_http_requests_total', { route: 'unmatched', status: '404' })).toBe(1);
    // No series carries a request path: label values are bounded.
    expect([...m.keys()].some((k) => k.includes('/no/such/path'))).toBe(false);
    expect(metric(m, 'didbridge_http_request_duration_seconds_count', { route: '/1.0/identifiers/', did_method: 'test', cache: 'hit', status_class: '2xx' })).toBeGreaterThanOrEqual(1);
    expect(metric(m, 'didbridge_http_request_duration_seconds_count', { route: '/1.0/identifiers/', did_method: 'test', cache: 'miss', status_class: '2xx' })).toBeGreaterThanOrEqual(2);
    expect(metric(m, 'didbridge_http_request_duration_seconds_count', { route: '/1.0/identifiers/', did_method: 'test', cache: 'miss', status_class: '4xx' })).toBe(2);
    expect(metric(m, 'didbridge_resolutions_total', { did_method: 'test', result: 'NOT_FOUND' })).toBeGreaterThanOrEqual(1);
    expect(metric(m, 'didbridge_resolutions_total', { did_method: 'unsupported', result: 'METHOD_NOT_SUPPORTED' })).toBe(1);
    expect(metric(m, 'didbridge_resolutions_total', { did_method: 'unsupported', result: 'INVALID_DID' })).toBeGreaterThanOrEqual(1);
  });

  it('reports cache hits, misses and evictions for the resolution and response caches', async () => {
    // Different Accept headers: one resolution, separate response cache entries.
    await get(`/1.0/identifiers/${KEY_DID}`);
    await get(`/1.0/identifiers/${KEY_DID}`, { accept: 'application/did' });
    await get(`/1.0/identifiers/${KEY_DID}`, { accept: 'application/did' });
    for (const id of ['alice', 'bob', 'hinted', 'shortlived']) await get(`/1.0/identifiers/did:test:${id}`, { accept: 'application/did+json' });
    const { m } = await scrape();
    expect(metric(m, 'didbridge_cache_hits_total', { cache: 'response', layer: 'memory' })).toBeGreaterThanOrEqual(1);
    expect(metric(m, 'didbridge_cache_misses_total', { cache: 'response' })).toBeGreaterThanOrEqual(1);
    expect(metric(m, 'didbridge_cache_misses_total', { cache: 'resolution' })).toBeGreaterThanOrEqual(1);
    // Three entries at most in the resolution cache and two in the response cache: more distinct DIDs evict.
    expect(metric(m, 'didbridge_cache_evictions_total', { cache: 'resolution', layer: 'memory' })).toBeGreaterThanOrEqual(1);
    expect(metric(m, 'didbridge_cache_evictions_total', { cache: 'response', layer: 'memory' })).toBeGreaterThanOrEqual(1);
    expect(metric(m, 'didbridge_cache_entries', { cache: 'resolution' })).toBeLessThanOrEqual(3);
    expect(metric(m, 'didbridge_cache_entries', { cache: 'response' })).toBeLessThanOrEqual(2);
  });

  it('resolution cache hits are counted too (did:key answers are not cached: that adapter is cacheable: false)', async () => {
    const before = metric((await scrape()).m, 'didbridge_cache_hits_total', { cache: 'resolution', layer: 'memory' }) ?? 0;
    // versionId makes a resolution cache key no earlier test used: a miss, then a hit for the other Accept.
    await get('/1.0/identifiers/did%3Atest%3Aalice?versionId=1', { accept: 'application/did+ld+json' });
    await get('/1.0/identifiers/did%3Atest%3Aalice?versionId=1', { accept: 'application/did' });
    const after = metric((await scrape()).m, 'didbridge_cache_hits_total', { cache: 'resolution', layer: 'memory' }) ?? 0;
    expect(after - before).toBe(1);
  });

  it('reports upstream attempts, errors and retries per configured upstream', async () => {
    upstream.set('/dids/flaky', { kind: 'sequence', steps: [{ kind: 'status', status: 503 }, { kind: 'json', body: documentFor('did:up:flaky') }] });
    expect((await get('/1.0/identifiers/did:up:flaky')).status).toBe(200);
    const { m } = await scrape();
    const origin = upstream.origin();
    expect(metric(m, 'didbridge_upstream_retries_total', { upstream: origin })).toBe(1);
    expect(metric(m, 'didbridge_upstream_errors_total', { upstream: origin, outcome: 'retryable-status' })).toBe(1);
    expect(metric(m, 'didbridge_upstream_request_duration_seconds_count', { upstream: origin, outcome: 'ok' })).toBe(1);
    expect(metric(m, 'didbridge_upstream_breaker_state', { upstream: origin })).toBe(0);
    expect(metricSum(m, 'didbridge_upstream_request_duration_seconds_count')).toBeGreaterThanOrEqual(2);
  });

  it('can be turned off (DIDBRIDGE_METRICS_ENABLED=false)', async () => {
    const off = await startDriver({ upstreamBase: upstream.origin(), overrides: { metrics: { enabled: false } } });
    try {
      expect((await request(off.base, '/metrics')).status).toBe(404);
      expect(off.deployment.metrics).toBeUndefined();
      expect((await request(off.base, `/1.0/identifiers/${KEY_DID}`)).status).toBe(200);
    } finally {
      await off.close();
    }
  });

  it('checks its arguments', () => {
    expect(() => new DriverMetrics(undefined as never)).toThrow(/"config"/);
    expect(() => new DriverMetrics({ methods: 'key' as never })).toThrow(/"methods"/);
    expect(() => metricsRoute({} as never)).toThrow(/"metrics"/);
    const m = new DriverMetrics({ methods: ['key'], processMetrics: false });
    expect(m.methodLabel('did:key:z6Mk')).toBe('key');
    expect(m.methodLabel('did%3Akey%3Az6Mk')).toBe('key');
    expect(m.methodLabel('did%3akey%3az6Mk')).toBe('key');
    expect(m.methodLabel('did:other:x')).toBe('unsupported');
    expect(m.methodLabel('garbage')).toBe('unsupported');
    expect(m.methodLabel(undefined)).toBe('none');
  });
});

describe('request ids', () => {
  it('every answer carries X-Request-Id, and the access log line of that request has the same id', async () => {
    const answers = [
      await get('/1.0/identifiers/did:test:alice', { 'x-request-id': 'trace-abc.1' }),
      await get('/1.0/identifiers/did:test:broken'),
      await get('/1.0/identifiers/not-a-did'),
      await get('/health/ready'),
    ];
    expect(answers[0]!.headers['x-request-id']).toBe('trace-abc.1');
    const lines = d.logLines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'request');
    for (const a of answers) {
      const id = a.headers['x-request-id'];
      expect(id).toMatch(/^[A-Za-z0-9._:@/+=-]+$/);
      const line = lines.find((l) => l.requestId === id);
      expect(line, `log line for ${String(id)}`).toBeDefined();
      expect(line!.status).toBe(a.status);
    }
    const broken = lines.find((l) => l.requestId === answers[1]!.headers['x-request-id']);
    expect(broken!.error).toBe('INTERNAL_ERROR');
  });
});
