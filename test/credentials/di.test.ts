/**
 * Data Integrity credentials and presentations (eddsa-rdfc-2022, Ed25519Signature2020) through `verify()`, with
 * did:key issuers resolved by the did:key adapter. Proofs are made by `signDataIntegrity` (@noble Ed25519 signing,
 * Digital Bazaar suites) and, independently, by @digitalbazaar/ed25519-multikey's own signer; the W3C vc-di-eddsa
 * test vectors are verified as published (fixtures/credentials/data-integrity/w3c-vc-di-eddsa/SOURCE.md).
 */
import { ed25519 } from '@noble/curves/ed25519.js';
// @ts-expect-error -- untyped ESM package (JSDoc only)
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
// @ts-expect-error -- untyped ESM package (JSDoc only)
import * as vc from '@digitalbazaar/vc';
// @ts-expect-error -- untyped ESM package (JSDoc only)
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
// @ts-expect-error -- untyped ESM package (JSDoc only)
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyAdapter } from '../../adapters/key/index.js';
import { BUNDLED_CONTEXTS } from '../../src/credentials/contexts/index.js';
import {
  createOfflineDocumentLoader,
  DocumentLoadRefusedError,
  type DocumentLoadEvent,
} from '../../src/credentials/data-integrity/document-loader.js';
import { signDataIntegrity } from '../../src/credentials/data-integrity/sign.js';
import { dataIntegrityFormatVerifier } from '../../src/credentials/data-integrity/verify.js';
import type { VerificationReport } from '../../src/credentials/report.js';
import { verify, type VerifyCallOptions } from '../../src/credentials/verify.js';
import { base58Bitcoin } from '../../src/keys/codecs.js';
import { encodeMultikey } from '../../src/keys/multikey.js';
import { Resolver } from '../../src/resolver.js';
import { expectMutationsNeverVerify } from '../helpers/mutations.js';

const VC_V1 = 'https://www.w3.org/2018/credentials/v1';
const VC_V2 = 'https://www.w3.org/ns/credentials/v2';
/** The examples context: `@vocab` for the example claims (VC Data Model 2.0 has no vocabulary for them). */
const VC_EXAMPLES_V2 = 'https://www.w3.org/ns/credentials/examples/v2';
const NOW = '2025-06-01T00:00:00Z';

const vector = (name: string) => readFileSync(new URL(`../../fixtures/credentials/data-integrity/w3c-vc-di-eddsa/${name}`, import.meta.url), 'utf8');
const vectorJson = (name: string) => JSON.parse(vector(name)) as Record<string, any>;

interface Issuer {
  did: string;
  vm: string;
  privateKey: Uint8Array;
}

function didKeyIssuer(): Issuer {
  const privateKey = ed25519.utils.randomSecretKey();
  const mb = encodeMultikey({ type: 'Ed25519', bytes: ed25519.getPublicKey(privateKey) });
  return { did: `did:key:${mb}`, vm: `did:key:${mb}#${mb}`, privateKey };
}

function credentialV2(issuer: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    '@context': [VC_V2, VC_EXAMPLES_V2],
    id: 'urn:uuid:2b1d5f4e-7a3c-4c55-9d0b-6f2f4d3c1a10',
    type: ['VerifiableCredential'],
    issuer,
    validFrom: '2025-01-01T00:00:00Z',
    credentialSubject: { id: 'did:example:holder', name: 'Zhang San', degree: { type: 'BachelorDegree', name: 'Computer Science' } },
    ...extra,
  };
}

function check(report: VerificationReport, name: string) {
  return report.checks.find((c) => c.name === name);
}

function failedChecks(report: VerificationReport): string[] {
  return report.checks.filter((c) => c.outcome === 'fail').map((c) => c.name);
}

describe('Data Integrity verification (did:key issuers)', () => {
  let resolver: Resolver;
  const loads: DocumentLoadEvent[] = [];
  let options: VerifyCallOptions;
  const issuer = didKeyIssuer();
  const other = didKeyIssuer();

  beforeAll(() => {
    resolver = new Resolver({ adapters: [createKeyAdapter()] });
    options = { resolver, formats: [dataIntegrityFormatVerifier({ onDocumentLoad: (e) => loads.push(e) })], now: NOW };
  });
  afterAll(async () => {
    await resolver.close();
  });

  it('verifies an eddsa-rdfc-2022 credential and says what it relied on', async () => {
    const signed = await signDataIntegrity({ document: credentialV2(issuer.did), privateKey: issuer.privateKey, verificationMethod: issuer.vm });
    expect((signed.proof as any).cryptosuite).toBe('eddsa-rdfc-2022');
    loads.length = 0;
    const report = await verify(signed, options);
    expect(failedChecks(report)).toEqual([]);
    expect(report.verified).toBe(true);
    expect(report.format).toBe('data-integrity');
    expect(report.issuer).toMatchObject({ id: issuer.did, resolvedMethod: 'key', translated: false });
    expect(report.key).toMatchObject({ verificationMethod: issuer.vm, keyType: 'Ed25519', relationship: 'assertionMethod' });
    expect(check(report, 'signature')?.detail).toMatch(/eddsa-rdfc-2022.*jsonld 9 RDFC-1.0/);
    expect(check(report, 'validity-period')?.outcome).toBe('pass');
    expect(check(report, 'status')?.outcome).toBe('skip');
    // Everything the JSON-LD processor asked for was a bundled context or the key the bridge selected.
    expect(loads.length).toBeGreaterThan(0);
    expect(loads.every((e) => e.outcome !== 'refused')).toBe(true);
    expect(loads.filter((e) => e.outcome === 'context').every((e) => BUNDLED_CONTEXTS.has(e.url))).toBe(true);
  });

  it('verifies an Ed25519Signature2020 credential (VC Data Model 1.1)', async () => {
    const document = {
      '@context': [VC_V1],
      type: ['VerifiableCredential'],
      issuer: issuer.did,
      issuanceDate: '2025-01-01T00:00:00Z',
      credentialSubject: { id: 'did:example:holder' },
    };
    const signed = await signDataIntegrity({ document, privateKey: issuer.privateKey, verificationMethod: issuer.vm, suite: 'Ed25519Signature2020' });
    expect((signed.proof as any).type).toBe('Ed25519Signature2020');
    expect(signed['@context']).toContain('https://w3id.org/security/suites/ed25519-2020/v1');
    const report = await verify(signed, options);
    expect(failedChecks(report)).toEqual([]);
    expect(report.verified).toBe(true);
  });

  it('verifies a proof made by an independent signer (@digitalbazaar/ed25519-multikey keys and vc.issue)', async () => {
    const keyPair = await Ed25519Multikey.generate();
    const did = `did:key:${keyPair.publicKeyMultibase}`;
    keyPair.id = `${did}#${keyPair.publicKeyMultibase}`;
    keyPair.controller = did;
    const suite = new DataIntegrityProof({ signer: keyPair.signer(), cryptosuite: eddsaRdfc2022 });
    const documentLoader = createOfflineDocumentLoader({ resolver });
    const signed = await vc.issue({ credential: credentialV2(did), suite, documentLoader });
    const report = await verify(signed, options);
    expect(failedChecks(report)).toEqual([]);
    expect(report.verified).toBe(true);
  });

  it('fails a tampered credential on the signature check', async () => {
    const signed = await signDataIntegrity({ document: credentialV2(issuer.did), privateKey: issuer.privateKey, verificationMethod: issuer.vm });
    const tampered = structuredClone(signed) as any;
    tampered.credentialSubject.degree.name = 'Medicine';
    const report = await verify(tampered, options);
    expect(report.verified).toBe(false);
    expect(failedChecks(report)).toEqual(['signature']);
    expect(report.errors[0]).toMatchObject({ code: 'CRYPTOGRAPHIC_SECURITY_ERROR', check: 'signature' });
  });

  it('fails a tampered proof option (created) on the signature check', async () => {
    const signed = (await signDataIntegrity({ document: credentialV2(issuer.did), privateKey: issuer.privateKey, verificationMethod: issuer.vm, created: '2025-02-01T00:00:00Z' })) as any;
    signed.proof.created = '2025-02-01T00:00:01Z';
    const report = await verify(signed, options);
    expect(failedChecks(report)).toEqual(['signature']);
  });

  it('fails a proof signed with another key than the one it names (signature)', async () => {
    const signed = await signDataIntegrity({ document: credentialV2(issuer.did), privateKey: other.privateKey, verificationMethod: issuer.vm });
    const report = await verify(signed, options);
    expect(report.verified).toBe(false);
    expect(failedChecks(report)).toEqual(['signature']);
    expect(check(report, 'signature')?.detail).toContain(issuer.vm);
  });

  it("fails a valid proof by someone else's key (key-authorised, INVALID_VERIFICATION_METHOD)", async () => {
    const signed = await signDataIntegrity({ document: credentialV2(issuer.did), privateKey: other.privateKey, verificationMethod: other.vm });
    const report = await verify(signed, options);
    expect(report.verified).toBe(false);
    expect(check(report, 'signature')?.outcome).toBe('pass');
    expect(failedChecks(report)).toEqual(['key-authorised']);
    expect(report.errors[0]?.code).toBe('INVALID_VERIFICATION_METHOD');
    expect(report.issuer?.id).toBe(issuer.did);
  });

  it('fails an expired credential on validity-period (EXPIRED), and one not yet valid (NOT_YET_VALID)', async () => {
    const expired = await signDataIntegrity({
      document: credentialV2(issuer.did, { validUntil: '2025-03-01T00:00:00Z' }),
      privateKey: issuer.privateKey,
      verificationMethod: issuer.vm,
    });
    const report = await verify(expired, options);
    expect(check(report, 'signature')?.outcome).toBe('pass');
    expect(failedChecks(report)).toEqual(['validity-period']);
    expect(report.errors[0]?.code).toBe('EXPIRED');
    const future = await signDataIntegrity({ document: credentialV2(issuer.did, { validFrom: '2026-01-01T00:00:00Z' }), privateKey: issuer.privateKey, verificationMethod: issuer.vm });
    const later = await verify(future, options);
    expect(failedChecks(later)).toEqual(['validity-period']);
    expect(later.errors[0]?.code).toBe('NOT_YET_VALID');
    // The same credential is valid as of a time inside its period.
    const asOf = await verify(expired, { ...options, now: '2025-02-01T00:00:00Z' });
    expect(asOf.verified).toBe(true);
  });

  it('fails an unknown issuer on issuer-resolution', async () => {
    // A did:key whose multibase is not a key: the did:key adapter answers invalidDid.
    const bogus = 'did:key:z6MkInvalidInvalidInvalidInvalidInvalidInvalid';
    const signed = await signDataIntegrity({ document: credentialV2(bogus), privateKey: issuer.privateKey, verificationMethod: `${bogus}#k` });
    const report = await verify(signed, options);
    expect(report.verified).toBe(false);
    expect(failedChecks(report)).toContain('issuer-resolution');
    expect(check(report, 'signature')?.outcome).toBe('skip');
  });

  it('fails a credential whose proof purpose is not assertionMethod', async () => {
    const signed = (await signDataIntegrity({ document: credentialV2(issuer.did), privateKey: issuer.privateKey, verificationMethod: issuer.vm })) as any;
    signed.proof.proofPurpose = 'authentication';
    const report = await verify(signed, options);
    expect(report.verified).toBe(false);
    expect(check(report, 'signature')?.detail).toMatch(/proofPurpose/);
  });

  it('reports an unsupported cryptosuite as FEATURE_NOT_SUPPORTED on the signature check', async () => {
    const signed = (await signDataIntegrity({ document: credentialV2(issuer.did), privateKey: issuer.privateKey, verificationMethod: issuer.vm })) as any;
    signed.proof.cryptosuite = 'ecdsa-jcs-2019';
    const report = await verify(signed, options);
    expect(report.format).toBe('data-integrity');
    expect(report.errors[0]).toMatchObject({ code: 'FEATURE_NOT_SUPPORTED', check: 'signature' });
  });

  it('verifies a presentation: holder proof (authentication), challenge, domain and the credential inside', async () => {
    const holder = didKeyIssuer();
    const credential = await signDataIntegrity({
      document: credentialV2(issuer.did, { credentialSubject: { id: holder.did, name: 'Li Si' } }),
      privateKey: issuer.privateKey,
      verificationMethod: issuer.vm,
    });
    const presentation = { '@context': [VC_V2, VC_EXAMPLES_V2], type: ['VerifiablePresentation'], holder: holder.did, verifiableCredential: [credential] };
    const signed = await signDataIntegrity({ document: presentation, privateKey: holder.privateKey, verificationMethod: holder.vm, challenge: 'c-123', domain: 'verifier.example' });
    const report = await verify(signed, { ...options, challenge: 'c-123', domain: 'verifier.example' });
    expect(failedChecks(report)).toEqual([]);
    expect(report.verified).toBe(true);
    expect(report.format).toBe('data-integrity-vp');
    expect(report.key?.relationship).toBe('authentication');
    expect(report.presentation?.credentials).toHaveLength(1);
    expect(report.presentation?.credentials[0]?.verified).toBe(true);
    expect(check(report, 'holder-binding')?.outcome).toBe('pass');

    const replayed = await verify(signed, { ...options, challenge: 'other' });
    expect(failedChecks(replayed)).toEqual(['challenge']);
    expect(replayed.errors[0]?.code).toBe('CHALLENGE_MISMATCH');

    // A tampered credential inside makes the presentation unverified (its own proof is still fine).
    const inner = structuredClone(signed) as any;
    inner.verifiableCredential[0].credentialSubject.name = 'Wang Wu';
    // Re-sign the presentation over the tampered credential, so only the inner proof is broken.
    delete inner.proof;
    const resigned = await signDataIntegrity({ document: inner, privateKey: holder.privateKey, verificationMethod: holder.vm, challenge: 'c-456' });
    const nested = await verify(resigned, options);
    expect(nested.verified).toBe(false);
    expect(check(nested, 'signature')?.outcome).toBe('pass');
    expect(failedChecks(nested.presentation!.credentials[0]!)).toEqual(['signature']);
  });
});

describe('Data Integrity: bad input never throws', () => {
  it('random replacements anywhere in a signed credential give a report, never a verified one, never a verifier crash', async () => {
    const resolver = new Resolver({ adapters: [createKeyAdapter()] });
    const issuer = didKeyIssuer();
    const base = await signDataIntegrity({ document: credentialV2(issuer.did), privateKey: issuer.privateKey, verificationMethod: issuer.vm });
    try {
      await expectMutationsNeverVerify(base, (mutated) => verify(mutated, { resolver, formats: [dataIntegrityFormatVerifier()], now: NOW }), {
        numRuns: 100,
        maxDepth: 3,
        skipUnchanged: true,
      });
    } finally {
      await resolver.close();
    }
  });
});

describe('offline document loader: contexts are never fetched', () => {
  let server: Server;
  let requests = 0;
  let base: string;
  let resolver: Resolver;

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests++;
      res.writeHead(200, { 'content-type': 'application/ld+json' });
      res.end(JSON.stringify({ '@context': { evil: 'https://evil.example/#term' } }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    resolver = new Resolver({ adapters: [createKeyAdapter()] });
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await resolver.close();
  });

  it('serves bundled contexts, resolves DID URLs through the resolver, and refuses anything else', async () => {
    const events: DocumentLoadEvent[] = [];
    const loader = createOfflineDocumentLoader({ resolver, onLoad: (e) => events.push(e) });
    const v2 = await loader(VC_V2);
    expect(v2.document).toBe(BUNDLED_CONTEXTS.get(VC_V2));
    const issuer = didKeyIssuer();
    const vm = await loader(issuer.vm);
    expect(vm.document).toMatchObject({ id: issuer.vm, type: 'Multikey' });
    await expect(loader(`${base}/context.jsonld`)).rejects.toBeInstanceOf(DocumentLoadRefusedError);
    await expect(loader('did:key:z6MkInvalid#x')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(events.map((e) => e.outcome)).toEqual(['context', 'did', 'refused', 'refused']);
    expect(requests).toBe(0);
  });

  it('contexts that jsonld.js writes into are handed out as copies; the bundle stays frozen and the others are shared', async () => {
    const loader = createOfflineDocumentLoader();
    const examplesV1 = 'https://www.w3.org/2018/credentials/examples/v1';
    const copy = await loader(examplesV1);
    // jsonld.js re-assigns the string entries of a loaded context's @context array (absolute URLs) in place.
    expect(copy.document).not.toBe(BUNDLED_CONTEXTS.get(examplesV1));
    expect(copy.document).toEqual(BUNDLED_CONTEXTS.get(examplesV1));
    expect(Object.isFrozen(copy.document)).toBe(false);
    expect(Object.isFrozen(BUNDLED_CONTEXTS.get(examplesV1))).toBe(true);
    expect((await loader(VC_V2)).document).toBe(BUNDLED_CONTEXTS.get(VC_V2));
  });

  it('a VC Data Model 1.1 credential with the examples context (which imports ODRL) signs and verifies offline', async () => {
    const issuer = didKeyIssuer();
    const resolver11 = new Resolver({ adapters: [createKeyAdapter()] });
    try {
      const document = {
        '@context': [VC_V1, 'https://www.w3.org/2018/credentials/examples/v1'],
        type: ['VerifiableCredential', 'UniversityDegreeCredential'],
        issuer: issuer.did,
        issuanceDate: '2025-01-01T00:00:00Z',
        credentialSubject: { id: 'did:example:holder', degree: { type: 'BachelorDegree', name: 'Computer Science' } },
      };
      const events: DocumentLoadEvent[] = [];
      const signed = await signDataIntegrity({ document, privateKey: issuer.privateKey, verificationMethod: issuer.vm });
      const report = await verify(signed, { resolver: resolver11, formats: [dataIntegrityFormatVerifier({ onDocumentLoad: (e) => events.push(e) })], now: NOW });
      expect(failedChecks(report)).toEqual([]);
      expect(report.verified).toBe(true);
      expect(events.some((e) => e.url === 'https://www.w3.org/ns/odrl.jsonld' && e.outcome === 'context')).toBe(true);
      expect(requests).toBe(0);
    } finally {
      await resolver11.close();
    }
  });

  it('bounds the number of loads', async () => {
    const loader = createOfflineDocumentLoader({ maxLoads: 2 });
    await loader(VC_V2);
    await loader(VC_V2);
    await expect(loader(VC_V2)).rejects.toThrow(/more than 2 documents/);
    expect(() => createOfflineDocumentLoader({ maxLoads: 0 })).toThrow(TypeError);
  });

  it('a credential naming an unbundled context fails format without any request reaching the context host', async () => {
    const issuer = didKeyIssuer();
    const credential = { ...credentialV2(issuer.did), '@context': [VC_V2, `${base}/context.jsonld`] };
    // Without a proof no Data Integrity verifier claims it.
    const unsigned = await verify(credential, { resolver, formats: [dataIntegrityFormatVerifier()], now: NOW });
    expect(unsigned.format).toBe('unknown');
    const withProof = { ...credential, proof: { type: 'DataIntegrityProof', cryptosuite: 'eddsa-rdfc-2022', proofPurpose: 'assertionMethod', verificationMethod: issuer.vm, proofValue: 'z1' } };
    const r2 = await verify(withProof, { resolver, formats: [dataIntegrityFormatVerifier()], now: NOW });
    expect(failedChecks(r2)).toEqual(['format']);
    expect(r2.errors[0]).toMatchObject({ code: 'FEATURE_NOT_SUPPORTED' });
    expect(r2.errors[0]?.message).toContain(`${base}/context.jsonld`);
    expect(requests).toBe(0);
  });

  it('a remote context nested inside an inline context is refused during canonicalisation and named in the report', async () => {
    const issuer = didKeyIssuer();
    const events: DocumentLoadEvent[] = [];
    // The scoped context is only loaded when the term is used, i.e. while canonicalising, after the top-level scan.
    const document = credentialV2(issuer.did, {
      '@context': [VC_V2, { scoped: { '@id': 'https://example.org/vocab#scoped', '@context': `${base}/scoped.jsonld` } }],
      credentialSubject: { id: 'did:example:holder', scoped: { evil: 'x' } },
    });
    // Sign with a loader that knows the scoped context, as an issuer with that context would.
    const signed = await signDataIntegrity({
      document,
      privateKey: issuer.privateKey,
      verificationMethod: issuer.vm,
      contexts: new Map([[`${base}/scoped.jsonld`, { '@context': { evil: 'https://evil.example/#term' } }]]),
    });
    const report = await verify(signed, { resolver, formats: [dataIntegrityFormatVerifier({ onDocumentLoad: (e) => events.push(e) })], now: NOW });
    expect(report.verified).toBe(false);
    expect(report.errors[0]).toMatchObject({ code: 'FEATURE_NOT_SUPPORTED', check: 'signature' });
    expect(report.errors[0]?.message).toContain(`${base}/scoped.jsonld`);
    expect(events.some((e) => e.outcome === 'refused' && e.url === `${base}/scoped.jsonld`)).toBe(true);
    expect(requests).toBe(0);
    // With the context supplied by the verifier's configuration, the same credential verifies.
    const configured = await verify(signed, {
      resolver,
      formats: [dataIntegrityFormatVerifier({ contexts: new Map([[`${base}/scoped.jsonld`, { '@context': { evil: 'https://evil.example/#term' } }]]) })],
      now: NOW,
    });
    expect(configured.verified).toBe(true);
  });
});

describe('W3C vc-di-eddsa test vectors', () => {
  let resolver: Resolver;
  beforeAll(() => {
    resolver = new Resolver({ adapters: [createKeyAdapter()] });
  });
  afterAll(async () => {
    await resolver.close();
  });

  it('the bundled contexts canonicalise the unsigned vector exactly as published (RDFC-1.0)', async () => {
    const documentLoader = createOfflineDocumentLoader();
    const canon = await eddsaRdfc2022.canonize(vectorJson('unsigned.json'), { documentLoader });
    expect(canon).toBe(vector('eddsa-rdfc-2022-canonDocDataInt.txt'));
    const proofCanon = await eddsaRdfc2022.canonize(
      { '@context': vectorJson('unsigned.json')['@context'], ...vectorJson('eddsa-rdfc-2022-proofConfigDataInt.json') },
      { documentLoader },
    );
    expect(proofCanon).toBe(vector('eddsa-rdfc-2022-proofCanonDataInt.txt'));
  });

  it('the published key pair signs the published signature (Ed25519 is deterministic)', async () => {
    const signed = vectorJson('eddsa-rdfc-2022-signedDataInt.json');
    // privateKeyMultibase: base58btc of the multicodec ed25519-priv (0x1300, varint 80 26) and the 32-byte seed.
    const raw = base58Bitcoin.decode(vectorJson('keyPair.json').privateKeyMultibase.slice(1));
    expect([...raw.subarray(0, 2)]).toEqual([0x80, 0x26]);
    const privateKey = raw.subarray(2);
    expect(encodeMultikey({ type: 'Ed25519', bytes: ed25519.getPublicKey(privateKey) })).toBe(vectorJson('keyPair.json').publicKeyMultibase);
    const ours = await signDataIntegrity({
      document: vectorJson('unsigned.json'),
      privateKey,
      verificationMethod: signed.proof.verificationMethod,
      created: signed.proof.created,
    });
    expect((ours.proof as any).proofValue).toBe(signed.proof.proofValue);
  });

  for (const [file, suite] of [
    ['eddsa-rdfc-2022-signedDataInt.json', 'eddsa-rdfc-2022'],
    ['Ed25519Signature2020-signedEdSig.json', 'Ed25519Signature2020'],
  ] as const) {
    it(`${suite}: the proof verifies, and the report says the issuer (an https URL) did not make it`, async () => {
      const report = await verify(vectorJson(file), { resolver, formats: [dataIntegrityFormatVerifier()], now: NOW });
      expect(check(report, 'issuer-resolution')?.outcome).toBe('pass');
      expect(check(report, 'signature')?.outcome).toBe('pass');
      expect(failedChecks(report)).toEqual(['key-authorised']);
      expect(report.verified).toBe(false);
      // Tampering with the vector breaks the signature.
      const tampered = vectorJson(file);
      tampered.credentialSubject.alumniOf = 'Another School';
      const bad = await verify(tampered, { resolver, formats: [dataIntegrityFormatVerifier()], now: NOW });
      expect(failedChecks(bad)).toContain('signature');
    });
  }

  it('the employment vector names a context that is not bundled', async () => {
    const report = await verify(vectorJson('eddsa-rdfc-2022-employ-signedDataInt.json'), { resolver, formats: [dataIntegrityFormatVerifier()], now: NOW });
    expect(failedChecks(report)).toEqual(['format']);
    expect(report.errors[0]).toMatchObject({ code: 'FEATURE_NOT_SUPPORTED' });
    expect(report.errors[0]?.message).toContain('https://w3id.org/citizenship/v4rc1');
  });
});
