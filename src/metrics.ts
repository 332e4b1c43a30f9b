/**
 * Prometheus metrics of the driver (prom-client), served at `/metrics` in the text exposition format.
 *
 * | metric | type | labels | what |
 * |---|---|---|---|
 * | `didbridge_http_requests_total` | counter | `route`, `did_method`, `status`, `profile` | HTTP answers of the driver |
 * | `didbridge_http_request_duration_seconds` | histogram | `route`, `did_method`, `cache`, `status_class` | time to answer (`cache`: `hit` = replayed response, `miss`, `bypass`, `none`; `status_class`: `2xx` ... `5xx`) |
 * | `didbridge_resolutions_total` | counter | `did_method`, `result`, `cache` | resolver outcomes (`result`: `ok` or the DID Resolution error name) |
 * | `didbridge_resolution_duration_seconds` | histogram | `did_method`, `cache` | resolver time, cache included |
 * | `didbridge_cache_hits_total` | counter | `cache`, `layer` | `cache`: `resolution` or `response`; `layer`: `memory` or `redis` |
 * | `didbridge_cache_misses_total` | counter | `cache` | lookups found in no layer |
 * | `didbridge_cache_evictions_total` | counter | `cache`, `layer` | LRU evictions (memory); keys Redis evicted for memory (redis, server-wide `evicted_keys`) |
 * | `didbridge_cache_entries` | gauge | `cache` | entries in the in-process LRU |
 * | `didbridge_redis_degraded` | gauge | | 1 while the shared cache cannot use Redis and serves from the in-process LRU |
 * | `didbridge_redis_errors_total` | counter | | Redis commands that failed or timed out |
 * | `didbridge_upstream_request_duration_seconds` | histogram | `upstream`, `outcome` | each attempt (each redirect hop) at an upstream |
 * | `didbridge_upstream_errors_total` | counter | `upstream`, `outcome` | attempts that did not end `ok` |
 * | `didbridge_upstream_retries_total` | counter | `upstream` | retries made |
 * | `didbridge_upstream_breaker_state` | gauge | `upstream` | 0 closed, 1 half-open, 2 open (configured upstreams) |
 * | `didbridge_upstream_breakers_open` | gauge | `trust` | breakers not closed, by `configured` / `did-controlled` |
 * | `didbridge_upstream_breaker_transitions_total` | counter | `upstream`, `to` | state changes |
 *
 * plus the prom-client process metrics (`process_resident_memory_bytes`, `nodejs_eventloop_lag_seconds`, ...).
 *
 * Label values are bounded: `did_method` is a served method or `unsupported` / `none`; `route` a routed path;
 * `upstream` is the origin of a configured upstream, while every URL a DID controls (did:web hosts, status lists) is
 * `did-controlled`, since strangers choose those hosts and one series per host would let them grow the metrics
 * without bound.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { MemoryCache, ResolutionCache } from './cache.js';
import { RedisCache } from './cache/redis.js';
import type { DriverRequestEvent, RequestObserver } from './http/server.js';
import type { ResponseCache } from './http/response-cache.js';
import { BREAKER_STATE_VALUE, type BreakerRegistry } from './net/breaker.js';
import type { UpstreamObserver } from './net/http-client.js';
import type { ResolutionEvent } from './resolver.js';
import { ERROR_NAMES } from './spec.js';

/** The `upstream` label of URLs a DID controls. */
export const DID_CONTROLLED_UPSTREAM = 'did-controlled';

export interface MetricsConfig {
  /** The DID methods served (the `did_method` label takes these values, `unsupported` or `none`). */
  methods: readonly string[];
  /** Also collect prom-client's process metrics (CPU, memory, event loop, GC). Default true. */
  processMetrics?: boolean;
}

const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** A Redis cache's server-wide counters, read at most every few seconds. */
interface RedisServerCounters {
  evictedKeys: number;
}

/**
 * The driver's metrics. One instance per driver (it owns its registry, so tests and several drivers in one process
 * never share series).
 *
 * @example
 * const metrics = new DriverMetrics({ methods: resolver.methods() })
 * const driver = createDriver({ resolver, config, observer: metrics })
 * driver.routes.add(metricsRoute(metrics))
 */
export class DriverMetrics implements RequestObserver {
  readonly registry = new Registry();
  /** Hooks for the HTTP client (`HttpClientConfig.observer`). */
  readonly upstream: UpstreamObserver;
  private readonly methods: Set<string>;
  private readonly requests: Counter<'route' | 'did_method' | 'status' | 'profile'>;
  private readonly requestDuration: Histogram<'route' | 'did_method' | 'cache' | 'status_class'>;
  private readonly resolutions: Counter<'did_method' | 'result' | 'cache'>;
  private readonly resolutionDuration: Histogram<'did_method' | 'cache'>;
  private readonly upstreamDuration: Histogram<'upstream' | 'outcome'>;
  private readonly upstreamErrors: Counter<'upstream' | 'outcome'>;
  private readonly upstreamRetries: Counter<'upstream'>;
  private readonly breakerTransitions: Counter<'upstream' | 'to'>;
  /** Children of the hot-path metrics by joined label values: a Map lookup instead of prom-client's label hashing. */
  private readonly requestChildren = new Map<string, { count: Counter.Internal; duration: Histogram.Internal<'route' | 'did_method' | 'cache' | 'status_class'> }>();
  /** What the scrape-time collectors read. */
  private readonly sources: { resolutionCache?: ResolutionCache; responseCache?: ResponseCache; breakers?: BreakerRegistry } = {};
  private redisCounters: { at: number; value: Promise<RedisServerCounters | undefined> } | undefined;

  constructor(config: MetricsConfig) {
    if (config === null || typeof config !== 'object') throw new TypeError('"config" must be an object');
    if (!Array.isArray(config.methods)) throw new TypeError('"methods" must be an array of method names');
    this.methods = new Set(config.methods);
    const registers = [this.registry];
    if (config.processMetrics !== false) collectDefaultMetrics({ register: this.registry });

    this.requests = new Counter({
      name: 'didbridge_http_requests_total',
      help: 'HTTP answers of the driver, by route, DID method, status and error profile.',
      labelNames: ['route', 'did_method', 'status', 'profile'],
      registers,
    });
    this.requestDuration = new Histogram({
      name: 'didbridge_http_request_duration_seconds',
      help: 'Time to answer an HTTP request (cache: hit = replayed response, miss, bypass, none; status_class: 2xx to 5xx).',
      labelNames: ['route', 'did_method', 'cache', 'status_class'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.resolutions = new Counter({
      name: 'didbridge_resolutions_total',
      help: 'Resolver outcomes: result is ok or the DID Resolution error name.',
      labelNames: ['did_method', 'result', 'cache'],
      registers,
    });
    this.resolutionDuration = new Histogram({
      name: 'didbridge_resolution_duration_seconds',
      help: 'Time of one resolution inside the resolver, cache lookups included.',
      labelNames: ['did_method', 'cache'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.upstreamDuration = new Histogram({
      name: 'didbridge_upstream_request_duration_seconds',
      help: 'Each attempt (each redirect hop) at an upstream, by outcome.',
      labelNames: ['upstream', 'outcome'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.upstreamErrors = new Counter({
      name: 'didbridge_upstream_errors_total',
      help: 'Upstream attempts that did not end ok (timeout, transport, retryable-status, too-large, refused, circuit-open, other).',
      labelNames: ['upstream', 'outcome'],
      registers,
    });
    this.upstreamRetries = new Counter({
      name: 'didbridge_upstream_retries_total',
      help: 'Retries of idempotent upstream reads.',
      labelNames: ['upstream'],
      registers,
    });
    this.breakerTransitions = new Counter({
      name: 'didbridge_upstream_breaker_transitions_total',
      help: 'Circuit breaker state changes, by the state entered.',
      labelNames: ['upstream', 'to'],
      registers,
    });

    const sources = this.sources;
    const redisCounters = (cache: RedisCache) => this.redisServerCounters(cache);
    new Gauge({
      name: 'didbridge_upstream_breaker_state',
      help: 'Circuit breaker state of each configured upstream: 0 closed, 1 half-open, 2 open.',
      labelNames: ['upstream'],
      registers,
      collect() {
        this.reset();
        for (const b of sources.breakers?.list() ?? []) if (b.trusted) this.labels(b.upstream).set(BREAKER_STATE_VALUE[b.state]);
      },
    });
    new Gauge({
      name: 'didbridge_upstream_breakers_open',
      help: 'Circuit breakers not closed, for configured upstreams and for DID-controlled hosts.',
      labelNames: ['trust'],
      registers,
      collect() {
        const open = { configured: 0, 'did-controlled': 0 };
        for (const b of sources.breakers?.notClosed() ?? []) open[b.trusted ? 'configured' : 'did-controlled']++;
        this.labels('configured').set(open.configured);
        this.labels('did-controlled').set(open['did-controlled']);
      },
    });
    new Counter({
      name: 'didbridge_cache_hits_total',
      help: 'Cache hits by cache (resolution, response) and layer (memory, redis).',
      labelNames: ['cache', 'layer'],
      registers,
      collect() {
        this.reset();
        const c = sources.resolutionCache;
        if (c instanceof RedisCache) {
          this.labels('resolution', 'memory').inc(c.stats.localHits);
          this.labels('resolution', 'redis').inc(c.stats.redisHits);
        } else if (c && isMemoryCache(c)) this.labels('resolution', 'memory').inc(c.stats.hits);
        if (sources.responseCache) this.labels('response', 'memory').inc(sources.responseCache.hits);
      },
    });
    new Counter({
      name: 'didbridge_cache_misses_total',
      help: 'Cache lookups found in no layer.',
      labelNames: ['cache'],
      registers,
      collect() {
        this.reset();
        const c = sources.resolutionCache;
        if (c instanceof RedisCache) this.labels('resolution').inc(c.stats.misses);
        else if (c && isMemoryCache(c)) this.labels('resolution').inc(c.stats.misses);
        if (sources.responseCache) this.labels('response').inc(sources.responseCache.misses);
      },
    });
    new Counter({
      name: 'didbridge_cache_evictions_total',
      help: 'Entries evicted for space: the in-process LRU (memory), and keys Redis evicted under maxmemory (redis; server-wide).',
      labelNames: ['cache', 'layer'],
      registers,
      async collect() {
        this.reset();
        const c = sources.resolutionCache;
        const memory = c instanceof RedisCache ? c.local : c && isMemoryCache(c) ? c : undefined;
        if (memory) this.labels('resolution', 'memory').inc(memory.stats.evictions);
        if (sources.responseCache) this.labels('response', 'memory').inc(sources.responseCache.evictions);
        if (c instanceof RedisCache) {
          const counters = await redisCounters(c);
          if (counters) this.labels('resolution', 'redis').inc(counters.evictedKeys);
        }
      },
    });
    new Gauge({
      name: 'didbridge_cache_entries',
      help: 'Entries in the in-process LRU of each cache.',
      labelNames: ['cache'],
      registers,
      collect() {
        this.reset();
        const c = sources.resolutionCache;
        const memory = c instanceof RedisCache ? c.local : c && isMemoryCache(c) ? c : undefined;
        if (memory) this.labels('resolution').set(memory.size);
        if (sources.responseCache) this.labels('response').set(sources.responseCache.size);
      },
    });
    new Gauge({
      name: 'didbridge_redis_degraded',
      help: '1 while the shared cache cannot use Redis and serves from the in-process LRU; 0 otherwise (also without Redis).',
      registers,
      collect() {
        const c = sources.resolutionCache;
        this.set(c instanceof RedisCache && c.degraded ? 1 : 0);
      },
    });
    new Counter({
      name: 'didbridge_redis_errors_total',
      help: 'Redis commands that failed or timed out.',
      registers,
      collect() {
        this.reset();
        const c = sources.resolutionCache;
        if (c instanceof RedisCache) this.inc(c.stats.errors);
      },
    });

    this.upstream = {
      attempt: (e) => {
        const upstream = e.trusted ? e.upstream : DID_CONTROLLED_UPSTREAM;
        this.upstreamDuration.labels(upstream, e.outcome).observe(e.durationMs / 1000);
        if (e.outcome !== 'ok') this.upstreamErrors.labels(upstream, e.outcome).inc();
      },
      retry: (e) => this.upstreamRetries.labels(e.trusted ? e.upstream : DID_CONTROLLED_UPSTREAM).inc(),
      breaker: (s) => this.breakerTransitions.labels(s.trusted ? s.upstream : DID_CONTROLLED_UPSTREAM, s.state).inc(),
    };
  }

  /** Reports the resolver's cache (MemoryCache or RedisCache) at scrape time. */
  watchResolutionCache(cache: ResolutionCache | undefined): void {
    this.sources.resolutionCache = cache;
  }

  /** Reports the driver's response cache at scrape time. */
  watchResponseCache(cache: ResponseCache): void {
    this.sources.responseCache = cache;
  }

  /** Reports breaker states at scrape time. */
  watchBreakers(breakers: BreakerRegistry | undefined): void {
    this.sources.breakers = breakers;
  }

  /** The `did_method` label of an identifier as the driver received it (raw `did:x:` or encoded `did%3Ax%3A`). */
  methodLabel(identifier: string | undefined): string {
    if (identifier === undefined) return 'none';
    let method: string | undefined;
    if (identifier.startsWith('did:')) {
      const end = identifier.indexOf(':', 4);
      method = end < 0 ? undefined : identifier.slice(4, end);
    } else if (identifier.length > 6 && identifier.slice(0, 6).toLowerCase() === 'did%3a') {
      const end = identifier.slice(6).search(/%3a/i);
      method = end < 0 ? undefined : identifier.slice(6, 6 + end);
    }
    return method !== undefined && this.methods.has(method) ? method : 'unsupported';
  }

  /** Records one HTTP answer (`RequestObserver`). */
  request(event: DriverRequestEvent): void {
    const didMethod = event.route === '/1.0/identifiers/' ? this.methodLabel(event.identifier) : 'none';
    const status = String(event.status);
    const key = `${event.route}\u0000${didMethod}\u0000${status}\u0000${event.profile}\u0000${event.cache}`;
    let child = this.requestChildren.get(key);
    if (!child) {
      child = {
        count: this.requests.labels(event.route, didMethod, status, event.profile),
        duration: this.requestDuration.labels(event.route, didMethod, event.cache, `${Math.floor(event.status / 100)}xx`),
      };
      // Bounded by the label sets above; the guard only protects against a bug that would make them unbounded.
      if (this.requestChildren.size < 10_000) this.requestChildren.set(key, child);
    }
    child.count.inc();
    child.duration.observe(event.durationMs / 1000);
  }

  /** Records one resolver outcome (pass to `ResolverConfig.onResolved`). */
  resolution(event: ResolutionEvent): void {
    // The resolver names the method only once the DID parsed and an adapter serves it; otherwise read it from the DID.
    const didMethod = event.method !== undefined && this.methods.has(event.method) ? event.method : this.methodLabel(event.did);
    const result = event.error === undefined ? 'ok' : (ERROR_NAMES as readonly string[]).includes(event.error) ? event.error : 'other';
    this.resolutions.labels(didMethod, result, event.cache).inc();
    this.resolutionDuration.labels(didMethod, event.cache).observe(event.durationMs / 1000);
  }

  /** The exposition text. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  /** The exposition format's content type. */
  get contentType(): string {
    return this.registry.contentType;
  }

  private redisServerCounters(cache: RedisCache): Promise<RedisServerCounters | undefined> {
    const now = Date.now();
    if (!this.redisCounters || now - this.redisCounters.at > 5_000) {
      this.redisCounters = { at: now, value: cache.serverCounters() };
    }
    return this.redisCounters.value;
  }
}

function isMemoryCache(cache: ResolutionCache): cache is MemoryCache {
  const stats = (cache as Partial<MemoryCache>).stats;
  return typeof stats === 'object' && stats !== null && typeof stats.evictions === 'number' && typeof (cache as MemoryCache).size === 'number';
}
