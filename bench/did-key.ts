/**
 * did:key resolution throughput, in one process, side by side:
 *
 * - didbridge `Resolver` + did:key adapter (cache off): default config (X25519 keyAgreement derived), and with
 *   `enableEncryptionKeyDerivation: false`;
 * - the bare adapter (`validate` + `resolve`, no Resolver around it), both ways, to show what the Resolver adds;
 * - did-resolver 6 + key-did-resolver 4 (`cache: false`), the common JavaScript stack, which always derives.
 *
 * Each case resolves distinct Ed25519 DIDs sequentially (`await` per call, as a driver would), after a warm-up, for
 * several rounds interleaved between the cases; the median round is reported. Run on a quiet machine: on a shared
 * 2-core VM spreads of ±35% between runs are normal, so compare the ratios printed by one run rather than absolute
 * numbers across runs.
 *
 *   npx tsx bench/did-key.ts [--count 50000] [--reference-count 10000] [--rounds 3]
 */
import { generateKeyPairSync } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Resolver as DidResolver } from 'did-resolver';
import { getResolver as getKeyDidResolver } from 'key-did-resolver';
import { base58btc } from 'multiformats/bases/base58';
import { createKeyAdapter } from '../adapters/key/index.js';
import type { AdapterContext } from '../src/adapter.js';
import { Resolver } from '../src/resolver.js';
import { parseDid } from '../src/syntax/did-url.js';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '50000' },
    'reference-count': { type: 'string', default: '10000' },
    rounds: { type: 'string', default: '3' },
  },
});
const count = Number(values.count);
const referenceCount = Number(values['reference-count']);
const rounds = Number(values.rounds);
for (const [name, n] of Object.entries({ count, 'reference-count': referenceCount, rounds })) {
  if (!Number.isInteger(n) || n < 1) throw new TypeError(`"--${name}" must be a positive integer`);
}
const WARM_UP = 2000;

/**
 * Distinct Ed25519 did:keys from real key pairs. Raw public keys come from the SPKI DER export (its last 32 bytes):
 * Node 20's JWK export of Ed25519 keys can deadlock (see docs/dependencies.md §2).
 */
function ed25519Dids(n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const spki = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' });
    out.push(`did:key:${base58btc.encode(Uint8Array.from([0xed, 0x01, ...spki.subarray(12)]))}`);
  }
  return out;
}

interface Case {
  name: string;
  dids: string[];
  resolve(did: string): Promise<unknown>;
}

/** Ops/s of one pass over a case's DIDs. */
async function pass(c: Case): Promise<number> {
  const started = performance.now();
  for (const did of c.dids) await c.resolve(did);
  return c.dids.length / ((performance.now() - started) / 1000);
}

/**
 * Warms every case up, then runs the rounds interleaved (case 1, case 2, ..., case 1, ...), so that a burst of load
 * from elsewhere on the machine hits every case alike instead of whichever happened to run then.
 */
async function measure(cases: readonly Case[]): Promise<number[][]> {
  for (const c of cases) for (let i = 0; i < WARM_UP; i++) await c.resolve(c.dids[i % c.dids.length]!);
  const results: number[][] = cases.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (const [i, c] of cases.entries()) results[i]!.push(await pass(c));
  }
  return results;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main(): Promise<void> {
  console.log(`generating ${Math.max(count, referenceCount)} Ed25519 did:keys...`);
  const dids = ed25519Dids(Math.max(count, referenceCount));
  const referenceDids = dids.slice(0, referenceCount);
  const ownDids = dids.slice(0, count);

  const ours = new Resolver({ adapters: [createKeyAdapter()], cache: false });
  const oursUnderived = new Resolver({ adapters: [createKeyAdapter({ enableEncryptionKeyDerivation: false })], cache: false });
  const bareAdapter = createKeyAdapter();
  const bareUnderivedAdapter = createKeyAdapter({ enableEncryptionKeyDerivation: false });
  const context: AdapterContext = { http: ours.http, now: () => new Date() };
  const reference = new DidResolver(getKeyDidResolver(), { cache: false });

  // Both sides must produce a document with the derived keyAgreement key, or the comparison is meaningless.
  const sample = dids[0]!;
  const [mine, theirs] = [await ours.resolve(sample), await reference.resolve(sample)];
  if (!mine.didDocument?.keyAgreement || !theirs.didDocument?.keyAgreement) {
    throw new Error(`sanity check failed: ${JSON.stringify({ mine, theirs }).slice(0, 500)}`);
  }

  const cases: Case[] = [
    { name: 'didbridge Resolver + did:key (X25519 derived)', dids: ownDids, resolve: (d) => ours.resolve(d) },
    { name: 'didbridge Resolver + did:key (no derivation)', dids: ownDids, resolve: (d) => oursUnderived.resolve(d) },
    {
      name: 'didbridge did:key adapter alone (X25519 derived)',
      dids: ownDids,
      resolve: (d) => {
        const parsed = parseDid(d);
        bareAdapter.validate!(parsed);
        return bareAdapter.resolve(parsed, {}, context);
      },
    },
    {
      name: 'didbridge did:key adapter alone (no derivation)',
      dids: ownDids,
      resolve: (d) => {
        const parsed = parseDid(d);
        bareUnderivedAdapter.validate!(parsed);
        return bareUnderivedAdapter.resolve(parsed, {}, context);
      },
    },
    { name: 'did-resolver 6 + key-did-resolver 4', dids: referenceDids, resolve: (d) => reference.resolve(d) },
  ];

  const measured = (await measure(cases)).map((results, i) => ({
    name: cases[i]!.name,
    n: cases[i]!.dids.length,
    opsPerSecond: median(results),
    rounds: results,
  }));
  for (const m of measured) console.log(`  ${m.name}: ${m.rounds.map(Math.round).join(', ')} ops/s`);
  await Promise.all([ours.close(), oursUnderived.close()]);

  const baseline = measured[measured.length - 1]!.opsPerSecond;
  console.log(`\nnode ${process.version}, ${rounds} rounds, median; ratio against key-did-resolver\n`);
  console.log('| case | DIDs | ops/s | µs/op | ratio |');
  console.log('|---|---|---|---|---|');
  for (const m of measured) {
    console.log(
      `| ${m.name} | ${m.n} | ${Math.round(m.opsPerSecond)} | ${(1e6 / m.opsPerSecond).toFixed(1)} | ` +
        `${(m.opsPerSecond / baseline).toFixed(1)}× |`,
    );
  }
}

await main();
