/**
 * `GET /metrics`: the Prometheus text exposition of a `DriverMetrics` (see src/metrics.ts for the series).
 *
 * The endpoint is served on the driver's own port, like the health probes. It reveals nothing a caller could not
 * learn by resolving (methods, statuses, upstream origins from the configuration); a deployment that wants it private
 * keeps it off its ingress (the Helm chart's ingress never routes it) or sets `DIDBRIDGE_METRICS_ENABLED=false`.
 *
 * @see https://prometheus.io/docs/instrumenting/exposition_formats/
 */
import type { DriverMetrics } from '../../metrics.js';
import type { Route } from '../routes.js';

export const METRICS_PATH = '/metrics';

/**
 * The metrics route.
 * @example
 * driver.routes.add(metricsRoute(metrics))
 */
export function metricsRoute(metrics: DriverMetrics): Route {
  if (!metrics || typeof metrics.text !== 'function') throw new TypeError('"metrics" must be a DriverMetrics');
  return {
    methods: ['GET'],
    path: METRICS_PATH,
    description: 'Prometheus metrics',
    handler: async (ctx) => {
      const text = await metrics.text();
      ctx.send(200, { 'content-type': metrics.contentType, 'cache-control': 'no-store' }, text);
    },
  };
}
