/**
 * The driver's descriptive endpoints (Universal Resolver shapes, all `application/json`) and health probes.
 *
 * - `GET /1.0/methods`: `["key", "web", ...]`
 * - `GET /1.0/testIdentifiers`: `{ "key": ["did:key:..."], ... }`
 * - `GET /1.0/traits`: `{ "key": { "updatable": false, ... }, ... }`
 * - `GET /1.0/properties`: this driver's configuration, without secrets (adapter options are never included)
 * - `GET /health/live`: the process answers; `GET /health/ready`: the resolver is up, the driver is not shutting
 *   down, and every registered readiness check passes (503 otherwise); `status: "degraded"` (still 200) when a
 *   check passes but reports `degraded` (an open upstream breaker, Redis unavailable)
 *
 * @see https://github.com/decentralized-identity/universal-resolver/blob/main/openapi/openapi.yaml
 */
import type { DidBridgeConfig } from '../config.js';
import { ERROR_PROFILES, packageInfo } from '../config.js';
import type { Resolver } from '../resolver.js';
import type { Route } from './routes.js';

/** The state a readiness check reports. */
export interface ReadinessState {
  ok: boolean;
  /**
   * Ready, but working with less than it should (an open upstream circuit breaker, a shared cache replaced by the
   * local one). `/health/ready` stays 200 and says `degraded`: taking the replica out of rotation would not fix it.
   */
  degraded?: boolean;
  /** Short, non-secret explanation (e.g. `circuit open since 12:00:03Z`). */
  detail?: string;
}

/** A readiness check: synchronous or not; a throw or a 1 s timeout counts as not ready. */
export type ReadinessCheck = () => ReadinessState | Promise<ReadinessState>;

const CHECK_TIMEOUT_MS = 1000;

async function runCheck(check: ReadinessCheck): Promise<ReadinessState> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      Promise.resolve().then(check),
      new Promise<ReadinessState>((resolve) => {
        timer = setTimeout(() => resolve({ ok: false, detail: `no answer within ${CHECK_TIMEOUT_MS} ms` }), CHECK_TIMEOUT_MS);
      }),
    ]);
  } catch (err) {
    return { ok: false, detail: err instanceof Error ? err.message.slice(0, 200) : 'check failed' };
  } finally {
    if (timer) clearTimeout(timer);
  }
}

/** The driver properties published at `/1.0/properties`. */
export function driverProperties(resolver: Resolver, config: DidBridgeConfig): Record<string, unknown> {
  const { name, version } = packageInfo();
  const methods: Record<string, unknown> = {};
  for (const method of resolver.methods()) {
    const adapter = resolver.adapterFor(method)!;
    methods[method] = {
      adapter: adapter.id,
      pattern: adapter.identifierPattern.source,
      capabilities: adapter.capabilities,
    };
  }
  return {
    driver: name,
    version,
    supportsOptions: true,
    supportsDereference: true,
    errorProfile: config.errorProfile,
    errorProfiles: [...ERROR_PROFILES],
    methods,
    cachePolicy: resolver.cache ? { ...resolver.cachePolicy } : false,
    limits: { maxUrlLength: config.limits.maxUrlLength, maxBodyBytes: config.limits.maxBodyBytes },
  };
}

export interface MetaRoutesOptions {
  resolver: Resolver;
  config: DidBridgeConfig;
  readinessChecks: ReadonlyMap<string, ReadinessCheck>;
  isShuttingDown: () => boolean;
}

/** The descriptive and health routes. */
export function metaRoutes({ resolver, config, readinessChecks, isShuttingDown }: MetaRoutesOptions): Route[] {
  return [
    {
      methods: ['GET'],
      path: '/1.0/methods',
      description: 'DID methods served',
      handler: (ctx) => ctx.sendJson(200, resolver.methods()),
    },
    {
      methods: ['GET'],
      path: '/1.0/testIdentifiers',
      description: 'method -> DIDs that resolve with this deployment',
      handler: (ctx) => ctx.sendJson(200, resolver.testIdentifiers()),
    },
    {
      methods: ['GET'],
      path: '/1.0/traits',
      description: 'method -> traits',
      handler: (ctx) => ctx.sendJson(200, resolver.traits()),
    },
    {
      methods: ['GET'],
      path: '/1.0/properties',
      description: 'driver configuration (no secrets)',
      handler: (ctx) => ctx.sendJson(200, driverProperties(resolver, config)),
    },
    {
      methods: ['GET'],
      path: '/health/live',
      description: 'liveness',
      handler: (ctx) => ctx.sendJson(200, { status: 'live' }),
    },
    {
      methods: ['GET'],
      path: '/health/ready',
      description: 'readiness',
      handler: async (ctx) => {
        const checks: Record<string, ReadinessState> = {};
        for (const [name, check] of readinessChecks) checks[name] = await runCheck(check);
        const shuttingDown = isShuttingDown();
        const ready = !shuttingDown && Object.values(checks).every((c) => c.ok);
        const degraded = ready && Object.values(checks).some((c) => c.degraded === true);
        ctx.sendJson(ready ? 200 : 503, {
          status: shuttingDown ? 'shutting-down' : !ready ? 'not-ready' : degraded ? 'degraded' : 'ready',
          methods: resolver.methods().length,
          checks,
        });
      },
    },
  ];
}
