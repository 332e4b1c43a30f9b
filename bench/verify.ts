/**
 * EdDSA JWT VC verification throughput, in one process, side by side over the same tokens:
 *
 * - `raw`: node:crypto Ed25519 signature verification over the JWS signing input, with KeyObjects prepared in
 *   advance (DER import): the limit, nothing but the signature;
 * - `didbridge`: `verify()` with the default JWT verifier and a warm resolver (every issuer resolved once before
 *   timing), the full report (format, issuer resolution, key selection and authorisation, signature, validity
 *   period, status);
 * - `did-jwt-vc`: did-jwt-vc 4 `verifyCredential` over the same Resolver (adapted with `didJwtResolvable`), with
 *   `proofPurpose: 'assertionMethod'` so it checks what we check.
 *
 * Issuers: `--issuers` Ed25519 identities, each with `--per-issuer` distinct credentials, either as did:key (the
 * did:key adapter derives documents without I/O and is not cached) or as DIDs of an in-process method whose
 * documents come from the resolver cache (`--method cached`, the warm-cache path domestic methods take). Each case
 * runs after a warm-up for several rounds, sequentially (`await` per call); the median round is reported. On a
 * shared 2-core VM spreads of ±35% between runs are normal, so compare the ratios printed by one run.
 *
 *   npx tsx bench/verify.ts [--issuers 100] [--per-issuer 20] [--rounds 5] [--method key|cached|both] [--no-build]
 *
 * Never run as a test: it measures, it asserts nothing.
 */
import { createPublicKey, generateKeyPairSync, sign as cryptoSign, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { parseArgs } from 'node:util';
import { verifyCredential } from 'did-jwt-vc';
import { base58btc } from 'multiformats/bases/base58';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import type { MethodAdapter } from '../src/adapter.js';
import type { DIDDocument } from '../src/spec.js';

const { values } = parseArgs({
  options: {
    issuers: { type: 'string', default: '100' },
    'per-issuer': { type: 'string', default: '20' },
    rounds: { type: 'string', default: '5' },
    method: { type: 'string', default: 'both' },
    'no-build': { type: 'boolean', default: false },
  },
});

// didbridge is measured as it ships (`npm start`, the library's `main`): compiled JavaScript from dist/, built here
// from the current sources, so no TypeScript loader's code runs inside the measured calls.
if (!values['no-build']) {
  try {
    execFileSync(process.execPath, [createRequire(import.meta.url).resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  } catch {
    process.stderr.write('warning: tsc reported errors (above); dist/ was emitted anyway and is what gets measured\n');
  }
}
const { createKeyAdapter } = (await import('../dist/adapters/key/index.js' as string)) as typeof import('../adapters/key/index.js');
const { NotFoundError } = (await import('../dist/src/errors.js' as string)) as typeof import('../src/errors.js');
const { didJwtResolvable } = (await import('../dist/src/credentials/jwt.js' as string)) as typeof import('../src/credentials/jwt.js');
const { verify } = (await import('../dist/src/credentials/verify.js' as string)) as typeof import('../src/credentials/verify.js');
const { Resolver } = (await import('../dist/src/resolver.js' as string)) as typeof import('../src/resolver.js');
const issuers = Number(values.issuers);
const perIssuer = Number(values['per-issuer']);
const rounds = Number(values.rounds);
for (const [name, n] of Object.entries({ issuers, 'per-issuer': perIssuer, rounds })) {
  if (!Number.isInteger(n) || n < 1) throw new TypeError(`"--${name}" must be a positive integer`);
}
if (!['key', 'cached', 'both'].includes(values.method!)) throw new TypeError('"--method" must be key, cached or both');

const NOW = new Date('2025-06-01T00:00:00Z');
const WARM_UP_PASSES = 3;
const NOW_SECONDS = Math.floor(NOW.getTime() / 1000);

interface Token {
  jwt: string;
  signingInput: Buffer;
  signature: Buffer;
  key: KeyObject;
}

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/**
 * Ed25519 issuers and their tokens, signed with node:crypto. Raw public keys come from the SPKI DER export (its last
 * 32 bytes): Node 20's JWK export of Ed25519 keys can deadlock (dependencies.md §2).
 */
function makeTokens(method: 'key' | 'cached'): { tokens: Token[]; documents: Map<string, DIDDocument> } {
  const tokens: Token[] = [];
  const documents = new Map<string, DIDDocument>();
  for (let i = 0; i < issuers; i++) {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const spki = publicKey.export({ format: 'der', type: 'spki' });
    const mb = base58btc.encode(Uint8Array.from([0xed, 0x01, ...spki.subarray(12)]));
    const did = method === 'key' ? `did:key:${mb}` : `did:bench:issuer${i}`;
    const kid = method === 'key' ? `${did}#${mb}` : `${did}#key-1`;
    if (method === 'cached') {
      documents.set(did, {
        '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
        id: did,
        verificationMethod: [{ id: kid, type: 'Multikey', controller: did, publicKeyMultibase: mb }],
        authentication: [kid],
        assertionMethod: [kid],
      });
    }
    const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
    for (let j = 0; j < perIssuer; j++) {
      const header = b64url({ alg: 'EdDSA', typ: 'JWT', kid });
      const payload = b64url({
        iss: did,
        sub: `did:example:subject${j}`,
        nbf: NOW_SECONDS - 86_400,
        exp: NOW_SECONDS + 86_400 * 365,
        jti: `urn:uuid:bench-${i}-${j}`,
        vc: {
          '@context': ['https://www.w3.org/2018/credentials/v1'],
          type: ['VerifiableCredential', 'UniversityDegreeCredential'],
          credentialSubject: { degree: { type: 'BachelorDegree', name: `Bachelor ${j}` } },
        },
      });
      const signingInput = Buffer.from(`${header}.${payload}`, 'latin1');
      const signature = cryptoSign(null, signingInput, privateKey);
      tokens.push({ jwt: `${header}.${payload}.${signature.toString('base64url')}`, signingInput, signature, key });
    }
  }
  return { tokens, documents };
}

/** An in-process method serving fixed documents, cacheable, so that warm verification reads the resolver cache. */
function cachedMethod(documents: Map<string, DIDDocument>): MethodAdapter {
  return {
    id: 'bench',
    methods: ['bench'],
    identifierPattern: /^did:bench:[a-z0-9]+$/,
    traits: { updatable: false, deactivatable: false, enumerable: false, historyAvailable: false, humanReadable: false },
    capabilities: { cacheable: true },
    testIdentifiers: () => [],
    async resolve(did) {
      const doc = documents.get(did.did);
      if (!doc) throw new NotFoundError(`${did.did} not found`);
      return { didDocument: doc, didDocumentMetadata: {}, changes: [], ttlSeconds: 3600 };
    },
  };
}

interface Case {
  name: string;
  run: (t: Token) => Promise<boolean> | boolean;
}

/** One timed pass over every token: wall-clock and CPU (user + system) throughput. */
async function pass(c: Case, tokens: Token[]): Promise<{ wall: number; cpu: number }> {
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  for (const t of tokens) {
    if (!(await c.run(t))) throw new Error(`${c.name}: a token did not verify`);
  }
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuStart);
  return { wall: tokens.length / (wallMs / 1000), cpu: tokens.length / ((cpu.user + cpu.system) / 1e6) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * Runs the cases interleaved (round 1 of every case, then round 2, ...), so that load from other processes on a
 * shared machine hits every case alike, and reports medians of wall-clock and CPU-time throughput. The CPU figure
 * (verifications per CPU-second of this process) is the one to compare on a busy machine: waiting for a core is not
 * counted.
 */
async function measure(cases: Case[], tokens: Token[]): Promise<Map<string, { wall: number; cpu: number }>> {
  // Warm-up: every case over every token, WARM_UP_PASSES times (the JIT needs thousands of calls to settle; fewer
  // showed later rounds still getting faster).
  for (let w = 0; w < WARM_UP_PASSES; w++) {
    for (const c of cases) {
      for (const t of tokens) {
        if (!(await c.run(t))) throw new Error(`${c.name}: a token did not verify during warm-up`);
      }
    }
  }
  const rounds_: Record<string, Array<{ wall: number; cpu: number }>> = {};
  for (let r = 0; r < rounds; r++) {
    for (const c of cases) (rounds_[c.name] ??= []).push(await pass(c, tokens));
  }
  const out = new Map<string, { wall: number; cpu: number }>();
  for (const c of cases) {
    const rs = rounds_[c.name]!;
    const result = { wall: median(rs.map((x) => x.wall)), cpu: median(rs.map((x) => x.cpu)) };
    out.set(c.name, result);
    console.log(
      `  ${c.name.padEnd(12)} ${Math.round(result.cpu).toString().padStart(7)} /CPU-s ${Math.round(result.wall).toString().padStart(7)} /s wall` +
        `   CPU rounds: ${rs.map((x) => Math.round(x.cpu)).join(', ')}`,
    );
  }
  return out;
}

async function benchMethod(method: 'key' | 'cached'): Promise<void> {
  const { tokens, documents } = makeTokens(method);
  const adapters = method === 'key' ? [createKeyAdapter()] : [cachedMethod(documents)];
  const resolver = new Resolver({ adapters });
  console.log(`\n${method === 'key' ? 'did:key issuers (no resolver cache: derived per call)' : 'cached issuers (warm resolver cache)'}: ${issuers} issuers x ${perIssuer} credentials = ${tokens.length} EdDSA JWT VCs, ${rounds} rounds`);
  const resolvable = didJwtResolvable(resolver);
  // raw and didbridge are interleaved round by round, so that load from other processes hits both alike. did-jwt-vc
  // runs on its own afterwards: it allocates an order of magnitude more, and its garbage would be collected during
  // the other cases' rounds and billed to them.
  const results = await measure(
    [
      { name: 'raw', run: (t) => cryptoVerify(null, t.signingInput, t.key, t.signature) },
      { name: 'didbridge', run: async (t) => (await verify(t.jwt, { resolver, now: NOW })).verified },
    ],
    tokens,
  );
  const reference = await measure(
    [
      {
        name: 'did-jwt-vc',
        run: async (t) => (await verifyCredential(t.jwt, resolvable, { policies: { now: NOW_SECONDS }, proofPurpose: 'assertionMethod' })).verified,
      },
    ],
    tokens,
  );
  for (const [name, value] of reference) results.set(name, value);
  const raw = results.get('raw')!;
  const ours = results.get('didbridge')!;
  const theirs = results.get('did-jwt-vc')!;
  console.log(
    `  didbridge / raw = ${(ours.cpu / raw.cpu).toFixed(2)} CPU, ${(ours.wall / raw.wall).toFixed(2)} wall (target ≥ 0.6); ` +
      `didbridge / did-jwt-vc = ${(ours.cpu / theirs.cpu).toFixed(2)} CPU, ${(ours.wall / theirs.wall).toFixed(2)} wall (target > 1)`,
  );
  await resolver.close();
}

console.log(`node ${process.version}, ${new Date().toISOString()}`);
if (values.method !== 'cached') await benchMethod('key');
if (values.method !== 'key') await benchMethod('cached');
