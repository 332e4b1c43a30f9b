/**
 * Conformance suite throughput:
 *
 * - documents checked per second: 10,000 generated DID documents (verification methods as Multikey and JsonWebKey,
 *   relationships by reference and embedded, services with string / map / set endpoints, alsoKnownAs, controllers,
 *   document metadata; half `application/did+json`, half `application/did+ld+json`; 1 in 100 carries a defect) run
 *   through `runConformance` as 10,000 one-document targets (the shape of a fixtures directory), and through
 *   `checkDocument` directly (the catalogue's DID Core checks without the runner);
 * - the time of the full did-test-suite export: starting the sandboxed deployment (every adapter of the build, each
 *   domestic upstream replaced by its emulator, offline) and building and writing the method, resolver and
 *   dereferencer files of every method served.
 *
 * Target: 10,000 documents in under 10 s on 2 cores. Rounds are interleaved and the median reported; the machine's
 * 1-minute load average is printed with the results, since a shared VM moves them.
 *
 *   npx tsx bench/conformance.ts [--documents 10000] [--rounds 3] [--export-rounds 3]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ADAPTER_FACTORIES, SANDBOX_EMULATORS } from '../adapters/index.js';
import { checkDocument } from '../conformance/checks/did-core.js';
import { buildDidTestSuiteFiles, writeDidTestSuiteExport } from '../conformance/export/did-test-suite.js';
import { runConformance } from '../conformance/run.js';
import type { ConformanceTarget } from '../conformance/targets.js';
import { startSandboxedDeployment } from '../conformance/targets/sandboxed.js';
import type { DocumentMediaType } from '../src/spec.js';

const { values } = parseArgs({
  options: {
    documents: { type: 'string', default: '10000' },
    rounds: { type: 'string', default: '3' },
    'export-rounds': { type: 'string', default: '3' },
  },
});
const documents = Number(values.documents);
const rounds = Number(values.rounds);
const exportRounds = Number(values['export-rounds']);
for (const [name, n] of Object.entries({ documents, rounds, 'export-rounds': exportRounds })) {
  if (!Number.isInteger(n) || n < 1) throw new TypeError(`"--${name}" must be a positive integer`);
}

/** A small deterministic PRNG (mulberry32), so every run checks the same documents. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Public keys that decode (the checks decode multibase values): did:key test vectors, w3c-ccg/did-method-key. */
const MULTIKEYS = [
  'z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp',
  'z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG',
  'z6MknGc3ocHs3zdPiJbnaaqDi58NGb4pk1Sp9WxWufuXSdxf',
  'z6LSbysY2xFMRpGMhb7tFTLMpeuPRaqaWM1yECx2AtzE3KCc',
];
const JWK_X = ['0-e2i2_Ua1S5HbTYnVB0lj2Z2ytXu2-tYmDFf8f5NjU', '9GXjPGGvmRq9F6Ng5dQQ_s31mfhxrcNZxRGONrmH30k'];

interface Generated {
  document: Record<string, unknown>;
  representation: DocumentMediaType;
  metadata: Record<string, unknown>;
}

function generate(n: number): Generated[] {
  const rand = prng(20261125);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const out: Generated[] = [];
  for (let i = 0; i < n; i++) {
    const did = `did:example:${i.toString(36)}${Math.floor(rand() * 1e9).toString(36)}`;
    const ld = i % 2 === 1;
    const methods: Record<string, unknown>[] = [];
    const count = 1 + Math.floor(rand() * 3);
    for (let k = 0; k < count; k++) {
      methods.push(
        rand() < 0.7
          ? { id: `${did}#key-${k}`, type: 'Multikey', controller: did, publicKeyMultibase: pick(MULTIKEYS) }
          : { id: `#key-${k}`, type: 'JsonWebKey', controller: did, publicKeyJwk: { kty: 'OKP', crv: 'Ed25519', x: pick(JWK_X) } },
      );
    }
    const ref = (k: number) => String(methods[k]!.id);
    const document: Record<string, unknown> = {
      ...(ld ? { '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1', 'https://w3id.org/security/jwk/v1'] } : {}),
      id: did,
      ...(rand() < 0.3 ? { controller: [did, 'did:example:controller'] } : {}),
      ...(rand() < 0.3 ? { alsoKnownAs: [`https://example.com/users/${i}`, `did:web:example.com:u:${i}`] } : {}),
      verificationMethod: methods,
      authentication: [ref(0), { id: `${did}#embedded`, type: 'Multikey', controller: did, publicKeyMultibase: pick(MULTIKEYS) }],
      assertionMethod: methods.map((_m, k) => ref(k)),
      ...(count > 1 ? { keyAgreement: [ref(count - 1)] } : {}),
      service: [
        { id: `${did}#files`, type: 'LinkedDomains', serviceEndpoint: `https://files.example/${i}/` },
        ...(rand() < 0.5 ? [{ id: '#hub', type: ['DIDCommMessaging'], serviceEndpoint: { uri: 'https://hub.example/inbox', accept: ['didcomm/v2'] } }] : []),
        ...(rand() < 0.3 ? [{ id: '#mirrors', type: 'Mirrors', serviceEndpoint: ['https://a.example/', 'https://b.example/'] }] : []),
      ],
    };
    // One document in a hundred carries a defect, so failures are exercised too.
    if (i % 100 === 99) {
      const defect = Math.floor(rand() * 3);
      if (defect === 0) (methods[0] as Record<string, unknown>).publicKeyJwk = { kty: 'OKP', crv: 'Ed25519', x: JWK_X[0], d: 'AAAA' };
      else if (defect === 1) document.service = [{ id: 'not a uri', type: 'X', serviceEndpoint: 'https://x.example/' }];
      else document.created = '2020-01-01T00:00:00Z';
    }
    const metadata = { created: '2024-01-02T03:04:05Z', ...(rand() < 0.5 ? { updated: '2025-06-01T00:00:00Z', versionId: String(1 + (i % 7)) } : {}) };
    out.push({ document, representation: ld ? 'application/did+ld+json' : 'application/did+json', metadata });
  }
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function runnerRound(docs: readonly Generated[]): Promise<{ seconds: number; failures: number }> {
  const targets: ConformanceTarget[] = docs.map((d, i) => ({
    id: `bench:${String(i).padStart(6, '0')}`,
    kind: 'bench',
    async observe() {
      return [{ subject: 'document', label: `doc ${i}`, input: { document: d.document, representation: d.representation, metadata: d.metadata } }];
    },
  }));
  const started = performance.now();
  const report = await runConformance(targets);
  return { seconds: (performance.now() - started) / 1000, failures: report.summary.newMustFailures.length };
}

function checkRound(docs: readonly Generated[]): number {
  const started = performance.now();
  for (const d of docs) checkDocument(d.document, { representation: d.representation, metadata: d.metadata });
  return (performance.now() - started) / 1000;
}

async function exportRound(): Promise<{ seconds: number; startSeconds: number; methods: string[]; files: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'didbridge-bench-dts-'));
  const started = performance.now();
  const deployment = await startSandboxedDeployment({ factories: ADAPTER_FACTORIES, emulators: SANDBOX_EMULATORS, offline: true });
  const startSeconds = (performance.now() - started) / 1000;
  try {
    const exported = await buildDidTestSuiteFiles({ resolver: deployment.resolver, known: deployment.known });
    await writeDidTestSuiteExport(dir, exported);
    return {
      seconds: (performance.now() - started) / 1000,
      startSeconds,
      methods: [...new Set(exported.files.map((f) => f.method))],
      files: exported.files.length,
    };
  } finally {
    await deployment.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const docs = generate(documents);
// Warm-up: JIT, module caches.
await runnerRound(docs.slice(0, 500));
checkRound(docs.slice(0, 500));

const runner: number[] = [];
const direct: number[] = [];
let failures = 0;
for (let r = 0; r < rounds; r++) {
  const round = await runnerRound(docs);
  runner.push(round.seconds);
  failures = round.failures;
  direct.push(checkRound(docs));
}
const exports: number[] = [];
const starts: number[] = [];
let exported: { methods: string[]; files: number } = { methods: [], files: 0 };
for (let r = 0; r < exportRounds; r++) {
  const round = await exportRound();
  exports.push(round.seconds);
  starts.push(round.startSeconds);
  exported = round;
}

const runnerMedian = median(runner);
const directMedian = median(direct);
const result = {
  node: process.version,
  load1: Number(loadavg()[0]!.toFixed(2)),
  documents,
  rounds,
  runner: {
    seconds: Number(runnerMedian.toFixed(3)),
    documentsPerSecond: Math.round(documents / runnerMedian),
    allRounds: runner.map((s) => Number(s.toFixed(3))),
    failingTargets: failures,
  },
  checkDocument: {
    seconds: Number(directMedian.toFixed(3)),
    documentsPerSecond: Math.round(documents / directMedian),
    allRounds: direct.map((s) => Number(s.toFixed(3))),
  },
  didTestSuiteExport: {
    seconds: Number(median(exports).toFixed(3)),
    deploymentStartSeconds: Number(median(starts).toFixed(3)),
    allRounds: exports.map((s) => Number(s.toFixed(3))),
    methods: exported.methods,
    files: exported.files,
  },
  target: { documents: 10_000, seconds: 10, met: documents >= 10_000 && runnerMedian < 10 },
};
console.log(JSON.stringify(result, null, 2));
