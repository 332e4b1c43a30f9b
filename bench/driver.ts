/**
 * Benchmark of the Universal Resolver driver (never a timed test). Each server runs in its own child process; the
 * load generator (autocannon, programmatic) runs here.
 *
 *   (a) our driver, a cached did:key (the response cache hot path)
 *   (b) a bare node:http server answering the same bytes (the ceiling for (a))
 *   (c) the common JS driver shape: did-resolver + key-did-resolver behind node:http, rotating did:key DIDs
 *   (d) our driver with caching off, rotating the same did:key DIDs
 *   (e) as (d), with the did:key adapter's X25519 derivation off (isolates the cost of that derivation)
 *   (f) as (a), with access logs off (DIDBRIDGE_ACCESS_LOG=false), to show what per-request logging costs
 *   (g) only with --compare-dist DIR: as (d), but the driver built in DIR (another checkout's `dist/`, e.g. the commit
 *       before a change), so that a before/after comparison runs side by side in the same rounds
 *
 * Targets: (a)/(b) >= 0.8, (d)/(c) >= 3.
 *
 * The machine is shared and noisy, so every server is measured in several rounds, interleaved (a, b, c, ... then
 * again), and the report gives medians, the median of the within-round ratios, and the server's CPU time per
 * request (steadier than req/s when other processes take turns on the cores).
 *
 * Run: npx tsx bench/driver.ts [--duration 10] [--warmup 3] [--rounds 3] [--connections 50] [--dids 10000]
 *                              [--only a,b,c,d,e,f] [--profile DIR (CPU profile of every server, one file each)]
 *                              [--no-build (use dist/ as it is)] [--compare-dist DIR (adds (g))]
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import { join, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { base58btc } from 'multiformats/bases/base58';

/** The parts of autocannon's programmatic API used here (the package ships no types). */
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}
interface AutocannonRequest {
  method: string;
  path: string;
  setupRequest?: (req: Record<string, unknown>) => Record<string, unknown>;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  requests?: AutocannonRequest[];
}) => Promise<AutocannonResult>;
const require = createRequire(import.meta.url);
const autocannon = require('autocannon') as Autocannon;

const SERVERS = fileURLToPath(new URL('./driver-servers.mjs', import.meta.url));
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
const ROUNDS = flag('rounds', 3);
const CONNECTIONS = flag('connections', 50);
const DID_COUNT = flag('dids', 10_000);
const onlyIndex = process.argv.indexOf('--only');
const ONLY = onlyIndex < 0 ? undefined : new Set((process.argv[onlyIndex + 1] ?? '').split(','));
const profileIndex = process.argv.indexOf('--profile');
const compareIndex = process.argv.indexOf('--compare-dist');
/** Another build's `dist/` (absolute path), measured as (g). */
const COMPARE_DIST = compareIndex < 0 ? undefined : resolvePath(process.argv[compareIndex + 1] ?? '');
const PROFILE_ARGS = profileIndex < 0 ? [] : ['--cpu-prof', '--cpu-prof-dir', process.argv[profileIndex + 1] ?? 'reports/profiles'];

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
    // Plain node, no TypeScript loader: the servers run as deployed (driver-servers.mjs imports the built dist/).
    execArgv: PROFILE_ARGS,
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

/** The server's CPU time so far, in microseconds. */
function cpuOf(server: Server): Promise<number> {
  return new Promise((resolve) => {
    const onMessage = (m: { cpu?: NodeJS.CpuUsage }) => {
      if (!m.cpu) return;
      server.child.off('message', onMessage);
      resolve(m.cpu.user + m.cpu.system);
    };
    server.child.on('message', onMessage);
    server.child.send({ cpu: true });
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

function load(port: number, paths: string[], seconds: number): Promise<AutocannonResult> {
  let i = 0;
  const requests: AutocannonRequest[] =
    paths.length === 1
      ? [{ method: 'GET', path: paths[0]! }]
      : [{ method: 'GET', path: paths[0]!, setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length] }) }];
  return autocannon({ url: `http://127.0.0.1:${port}`, connections: CONNECTIONS, duration: seconds, requests });
}

interface Round {
  reqPerSec: number;
  p50: number;
  p99: number;
  total: number;
  failures: number;
  cpuUs: number;
  load: number;
}

interface Entry {
  key: string;
  label: string;
  server: Server;
  paths: string[];
  rounds: Round[];
}

async function measureRound(entry: Entry): Promise<Round> {
  const load1 = os.loadavg()[0]!;
  const cpuBefore = await cpuOf(entry.server);
  const r = await load(entry.server.port, entry.paths, DURATION);
  const cpuAfter = await cpuOf(entry.server);
  return {
    reqPerSec: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    total: r.requests.total,
    failures: r.errors + r.timeouts + r.non2xx,
    cpuUs: cpuAfter - cpuBefore,
    load: load1,
  };
}

function median(values: number[]): number {
  const s = [...values].sort((x, y) => x - y);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const want = (key: string) => ONLY === undefined || ONLY.has(key);

async function main(): Promise<void> {
  const cpus = os.cpus();
  if (!process.argv.includes('--no-build')) {
    // The driver runs from dist/ as `npm start` runs it; compile the current sources first.
    process.stderr.write('building dist/ (tsc -p tsconfig.build.json; --no-build to skip) ...\n');
    try {
      execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
    } catch {
      // tsc still emits when it finds type errors; measure what was emitted, but say so.
      process.stderr.write('warning: tsc reported errors (above); dist/ was emitted anyway and is what gets measured\n');
    }
  }
  process.stderr.write(`generating ${DID_COUNT} did:keys ...\n`);
  const dids = makeDids(DID_COUNT);
  const fixed = [`${PREFIX}${dids[0]!}`];
  const rotating = dids.map((d) => `${PREFIX}${d}`);
  const tmp = mkdtempSync(join(os.tmpdir(), 'didbridge-bench-'));
  const keyOnly = { DIDBRIDGE_ADAPTERS: 'key' };
  const uncached = { ...keyOnly, DIDBRIDGE_CACHE_ENABLED: 'false' };
  const entries: Entry[] = [];
  const add = async (key: string, label: string, kind: string, args: string[], env: Record<string, string>, paths: string[]) => {
    entries.push({ key, label, server: await startServer(kind, args, env), paths, rounds: [] });
    return entries[entries.length - 1]!;
  };

  try {
    if (want('a') || want('b')) {
      const a = await add('a', 'didbridge driver, cached did:key (response cache hit)', 'didbridge', [], keyOnly, fixed);
      const first = await get(a.server.port, fixed[0]!);
      const second = await get(a.server.port, fixed[0]!);
      if (first.status !== 200 || second.headers['x-cache'] !== 'hit') {
        throw new Error(`(a) sanity check failed: ${first.status}, x-cache ${String(second.headers['x-cache'])}`);
      }
      const file = join(tmp, 'body');
      writeFileSync(file, second.body);
      const contentType = String(second.headers['content-type']);
      if (want('b')) await add('b', `bare node:http, the same ${second.body.length} bytes`, 'bare', [file, contentType], {}, fixed);
      if (!want('a')) entries.splice(entries.indexOf(a), 1);
      if (!want('a')) await stopServer(a.server);
    }
    if (want('c')) {
      const c = await add('c', `did-resolver 6 + key-did-resolver 4 on node:http, ${DID_COUNT} rotating DIDs`, 'did-resolver', [], {}, rotating);
      const probe = await get(c.server.port, rotating[1]!);
      if (probe.status !== 200) throw new Error(`(c) sanity check failed: ${probe.status} ${probe.body.toString().slice(0, 200)}`);
    }
    if (want('d')) {
      const d = await add('d', `didbridge driver, caches off, ${DID_COUNT} rotating DIDs`, 'didbridge', [], uncached, rotating);
      const probe = await get(d.server.port, rotating[1]!);
      if (probe.status !== 200 || probe.headers['x-cache'] !== undefined) throw new Error(`(d) sanity check failed: ${probe.status}`);
    }
    if (want('e')) {
      await add('e', 'as (d), did:key X25519 derivation off', 'didbridge', [], { ...uncached, DIDBRIDGE_ADAPTER_KEY__ENABLE_ENCRYPTION_KEY_DERIVATION: 'false' }, rotating);
    }
    if (COMPARE_DIST !== undefined) {
      const g = await add('g', `as (d), the driver built in ${COMPARE_DIST}`, 'didbridge', [], { ...uncached, DIDBRIDGE_BENCH_DIST: COMPARE_DIST }, rotating);
      const probe = await get(g.server.port, rotating[1]!);
      if (probe.status !== 200) throw new Error(`(g) sanity check failed: ${probe.status}`);
    }
    if (want('f')) {
      const f = await add('f', 'as (a), access log off (DIDBRIDGE_ACCESS_LOG=false)', 'didbridge', [], { ...keyOnly, DIDBRIDGE_ACCESS_LOG: 'false' }, fixed);
      await get(f.server.port, fixed[0]!);
    }

    for (const e of entries) {
      process.stderr.write(`warm-up (${e.key}) ${WARMUP} s\n`);
      await load(e.server.port, e.paths, WARMUP);
    }
    for (let round = 1; round <= ROUNDS; round++) {
      for (const e of entries) {
        const r = await measureRound(e);
        e.rounds.push(r);
        process.stderr.write(`round ${round} (${e.key}): ${Math.round(r.reqPerSec)} req/s, ${Math.round(r.cpuUs / Math.max(1, r.total))} us CPU/request, load ${r.load.toFixed(2)}\n`);
      }
    }
  } finally {
    await Promise.all(entries.map((e) => stopServer(e.server)));
    rmSync(tmp, { recursive: true, force: true });
  }

  const by = new Map(entries.map((e) => [e.key, e]));
  const reqs = (e: Entry) => median(e.rounds.map((r) => r.reqPerSec));
  const cpuPerRequest = (e: Entry) => e.rounds.reduce((s, r) => s + r.cpuUs, 0) / Math.max(1, e.rounds.reduce((s, r) => s + r.total, 0));
  const ratio = (x: string, y: string) => {
    const a = by.get(x);
    const b = by.get(y);
    if (!a || !b) return 'n/a';
    const perRound = a.rounds.map((r, i) => r.reqPerSec / b.rounds[i]!.reqPerSec);
    const cpu = cpuPerRequest(b) / cpuPerRequest(a);
    return `${median(perRound).toFixed(2)} (rounds: ${perRound.map((v) => v.toFixed(2)).join(', ')}; by CPU per request: ${cpu.toFixed(2)})`;
  };
  const lines = [
    `Node ${process.version}, ${cpus.length} x ${cpus[0]?.model ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB; ` +
      `autocannon ${CONNECTIONS} connections; ${WARMUP} s warm-up, then ${ROUNDS} interleaved rounds of ${DURATION} s per server; ` +
      'servers in child processes.',
    '',
    '| | server | req/s (median) | req/s per round | p50 / p99 ms (median) | server CPU µs/request | requests | errors + timeouts + non-2xx | load avg (1 min) |',
    '|---|---|---:|---|---:|---:|---:|---:|---|',
    ...entries.map((e) => {
      const total = e.rounds.reduce((s, r) => s + r.total, 0);
      const failures = e.rounds.reduce((s, r) => s + r.failures, 0);
      return (
        `| ${e.key} | ${e.label} | ${Math.round(reqs(e))} | ${e.rounds.map((r) => Math.round(r.reqPerSec)).join(', ')} | ` +
        `${median(e.rounds.map((r) => r.p50))} / ${median(e.rounds.map((r) => r.p99))} | ${cpuPerRequest(e).toFixed(1)} | ${total} | ${failures} | ` +
        `${e.rounds.map((r) => r.load.toFixed(1)).join(', ')} |`
      );
    }),
    '',
    `- (a)/(b) = ${ratio('a', 'b')}; target >= 0.8`,
    `- (d)/(c) = ${ratio('d', 'c')}; target >= 3`,
    `- (e)/(c) = ${ratio('e', 'c')}`,
    `- (f)/(b) = ${ratio('f', 'b')}`,
    ...(COMPARE_DIST === undefined ? [] : [`- (d)/(g) = ${ratio('d', 'g')} (this build against ${COMPARE_DIST})`, `- (g)/(c) = ${ratio('g', 'c')}`]),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
