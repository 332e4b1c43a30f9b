/**
 * Data Integrity `ecdsa-rdfc-2019` (P-256 and P-384) through `verify()` and `didbridge issue`.
 *
 * - The W3C vc-di-ecdsa test vectors (fixtures/credentials/data-integrity/w3c-vc-di-ecdsa/SOURCE.md) as data: the
 *   bundled contexts give the published canonical forms; SHA-256 (P-256) / SHA-384 (P-384) of them are the published
 *   hashes; node:crypto verifies the published signature over them; our signer reproduces the published proofValue
 *   from the published key (RFC 6979); verify() checks the published signed credentials through the did:key resolver.
 * - Round trips issue → verify for both curves, and every failure named by its check: tampered, wrong key, someone
 *   else's key, key outside assertionMethod, a key of the wrong type, expired, unknown issuer.
 * - Interoperability both ways with the Digital Bazaar stack: what our issue path signs verifies with
 *   `@digitalbazaar/vc` `verifyCredential` + the ecdsa-rdfc-2019 cryptosuite (given only our offline loader), and
 *   what @digitalbazaar/ecdsa-multikey keys sign verifies with verify().
 */
// @ts-expect-error -- untyped ESM package (JSDoc only)
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
// @ts-expect-error -- untyped ESM package (JSDoc only)
import { cryptosuite as ecdsaRdfc2019 } from '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite';
// @ts-expect-error -- untyped ESM package (JSDoc only)
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
// @ts-expect-error -- untyped ESM package (JSDoc only)
import * as vc from '@digitalbazaar/vc';
import { p256, p384 } from '@noble/curves/nist.js';
import { createHash, createPublicKey, verify as nodeVerify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyAdapter } from '../../adapters/key/index.js';
import { BUNDLED_CONTEXTS } from '../../src/credentials/contexts/index.js';
import { createOfflineDocumentLoader, type DocumentLoadEvent } from '../../src/credentials/data-integrity/document-loader.js';
import { signDataIntegrity } from '../../src/credentials/data-integrity/sign.js';
import { dataIntegrityFormatVerifier } from '../../src/credentials/data-integrity/verify.js';
import { didKeyIssuer, issueCredential, IssueInputError, readIssuerKey, type IssuerKey } from '../../src/credentials/issue.js';
import type { VerificationReport } from '../../src/credentials/report.js';
import { verify, type VerifyCallOptions } from '../../src/credentials/verify.js';
import { base58Bitcoin, encodeHex } from '../../src/keys/codecs.js';
import { publicKeyToJwk } from '../../src/keys/jwk.js';
import { decodeMultikey, decompressPoint, encodeMultikey } from '../../src/keys/multikey.js';
import { Resolver } from '../../src/resolver.js';
import { createTestAdapter, type TestRecord } from '../helpers/test-adapter.js';
import { expectMutationsNeverVerify } from '../helpers/mutations.js';
import { runIssueCommand } from '../helpers/issue-cli.js';

const NOW = '2025-06-01T00:00:00Z';
const VC_V2 = 'https://www.w3.org/ns/credentials/v2';
const VC_EXAMPLES_V2 = 'https://www.w3.org/ns/credentials/examples/v2';

const FIXTURES = '../../fixtures/credentials/data-integrity/w3c-vc-di-ecdsa/';
const vector = (name: string) => readFileSync(new URL(`${FIXTURES}${name}`, import.meta.url), 'utf8');
const vectorJson = (name: string) => JSON.parse(vector(name)) as Record<string, any>;

type Curve = 'P-256' | 'P-384';
const CURVES = [
  { curve: 'P-256', tag: 'p256', TAG: 'P256', noble: p256, hash: 'sha256', hashName: 'SHA-256', privateLength: 32, secretHeader: [0x86, 0x26] },
  { curve: 'P-384', tag: 'p384', TAG: 'P384', noble: p384, hash: 'sha384', hashName: 'SHA-384', privateLength: 48, secretHeader: [0x87, 0x26] },
] as const;

function check(report: VerificationReport, name: string) {
  return report.checks.find((c) => c.name === name);
}

function failed(report: VerificationReport): string[] {
  return report.checks.filter((c) => c.outcome === 'fail').map((c) => c.name);
}

function newIssuer(curve: Curve): IssuerKey {
  const noble = curve === 'P-256' ? p256 : p384;
  return didKeyIssuer({ keyType: curve, privateKey: noble.utils.randomSecretKey() });
}

function credentialV2(issuer: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    '@context': [VC_V2, VC_EXAMPLES_V2],
    id: 'urn:uuid:5c2b8e52-3f0d-4b4e-9a57-1d3c2f7e9b01',
    type: ['VerifiableCredential'],
    issuer,
    validFrom: '2025-01-01T00:00:00Z',
    credentialSubject: { id: 'did:example:holder', name: 'Chen Jing', degree: { type: 'BachelorDegree', name: 'Civil Engineering' } },
    ...extra,
  };
}

/** The published key pair of a curve: the raw private scalar (after the multicodec header) and the did:key. */
function publishedKey(c: (typeof CURVES)[number]) {
  const pair = vectorJson(`${c.tag}KeyPair.json`);
  const raw = base58Bitcoin.decode(pair.secretKeyMultibase.slice(1));
  expect([...raw.subarray(0, 2)]).toEqual([...c.secretHeader]);
  const privateKey = raw.subarray(2);
  expect(privateKey).toHaveLength(c.privateLength);
  const did = `did:key:${pair.publicKeyMultibase}`;
  return { privateKey, did, vm: `${did}#${pair.publicKeyMultibase}`, publicKeyMultibase: pair.publicKeyMultibase as string };
}

// did:test documents for what did:key cannot express: a key outside assertionMethod, a key given as a JWK.
const assertKey = p256.utils.randomSecretKey();
const authOnlyKey = p256.utils.randomSecretKey();
const jwkKey = p384.utils.randomSecretKey();
const RECORDS: Record<string, TestRecord> = {
  ecdsa: {
    document: {
      verificationMethod: [
        { id: '#assert', type: 'Multikey', controller: 'did:test:ecdsa', publicKeyMultibase: encodeMultikey({ type: 'P-256', bytes: p256.getPublicKey(assertKey, true) }) },
        { id: '#auth', type: 'Multikey', controller: 'did:test:ecdsa', publicKeyMultibase: encodeMultikey({ type: 'P-256', bytes: p256.getPublicKey(authOnlyKey, true) }) },
        // A P-384 key as a JWK: the bridge hands the suite library a Multikey all the same.
        { id: '#jwk', type: 'JsonWebKey', controller: 'did:test:ecdsa', publicKeyJwk: publicKeyToJwk({ type: 'P-384', bytes: p384.getPublicKey(jwkKey, true) }) },
      ],
      authentication: ['#auth'],
      assertionMethod: ['#assert', '#jwk'],
    },
  },
};

describe('ecdsa-rdfc-2019: issue → verify through the bridge (did:key P-256 and P-384 issuers)', () => {
  let resolver: Resolver;
  let options: VerifyCallOptions;
  const loads: DocumentLoadEvent[] = [];

  beforeAll(() => {
    resolver = new Resolver({ adapters: [createKeyAdapter(), createTestAdapter({ records: RECORDS })] });
    options = { resolver, formats: [dataIntegrityFormatVerifier({ onDocumentLoad: (e) => loads.push(e) })], now: NOW };
  });
  afterAll(async () => {
    await resolver.close();
  });

  for (const c of CURVES) {
    describe(c.curve, () => {
      const issuer = newIssuer(c.curve);
      const other = newIssuer(c.curve);

      it('issueCredential signs with ecdsa-rdfc-2019 by default and verify() says what it relied on', async () => {
        const issued = await issueCredential({ key: issuer, format: 'di', subject: { id: 'did:example:holder', degree: 'BEng' }, now: new Date(NOW) });
        expect(issued.algorithm).toBe('ecdsa-rdfc-2019');
        const credential = issued.credential as Record<string, any>;
        expect(credential.proof).toMatchObject({ type: 'DataIntegrityProof', cryptosuite: 'ecdsa-rdfc-2019', proofPurpose: 'assertionMethod', verificationMethod: issuer.verificationMethod });
        // IEEE P1363 r ‖ s: 64 bytes for P-256, 96 for P-384, multibase base58btc.
        expect(credential.proof.proofValue).toMatch(/^z/);
        expect(base58Bitcoin.decode(credential.proof.proofValue.slice(1))).toHaveLength(c.privateLength * 2);
        loads.length = 0;
        const report = await verify(credential, options);
        expect(failed(report)).toEqual([]);
        expect(report.verified).toBe(true);
        expect(report.format).toBe('data-integrity');
        expect(report.issuer).toMatchObject({ id: issuer.did, resolvedMethod: 'key', translated: false });
        expect(report.key).toMatchObject({ verificationMethod: issuer.verificationMethod, type: 'Multikey', keyType: c.curve, relationship: 'assertionMethod' });
        const signature = check(report, 'signature')!;
        expect(signature.detail).toContain('ecdsa-rdfc-2019');
        expect(signature.detail).toContain(`${c.hashName} + ECDSA ${c.curve}`);
        expect(signature.data).toMatchObject({ algorithm: 'ecdsa-rdfc-2019' });
        for (const name of ['format', 'issuer-resolution', 'key-authorised', 'validity-period']) expect(check(report, name)?.outcome, name).toBe('pass');
        expect(check(report, 'status')?.outcome).toBe('skip');
        // Nothing fetched: every load was a bundled context or the key the bridge selected.
        expect(loads.length).toBeGreaterThan(0);
        expect(loads.every((e) => e.outcome !== 'refused')).toBe(true);
        expect(loads.filter((e) => e.outcome === 'context').every((e) => BUNDLED_CONTEXTS.has(e.url))).toBe(true);
      });

      it('a VC Data Model 1.1 credential (the suite adds the data-integrity context) verifies', async () => {
        const issued = await issueCredential({ key: issuer, format: 'di', vcVersion: '1.1', subject: { id: 'did:example:holder' }, now: new Date(NOW) });
        const credential = issued.credential as Record<string, any>;
        expect(credential['@context'][0]).toBe('https://www.w3.org/2018/credentials/v1');
        expect(credential['@context']).toContain('https://w3id.org/security/data-integrity/v2');
        const report = await verify(credential, options);
        expect(failed(report)).toEqual([]);
        expect(report.verified).toBe(true);
      });

      it('a tampered credential and a tampered proof option fail on signature', async () => {
        const signed = await signDataIntegrity({ document: credentialV2(issuer.did), privateKey: issuer.privateKey, keyType: c.curve, verificationMethod: issuer.verificationMethod });
        const tampered = structuredClone(signed) as any;
        tampered.credentialSubject.degree.name = 'Medicine';
        const report = await verify(tampered, options);
        expect(report.verified).toBe(false);
        expect(failed(report)).toEqual(['signature']);
        expect(report.errors[0]).toMatchObject({ code: 'CRYPTOGRAPHIC_SECURITY_ERROR', check: 'signature' });
        const moved = structuredClone(signed) as any;
        moved.proof.created = '2030-01-01T00:00:00Z';
        expect(failed(await verify(moved, options))).toEqual(['signature']);
        // A signature of the right length but not over this document (r ‖ s of another message).
        const forged = structuredClone(signed) as any;
        const bytes = base58Bitcoin.decode(forged.proof.proofValue.slice(1));
        bytes[5] = bytes[5]! ^ 0x01;
        forged.proof.proofValue = `z${base58Bitcoin.encode(bytes)}`;
        expect(failed(await verify(forged, options))).toEqual(['signature']);
      });

      it('a proof signed with another key than the one it names fails on signature', async () => {
        const signed = await signDataIntegrity({ document: credentialV2(issuer.did), privateKey: other.privateKey, keyType: c.curve, verificationMethod: issuer.verificationMethod });
        const report = await verify(signed, options);
        expect(failed(report)).toEqual(['signature']);
        expect(check(report, 'signature')?.detail).toContain(issuer.verificationMethod);
      });

      it("a valid proof by someone else's key fails on key-authorised (INVALID_VERIFICATION_METHOD)", async () => {
        const signed = await signDataIntegrity({ document: credentialV2(issuer.did), privateKey: other.privateKey, keyType: c.curve, verificationMethod: other.verificationMethod });
        const report = await verify(signed, options);
        expect(check(report, 'signature')?.outcome).toBe('pass');
        expect(failed(report)).toEqual(['key-authorised']);
        expect(report.errors[0]?.code).toBe('INVALID_VERIFICATION_METHOD');
      });

      it('expired and not-yet-valid credentials fail on validity-period', async () => {
        const expired = await signDataIntegrity({
          document: credentialV2(issuer.did, { validUntil: '2025-03-01T00:00:00Z' }),
          privateKey: issuer.privateKey, keyType: c.curve,
          verificationMethod: issuer.verificationMethod,
        });
        const report = await verify(expired, options);
        expect(check(report, 'signature')?.outcome).toBe('pass');
        expect(failed(report)).toEqual(['validity-period']);
        expect(report.errors[0]?.code).toBe('EXPIRED');
        expect((await verify(expired, { ...options, now: '2025-02-01T00:00:00Z' })).verified).toBe(true);
        const future = await signDataIntegrity({ document: credentialV2(issuer.did, { validFrom: '2026-01-01T00:00:00Z' }), privateKey: issuer.privateKey, keyType: c.curve, verificationMethod: issuer.verificationMethod });
        const later = await verify(future, options);
        expect(failed(later)).toEqual(['validity-period']);
        expect(later.errors[0]?.code).toBe('NOT_YET_VALID');
      });

      it('a presentation signed by a holder key (authentication) with a challenge verifies; a replay fails', async () => {
        const holder = newIssuer(c.curve);
        const credential = await signDataIntegrity({
          document: credentialV2(issuer.did, { credentialSubject: { id: holder.did, name: 'Li Si' } }),
          privateKey: issuer.privateKey, keyType: c.curve,
          verificationMethod: issuer.verificationMethod,
        });
        const presentation = { '@context': [VC_V2, VC_EXAMPLES_V2], type: ['VerifiablePresentation'], holder: holder.did, verifiableCredential: [credential] };
        const signed = await signDataIntegrity({ document: presentation, privateKey: holder.privateKey, keyType: c.curve, verificationMethod: holder.verificationMethod, challenge: 'n-42', domain: 'verifier.example' });
        const report = await verify(signed, { ...options, challenge: 'n-42', domain: 'verifier.example' });
        expect(failed(report)).toEqual([]);
        expect(report.verified).toBe(true);
        expect(report.format).toBe('data-integrity-vp');
        expect(report.key).toMatchObject({ keyType: c.curve, relationship: 'authentication' });
        expect(report.presentation?.credentials[0]?.verified).toBe(true);
        expect(failed(await verify(signed, { ...options, challenge: 'other' }))).toEqual(['challenge']);
      });
    });
  }

  it('an unknown issuer fails on issuer-resolution (the signature is not checked)', async () => {
    const key = newIssuer('P-256');
    // A did:key whose multibase is not a key: the did:key adapter answers invalidDid.
    const bogus = 'did:key:zDnaInvalidInvalidInvalidInvalidInvalidInvalidInvalid';
    const signed = await signDataIntegrity({ document: credentialV2(bogus), privateKey: key.privateKey, keyType: 'P-256', verificationMethod: `${bogus}#k`, suite: 'ecdsa-rdfc-2019' });
    const report = await verify(signed, options);
    expect(report.verified).toBe(false);
    expect(failed(report)).toContain('issuer-resolution');
    expect(check(report, 'signature')?.outcome).toBe('skip');
    // A DID of a method nobody serves: the same check.
    const unknown = await signDataIntegrity({ document: credentialV2('did:test:nobody'), privateKey: key.privateKey, keyType: 'P-256', verificationMethod: 'did:test:nobody#k' });
    const r2 = await verify(unknown, options);
    expect(failed(r2)).toContain('issuer-resolution');
    expect(r2.errors[0]?.check).toBe('issuer-resolution');
  });

  it('a key outside assertionMethod verifies the signature but fails key-authorised (INVALID_RELATIONSHIP_FOR_VERIFICATION_METHOD)', async () => {
    const signed = await signDataIntegrity({ document: credentialV2('did:test:ecdsa'), privateKey: authOnlyKey, keyType: 'P-256', verificationMethod: 'did:test:ecdsa#auth' });
    const report = await verify(signed, options);
    expect(check(report, 'signature')?.outcome).toBe('pass');
    expect(failed(report)).toEqual(['key-authorised']);
    expect(report.errors[0]?.code).toBe('INVALID_RELATIONSHIP_FOR_VERIFICATION_METHOD');
    expect(report.key).toMatchObject({ verificationMethod: 'did:test:ecdsa#auth', keyType: 'P-256' });
    // The authorised key of the same DID verifies.
    const good = await signDataIntegrity({ document: credentialV2('did:test:ecdsa'), privateKey: assertKey, keyType: 'P-256', verificationMethod: 'did:test:ecdsa#assert' });
    expect((await verify(good, options)).verified).toBe(true);
  });

  it('a P-384 key published as a JWK verifies (the bridge gives the suite a Multikey) and the report names its declared type', async () => {
    const signed = await signDataIntegrity({ document: credentialV2('did:test:ecdsa'), privateKey: jwkKey, keyType: 'P-384', verificationMethod: 'did:test:ecdsa#jwk' });
    const report = await verify(signed, options);
    expect(failed(report)).toEqual([]);
    expect(report.key).toMatchObject({ verificationMethod: 'did:test:ecdsa#jwk', type: 'JsonWebKey', keyType: 'P-384' });
    expect(check(report, 'signature')?.detail).toContain('SHA-384 + ECDSA P-384');
  });

  it('a did:key issuer whose documents carry JsonWebKey methods verifies the same', async () => {
    const jwkResolver = new Resolver({ adapters: [createKeyAdapter({ publicKeyFormat: 'JsonWebKey' })] });
    try {
      for (const curve of ['P-256', 'P-384'] as const) {
        const key = newIssuer(curve);
        const signed = (await issueCredential({ key, format: 'di', subject: { id: 'did:example:holder' }, now: new Date(NOW) })).credential;
        const report = await verify(signed, { resolver: jwkResolver, formats: [dataIntegrityFormatVerifier()], now: NOW });
        expect(failed(report), curve).toEqual([]);
        expect(report.key?.keyType).toBe(curve);
      }
    } finally {
      await jwkResolver.close();
    }
  });

  it('an ecdsa-rdfc-2019 proof naming an Ed25519 key fails on key-authorised (wrong key type), not as a crash', async () => {
    const ed = didKeyIssuer({ keyType: 'Ed25519', privateKey: new Uint8Array(32).fill(7) });
    const p = newIssuer('P-256');
    const signed = (await signDataIntegrity({ document: credentialV2(ed.did), privateKey: p.privateKey, keyType: 'P-256', verificationMethod: ed.verificationMethod })) as any;
    expect(signed.proof.cryptosuite).toBe('ecdsa-rdfc-2019');
    const report = await verify(signed, options);
    expect(report.verified).toBe(false);
    expect(failed(report)).toEqual(['key-authorised']);
    expect(report.errors[0]?.code).toBe('INVALID_VERIFICATION_METHOD');
    expect(check(report, 'key-authorised')?.detail).toMatch(/Ed25519 key; the algorithm needs P-256 or P-384/);
    // And the other way round: an eddsa proof by a P-256 key.
    const eddsa = (await signDataIntegrity({ document: credentialV2(p.did), privateKey: new Uint8Array(32).fill(7), verificationMethod: p.verificationMethod })) as any;
    expect(eddsa.proof.cryptosuite).toBe('eddsa-rdfc-2022');
    expect(failed(await verify(eddsa, options))).toEqual(['key-authorised']);
  });
});

describe('ecdsa-rdfc-2019: bad input never throws', () => {
  it('random replacements anywhere in a signed P-384 credential give a report, never a verified one, never a crash', async () => {
    const resolver = new Resolver({ adapters: [createKeyAdapter()] });
    const issuer = newIssuer('P-384');
    const base = await signDataIntegrity({ document: credentialV2(issuer.did), privateKey: issuer.privateKey, keyType: 'P-384', verificationMethod: issuer.verificationMethod });
    try {
      await expectMutationsNeverVerify(base, (mutated) => verify(mutated, { resolver, formats: [dataIntegrityFormatVerifier()], now: NOW }), {
        numRuns: 60,
        maxDepth: 2,
        skipUnchanged: true,
      });
    } finally {
      await resolver.close();
    }
  });
});

describe('W3C vc-di-ecdsa test vectors (ecdsa-rdfc-2019)', () => {
  let resolver: Resolver;
  beforeAll(() => {
    resolver = new Resolver({ adapters: [createKeyAdapter()] });
  });
  afterAll(async () => {
    await resolver.close();
  });

  for (const c of CURVES) {
    describe(c.curve, () => {
      const file = (name: string) => `ecdsa-rdfc-2019-${c.tag}-${name}ECDSA${c.TAG}`;

      it(`the bundled contexts give the published canonical forms; their ${c.hashName} hashes are the published ones`, async () => {
        const documentLoader = createOfflineDocumentLoader();
        const canonDoc = await ecdsaRdfc2019.canonize(vectorJson('unsigned.json'), { documentLoader });
        expect(canonDoc).toBe(vector(`${file('canonDoc')}.txt`));
        const proofCanon = await ecdsaRdfc2019.canonize(vectorJson(`${file('proofConfig')}.json`), { documentLoader });
        expect(proofCanon).toBe(vector(`${file('proofCanon')}.txt`));
        // vc-di-ecdsa "Hashing (ecdsa-rdfc-2019)": the hash follows the curve (SHA-256 for P-256, SHA-384 for P-384).
        const docHash = createHash(c.hash).update(canonDoc).digest('hex');
        const proofHash = createHash(c.hash).update(proofCanon).digest('hex');
        expect(docHash).toBe(vector(`${file('docHash')}.txt`).trim());
        expect(proofHash).toBe(vector(`${file('proofHash')}.txt`).trim());
        expect(proofHash + docHash).toBe(vector(`${file('combinedHash')}.txt`).trim());
      });

      it('node:crypto verifies the published signature over the combined hash with the did:key public key', async () => {
        const { publicKeyMultibase } = publishedKey(c);
        const key = decodeMultikey(publicKeyMultibase);
        expect(key.type).toBe(c.curve);
        const jwk = publicKeyToJwk(key);
        const publicKey = createPublicKey({ key: jwk as import('node:crypto').JsonWebKey, format: 'jwk' });
        const combined = Buffer.from(vector(`${file('combinedHash')}.txt`).trim(), 'hex');
        const signature = Buffer.from(vector(`${file('sigHex')}.txt`).trim(), 'hex');
        expect(signature).toHaveLength(c.privateLength * 2);
        expect(nodeVerify(c.hash, combined, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature)).toBe(true);
        // With the other curve's hash it does not verify: the hash really follows the curve.
        expect(nodeVerify(c.hash === 'sha256' ? 'sha384' : 'sha256', combined, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature)).toBe(false);
        // sigBTC58 is the same bytes as multibase base58btc, and is the signed credential's proofValue.
        const btc58 = vector(`${file('sigBTC58')}.txt`).trim();
        expect(Buffer.from(base58Bitcoin.decode(btc58.slice(1))).equals(signature)).toBe(true);
        expect(vectorJson(`${file('signed')}.json`).proof.proofValue).toBe(btc58);
      });

      it('our signer reproduces the published proofValue from the published key (RFC 6979 deterministic ECDSA)', async () => {
        const { privateKey, vm, publicKeyMultibase } = publishedKey(c);
        expect(encodeMultikey({ type: c.curve, bytes: c.noble.getPublicKey(privateKey, true) })).toBe(publicKeyMultibase);
        const signed = vectorJson(`${file('signed')}.json`);
        const ours = await signDataIntegrity({
          document: vectorJson('unsigned.json'),
          privateKey,
          keyType: c.curve,
          verificationMethod: vm,
          created: signed.proof.created,
        });
        expect(ours).toEqual(signed);
      });

      it('verify(): the published proof verifies with the did:key the bridge resolves; its issuer (an https URL) did not make it', async () => {
        const signed = vectorJson(`${file('signed')}.json`);
        const report = await verify(signed, { resolver, formats: [dataIntegrityFormatVerifier()], now: NOW });
        expect(check(report, 'issuer-resolution')?.outcome).toBe('pass');
        expect(check(report, 'signature')?.outcome).toBe('pass');
        expect(report.key).toMatchObject({ verificationMethod: signed.proof.verificationMethod, keyType: c.curve });
        expect(failed(report)).toEqual(['key-authorised']);
        expect(report.verified).toBe(false);
        const tampered = vectorJson(`${file('signed')}.json`);
        tampered.credentialSubject.alumniOf = 'Another School';
        expect(failed(await verify(tampered, { resolver, formats: [dataIntegrityFormatVerifier()], now: NOW }))).toContain('signature');
      });

      it('verify(): the vector credential issued by the did:key of the published key verifies fully', async () => {
        const { privateKey, did, vm } = publishedKey(c);
        const signed = await signDataIntegrity({
          document: { ...vectorJson('unsigned.json'), issuer: did },
          privateKey,
          keyType: c.curve,
          verificationMethod: vm,
          created: '2023-02-24T23:36:38Z',
        });
        const report = await verify(signed, { resolver, formats: [dataIntegrityFormatVerifier()], now: NOW });
        expect(failed(report)).toEqual([]);
        expect(report.verified).toBe(true);
        expect(report.issuer).toMatchObject({ id: did, resolvedMethod: 'key' });
      });

      it('the employment vector names a context that is not bundled (reported, never fetched)', async () => {
        const report = await verify(vectorJson(`ecdsa-rdfc-2019-${c.tag}-employ-signedECDSA${c.TAG}.json`), { resolver, formats: [dataIntegrityFormatVerifier()], now: NOW });
        expect(failed(report)).toEqual(['format']);
        expect(report.errors[0]).toMatchObject({ code: 'FEATURE_NOT_SUPPORTED' });
        expect(report.errors[0]?.message).toContain('https://w3id.org/citizenship/v4rc1');
      });
    });
  }
});

describe('interoperability with the Digital Bazaar stack', () => {
  let resolver: Resolver;
  beforeAll(() => {
    resolver = new Resolver({ adapters: [createKeyAdapter()] });
  });
  afterAll(async () => {
    await resolver.close();
  });

  for (const curve of ['P-256', 'P-384'] as const) {
    it(`${curve}: a credential from our issue path verifies with @digitalbazaar/vc verifyCredential (offline loader only); tampered, it does not`, async () => {
      const key = newIssuer(curve);
      const credential = (await issueCredential({ key, format: 'di', subject: { id: 'did:example:holder', degree: 'BEng' }, now: new Date(NOW) })).credential;
      const events: DocumentLoadEvent[] = [];
      const documentLoader = createOfflineDocumentLoader({ resolver, onLoad: (e) => events.push(e) });
      const suite = new DataIntegrityProof({ cryptosuite: ecdsaRdfc2019 });
      const result = await vc.verifyCredential({ credential, suite, documentLoader });
      expect(result.error).toBeUndefined();
      expect(result.verified).toBe(true);
      expect(events.every((e) => e.outcome !== 'refused')).toBe(true);
      const tampered = structuredClone(credential) as any;
      tampered.credentialSubject.degree = 'MD';
      const bad = await vc.verifyCredential({ credential: tampered, suite: new DataIntegrityProof({ cryptosuite: ecdsaRdfc2019 }), documentLoader: createOfflineDocumentLoader({ resolver }) });
      expect(bad.verified).toBe(false);
    });

    it(`${curve}: a credential signed by @digitalbazaar/ecdsa-multikey keys and vc.issue verifies with verify()`, async () => {
      const keyPair = await EcdsaMultikey.generate({ curve });
      const did = `did:key:${keyPair.publicKeyMultibase}`;
      keyPair.id = `${did}#${keyPair.publicKeyMultibase}`;
      keyPair.controller = did;
      const suite = new DataIntegrityProof({ signer: keyPair.signer(), cryptosuite: ecdsaRdfc2019 });
      const signed = await vc.issue({ credential: credentialV2(did), suite, documentLoader: createOfflineDocumentLoader({ resolver }) });
      const report = await verify(signed, { resolver, formats: [dataIntegrityFormatVerifier()], now: NOW });
      expect(failed(report)).toEqual([]);
      expect(report.verified).toBe(true);
      expect(report.key?.keyType).toBe(curve);
    });
  }
});

describe('didbridge issue --format di with P-256 / P-384 key files', () => {
  let dir: string;
  let resolver: Resolver;
  const files: Record<string, string> = {};
  const keys: Record<string, { privateKeyHex: string; did: string }> = {};

  const run = (...argv: string[]) => runIssueCommand(() => new Date(NOW), ...argv);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'didbridge-issue-ecdsa-'));
    resolver = new Resolver({ adapters: [createKeyAdapter()] });
    for (const [name, type, noble, uncompressed] of [
      ['p256', 'P-256', p256, false],
      ['p384', 'P-384', p384, true],
    ] as const) {
      const privateKey = noble.utils.randomSecretKey();
      const publicKey = noble.getPublicKey(privateKey, true);
      const publicKeyMultibase = encodeMultikey({ type, bytes: publicKey });
      keys[name] = { privateKeyHex: encodeHex(privateKey), did: `did:key:${publicKeyMultibase}` };
      files[name] = join(dir, `${name}.json`);
      await writeFile(
        files[name]!,
        JSON.stringify({
          format: 'didbridge-key/1',
          type,
          // Either point form is accepted in key files.
          publicKeyHex: encodeHex(uncompressed ? decompressPoint(type, publicKey) : publicKey),
          publicKeyMultibase,
          privateKeyHex: encodeHex(privateKey),
        }),
        { mode: 0o600 },
      );
    }
  });
  afterAll(async () => {
    await resolver?.close();
    await rm(dir, { recursive: true, force: true });
  });

  for (const [name, curve] of [
    ['p256', 'P-256'],
    ['p384', 'P-384'],
  ] as const) {
    it(`the ${curve} key file signs an ecdsa-rdfc-2019 credential that verifies; the private key is not printed`, async () => {
      for (const extra of [[], ['--suite', 'ecdsa-rdfc-2019']]) {
        const { stdout, stderr } = await run('issue', '--key', files[name]!, '--format', 'di', '--subject', '{"id":"did:example:holder","degree":"BEng"}', '--type', 'UniversityDegreeCredential', ...extra);
        const credential = JSON.parse(stdout);
        expect(credential.issuer).toBe(keys[name]!.did);
        expect(credential.proof.cryptosuite).toBe('ecdsa-rdfc-2019');
        const report = await verify(credential, { resolver, formats: [dataIntegrityFormatVerifier()], now: NOW });
        expect(failed(report)).toEqual([]);
        expect(report.key?.keyType).toBe(curve);
        expect(stdout + stderr).not.toContain(keys[name]!.privateKeyHex);
      }
      const { stdout } = await run('issue', '--key', files[name]!, '--format', 'di', '--subject', '{"id":"did:example:holder"}', '--json');
      expect(JSON.parse(stdout)).toMatchObject({ format: 'di', issuer: keys[name]!.did, algorithm: 'ecdsa-rdfc-2019' });
      expect(stdout).not.toContain(keys[name]!.privateKeyHex);
    });
  }

  it('usage errors: an EdDSA suite with an ECDSA key, a P-384 JWT, a mixed-up or mis-sized P-384 key file', async () => {
    await expect(run('issue', '--key', files.p256!, '--format', 'di', '--suite', 'eddsa-rdfc-2022', '--subject', '{}')).rejects.toThrow(/eddsa-rdfc-2022 suite signs with Ed25519 keys; this key is P-256/);
    await expect(run('issue', '--key', files.p384!, '--format', 'jwt', '--subject', '{}')).rejects.toThrow(/P-384 keys sign Data Integrity credentials/);
    const ed = didKeyIssuer({ keyType: 'Ed25519', privateKey: new Uint8Array(32).fill(9) });
    await expect(issueCredential({ key: ed, format: 'di', suite: 'ecdsa-rdfc-2019', subject: {} })).rejects.toThrow(IssueInputError);
    const file = JSON.parse(readFileSync(files.p384!, 'utf8'));
    expect(readIssuerKey(file)).toMatchObject({ keyType: 'P-384', did: keys.p384!.did, method: 'key' });
    expect(() => readIssuerKey({ ...file, privateKeyHex: encodeHex(p384.utils.randomSecretKey()) })).toThrow(/does not belong to its public key/);
    expect(() => readIssuerKey({ ...file, privateKeyHex: file.privateKeyHex.slice(0, 64) })).toThrow(/32 bytes; 48 expected for P-384/);
  });

  it('signDataIntegrity refuses misuse with TypeErrors naming the option', async () => {
    const key = newIssuer('P-384');
    const document = credentialV2(key.did);
    await expect(signDataIntegrity({ document, privateKey: key.privateKey, keyType: 'P-256', verificationMethod: key.verificationMethod })).rejects.toThrow(/32-byte P-256/);
    await expect(signDataIntegrity({ document, privateKey: key.privateKey, keyType: 'P-384', suite: 'Ed25519Signature2020', verificationMethod: key.verificationMethod })).rejects.toThrow(/"options.keyType"/);
    await expect(signDataIntegrity({ document, privateKey: new Uint8Array(48), keyType: 'P-384', verificationMethod: key.verificationMethod })).rejects.toThrow(/not a valid P-384 private key/);
    await expect(signDataIntegrity({ document, privateKey: key.privateKey, keyType: 'X25519' as never, verificationMethod: key.verificationMethod })).rejects.toThrow(TypeError);
  });
});
