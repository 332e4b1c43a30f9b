/**
 * JWT VC / VP verification end to end through a real Resolver: did:key issuers of every key type (Ed25519,
 * secp256k1, P-256, SM2), documents served by an in-memory method for the cases did:key cannot express (a key outside
 * assertionMethod, deactivated or missing issuers, legacy key encodings, a translated document), and the published
 * vectors in fixtures/credentials/jwt. Tokens are signed by did-jwt's own signers (see test/helpers/jwt-issuer.ts), so
 * the verifier is never checked only against itself; did-jwt-vc's verdict is compared where it applies.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createKeyAdapter } from '../../adapters/key/index.js';
import type { MethodAdapter } from '../../src/adapter.js';
import { decodeCompactJws, verifyJwsSignature } from '../../src/credentials/jwt.js';
import type { StatusChecker } from '../../src/credentials/format.js';
import { check, type VerificationReport } from '../../src/credentials/report.js';
import { verify } from '../../src/credentials/verify.js';
import { jwkToPublicKey, publicKeyToJwk } from '../../src/keys/jwk.js';
import { generateKeyPair } from '../../src/keys/generate.js';
import { encodeMultikey } from '../../src/keys/multikey.js';
import { base58Bitcoin } from '../../src/keys/codecs.js';
import { Resolver } from '../../src/resolver.js';
import type { GeneratableKeyType } from '../../src/keys/generate.js';
import { createTestAdapter, type TestRecord } from '../helpers/test-adapter.js';
import {
  VC_V2,
  didKeySigner,
  seconds,
  signJwt,
  signerFor,
  tamperHeader,
  tamperPayload,
  vc11Payload,
  vc20Payload,
  vp11Payload,
} from '../helpers/jwt-issuer.js';

const NOW = '2025-06-01T00:00:00Z';
const VALID = { nbf: '2025-01-01T00:00:00Z', exp: '2026-01-01T00:00:00Z' };

/** A did:test identity with two Ed25519 keys: #key-1 may assert, #key-2 may only authenticate. */
const key1 = generateKeyPair({ type: 'Ed25519' });
const key2 = generateKeyPair({ type: 'Ed25519' });
const sm2Key = generateKeyPair({ type: 'SM2' });
const legacyKey = generateKeyPair({ type: 'Ed25519' });
const multikey = (type: GeneratableKeyType, bytes: Uint8Array) => encodeMultikey({ type, bytes });
const vm = (did: string, fragment: string, mb: string) => ({ id: `#${fragment}`, type: 'Multikey', controller: did, publicKeyMultibase: mb });

const RECORDS: Record<string, TestRecord> = {
  twokeys: {
    document: {
      verificationMethod: [
        vm('did:test:twokeys', 'key-1', multikey('Ed25519', key1.publicKey)),
        vm('did:test:twokeys', 'key-2', multikey('Ed25519', key2.publicKey)),
      ],
      authentication: ['#key-1', '#key-2'],
      assertionMethod: ['#key-1'],
    },
  },
  // A key listed under authentication only and no assertionMethod member at all: did-jwt's legacy rule accepts it.
  noassertion: {
    document: {
      verificationMethod: [vm('did:test:noassertion', 'key-1', multikey('Ed25519', key1.publicKey))],
      authentication: ['#key-1'],
    },
  },
  assertonly: {
    document: {
      verificationMethod: [vm('did:test:assertonly', 'key-1', multikey('Ed25519', key1.publicKey))],
      assertionMethod: ['#key-1'],
    },
  },
  sm2jwk: {
    document: {
      verificationMethod: [
        {
          id: '#sm2',
          type: 'JsonWebKey',
          controller: 'did:test:sm2jwk',
          // SM2 as JWK crv "SM2", as domestic documents and the project's alias table write it.
          publicKeyJwk: publicKeyToJwk({ type: 'SM2', bytes: sm2Key.publicKey }),
        },
      ],
      assertionMethod: ['#sm2'],
    },
  },
  legacy: {
    document: {
      verificationMethod: [
        { id: 'did:test:legacy#owner', type: 'Ed25519VerificationKey2018', controller: 'did:test:legacy', publicKeyBase58: base58Bitcoin.encode(legacyKey.publicKey) },
      ],
      assertionMethod: ['did:test:legacy#owner'],
    },
  },
  gone: { document: {}, metadata: { deactivated: true } },
  broken: { fail: 'INTERNAL_ERROR' },
};

/** A method whose documents come "translated" (with change records), as domestic adapters return them. */
const translatedAdapter: MethodAdapter = {
  id: 'xlat',
  methods: ['xlat'],
  identifierPattern: /^did:xlat:[a-z0-9]+$/,
  traits: { updatable: false, deactivatable: false, enumerable: false, historyAvailable: false, humanReadable: false },
  capabilities: {},
  testIdentifiers: () => [],
  async resolve(did) {
    const mb = multikey('Ed25519', key1.publicKey);
    return {
      didDocument: { id: did.did, verificationMethod: [{ id: `${did.did}#key-1`, type: 'Multikey', controller: did.did, publicKeyMultibase: mb }], assertionMethod: [`${did.did}#key-1`] },
      didDocumentMetadata: {},
      changes: [
        { rule: 'xlat.publicKey-to-verificationMethod', from: '/publicKey/0', to: '/verificationMethod/0', reason: 'test translation' },
        { rule: 'xlat.assertionMethod-added', from: null, to: '/assertionMethod', reason: 'test translation' },
      ],
    };
  },
};

const resolver = new Resolver({ adapters: [createKeyAdapter(), createTestAdapter({ records: RECORDS }), translatedAdapter] });

const ed = (kid = 'did:test:twokeys#key-1', privateKey = key1.privateKey, did = 'did:test:twokeys') =>
  signerFor({ did, kid, keyType: 'Ed25519', privateKey });

function checkOf(report: VerificationReport, name: string) {
  const found = report.checks.find((c) => c.name === name);
  if (!found) throw new Error(`no ${name} check in ${JSON.stringify(report.checks.map((c) => c.name))}`);
  return found;
}

/** Asserts the report failed, with `name` the failing check carrying `code`. */
function expectFailure(report: VerificationReport, name: string, code: string) {
  expect(report.verified).toBe(false);
  expect(report.checks.filter((c) => c.name === name).map((c) => c.outcome)).toContain('fail');
  expect(report.errors).toContainEqual(expect.objectContaining({ check: name, code }));
}

const run = (input: string | object, options: Record<string, unknown> = {}) => verify(input, { resolver, now: NOW, ...options });

describe('JWT VC (VC Data Model 1.1) issued by did:key, each key type', () => {
  const cases: Array<[GeneratableKeyType, string, string]> = [
    ['Ed25519', 'EdDSA', 'node:crypto Ed25519'],
    ['secp256k1', 'ES256K', '@noble/curves secp256k1'],
    ['P-256', 'ES256', 'node:crypto ECDSA P-256'],
    ['SM2', 'SM2', 'sm-crypto-v2 SM2'],
  ];

  it.each(cases)('%s (%s): verifies, and the report names the issuer, the key, the path and every check', async (type, alg, path) => {
    const issuer = didKeySigner(type);
    const jwt = await signJwt(issuer, vc11Payload({ ...VALID, subject: 'did:example:subject', jti: 'urn:uuid:1' }));
    const report = await run(jwt, { crossCheck: true });
    expect(report.verified).toBe(true);
    expect(report.errors).toEqual([]);
    expect(report.format).toBe('jwt-vc');
    expect(report.issuer).toEqual({ id: issuer.did, resolvedMethod: 'key', translated: false });
    expect(report.key).toEqual({ verificationMethod: issuer.kid, type: 'Multikey', keyType: type, relationship: 'assertionMethod' });
    expect(report.checks.map((c) => [c.name, c.outcome])).toEqual([
      ['format', 'pass'],
      ['issuer-resolution', 'pass'],
      ['signature', 'pass'],
      ['key-authorised', 'pass'],
      ['validity-period', 'pass'],
      ['status', 'skip'],
      ['cross-check', type === 'SM2' ? 'skip' : 'pass'],
    ]);
    expect(checkOf(report, 'signature').detail).toContain(alg);
    expect(checkOf(report, 'signature').data).toMatchObject({ algorithm: alg, path: expect.stringContaining(path) });
    expect((report.credential as { iss: string }).iss).toBe(issuer.did);
  });

  it.each(cases)('%s: a tampered payload fails the signature check', async (type) => {
    const issuer = didKeySigner(type);
    const jwt = await signJwt(issuer, vc11Payload({ ...VALID, claims: { degree: 'BSc' } }));
    const tampered = tamperPayload(jwt, (p) => ((p.vc as { credentialSubject: { degree: string } }).credentialSubject.degree = 'PhD'));
    const report = await run(tampered, { crossCheck: type !== 'SM2' });
    expectFailure(report, 'signature', 'CRYPTOGRAPHIC_SECURITY_ERROR');
    expect(checkOf(report, 'issuer-resolution').outcome).toBe('pass');
    if (type !== 'SM2') expect(checkOf(report, 'cross-check').outcome).toBe('pass'); // did-jwt-vc rejects it too
  });

  it.each(cases)('%s: expired and not-yet-valid credentials fail the validity-period check only', async (type) => {
    const issuer = didKeySigner(type);
    const expired = await run(await signJwt(issuer, vc11Payload({ nbf: '2020-01-01T00:00:00Z', exp: '2021-01-01T00:00:00Z' })));
    expectFailure(expired, 'validity-period', 'EXPIRED');
    expect(checkOf(expired, 'signature').outcome).toBe('pass');
    const early = await run(await signJwt(issuer, vc11Payload({ nbf: '2030-01-01T00:00:00Z' })));
    expectFailure(early, 'validity-period', 'NOT_YET_VALID');
    expect(checkOf(early, 'validity-period').detail).toContain('2030-01-01T00:00:00Z (nbf)');
  });

  it.each(cases)('%s: a presentation by the same DID verifies with its credential inside', async (type) => {
    const holder = didKeySigner(type);
    const vc = await signJwt(holder, vc11Payload({ ...VALID, subject: holder.did }));
    const vp = await signJwt(holder, vp11Payload({ credentials: [vc], ...VALID }));
    const report = await run(vp, { crossCheck: true });
    expect(report.verified).toBe(true);
    expect(report.format).toBe('jwt-vp');
    expect(report.key?.relationship).toBe('authentication');
    expect(report.presentation?.holder).toBe(holder.did);
    expect(report.presentation?.credentials.map((r) => [r.format, r.verified])).toEqual([['jwt-vc', true]]);
    expect(checkOf(report, 'holder-binding').outcome).toBe('pass');
  });
});

describe('key selection and authorisation', () => {
  it('without a kid, every method is tried and the one that verifies is reported', async () => {
    const report = await run(await signJwt(ed(), vc11Payload(VALID), { kid: false }));
    expect(report.verified).toBe(true);
    expect(report.key?.verificationMethod).toBe('did:test:twokeys#key-1');
  });

  it('a relative kid and a bare fragment name the same key', async () => {
    for (const kid of ['#key-1', 'key-1']) {
      const report = await run(await signJwt(ed(), vc11Payload(VALID), { kid }));
      expect(report.verified, kid).toBe(true);
    }
  });

  it('a key outside assertionMethod verifies the signature but fails key-authorised (with or without kid)', async () => {
    const signer = ed('did:test:twokeys#key-2', key2.privateKey);
    for (const kid of [undefined, false] as const) {
      const report = await run(await signJwt(signer, vc11Payload(VALID), kid === false ? { kid: false } : {}));
      expectFailure(report, 'key-authorised', 'INVALID_RELATIONSHIP_FOR_VERIFICATION_METHOD');
      expect(checkOf(report, 'signature').outcome).toBe('pass');
      expect(report.key).toMatchObject({ verificationMethod: 'did:test:twokeys#key-2', relationship: 'assertionMethod' });
      expect(checkOf(report, 'key-authorised').detail).toContain('not listed under assertionMethod');
    }
  });

  it('the same key may sign a presentation (authentication), but an assertion-only key may not', async () => {
    const holder = ed('did:test:twokeys#key-2', key2.privateKey);
    expect((await run(await signJwt(holder, vp11Payload({ credentials: [] })))).verified).toBe(true);
    const assertOnly = ed('did:test:assertonly#key-1', key1.privateKey, 'did:test:assertonly');
    const report = await run(await signJwt(assertOnly, vp11Payload({ credentials: [] })));
    expectFailure(report, 'key-authorised', 'INVALID_RELATIONSHIP_FOR_VERIFICATION_METHOD');
    expectFailure(report, 'holder-binding', 'HOLDER_MISMATCH');
  });

  it('a signature by a key the issuer does not have fails the signature check', async () => {
    const issuer = didKeySigner('Ed25519');
    const impostor = didKeySigner('Ed25519');
    const forged = await signJwt({ ...impostor, did: issuer.did, kid: issuer.kid }, vc11Payload(VALID));
    const report = await run(forged);
    expectFailure(report, 'signature', 'CRYPTOGRAPHIC_SECURITY_ERROR');
    expect(checkOf(report, 'key-authorised').outcome).toBe('skip');
  });

  it('a kid that names another DID or a missing method fails key-authorised', async () => {
    const other = didKeySigner('Ed25519');
    const foreign = await run(await signJwt(ed(), vc11Payload(VALID), { kid: other.kid }));
    expectFailure(foreign, 'key-authorised', 'INVALID_VERIFICATION_METHOD');
    expect(checkOf(foreign, 'key-authorised').detail).toContain('belongs to another DID');
    expect(checkOf(foreign, 'signature').outcome).toBe('skip');
    const missing = await run(await signJwt(ed(), vc11Payload(VALID), { kid: '#key-9' }));
    expectFailure(missing, 'key-authorised', 'INVALID_VERIFICATION_METHOD');
  });

  it('reads legacy publicKeyBase58 and SM2 publicKeyJwk methods', async () => {
    const legacy = signerFor({ did: 'did:test:legacy', kid: 'did:test:legacy#owner', keyType: 'Ed25519', privateKey: legacyKey.privateKey });
    expect((await run(await signJwt(legacy, vc11Payload(VALID)))).verified).toBe(true);
    const sm2 = signerFor({ did: 'did:test:sm2jwk', kid: '#sm2', keyType: 'SM2', privateKey: sm2Key.privateKey });
    const report = await run(await signJwt(sm2, vc11Payload(VALID)));
    expect(report.verified).toBe(true);
    expect(report.key).toMatchObject({ type: 'JsonWebKey', keyType: 'SM2' });
  });

  it('records that the issuer document was translated by the bridge', async () => {
    const signer = ed('did:xlat:issuer#key-1', key1.privateKey, 'did:xlat:issuer');
    const report = await run(await signJwt(signer, vc11Payload(VALID)));
    expect(report.verified).toBe(true);
    expect(report.issuer).toEqual({ id: 'did:xlat:issuer', resolvedMethod: 'xlat', translated: true, changes: 2 });
    expect(checkOf(report, 'issuer-resolution').detail).toContain('translated to DID Core by the bridge (2 change(s)');
  });
});

describe('issuer resolution failures name the issuer-resolution check', () => {
  it.each([
    ['did:test:nobody', 'NOT_FOUND'],
    ['did:test:gone', 'DID_DEACTIVATED'],
    ['did:test:broken', 'INTERNAL_ERROR'],
    ['did:nope:abc', 'METHOD_NOT_SUPPORTED'],
    ['https://issuer.example', 'INVALID_DID'],
  ])('%s → %s', async (did, code) => {
    const jwt = await signJwt(ed(`${did}#key-1`, key1.privateKey, did), vc11Payload(VALID));
    const report = await run(jwt);
    expectFailure(report, 'issuer-resolution', code);
    expect(checkOf(report, 'signature').outcome).toBe('skip');
  });
});

describe('algorithms', () => {
  const issuer = didKeySigner('Ed25519');

  it('unsupported algorithms fail the signature check with FEATURE_NOT_SUPPORTED', async () => {
    const payload = Buffer.from(JSON.stringify({ iss: issuer.did, ...vc11Payload(VALID) })).toString('base64url');
    const hs = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
    const hmac = createHmac('sha256', 'secret').update(`${hs}.${payload}`).digest('base64url');
    const none = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    const es384 = Buffer.from(JSON.stringify({ alg: 'ES384' })).toString('base64url');
    for (const [jwt, fragment] of [
      [`${hs}.${payload}.${hmac}`, '"HS256" is not supported'],
      [`${none}.${payload}.`, 'unsecured JWT'],
      [`${es384}.${payload}.${hmac}`, '"ES384" is not supported'],
    ] as const) {
      const report = await run(jwt);
      expectFailure(report, 'signature', 'FEATURE_NOT_SUPPORTED');
      expect(checkOf(report, 'signature').detail).toContain(fragment);
    }
  });

  it('an EdDSA signature under "alg": "ES256K" (as CAICT vc-tool writes them) is not accepted', async () => {
    // domestic-methods.md §4.6: signed with an EdDSA signer but labelled ES256K.
    const jwt = tamperHeader(await signJwt(issuer, vc11Payload(VALID)), (h) => (h.alg = 'ES256K'));
    const report = await run(jwt);
    expectFailure(report, 'key-authorised', 'INVALID_VERIFICATION_METHOD');
    expect(checkOf(report, 'key-authorised').detail).toContain('the algorithm needs secp256k1');
    expect(report.verified).toBe(false);
  });

  it('published JWS vectors verify at the signature layer (RFC 8037 A.4, RFC 7515 A.3), and fail when altered', () => {
    const fixture = JSON.parse(readFileSync(new URL('../../fixtures/credentials/jwt/rfc-jws-vectors.json', import.meta.url), 'utf8')) as {
      vectors: Array<{ title: string; alg: string; jws: string; publicKeyJwk: unknown; expected: boolean }>;
    };
    for (const v of fixture.vectors) {
      const [h, p, s] = v.jws.split('.');
      const signature = Buffer.from(s!, 'base64url');
      const publicKey = jwkToPublicKey(v.publicKeyJwk);
      expect(verifyJwsSignature({ alg: v.alg, signingInput: `${h}.${p}`, signature, publicKey })?.valid, v.title).toBe(v.expected);
      signature[5]! ^= 1;
      expect(verifyJwsSignature({ alg: v.alg, signingInput: `${h}.${p}`, signature, publicKey })?.valid, v.title).toBe(false);
    }
    expect(verifyJwsSignature({ alg: 'RS256', signingInput: 'a.b', signature: new Uint8Array(64), publicKey: jwkToPublicKey(fixture.vectors[0]!.publicKeyJwk) })).toBeUndefined();
  });
});

describe('format', () => {
  const issuer = didKeySigner('Ed25519');

  it.each([
    ['not a JWT at all', 'hello world', 'PARSING_ERROR', 'unknown'],
    ['a header that is not JSON', 'bm90anNvbg.e30.AA', 'PARSING_ERROR', 'jwt-vc'],
  ])('%s → format fails %s', async (_name, input, code, format) => {
    const report = await run(input);
    expectFailure(report, 'format', code);
    expect(report.format).toBe(format);
  });

  it('a JWT that is neither a credential nor a presentation', async () => {
    const report = await run(await signJwt(issuer, { hello: 'world' }));
    expectFailure(report, 'format', 'MALFORMED_VALUE_ERROR');
    expect(checkOf(report, 'format').detail).toContain('no "vc" or "vp" claim');
  });

  it('data-model problems are listed in the format check, and verification still reports the other checks', async () => {
    const jwt = await signJwt(issuer, vc11Payload({ ...VALID, vc: { '@context': undefined, type: ['Other'], issuer: 'did:example:other' } }));
    const report = await run(jwt);
    expectFailure(report, 'format', 'MALFORMED_VALUE_ERROR');
    const detail = checkOf(report, 'format').detail;
    expect(detail).toContain('"@context" is missing');
    expect(detail).toContain('"type" must include "VerifiableCredential"');
    expect(detail).toContain('name different issuers');
    expect(checkOf(report, 'signature').outcome).toBe('pass');
  });

  it('a critical header extension is refused (RFC 7515 §4.1.11)', async () => {
    const report = await run(await signJwt(issuer, vc11Payload(VALID), { header: { crit: ['exp'] } }));
    expectFailure(report, 'format', 'PARSING_ERROR');
  });

  it('expect: credential refuses a presentation', async () => {
    const vp = await signJwt(issuer, vp11Payload({ credentials: [] }));
    const report = await run(vp, { expect: 'credential' });
    expectFailure(report, 'format', 'MALFORMED_VALUE_ERROR');
    expect(checkOf(report, 'format').detail).toContain('a credential was expected, this is a presentation');
  });
});

describe('validity period', () => {
  const issuer = didKeySigner('Ed25519');

  it('the skew tolerates a recently expired credential, and skew 0 does not', async () => {
    const exp = new Date(Date.parse(NOW) - 100_000).toISOString();
    const jwt = await signJwt(issuer, vc11Payload({ exp }));
    expect((await run(jwt)).verified).toBe(true);
    expectFailure(await run(jwt, { skewSeconds: 0 }), 'validity-period', 'EXPIRED');
  });

  it('checks iat, VCDM 1.1 expirationDate and VCDM 2.0 validFrom inside the vc claim', async () => {
    expectFailure(await run(await signJwt(issuer, vc11Payload({ iat: '2030-01-01T00:00:00Z' }))), 'validity-period', 'NOT_YET_VALID');
    const expiredInside = await run(await signJwt(issuer, vc11Payload({ vc: { expirationDate: '2024-01-01T00:00:00Z' } })));
    expectFailure(expiredInside, 'validity-period', 'EXPIRED');
    expect(checkOf(expiredInside, 'validity-period').detail).toContain('(expirationDate)');
    expectFailure(await run(await signJwt(issuer, vc11Payload({ vc: { validFrom: '2029-01-01T00:00:00Z' } }))), 'validity-period', 'NOT_YET_VALID');
  });

  it('a malformed time fails the validity-period check as MALFORMED_VALUE_ERROR', async () => {
    expectFailure(await run(await signJwt(issuer, vc11Payload({ extra: { exp: 'tomorrow' } }))), 'validity-period', 'MALFORMED_VALUE_ERROR');
    expectFailure(await run(await signJwt(issuer, vc11Payload({ vc: { issuanceDate: '2024-02-30T00:00:00Z' } }))), 'validity-period', 'MALFORMED_VALUE_ERROR');
  });

  it('the clock option decides: the same credential is valid in 2025 and expired in 2027', async () => {
    const jwt = await signJwt(issuer, vc11Payload(VALID));
    expect((await run(jwt, { now: new Date('2025-06-01T00:00:00Z') })).verified).toBe(true);
    expect((await run(jwt, { now: seconds('2027-01-01T00:00:00Z') })).verified).toBe(false);
    expect((await run(jwt, { now: () => new Date('2025-06-01T00:00:00Z') })).verified).toBe(true);
  });
});

describe('VC Data Model 2.0 JOSE form (vc+jwt) and wrappers', () => {
  const issuer = didKeySigner('P-256');

  it('a vc+jwt credential verifies, also inside an EnvelopedVerifiableCredential and a JwtProof2020 wrapper', async () => {
    const jwt = await signJwt(issuer, vc20Payload({ issuer: issuer.did, validFrom: '2025-01-01T00:00:00Z' }), { header: { typ: 'vc+jwt', cty: 'vc' }, iss: null });
    const direct = await run(jwt);
    expect(direct.verified).toBe(true);
    expect(checkOf(direct, 'format').detail).toContain('VC Data Model 2.0 JOSE form');
    const enveloped = await run({ '@context': VC_V2, id: `data:application/vc+jwt,${jwt}`, type: 'EnvelopedVerifiableCredential' });
    expect(enveloped.verified).toBe(true);
    expect(checkOf(enveloped, 'format').detail).toContain('EnvelopedVerifiableCredential');
    expect((await run({ proof: { type: 'JwtProof2020', jwt } })).verified).toBe(true);
    expect((await run(JSON.stringify(jwt))).verified).toBe(true);
  });

  it('iss must be the credential issuer, and validUntil is enforced', async () => {
    const other = didKeySigner('P-256');
    const mismatch = await run(await signJwt(issuer, vc20Payload({ issuer: other.did }), { header: { typ: 'vc+jwt' } }));
    expectFailure(mismatch, 'format', 'MALFORMED_VALUE_ERROR');
    const expired = await run(await signJwt(issuer, vc20Payload({ issuer: issuer.did, validUntil: '2025-01-01T00:00:00Z' }), { header: { typ: 'vc+jwt' }, iss: null }));
    expectFailure(expired, 'validity-period', 'EXPIRED');
  });

  describe('W3C VC-JOSE-COSE test suite inputs (fixtures/credentials/jwt/w3c-vc-jose-cose)', () => {
    const load = (name: string) => readFileSync(new URL(`../../fixtures/credentials/jwt/w3c-vc-jose-cose/${name}`, import.meta.url), 'utf8');

    it('credential-jose-minimal: recognised as 2.0; the issuer is no DID; iat is not a NumericDate', async () => {
      const report = await run(load('credential-jose-minimal.txt'));
      expect(report.format).toBe('jwt-vc');
      expect(checkOf(report, 'format')).toMatchObject({ outcome: 'pass', data: { model: '2.0', alg: 'ES256' } });
      expectFailure(report, 'issuer-resolution', 'INVALID_DID');
      expectFailure(report, 'validity-period', 'MALFORMED_VALUE_ERROR');
    });

    it('credential-jose-bad-signature: rejected', async () => {
      expect((await run(load('credential-jose-bad-signature.txt'))).verified).toBe(false);
    });

    it('credential-jose-bad-media-type and credential-jose-vc-vp-claims: the format check fails', async () => {
      const media = await run(load('credential-jose-bad-media-type.txt'));
      expectFailure(media, 'format', 'MALFORMED_VALUE_ERROR');
      expect(checkOf(media, 'format').detail).toContain('"typ" "bad+typ"');
      expectFailure(await run(load('credential-jose-vc-vp-claims.txt')), 'format', 'MALFORMED_VALUE_ERROR');
    });

    it('presentation-jose-multiple: ES384 is not supported; the embedded credentials are reported one by one', async () => {
      const report = await run(load('presentation-jose-multiple.txt'));
      expect(report.format).toBe('jwt-vp');
      expectFailure(report, 'signature', 'FEATURE_NOT_SUPPORTED');
      expect(report.presentation?.credentials.map((r) => r.format)).toEqual(['jwt-vc', 'unknown', 'unknown']);
    });
  });
});

describe('presentations', () => {
  const holder = didKeySigner('Ed25519');
  const issuer = didKeySigner('secp256k1');

  it('a credential about someone else warns by default and fails with subjectBinding: fail', async () => {
    const vc = await signJwt(issuer, vc11Payload({ ...VALID, subject: 'did:example:someone-else' }));
    const vp = await signJwt(holder, vp11Payload({ credentials: [vc] }));
    const lenient = await run(vp);
    expect(lenient.verified).toBe(true);
    expect(checkOf(lenient, 'holder-binding').outcome).toBe('warn');
    expect(lenient.warnings?.[0]).toContain('did:example:someone-else');
    expectFailure(await run(vp, { subjectBinding: 'fail' }), 'holder-binding', 'HOLDER_MISMATCH');
    expect(checkOf(await run(vp, { subjectBinding: 'off' }), 'holder-binding').outcome).toBe('pass');
  });

  it('a tampered credential inside makes the presentation unverified and names the failing check', async () => {
    const vc = tamperPayload(await signJwt(issuer, vc11Payload({ ...VALID, subject: holder.did })), (p) => (p.sub = holder.did + 'x'));
    const report = await run(await signJwt(holder, vp11Payload({ credentials: [vc] })));
    expect(report.verified).toBe(false);
    expect(checkOf(report, 'signature').outcome).toBe('pass');
    const inner = report.presentation!.credentials[0]!;
    expectFailure(inner, 'signature', 'CRYPTOGRAPHIC_SECURITY_ERROR');
    expect(report.errors).toContainEqual(expect.objectContaining({ code: 'CRYPTOGRAPHIC_SECURITY_ERROR', message: 'credential 0 of the presentation is not verified' }));
  });

  it('audience and challenge are checked when the verifier states them', async () => {
    const vp = await signJwt(holder, vp11Payload({ credentials: [], aud: 'https://verifier.example', nonce: 'n-123' }));
    expect(checkOf(await run(vp), 'audience').outcome).toBe('warn');
    const ok = await run(vp, { audience: 'https://verifier.example', challenge: 'n-123' });
    expect(ok.verified).toBe(true);
    expectFailure(await run(vp, { audience: 'https://other.example' }), 'audience', 'AUDIENCE_MISMATCH');
    expectFailure(await run(vp, { challenge: 'n-999' }), 'challenge', 'CHALLENGE_MISMATCH');
  });

  it('vp.holder must be the signer, and the number of credentials is limited', async () => {
    expectFailure(await run(await signJwt(holder, vp11Payload({ credentials: [], holder: 'did:example:other' }))), 'format', 'MALFORMED_VALUE_ERROR');
    const vc = await signJwt(issuer, vc11Payload(VALID));
    const many = await run(await signJwt(holder, vp11Payload({ credentials: [vc, vc, vc] })), { maxCredentials: 2 });
    expectFailure(many, 'format', 'LIMIT_EXCEEDED');
  });
});

describe('status hook', () => {
  const issuer = didKeySigner('Ed25519');
  const withStatus = (type: string) => vc11Payload({ ...VALID, jti: 'urn:uuid:cred-1', vc: { credentialStatus: { id: 'https://status.example/1#5', type, statusListIndex: '5' } } });

  it('a status entry no checker understands fails by default and warns when allowed', async () => {
    const jwt = await signJwt(issuer, withStatus('UnknownStatus2099'));
    expectFailure(await run(jwt, { statusCheckers: [] }), 'status', 'STATUS_UNCHECKED');
    const lenient = await run(jwt, { statusCheckers: [], unknownStatus: 'warn' });
    expect(lenient.verified).toBe(true);
    expect(checkOf(lenient, 'status').outcome).toBe('warn');
  });

  it('a status checker gets the entry and the credential with issuer and id from iss and jti', async () => {
    const seen: unknown[] = [];
    const revoker: StatusChecker = {
      id: 'test-revocation',
      appliesTo: (entry) => entry.type === 'TestRevocation',
      async check(entry, credential) {
        seen.push({ entry, issuer: credential.issuer, id: credential.id });
        return { check: check('status', 'fail', 'revoked at index 5'), code: 'REVOKED' };
      },
    };
    const report = await run(await signJwt(issuer, withStatus('TestRevocation')), { statusCheckers: [revoker] });
    expectFailure(report, 'status', 'REVOKED');
    expect(seen).toEqual([{ entry: { id: 'https://status.example/1#5', type: 'TestRevocation', statusListIndex: '5' }, issuer: issuer.did, id: 'urn:uuid:cred-1' }]);
  });
});

describe('did-jwt-vc cross-check', () => {
  it('agrees that an expired credential is rejected', async () => {
    const issuer = didKeySigner('secp256k1');
    const expired = await run(await signJwt(issuer, vc11Payload({ exp: '2024-01-01T00:00:00Z' })), { crossCheck: true });
    expect(checkOf(expired, 'cross-check')).toMatchObject({ outcome: 'pass', data: { verified: false } });
  });

  it('disagrees where did-jwt falls back to every key of a document without assertionMethod', async () => {
    // did-jwt treats a document with no assertionMethod member as if every key were listed (legacy rule); DID Core
    // §5.3.2 does not, so didbridge fails key-authorised and the cross-check reports the disagreement.
    const signer = ed('did:test:noassertion#key-1', key1.privateKey, 'did:test:noassertion');
    const report = await run(await signJwt(signer, vc11Payload(VALID)), { crossCheck: true });
    expectFailure(report, 'key-authorised', 'INVALID_RELATIONSHIP_FOR_VERIFICATION_METHOD');
    expectFailure(report, 'cross-check', 'CROSS_CHECK_DISAGREEMENT');
    expect(checkOf(report, 'cross-check').data).toMatchObject({ verified: true });
  });
});

describe('decodeCompactJws', () => {
  it('drops __proto__ members of the payload', () => {
    const h = Buffer.from('{"alg":"EdDSA"}').toString('base64url');
    const p = Buffer.from('{"__proto__":{"polluted":true},"vc":{}}').toString('base64url');
    const decoded = decodeCompactJws(`${h}.${p}.AA`);
    expect('payload' in decoded && Object.keys(decoded.payload)).toEqual(['vc']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
