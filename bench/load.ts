/**
 * Load benchmark of the production driver (never a timed test): autocannon for 60 s at 256 connections over a mix of
 *
 *   - cached hits: one did:key and 50 did:web DIDs resolved before the run (replayed from the response cache),
 *   - misses: a new did:web DID on every request, fetched from a loopback upstream that answers after a delay,
 *   - invalid identifiers: bad did:web hosts, unknown methods, not DIDs at all (400 / 501, never cached),
 *
 * against the driver as `createDeployment` builds it from the environment (metrics, retries, breakers, caches: the
 * production wiring), each server in its own process. It reports throughput, latency (client p50/p99, and server-side
 * p99 per cache outcome from the driver's own /metrics histograms), errors and status codes, upstream calls, and the
 * driver's RSS before and after the run (it must come back within 10 %). Then it compares cached throughput with a
 * bare node:http server answering the same bytes (the ceiling, as in bench/driver.ts).
 *
 * RSS is read in the driver process after a forced GC (`--expose-gc`): "before" after a fill phase that brings the
 * caches to their configured bounds and a warm-up, "after" once the run has ended and the driver has idled, so what
 * is compared is what the process holds, not garbage waiting for collection. The criterion is after <= before x 1.1
 * (a leak grows RSS; V8 returning pages to the OS late can only make "after" smaller).
 *
 * Run: npx tsx bench/load.ts [--duration 60] [--connections 256] [--latency 20] [--fill 12000] [--warmup 10]
 *                            [--compare 10] [--rounds 2] [--json] [--profile DIR (CPU profile of the driver)]
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SELF = fileURLToPath(import.meta.url);
const DRIVER_SERVERS = fileURLToPath(new URL('./driver-servers.mjs', import.meta.url));
const PREFIX = '/1.0/identifiers/';
const KEY_DID = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';

// ---------------------------------------------------------------------------------------------------------------
// Child roles: the upstream and the driver.

async function runUpstream(latencyMs: number): Promise<void> {
  let requests = 0;
  let connections = 0;
  const server = http.createServer((req, res) => {
    requests++;
    const m = /^\/([a-z]+)\/(\d+)\/did\.json$/.exec(req.url ?? '');
    const port = (server.address() as AddressInfo).port;
    setTimeout(() => {
      if (!m) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{}');
        return;
      }
      const did = `did:web:localhost%3A${port}:${m[1]}:${m[2]}`;
      const body = JSON.stringify({
        '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
        id: did,
        verificationMethod: [{ id: `${did}#key-1`, type: 'Multikey', controller: did, publicKeyMultibase: 'z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp' }],
        authentication: [`${did}#key-1`],
        assertionMethod: [`${did}#key-1`],
      });
      res.writeHead(200, { 'content-type': 'application/did+json', 'cache-control': 'max-age=300', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    }, latencyMs);
  });
  server.keepAliveTimeout = 65_000;
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  process.on('message', (m: { count?: boolean }) => {
    if (m?.count) process.send!({ count: requests, connections });
  });
  process.send!({ ready: (server.address() as AddressInfo).port });
  process.once('SIGTERM', () => process.exit(0));
}

async function runDriver(): Promise<void> {
  const { defaultAdapters } = await import('../adapters/index.js');
  const { loadConfig } = await import('../src/config.js');
  const { createDeployment } = await import('../src/http/deployment.js');
  const { createLogger } = await import('../src/log.js');
  const config = loadConfig({ env: process.env });
  // Logs go to stdout as in production (the access log is on by default); the benchmark discards them.
  const logger = createLogger({ level: config.logLevel });
  const deployment = createDeployment({ config, adapters: defaultAdapters(config.adapters, config.enabledAdapters), logger });
  const address = await deployment.driver.listen(0, '127.0.0.1');
  const gc = (globalThis as { gc?: () => void }).gc;
  process.on('message', (m: { rss?: boolean; cpu?: boolean }) => {
    if (m?.rss) {
      // Two passes: the first frees what finalisers release for the second.
      gc?.();
      gc?.();
      process.send!({ rss: process.memoryUsage().rss, heapUsed: process.memoryUsage().heapUsed, gc: gc !== undefined });
    }
    if (m?.cpu) process.send!({ cpu: process.cpuUsage() });
  });
  process.send!({ ready: address.port });
  process.once('SIGTERM', () => {
    deployment.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The load generator.

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodeStats: Record<string, { count: number }>;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  duration?: number;
  amount?: number;
  requests?: Array<{ method: string; path: string; setupRequest?: (req: Record<string, unknown>) => Record<string, unknown> }>;
}) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const n = Number(process.argv[i + 1]);
  if (!Number.isFinite(n) || n <= 0) throw new TypeError(`--${name} must be a positive number`);
  return n;
}

interface Child {
  child: ChildProcess;
  port: number;
}

function start(module: string, args: string[], env: Record<string, string>, execArgv: string[] = []): Promise<Child> {
  const child = fork(module, args, {
    execArgv: ['--import', 'tsx', ...execArgv],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args[0]} did not start`)), 60_000);
    child.once('message', (m: { ready?: number }) => {
      clearTimeout(timer);
      if (typeof m.ready === 'number') resolve({ child, port: m.ready });
      else reject(new Error(`${args[0]}: unexpected message`));
    });
    child.once('exit', (code) => reject(new Error(`${args[0]} exited with ${code}`)));
  });
}

function stop(c: Child): Promise<void> {
  return new Promise((resolve) => {
    if (c.child.exitCode !== null) return resolve();
    c.child.once('exit', () => resolve());
    c.child.kill('SIGTERM');
  });
}

function ask<T>(c: Child, message: Record<string, boolean>, key: string): Promise<T> {
  return new Promise((resolve) => {
    const onMessage = (m: Record<string, unknown>) => {
      if (!(key in m)) return;
      c.child.off('message', onMessage);
      resolve(m as T);
    };
    c.child.on('message', onMessage);
    c.child.send(message);
  });
}

const rssOf = (c: Child) => ask<{ rss: number; heapUsed: number; gc: boolean }>(c, { rss: true }, 'rss');
const cpuOf = async (c: Child) => {
  const { cpu } = await ask<{ cpu: NodeJS.CpuUsage }>(c, { cpu: true }, 'cpu');
  return cpu.user + cpu.system;
};
const upstreamCount = (c: Child) => ask<{ count: number; connections: number }>(c, { count: true }, 'count');

function get(port: number, path: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

/**
 * Server-side latency histogram of the driver's identifiers route, summed over DID methods, per kind of request:
 * `hit` (replayed, 2xx), `miss` (resolved, 2xx), `error` (4xx and 5xx: the invalid identifiers). le → count.
 */
/** The driver's event-loop lag p99 (prom-client's monitor, ms): how long a callback waits for its turn. */
async function eventLoopLagP99Ms(port: number): Promise<number | undefined> {
  const text = (await get(port, '/metrics')).body.toString('utf8');
  const m = /^nodejs_eventloop_lag_p99_seconds (\S+)$/m.exec(text);
  return m ? Number(m[1]) * 1000 : undefined;
}

async function serverHistogram(port: number): Promise<Map<string, Map<number, number>>> {
  const text = (await get(port, '/metrics')).body.toString('utf8');
  const out = new Map<string, Map<number, number>>();
  for (const line of text.split('\n')) {
    const m = /^didbridge_http_request_duration_seconds_bucket\{([^}]*)\} (\S+)$/.exec(line);
    if (!m || !m[1]!.includes('route="/1.0/identifiers/"')) continue;
    const statusClass = /status_class="([^"]*)"/.exec(m[1]!)![1]!;
    const cache = statusClass === '4xx' || statusClass === '5xx' ? 'error' : /cache="([^"]*)"/.exec(m[1]!)![1]!;
    const le = /le="([^"]*)"/.exec(m[1]!)![1]!;
    const bounds = out.get(cache) ?? new Map<number, number>();
    const bound = le === '+Inf' ? Infinity : Number(le);
    bounds.set(bound, (bounds.get(bound) ?? 0) + Number(m[2]));
    out.set(cache, bounds);
  }
  return out;
}

/** The p50 and p99 bucket bounds (ms) and count of the requests between two histogram snapshots. */
function percentilesBetween(
  before: Map<number, number> | undefined,
  after: Map<number, number> | undefined,
): { count: number; p50: string; p99: string } {
  if (!after) return { count: 0, p50: '-', p99: '-' };
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const diff = bounds.map((b) => [b, after.get(b)! - (before?.get(b) ?? 0)] as const);
  const total = diff[diff.length - 1]![1];
  if (total === 0) return { count: 0, p50: '-', p99: '-' };
  const bound = (q: number) => {
    const at = diff.find(([, c]) => c >= total * q)!;
    return at[0] === Infinity ? '> 30000' : `<= ${at[0] * 1000}`;
  };
  return { count: total, p50: bound(0.5), p99: bound(0.99) };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const log = (s: string) => process.stderr.write(`${s}\n`);

async function main(): Promise<void> {
  const DURATION = flag('duration', 60);
  const CONNECTIONS = flag('connections', 256);
  const LATENCY = flag('latency', 20);
  const FILL = flag('fill', 12_000);
  const WARMUP = flag('warmup', 10);
  const COMPARE = flag('compare', 10);
  const ROUNDS = flag('rounds', 2);
  const JSON_OUT = process.argv.includes('--json');
  const cpus = os.cpus();

  const upstream = await start(SELF, ['upstream', String(LATENCY)], {});
  const driverEnv = {
    DIDBRIDGE_ADAPTERS: 'key,web',
    DIDBRIDGE_ADAPTER_WEB__ALLOW_HTTP: 'true',
    DIDBRIDGE_HTTP_ALLOW_ADDRESS_CLASSES: 'loopback',
    DIDBRIDGE_SANDBOX: 'off',
    DIDBRIDGE_CONSOLE: 'false',
  };
  const profileAt = process.argv.indexOf('--profile');
  const profile = profileAt < 0 ? [] : ['--cpu-prof', '--cpu-prof-dir', process.argv[profileAt + 1] ?? 'reports/profiles'];
  const driver = await start(SELF, ['driver'], driverEnv, ['--expose-gc', ...profile]);
  const host = `localhost%3A${upstream.port}`;
  const report: Record<string, unknown> = {
    node: process.version,
    cpus: `${cpus.length} x ${cpus[0]?.model ?? '?'}`,
    memory: mb(os.totalmem()),
    settings: { duration: DURATION, connections: CONNECTIONS, upstreamLatencyMs: LATENCY, fill: FILL, warmup: WARMUP },
    driverEnv,
  };
  try {
    report.rssAtBoot = (await rssOf(driver)).rss;

    // Paths of each kind.
    const warmWeb = Array.from({ length: 50 }, (_, i) => `${PREFIX}did:web:${host}:w:${i}`);
    const hits = [`${PREFIX}${KEY_DID}`, ...warmWeb];
    let missCounter = 0;
    const nextMiss = (prefix: string) => `${PREFIX}did:web:${host}:${prefix}:${missCounter++}`;
    const invalid = [`${PREFIX}did:web:`, `${PREFIX}did:nosuchmethod:abc`, `${PREFIX}not-a-did`, `${PREFIX}did:web:bad_host.example`, `${PREFIX}did:key:z0OIl`];
    // The mix, in a fixed repeating order: 14 hits, 4 misses, 2 invalid in 20 (70 % / 20 % / 10 %).
    const schedule = 'hhhhmhhhhihhhmhhmhim'.split('');
    expectCounts(schedule, { h: 14, m: 4, i: 2 });
    let at = 0;
    let hitAt = 0;
    let invalidAt = 0;
    const mixPath = () => {
      const kind = schedule[at++ % schedule.length];
      if (kind === 'h') return hits[hitAt++ % hits.length]!;
      if (kind === 'm') return nextMiss('m');
      return invalid[invalidAt++ % invalid.length]!;
    };
    const mixRequests = [{ method: 'GET', path: hits[0]!, setupRequest: (req: Record<string, unknown>) => ({ ...req, path: mixPath() }) }];

    // Fill: more distinct DIDs than the resolution cache holds (10 000 by default), so it reaches its bound.
    log(`fill: ${FILL} distinct did:web DIDs through the upstream ...`);
    await autocannon({
      url: `http://127.0.0.1:${driver.port}`,
      connections: CONNECTIONS,
      amount: FILL,
      requests: [{ method: 'GET', path: hits[0]!, setupRequest: (req) => ({ ...req, path: nextMiss('f') }) }],
    });
    for (const path of hits) {
      const r = await get(driver.port, path);
      if (r.status !== 200) throw new Error(`warming ${path}: HTTP ${r.status}`);
    }
    log(`warm-up: ${WARMUP} s of the mix ...`);
    await autocannon({ url: `http://127.0.0.1:${driver.port}`, connections: CONNECTIONS, duration: WARMUP, requests: mixRequests });
    await new Promise((r) => setTimeout(r, 2_000));
    const before = await rssOf(driver);
    report.rssBefore = before.rss;
    report.heapBefore = before.heapUsed;
    report.gc = before.gc;

    log(`load: ${DURATION} s of the mix at ${CONNECTIONS} connections ...`);
    const histogramBefore = await serverHistogram(driver.port);
    const upstreamBefore = await upstreamCount(upstream);
    const missesBefore = missCounter;
    const cpuBefore = await cpuOf(driver);
    const load1 = os.loadavg()[0]!;
    // The event-loop lag is sampled while the load runs (prom-client's monitor keeps a rolling histogram).
    let lagP99: number | undefined;
    const lagProbe = setTimeout(() => {
      eventLoopLagP99Ms(driver.port).then(
        (v) => (lagP99 = v),
        () => undefined,
      );
    }, (DURATION * 1000) / 2);
    const result = await autocannon({ url: `http://127.0.0.1:${driver.port}`, connections: CONNECTIONS, duration: DURATION, requests: mixRequests });
    clearTimeout(lagProbe);
    const cpuAfter = await cpuOf(driver);
    const histogramAfter = await serverHistogram(driver.port);
    const upstreamAfter = await upstreamCount(upstream);
    const upstreamCalls = upstreamAfter.count - upstreamBefore.count;
    const upstreamConnections = upstreamAfter.connections - upstreamBefore.connections;
    report.load = {
      reqPerSec: result.requests.average,
      total: result.requests.total,
      latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
      errors: result.errors,
      timeouts: result.timeouts,
      statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([k, v]) => [k, v.count])),
      missesSent: missCounter - missesBefore,
      upstreamCalls,
      upstreamConnections,
      driverCpuUsPerRequest: (cpuAfter - cpuBefore) / result.requests.total,
      eventLoopLagP99MsMidRun: lagP99,
      serverSideMs: Object.fromEntries(
        ['hit', 'miss', 'error'].map((c) => [c, percentilesBetween(histogramBefore.get(c), histogramAfter.get(c))]),
      ),
      loadAverage1m: { before: load1, after: os.loadavg()[0] },
    };

    await new Promise((r) => setTimeout(r, 5_000));
    const after = await rssOf(driver);
    report.rssAfter = after.rss;
    report.heapAfter = after.heapUsed;
    report.rssChange = (after.rss - before.rss) / before.rss;
    // The leak criterion: the process holds no more than 10 % above what it held before the run.
    report.rssWithin10Percent = after.rss <= before.rss * 1.1;

    // Cached throughput against the bare node:http ceiling, interleaved rounds.
    const sample = await get(driver.port, hits[0]!);
    const tmp = mkdtempSync(join(os.tmpdir(), 'didbridge-load-'));
    const bodyFile = join(tmp, 'body');
    writeFileSync(bodyFile, sample.body);
    const bare = await start(DRIVER_SERVERS, ['bare', bodyFile, String(sample.headers['content-type'])], {});
    const cachedRounds: number[] = [];
    const bareRounds: number[] = [];
    try {
      for (let round = 0; round < ROUNDS; round++) {
        log(`cached vs bare, round ${round + 1}/${ROUNDS}: ${COMPARE} s each ...`);
        const cached = await autocannon({ url: `http://127.0.0.1:${driver.port}`, connections: CONNECTIONS, duration: COMPARE, requests: [{ method: 'GET', path: hits[0]! }] });
        cachedRounds.push(cached.requests.average);
        const b = await autocannon({ url: `http://127.0.0.1:${bare.port}`, connections: CONNECTIONS, duration: COMPARE, requests: [{ method: 'GET', path: hits[0]! }] });
        bareRounds.push(b.requests.average);
      }
    } finally {
      await stop(bare);
      rmSync(tmp, { recursive: true, force: true });
    }
    report.cached = {
      driverReqPerSec: cachedRounds,
      bareReqPerSec: bareRounds,
      ratios: cachedRounds.map((c, i) => c / bareRounds[i]!),
      bodyBytes: sample.body.length,
    };
  } finally {
    await stop(driver);
    await stop(upstream);
  }

  if (JSON_OUT) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  const l = report.load as Record<string, any>;
  const c = report.cached as Record<string, any>;
  const lines = [
    `node ${report.node}, ${report.cpus}, ${report.memory}`,
    `mix: ${DURATION} s, ${CONNECTIONS} connections, upstream latency ${LATENCY} ms: ${Math.round(l.reqPerSec)} req/s, ${l.total} requests`,
    `  client latency p50 ${l.latencyMs.p50} ms, p99 ${l.latencyMs.p99} ms, max ${l.latencyMs.max} ms`,
    ...(['hit', 'miss', 'error'] as const).map(
      (k) => `  server-side ${k === 'error' ? 'invalid' : k} (${l.serverSideMs[k].count}): p50 ${l.serverSideMs[k].p50} ms, p99 ${l.serverSideMs[k].p99} ms (histogram bucket bounds)`,
    ),
    `  errors ${l.errors}, timeouts ${l.timeouts}, status codes ${JSON.stringify(l.statusCodes)}`,
    `  misses sent ${l.missesSent}, upstream calls ${l.upstreamCalls} over ${l.upstreamConnections} new connections; driver CPU ${l.driverCpuUsPerRequest.toFixed(1)} µs/request; event-loop lag p99 mid-run ${l.eventLoopLagP99MsMidRun?.toFixed(1) ?? '?'} ms; load average ${l.loadAverage1m.before.toFixed(1)} -> ${l.loadAverage1m.after.toFixed(1)}`,
    `RSS: boot ${mb(report.rssAtBoot as number)}, before ${mb(report.rssBefore as number)}, after ${mb(report.rssAfter as number)} (${((report.rssChange as number) * 100).toFixed(1)} %, within 10 %: ${report.rssWithin10Percent ? 'yes' : 'NO'}); heap ${mb(report.heapBefore as number)} -> ${mb(report.heapAfter as number)}`,
    `cached did:key at ${CONNECTIONS} connections: driver ${c.driverReqPerSec.map((v: number) => Math.round(v)).join(', ')} req/s, bare node:http ${c.bareReqPerSec.map((v: number) => Math.round(v)).join(', ')} req/s, ratios ${c.ratios.map((v: number) => v.toFixed(2)).join(', ')}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

function expectCounts(schedule: string[], counts: Record<string, number>): void {
  for (const [kind, n] of Object.entries(counts)) {
    if (schedule.filter((k) => k === kind).length !== n) throw new Error(`the schedule must hold ${n} x ${kind}`);
  }
}

const role = process.argv[2];
const entry =
  role === 'upstream' ? runUpstream(Number(process.argv[3] ?? 20)) : role === 'driver' ? runDriver() : main();
entry.catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
