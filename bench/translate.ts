/**
 * Translation throughput per domestic document shape, against a JSON round trip of the same document, in one process.
 *
 * For each method, one representative upstream document from `fixtures/<method>/upstream/` (for WeIdentity both
 * generations) is measured three ways, interleaved in rounds so that machine load hits them alike:
 *
 * - `json`: `JSON.stringify(JSON.parse(text))` of the document's text (the reference);
 * - `adapter`: the method adapter's `translate(document)` (the native → DID Core translation with its change record);
 * - `adapter, memo off`: the same with the key memos off (`keyTypeMemo.maxEntries = 0` for that case only): the cost
 *   of a document whose keys were never seen before;
 * - `service`: `translateInput(document, { adapters, to: 'w3c' })` (recognition by asking every adapter, then the
 *   translation; what `didbridge translate` and the driver run).
 *
 * The target (issue #3): translation costs at most 3x the JSON round trip, i.e. `json ops/s ÷ adapter ops/s <= 3`.
 * Each case runs for a fixed time per round (so slow and fast cases get comparable samples); the median round is
 * reported. Run on a quiet machine: compare the ratios of one run rather than absolute numbers across runs.
 *
 * What is measured is the built package, as `npm start` and library users run it: the bench compiles the project with
 * `tsc -p tsconfig.build.json` into `--out` (default `dist/`) and imports the adapters from there. (`--source ts`
 * measures the TypeScript sources through tsx instead: tsx's transform wraps named closures in a `__name` helper, which
 * costs 10-40% of a translation and is not in what ships.) `--no-build` measures `--out` as it is.
 *
 * The same document is translated again and again, so per-key work (decoding, key-type detection, Multikey
 * encoding, PEM parsing) is answered from the bounded key memos (`KeyMemo` and `keyTypeMemo` in src/keys/detect.ts)
 * after the first call: that is the default column. The memo-off column runs the same translation with every key
 * memo off. `--key-memo N` sets the memo size of the default column (`--key-memo 0`: both columns memo-off).
 *
 *   npx tsx bench/translate.ts [--ms 400] [--rounds 5] [--only bid,weid-v3] [--key-memo 1024]
 *                              [--source dist|ts] [--out DIR] [--no-build]
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    ms: { type: 'string', default: '400' },
    rounds: { type: 'string', default: '5' },
    only: { type: 'string' },
    'key-memo': { type: 'string' },
    source: { type: 'string', default: 'dist' },
    out: { type: 'string', default: 'dist' },
    'no-build': { type: 'boolean', default: false },
  },
});
if (values.source !== 'dist' && values.source !== 'ts') throw new TypeError('"--source" must be dist or ts');

const root = new URL('..', import.meta.url);
const outDir = resolve(root.pathname, values.out);
if (values.source === 'dist' && !values['no-build']) {
  process.stderr.write(`building ${values.out}/ (tsc -p tsconfig.build.json; --no-build to skip) ...\n`);
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  try {
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', outDir, '--tsBuildInfoFile', resolve(outDir, '.tsbuildinfo')], { cwd: root, stdio: 'inherit' });
  } catch {
    // tsc still emits when it finds type errors; measure what was emitted, but say so.
    process.stderr.write(`warning: tsc reported errors (above); ${values.out}/ was emitted anyway and is what gets measured\n`);
  }
}
/** Imports a module of the project, from the build (`--source dist`) or the TypeScript sources. */
async function load<T>(path: string): Promise<T> {
  const url = values.source === 'dist' ? pathToFileURL(resolve(outDir, `${path}.js`)).href : new URL(`../${path}.js`, import.meta.url).href;
  return (await import(url)) as T;
}
const { ADAPTER_FACTORIES, defaultAdapters } = await load<typeof import('../adapters/index.js')>('adapters/index');
const { keyTypeMemo } = await load<typeof import('../src/keys/detect.js')>('src/keys/detect');
const { translateInput } = await load<typeof import('../src/translate.js')>('src/translate');
const { canonicalJson } = await load<typeof import('../src/util/json.js')>('src/util/json');

const roundMs = Number(values.ms);
const rounds = Number(values.rounds);
for (const [name, n] of Object.entries({ ms: roundMs, rounds })) {
  if (!Number.isInteger(n) || n < 1) throw new TypeError(`"--${name}" must be a positive integer`);
}

/** The documents measured: one per method (the first published document of each), both WeIdentity generations. */
const DOCUMENTS: ReadonlyArray<{ name: string; adapter: string; file: string }> = [
  { name: 'bid', adapter: 'bid', file: 'fixtures/bid/upstream/01-spec-bid-document-example.json' },
  { name: 'cndid', adapter: 'cndid', file: 'fixtures/cndid/upstream/01-constructed-driver-response.json' },
  { name: 'vaa', adapter: 'vaa', file: 'fixtures/vaa/upstream/01-spec-vaa-document.json' },
  { name: 'weid-v1', adapter: 'weid', file: 'fixtures/weid/upstream/01-v1-getWeIdDocumentJson.json' },
  { name: 'weid-v3', adapter: 'weid', file: 'fixtures/weid/upstream/03-v3-getWeIdDocumentJson.transcribed.json' },
  { name: 'tdid', adapter: 'tdid', file: 'fixtures/tdid/upstream/01-spec-tdid-document.json' },
  { name: 'ccp', adapter: 'ccp', file: 'fixtures/ccp/upstream/01-spec-base-did-document.json' },
  { name: 'ctid', adapter: 'ctid', file: 'fixtures/ctid/upstream/01-spec-ctid-document.json' },
];
const only = values.only ? new Set(values.only.split(',')) : undefined;
if (values['key-memo'] !== undefined) {
  const entries = Number(values['key-memo']);
  if (!Number.isInteger(entries) || entries < 0) throw new TypeError('"--key-memo" must be an integer >= 0');
  keyTypeMemo.maxEntries = entries;
}
/** The memo size of the default column (restored after every memo-off case). */
const memoEntries = keyTypeMemo.maxEntries;

/** Runs `fn` with every key memo off (the memos keep what they hold, and answer again afterwards). */
function memoOff<T>(fn: () => T): T {
  keyTypeMemo.maxEntries = 0;
  try {
    return fn();
  } finally {
    keyTypeMemo.maxEntries = memoEntries;
  }
}
const TARGET = 3;

const adapters = defaultAdapters();
// Results are kept here so that no call can be optimised away.
let sink = 0;

/** Calls `fn` for `ms` milliseconds (in batches, to keep the clock out of the loop); returns calls per second. */
function opsPerSecond(fn: () => unknown, ms: number): number {
  let calls = 0;
  let batch = 16;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < batch; i++) {
      const out = fn();
      if (out !== undefined) sink++;
    }
    calls += batch;
    elapsed = performance.now() - start;
    if (elapsed < ms / 10) batch *= 2;
  }
  return (calls * 1000) / elapsed;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

interface Row {
  name: string;
  bytes: number;
  json: number[];
  adapter: number[];
  adapterMemoOff: number[];
  service: number[];
}

const rows: Row[] = [];
const cases: Array<{ row: Row; json: () => unknown; adapter: () => unknown; service: () => unknown }> = [];
for (const d of DOCUMENTS) {
  if (only && !only.has(d.name)) continue;
  const text = readFileSync(new URL(`../${d.file}`, import.meta.url), 'utf8');
  const document = JSON.parse(text) as unknown;
  const adapter = ADAPTER_FACTORIES[d.adapter]!();
  // The translations must not change their input (it is reused on every call), and the service must agree with the
  // adapter: checked once before timing.
  const before = canonicalJson(document);
  const direct = adapter.translate!(document);
  const viaService = translateInput(document, { adapters, to: 'w3c' });
  if (canonicalJson(document) !== before) throw new Error(`${d.name}: the translation changed its input`);
  if (canonicalJson(direct.didDocument) !== canonicalJson(viaService.document) || viaService.from.adapter !== d.adapter) {
    throw new Error(`${d.name}: the service and the adapter disagree`);
  }
  if (canonicalJson(memoOff(() => adapter.translate!(document))) !== canonicalJson(direct)) {
    throw new Error(`${d.name}: the translation with the key memos off differs`);
  }
  const row: Row = { name: d.name, bytes: Buffer.byteLength(text), json: [], adapter: [], adapterMemoOff: [], service: [] };
  rows.push(row);
  cases.push({
    row,
    json: () => JSON.stringify(JSON.parse(text)),
    adapter: () => adapter.translate!(document),
    service: () => translateInput(document, { adapters, to: 'w3c' }),
  });
}

// Warm-up: every case, long enough for the JIT to settle.
for (const c of cases) {
  opsPerSecond(c.json, 100);
  opsPerSecond(c.adapter, 200);
  memoOff(() => opsPerSecond(c.adapter, 200));
  opsPerSecond(c.service, 200);
}
for (let r = 0; r < rounds; r++) {
  for (const c of cases) {
    c.row.json.push(opsPerSecond(c.json, roundMs));
    c.row.adapter.push(opsPerSecond(c.adapter, roundMs));
    c.row.adapterMemoOff.push(memoOff(() => opsPerSecond(c.adapter, roundMs)));
    c.row.service.push(opsPerSecond(c.service, roundMs));
  }
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const us = (opsPerSec: number) => (1e6 / opsPerSec).toFixed(1);
console.log(
  `Node ${process.version}; ${values.source === 'dist' ? `the build in ${values.out}/` : 'the TypeScript sources (tsx)'}; ${rounds} rounds of ${roundMs} ms per case (median round); key memos ${memoEntries > 0 ? `on (${memoEntries} entries)` : 'off'} in the default column; ` +
    `target: adapter ≤ ${TARGET}x the JSON round trip`,
);
console.log('');
console.log('| document | bytes | JSON round trip ops/s (µs) | adapter translate ops/s (µs) | ratio | target met | adapter, key memos off ops/s (µs) | ratio | target met | service ops/s (µs) | ratio |');
console.log('|---|---:|---:|---:|---:|---|---:|---:|---|---:|---:|');
for (const row of rows) {
  const json = median(row.json);
  const adapter = median(row.adapter);
  const off = median(row.adapterMemoOff);
  const service = median(row.service);
  const ratio = json / adapter;
  const offRatio = json / off;
  console.log(
    `| ${row.name} | ${row.bytes} | ${fmt(json)} (${us(json)}) | ${fmt(adapter)} (${us(adapter)}) | ${ratio.toFixed(2)} | ${ratio <= TARGET ? 'yes' : '**no**'} | ` +
      `${fmt(off)} (${us(off)}) | ${offRatio.toFixed(2)} | ${offRatio <= TARGET ? 'yes' : '**no**'} | ${fmt(service)} (${us(service)}) | ${(json / service).toFixed(2)} |`,
  );
}
if (sink === 0) console.log('(nothing measured)');
