/**
 * The Helm chart, rendered by the test renderer (helm-render.ts; no helm binary here) and checked structurally: every
 * document is a Kubernetes object, the Deployment's probes hit the driver's real health routes, selectors match the
 * right pods and only those, the ConfigMap holds only settings the driver reads and they load, the image is pinned to
 * the package version, and the optional Redis and autoscaler appear when asked.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ADAPTER_FACTORIES } from '../../adapters/index.js';
import { environmentVariables, loadConfig } from '../../src/config.js';
import { createDriver } from '../../src/http/server.js';
import { Resolver } from '../../src/resolver.js';
import { createTestAdapter } from '../helpers/test-adapter.js';
import { HelmRenderer } from './helm-render.js';

const CHART = new URL('../../deploy/helm/didbridge/', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
const renderer = new HelmRenderer(CHART);

type Manifest = Record<string, any>;
const byKind = (docs: Manifest[], kind: string) => docs.filter((d) => d.kind === kind);
const one = (docs: Manifest[], kind: string, name: string) => {
  const found = docs.filter((d) => d.kind === kind && d.metadata.name === name);
  expect(found, `${kind} ${name}`).toHaveLength(1);
  return found[0]!;
};
const matches = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

/** The paths the driver routes, from a real driver's route table. */
function driverRoutes(): string[] {
  const driver = createDriver({ resolver: new Resolver({ adapters: [createTestAdapter()] }) });
  return driver.routes.list().map((r) => r.path);
}

describe('Helm chart', () => {
  it('Chart.yaml: version and appVersion are the package version; the image defaults to it', () => {
    const chart = renderer.chart();
    expect(chart.ApiVersion).toBe('v2');
    expect(chart.AppVersion).toBe(pkg.version);
    expect(chart.Version).toBe(pkg.version);
    expect(renderer.defaultValues().image).toMatchObject({ tag: '' });
    const deployment = one(renderer.manifests(), 'Deployment', 'test-didbridge');
    expect(deployment.spec.template.spec.containers[0].image).toBe(`ghcr.io/didbridge/didbridge:${pkg.version}`);
  });

  it('renders Kubernetes objects only, each with apiVersion, kind, a DNS-label name and the chart labels', () => {
    const docs = renderer.manifests();
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`).sort()).toEqual([
      'ConfigMap/test-didbridge',
      'Deployment/test-didbridge',
      'Deployment/test-didbridge-redis',
      'HorizontalPodAutoscaler/test-didbridge',
      'Service/test-didbridge',
      'Service/test-didbridge-redis',
    ]);
    for (const d of docs) {
      expect(d.apiVersion, d.kind).toMatch(/^(v1|apps\/v1|autoscaling\/v2)$/);
      expect(d.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
      expect(d.metadata.labels['app.kubernetes.io/version']).toBe(pkg.version);
      expect(d.metadata.labels['app.kubernetes.io/instance']).toBe('test');
    }
  });

  it('the Deployment: probes on the driver health routes, a named port the Service targets, non-root, read-only', () => {
    const docs = renderer.manifests();
    const deployment = one(docs, 'Deployment', 'test-didbridge');
    const pod = deployment.spec.template;
    const container = pod.spec.containers[0];
    const routes = driverRoutes();
    expect(container.livenessProbe.httpGet.path).toBe('/health/live');
    expect(container.readinessProbe.httpGet.path).toBe('/health/ready');
    expect(container.startupProbe.httpGet.path).toBe('/health/live');
    for (const probe of [container.livenessProbe, container.readinessProbe, container.startupProbe]) {
      expect(routes).toContain(probe.httpGet.path);
      expect(probe.httpGet.port).toBe('http');
    }
    const port = container.ports.find((p: Manifest) => p.name === 'http');
    expect(port.containerPort).toBe(8080);
    const configMap = one(docs, 'ConfigMap', 'test-didbridge');
    expect(configMap.data.PORT).toBe(String(port.containerPort));
    expect(configMap.data.HOST).toBe('0.0.0.0');
    expect(container.envFrom).toEqual([{ configMapRef: { name: 'test-didbridge' } }]);
    expect(container.args).toEqual(['serve']);
    expect(pod.spec.securityContext.runAsNonRoot).toBe(true);
    expect(pod.spec.securityContext.runAsUser).not.toBe(0);
    expect(container.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
    // Rollouts: the pod gets longer to stop than the driver's own grace period.
    const grace = loadConfig({ env: configMap.data }).limits.shutdownGraceMs / 1000;
    expect(pod.spec.terminationGracePeriodSeconds).toBeGreaterThan(grace);
    expect(pod.metadata.annotations['prometheus.io/path']).toBe('/metrics');
    expect(routes).not.toContain('/metrics'); // added by createDeployment, not by createDriver
  });

  it('selectors: the Service and Deployment select the driver pods and never the Redis pods, and the reverse', () => {
    const docs = renderer.manifests();
    const driver = one(docs, 'Deployment', 'test-didbridge');
    const redis = one(docs, 'Deployment', 'test-didbridge-redis');
    const driverPods = driver.spec.template.metadata.labels;
    const redisPods = redis.spec.template.metadata.labels;
    expect(matches(driver.spec.selector.matchLabels, driverPods)).toBe(true);
    expect(matches(driver.spec.selector.matchLabels, redisPods)).toBe(false);
    expect(matches(redis.spec.selector.matchLabels, redisPods)).toBe(true);
    expect(matches(redis.spec.selector.matchLabels, driverPods)).toBe(false);
    const service = one(docs, 'Service', 'test-didbridge');
    expect(matches(service.spec.selector, driverPods)).toBe(true);
    expect(matches(service.spec.selector, redisPods)).toBe(false);
    expect(service.spec.ports[0].targetPort).toBe('http');
    const redisService = one(docs, 'Service', 'test-didbridge-redis');
    expect(matches(redisService.spec.selector, redisPods)).toBe(true);
    expect(redis.spec.template.spec.containers[0].ports[0].name).toBe(redisService.spec.ports[0].targetPort);
  });

  it('the ConfigMap holds only variables the driver reads, and they load as a valid configuration', () => {
    const docs = renderer.manifests({
      adapters: { bid: { baseUrl: 'https://bid.example' }, weid: { baseUrl: 'https://weid.example' } },
      env: { DIDBRIDGE_HTTP_RETRIES: '3', DIDBRIDGE_ERROR_PROFILE: 'uniresolver' },
    });
    const data = one(docs, 'ConfigMap', 'test-didbridge').data as Record<string, string>;
    const known = new Set(environmentVariables().map((v) => v.env));
    for (const [name, value] of Object.entries(data)) {
      expect(typeof value, name).toBe('string');
      const adapter = /^DIDBRIDGE_ADAPTER_([A-Z0-9_]+)$/.exec(name);
      if (adapter) expect(Object.keys(ADAPTER_FACTORIES)).toContain(adapter[1]!.toLowerCase());
      else expect(known.has(name), name).toBe(true);
    }
    const config = loadConfig({ env: data });
    expect(config.host).toBe('0.0.0.0');
    expect(config.port).toBe(8080);
    expect(config.sandbox.mode).toBe('off');
    expect(config.errorProfile).toBe('uniresolver');
    expect(config.http.retries).toBe(3);
    expect(config.adapters.bid).toEqual({ baseUrl: 'https://bid.example' });
    expect(config.adapters.weid).toEqual({ baseUrl: 'https://weid.example' });
    // The chart's own Redis, by its Service name and port.
    expect(config.redis.url).toBe('redis://test-didbridge-redis:6379');
  });

  it('the chart Redis is a cache: no persistence, LRU eviction at maxmemory', () => {
    const redis = one(renderer.manifests(), 'Deployment', 'test-didbridge-redis');
    const args: string[] = redis.spec.template.spec.containers[0].args;
    expect(args.slice(0, 4)).toEqual(['--save', '', '--appendonly', 'no']);
    expect(args).toContain('allkeys-lru');
    expect(args[args.indexOf('--maxmemory') + 1]).toBe('256mb');
  });

  it('without the chart Redis: an external URL, or a Secret reference (never a password in the ConfigMap)', () => {
    const external = renderer.manifests({ redis: { enabled: false, url: 'redis://cache.internal:6379/1' } });
    expect(byKind(external, 'Deployment').map((d) => d.metadata.name)).toEqual(['test-didbridge']);
    expect(one(external, 'ConfigMap', 'test-didbridge').data.DIDBRIDGE_REDIS_URL).toBe('redis://cache.internal:6379/1');

    const secret = renderer.manifests({ redis: { enabled: false, existingSecret: 'didbridge-redis' } });
    expect(one(secret, 'ConfigMap', 'test-didbridge').data).not.toHaveProperty('DIDBRIDGE_REDIS_URL');
    const env = one(secret, 'Deployment', 'test-didbridge').spec.template.spec.containers[0].env;
    expect(env).toEqual([{ name: 'DIDBRIDGE_REDIS_URL', valueFrom: { secretKeyRef: { name: 'didbridge-redis', key: 'redis-url' } } }]);

    const none = renderer.manifests({ redis: { enabled: false } });
    expect(loadConfig({ env: one(none, 'ConfigMap', 'test-didbridge').data }).redis.url).toBe('');
  });

  it('autoscaling: the HPA scales the Deployment, which then leaves replicas to it; without it, replicaCount', () => {
    const scaled = renderer.manifests();
    const hpa = one(scaled, 'HorizontalPodAutoscaler', 'test-didbridge');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'test-didbridge' });
    expect(hpa.spec.minReplicas).toBeLessThanOrEqual(hpa.spec.maxReplicas);
    expect(hpa.spec.metrics[0].resource).toMatchObject({ name: 'cpu', target: { type: 'Utilization' } });
    const deployment = one(scaled, 'Deployment', 'test-didbridge');
    expect(deployment.spec).not.toHaveProperty('replicas');
    // CPU utilisation needs a CPU request.
    expect(deployment.spec.template.spec.containers[0].resources.requests.cpu).toBeDefined();

    const fixed = renderer.manifests({ autoscaling: { enabled: false }, replicaCount: 3 });
    expect(byKind(fixed, 'HorizontalPodAutoscaler')).toHaveLength(0);
    expect(one(fixed, 'Deployment', 'test-didbridge').spec.replicas).toBe(3);
  });

  it('an image tag and a name override are honoured', () => {
    const docs = renderer.manifests({ image: { tag: '9.9.9' }, fullnameOverride: 'resolver' });
    expect(one(docs, 'Deployment', 'resolver').spec.template.spec.containers[0].image).toBe('ghcr.io/didbridge/didbridge:9.9.9');
    expect(one(docs, 'ConfigMap', 'resolver').data.DIDBRIDGE_REDIS_URL).toBe('redis://resolver-redis:6379');
  });

  it('NOTES.txt renders', () => {
    expect(renderer.render().get('NOTES.txt')).toContain(`didbridge ${pkg.version} is deployed as test-didbridge`);
  });
});

describe('the test renderer is strict', () => {
  it('refuses unknown functions, unsupported actions and missing values instead of guessing', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync, copyFileSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'didbridge-chart-'));
    try {
      mkdirSync(join(dir, 'templates'));
      copyFileSync(join(CHART, 'Chart.yaml'), join(dir, 'Chart.yaml'));
      writeFileSync(join(dir, 'values.yaml'), 'a: 1\n');
      const attempt = (template: string) => {
        writeFileSync(join(dir, 'templates', 'x.yaml'), template);
        return () => new HelmRenderer(dir).render();
      };
      expect(attempt('v: {{ .Values.a }}\n')()).toEqual(new Map([['x.yaml', 'v: 1\n']]));
      expect(attempt('v: {{ lookup "v1" "Secret" "ns" "x" }}\n')).toThrow(/function "lookup" is not supported/);
      expect(attempt('{{ with .Values.a }}{{ . }}{{ end }}\n')).toThrow(/"with" is not supported/);
      expect(attempt('v: {{ .Values.b }}\n')).toThrow(/no value at "Values.b"/);
      expect(attempt('{{ if .Values.a }}x\n')).toThrow(/missing \{\{ end \}\}/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
