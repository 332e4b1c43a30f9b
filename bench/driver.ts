/**
 * Benchmark of the Universal Resolver driver (never a timed test). Each server runs in its own child process; the
 * load generator (autocannon, programmatic) runs here.
 *
 *   (a) our driver, a cached did:key (the response cache hot path)
 *   (b) a bare node:http server answering the same bytes (the ceiling for (a))
 *   (c) the common JS driver shape: did-resolver + key-did-resolver behind node:http, rotating did:key DIDs
 *   (d) our driver with caching off, rotating the same did:key DIDs
 *   (e) as (d), with the did:key adapter's X25519 derivation off (isolates the cost of that derivation)
 *   (f) as (a), with access logs off (DIDBRIDGE_LOG_LEVEL=warn), to show what per-request logging costs
 *
 * Targets: (a)/(b) >= 0.8, (d)/(c) >= 3.
 *
 * Run: npx tsx bench/driver.ts [--duration 10] [--warmup 3] [--connections 50] [--dids 10000] [--only a,b,c,d,e,f]
 */
import { fork, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { base58btc } from 'multiformats/bases/base58';

/** The parts of autocannon's programmatic API used here (the package ships no types). */
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
}
interface AutocannonRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  setupRequest?: (req: Record<string, unknown>) => Record<string, unknown>;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  pipelining?: number;
  requests?: AutocannonRequest[];
}) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const SERVERS = fileURLToPath(new URL('./driver-servers.ts', import.meta.url));
const PREFIX = '/1.0/identifiers/';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const n = Number(process.argv[i + 1]);
  if (!Number.isFinite(n) || n <= 0) throw new TypeError(`--${name} must be a positive number`);
  return n;
}
const DURATION = flag('duration', 10);
const WARMUP = flag('warmup', 3);
const CONNECTIONS = flag('connections', 50);
const DID_COUNT = flag('dids', 10_000);
const onlyIndex = process.argv.indexOf('--only');
const ONLY = onlyIndex < 0 ? undefined : new Set((process.argv[onlyIndex + 1] ?? '').split(','));

/** Ed25519 did:keys from fresh key pairs (DER export: see dependencies.md on the JWK export deadlock). */
function makeDids(count: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const raw = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).subarray(12);
    out.push(`did:key:${base58btc.encode(Uint8Array.from([0xed, 0x01, ...raw]))}`);
  }
  return out;
}

interface Server {
  child: ChildProcess;
  port: number;
}

function startServer(kind: string, args: string[], env: Record<string, string>): Promise<Server> {
  const child = fork(SERVERS, [kind, ...args], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env },
    // stdout (the driver's JSON logs) goes straight to /dev/null; readiness comes over IPC.
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${kind} did not start`)), 30_000);
    child.once('message', (m: { ready?: number }) => {
      clearTimeout(timer);
      if (typeof m.ready === 'number') resolve({ child, port: m.ready });
      else reject(new Error(`${kind}: unexpected message`));
    });
    child.once('exit', (code) => reject(new Error(`${kind} exited with ${code}`)));
  });
}

function stopServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (server.child.exitCode !== null) return resolve();
    server.child.once('exit', () => resolve());
    server.child.kill('SIGTERM');
  });
}

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

interface Measurement {
  key: string;
  label: string;
  reqPerSec: number;
  p50: number;
  p99: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  total: number;
  load: string;
}

async function load(port: number, paths: string[], seconds: number): Promise<AutocannonResult> {
  let i = 0;
  const requests: AutocannonRequest[] =
    paths.length === 1
      ? [{ method: 'GET', path: paths[0]! }]
      : [{ method: 'GET', path: paths[0]!, setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length] }) }];
  return autocannon({ url: `http://127.0.0.1:${port}`, connections: CONNECTIONS, duration: seconds, requests });
}

async function measure(key: string, label: string, server: Server, paths: string[]): Promise<Measurement> {
  process.stderr.write(`(${key}) ${label}: warm-up ${WARMUP}s, then ${DURATION}s ... `);
  await load(server.port, paths, WARMUP);
  const loadAvg = os.loadavg()[0]!.toFixed(2);
  const r = await load(server.port, paths, DURATION);
  process.stderr.write(`${Math.round(r.requests.average)} req/s\n`);
  return {
    key,
    label,
    reqPerSec: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors,
    timeouts: r.timeouts,
    non2xx: r.non2xx,
    total: r.requests.total,
    load: loadAvg,
  };
}

function want(key: string): boolean {
  return ONLY === undefined || ONLY.has(key);
}

async function main(): Promise<void> {
  const cpus = os.cpus();
  process.stderr.write(`generating ${DID_COUNT} did:keys ...\n`);
  const dids = makeDids(DID_COUNT);
  const fixedDid = dids[0]!;
  const fixed = [`${PREFIX}${fixedDid}`];
  const rotating = dids.map((d) => `${PREFIX}${d}`);
  const results: Measurement[] = [];
  const tmp = mkdtempSync(join(os.tmpdir(), 'didbridge-bench-'));
  const keyOnly = { DIDBRIDGE_ADAPTERS: 'key' };

  try {
    // (a) then (b) with the bytes (a) answers.
    let cachedBody: { body: Buffer; contentType: string } | undefined;
    if (want('a') || want('b')) {
      const a = await startServer('didbridge', [], keyOnly);
      const first = await get(a.port, fixed[0]!);
      const second = await get(a.port, fixed[0]!);
      if (first.status !== 200 || second.headers['x-cache'] !== 'hit') {
        throw new Error(`(a) sanity check failed: ${first.status}, x-cache ${String(second.headers['x-cache'])}`);
      }
      cachedBody = { body: second.body, contentType: String(second.headers['content-type']) };
      if (want('a')) results.push(await measure('a', 'didbridge driver, cached did:key (response cache hit)', a, fixed));
      await stopServer(a);
    }
    if (want('b') && cachedBody) {
      const file = join(tmp, 'body');
      writeFileSync(file, cachedBody.body);
      const b = await startServer('bare', [file, cachedBody.contentType], {});
      results.push(await measure('b', `bare node:http, same ${cachedBody.body.length} bytes`, b, fixed));
      await stopServer(b);
    }
    if (want('c')) {
      const c = await startServer('did-resolver', [], {});
      const probe = await get(c.port, rotating[1]!);
      if (probe.status !== 200) throw new Error(`(c) sanity check failed: ${probe.status} ${probe.body.toString().slice(0, 200)}`);
      results.push(await measure('c', `did-resolver 6 + key-did-resolver 4 on node:http, ${DID_COUNT} rotating DIDs`, c, rotating));
      await stopServer(c);
    }
    const uncached = { ...keyOnly, DIDBRIDGE_CACHE_ENABLED: 'false' };
    if (want('d')) {
      const d = await startServer('didbridge', [], uncached);
      const probe = await get(d.port, rotating[1]!);
      if (probe.status !== 200 || probe.headers['x-cache'] !== undefined) throw new Error(`(d) sanity check failed: ${probe.status}`);
      results.push(await measure('d', `didbridge driver, caches off, ${DID_COUNT} rotating DIDs`, d, rotating));
      await stopServer(d);
    }
    if (want('e')) {
      const e = await startServer('didbridge', [], { ...uncached, DIDBRIDGE_ADAPTER_KEY__ENABLE_ENCRYPTION_KEY_DERIVATION: 'false' });
      results.push(await measure('e', 'as (d), did:key X25519 derivation off', e, rotating));
      await stopServer(e);
    }
    if (want('f')) {
      const f = await startServer('didbridge', [], { ...keyOnly, DIDBRIDGE_LOG_LEVEL: 'warn' });
      await get(f.port, fixed[0]!);
      results.push(await measure('f', 'as (a), access logs off (log level warn)', f, fixed));
      await stopServer(f);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }

  const by = new Map(results.map((r) => [r.key, r]));
  const ratio = (x: string, y: string) => {
    const a = by.get(x);
    const b = by.get(y);
    return a && b ? (a.reqPerSec / b.reqPerSec).toFixed(2) : 'n/a';
  };
  const lines = [
    `Node ${process.version}, ${cpus.length} x ${cpus[0]?.model ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB; ` +
      `autocannon ${CONNECTIONS} connections, ${WARMUP} s warm-up + ${DURATION} s per server; servers in child processes.`,
    '',
    '| | server | req/s | p50 ms | p99 ms | requests | errors | timeouts | non-2xx | load avg (1 min) at start |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...results.map(
      (r) =>
        `| ${r.key} | ${r.label} | ${Math.round(r.reqPerSec)} | ${r.p50} | ${r.p99} | ${r.total} | ${r.errors} | ${r.timeouts} | ${r.non2xx} | ${r.load} |`,
    ),
    '',
    `(a)/(b) = ${ratio('a', 'b')} (target >= 0.8); (d)/(c) = ${ratio('d', 'c')} (target >= 3); (e)/(c) = ${ratio('e', 'c')}; (f)/(b) = ${ratio('f', 'b')}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
