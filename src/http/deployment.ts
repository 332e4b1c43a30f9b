/**
 * The driver as a deployment runs it: one function from the configuration to a resolver and a driver with every
 * production piece attached.
 *
 * - the HTTP client with the configured timeouts, limits, SSRF policy, GET retries with jittered backoff and a
 *   circuit breaker per upstream origin;
 * - the resolution cache: in process (`MemoryCache`), or shared through Redis (`RedisCache`, when
 *   `DIDBRIDGE_REDIS_URL` is set) with the in-process LRU in front and as fallback;
 * - the resolver's deadline and DID length limit;
 * - Prometheus metrics at `/metrics` (`DIDBRIDGE_METRICS_ENABLED`);
 * - readiness checks: `upstreams` (open breakers: ready but degraded when a configured upstream's breaker is open) and
 *   `cache` (Redis unavailable: ready but degraded).
 *
 * Readiness policy: neither an open breaker nor a Redis outage makes a replica not-ready. Every replica sees the same
 * upstream and the same Redis, so taking replicas out of rotation would turn a partial outage (one method, or slower
 * answers) into a total one; `/health/ready` answers 200 with `status: "degraded"` and the details, and the metrics
 * (`didbridge_upstream_breaker_state`, `didbridge_redis_degraded`) are what to alert on.
 */
import type { MethodAdapter } from '../adapter.js';
import { MemoryCache } from '../cache.js';
import { RedisCache } from '../cache/redis.js';
import { packageInfo, type DidBridgeConfig } from '../config.js';
import { silentLogger, type Logger } from '../log.js';
import { DriverMetrics } from '../metrics.js';
import { createHttpClient, type HttpClientConfig, type UndiciHttpClient } from '../net/http-client.js';
import { Resolver, type ResolutionEvent } from '../resolver.js';
import type { ReadinessState } from './meta.js';
import { metricsRoute } from './routes/metrics.js';
import { createDriver, type Driver } from './server.js';

export interface DeploymentOptions {
  config: DidBridgeConfig;
  /** The method adapters to serve (the CLI passes `defaultAdapters(config.adapters, config.enabledAdapters)`). */
  adapters: readonly MethodAdapter[];
  /** Where logs go; default nowhere. */
  logger?: Logger;
  /** Called for each resolution besides the metrics (the CLI logs failures with it). */
  onResolved?: (event: ResolutionEvent) => void;
  /** Settings merged over the HTTP client's configuration (tests: a CA, a host lookup). */
  http?: Partial<HttpClientConfig>;
}

/** What `createDeployment` builds. */
export interface Deployment {
  readonly resolver: Resolver;
  readonly driver: Driver;
  readonly http: UndiciHttpClient;
  /** The resolution cache, or undefined when caching is off. */
  readonly cache: MemoryCache | RedisCache | undefined;
  /** The metrics, or undefined when `/metrics` is off. */
  readonly metrics: DriverMetrics | undefined;
  /** Stops the driver gracefully, then releases the HTTP pools and the Redis connection. Safe to call twice. */
  close(): Promise<void>;
}

/** The HTTP client configuration a didbridge configuration describes (without the observer). */
export function httpConfigFrom(config: DidBridgeConfig): HttpClientConfig {
  const h = config.http;
  return {
    timeoutMs: h.timeoutMs,
    connectTimeoutMs: h.connectTimeoutMs,
    maxBytes: h.maxBytes,
    maxRedirects: h.maxRedirects,
    addressPolicy: { allow: h.allowAddressClasses, allowHosts: h.allowHosts },
    json: { maxDepth: h.maxJsonDepth },
    userAgent: `didbridge/${packageInfo().version}`,
    retry: h.retries > 0 ? { retries: h.retries, baseDelayMs: h.retryBaseDelayMs, maxDelayMs: h.retryMaxDelayMs, budgetMs: h.retryBudgetMs } : false,
    breaker:
      h.breakerFailures > 0
        ? {
            failureThreshold: h.breakerFailures,
            failureRate: h.breakerFailureRatePercent / 100,
            minimumRequests: h.breakerMinimumRequests,
            windowMs: h.breakerWindowMs,
            cooldownMs: h.breakerCooldownMs,
          }
        : false,
  };
}

/** The resolution cache a configuration describes: none, in process, or Redis with the in-process LRU in front. */
export function createResolutionCache(config: DidBridgeConfig, logger: Logger = silentLogger): MemoryCache | RedisCache | undefined {
  if (!config.cache.enabled) return undefined;
  const local = { maxEntries: config.cache.maxEntries, maxBytes: config.cache.maxBytes };
  if (config.redis.url === '') return new MemoryCache(local);
  return new RedisCache({
    url: config.redis.url,
    keyPrefix: config.redis.keyPrefix,
    commandTimeoutMs: config.redis.commandTimeoutMs,
    connectTimeoutMs: config.redis.connectTimeoutMs,
    maxEntryBytes: config.redis.maxEntryBytes,
    local,
    logger,
  });
}

/**
 * Builds the resolver and the driver for a configuration. Call `deployment.driver.listen()` to serve and
 * `deployment.close()` to stop.
 *
 * @example
 * const config = loadConfig({ env: process.env })
 * const deployment = createDeployment({ config, adapters: defaultAdapters(config.adapters, config.enabledAdapters), logger })
 * await deployment.driver.listen(config.port, config.host)
 */
export function createDeployment(options: DeploymentOptions): Deployment {
  if (options === null || typeof options !== 'object') throw new TypeError('"options" must be an object');
  const { config, adapters } = options;
  if (!config || typeof config !== 'object' || !config.http) throw new TypeError('"config" must be a loaded DidBridgeConfig');
  if (!Array.isArray(adapters)) throw new TypeError('"adapters" must be an array of MethodAdapter');
  const logger = options.logger ?? silentLogger;
  const methods = adapters.flatMap((a) => [...a.methods]);
  const metrics = config.metrics.enabled ? new DriverMetrics({ methods }) : undefined;

  const breakerLog = (snapshot: { upstream: string; trusted: boolean; state: string; reason?: string }, from: string) => {
    // DID-controlled hosts are strangers' servers: their breakers are worth a debug line, not a warning.
    const level = !snapshot.trusted ? 'debug' : snapshot.state === 'open' ? 'warn' : 'info';
    logger[level]('upstream circuit breaker', { upstream: snapshot.trusted ? snapshot.upstream : 'did-controlled', from, to: snapshot.state, reason: snapshot.reason });
  };
  const base = httpConfigFrom(config);
  const extra = options.http ?? {};
  // A breaker given in `options.http` refines the configured one (tests inject a clock); false turns breakers off.
  const breaker = extra.breaker === false || (base.breaker === false && extra.breaker === undefined) ? false : { ...(base.breaker || {}), ...(extra.breaker || {}) };
  const http = createHttpClient({
    ...base,
    ...extra,
    breaker:
      breaker === false
        ? false
        : {
            ...breaker,
            onChange: (snapshot, from) => {
              breakerLog(snapshot, from);
              breaker.onChange?.(snapshot, from);
            },
          },
    observer: metrics?.upstream,
  });

  const cache = createResolutionCache(config, logger);
  const onResolved = options.onResolved;
  const resolver = new Resolver({
    adapters,
    http,
    cache: cache ?? false,
    cachePolicy: {
      defaultTtlSeconds: config.cache.defaultTtlSeconds,
      maxTtlSeconds: config.cache.maxTtlSeconds,
      negativeTtlSeconds: config.cache.negativeTtlSeconds,
    },
    limits: { maxLength: config.limits.maxDidLength },
    resolutionTimeoutMs: config.limits.resolutionTimeoutMs,
    onResolved:
      metrics || onResolved
        ? (event) => {
            metrics?.resolution(event);
            onResolved?.(event);
          }
        : undefined,
  });

  const driver = createDriver({ resolver, config, logger, ...(metrics ? { observer: metrics } : {}) });
  if (metrics) {
    metrics.watchResolutionCache(cache);
    metrics.watchResponseCache(driver.responseCache);
    metrics.watchBreakers(http.breakers);
    driver.routes.add(metricsRoute(metrics));
  }
  if (http.breakers) {
    const breakers = http.breakers;
    driver.addReadinessCheck('upstreams', () => upstreamReadiness(breakers.notClosed()));
  }
  if (cache instanceof RedisCache) {
    driver.addReadinessCheck('cache', (): ReadinessState => {
      const health = cache.health();
      return { ok: true, degraded: health.degraded, detail: health.detail };
    });
  }

  let closing: Promise<void> | undefined;
  return {
    resolver,
    driver,
    http,
    cache,
    metrics,
    close() {
      closing ??= (async () => {
        await driver.close();
        await http.close();
        if (cache instanceof RedisCache) await cache.close();
      })();
      return closing;
    },
  };
}

/** The `upstreams` readiness check: always ready; degraded while a configured upstream's breaker is not closed. */
export function upstreamReadiness(
  notClosed: ReadonlyArray<{ upstream: string; trusted: boolean; state: string; openedAt?: string; reason?: string }>,
): ReadinessState {
  const configured = notClosed.filter((b) => b.trusted);
  const didControlled = notClosed.length - configured.length;
  if (notClosed.length === 0) return { ok: true, detail: 'every upstream circuit is closed' };
  const parts = configured.map((b) => `${b.upstream} ${b.state} since ${b.openedAt ?? '?'} (${b.reason ?? ''})`);
  if (didControlled > 0) parts.push(`${didControlled} DID-controlled host(s) with an open circuit`);
  return { ok: true, degraded: configured.length > 0, detail: `circuit breakers not closed: ${parts.join('; ')}` };
}
