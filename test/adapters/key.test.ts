/**
 * did:key adapter against the w3c-ccg did-method-key test vectors (fixtures/key/, see SOURCE.md), through the
 * resolver. The vectors are 2020-era documents, so keys are compared per relationship after normalising every
 * verification method to (key type, compressed key bytes) with the curve libraries, not with src/keys.
 */
import { p256 } from '@noble/curves/nist.js';
import fc from 'fast-check';
import { base58btc } from 'multiformats/bases/base58';
import { describe, expect, it } from 'vitest';
import { KEY_TEST_IDENTIFIERS, createKeyAdapter, type KeyAdapterConfig } from '../../adapters/key/index.js';
import { Resolver } from '../../src/resolver.js';
import { keyFixture, keyResolvers } from '../helpers/key-resolvers.js';
import { keysByRelationship } from '../helpers/key-normaliser.js';
import type { DIDDocument, DIDResolutionResult, VerificationMethod } from '../../src/spec.js';

const fixture = keyFixture;

const SIGNING = ['authentication', 'assertionMethod', 'capabilityInvocation', 'capabilityDelegation'] as const;


/** Every vector document, keyed by DID (x25519.json nests them under a `didDocument` member). */
function vectorDocuments(): Array<[file: string, did: string, doc: Record<string, any>]> {
  const out: Array<[string, string, Record<string, any>]> = [];
  for (const file of ['ed25519-x25519.json', 'x25519.json', 'secp256k1.json', 'nist-curves.json']) {
    const json = fixture(file);
    const entries = file === 'x25519.json' ? json.didDocument : json;
    for (const [did, entry] of Object.entries<any>(entries)) out.push([file, did, entry.didDocument ?? entry]);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------------

const resolvers = keyResolvers();
const resolverWith = resolvers.withConfig;

const multikeyResolver = resolverWith();
const jwkResolver = resolverWith({ publicKeyFormat: 'JsonWebKey' });

function errorType(result: DIDResolutionResult): string | undefined {
  return result.didResolutionMetadata.error?.type.replace('https://www.w3.org/ns/did#', '');
}

describe('did:key test vectors (w3c-ccg/did-method-key@f5abee8)', () => {
  const vectors = vectorDocuments();
  const supported = vectors.filter(([, did]) => !did.startsWith('did:key:z2J9')); // P-521 is not supported

  it('covers every file and key type', () => {
    expect(vectors).toHaveLength(22);
    expect(supported).toHaveLength(20);
  });

  it.each(supported)('%s %s: same key per relationship (Multikey and JsonWebKey output)', async (_file, did, expected) => {
    const want = keysByRelationship(expected);
    for (const resolver of [multikeyResolver, jwkResolver]) {
      const result = await resolver.resolve(did);
      expect(result.didResolutionMetadata.error).toBeUndefined();
      const doc = result.didDocument!;
      expect(doc.id).toBe(did);
      const got = keysByRelationship(doc);
      const isX25519 = did.startsWith('did:key:z6LS');
      const isEd25519 = did.startsWith('did:key:z6Mk');
      if (isX25519) {
        expect(got).toEqual({ keyAgreement: want.keyAgreement });
        expect(Object.keys(want)).toEqual(['keyAgreement']);
      } else {
        for (const rel of SIGNING) expect(got[rel], rel).toEqual(want[rel]);
        if (isEd25519) {
          // The vector's X25519 key is the one derived from the Ed25519 key.
          expect(got.keyAgreement).toEqual(want.keyAgreement);
        } else {
          // 2020-era vectors list the signing key under keyAgreement too; v0.7's Derive Encryption Key Algorithm
          // only defines an encryption key for ed25519-pub, so didbridge lists none.
          expect(want.keyAgreement).toEqual(want.authentication);
          expect(got.keyAgreement).toBeUndefined();
        }
      }
      // Verification method ids are did#<multibase fingerprint> in both.
      const wantIds = (expected.verificationMethod as VerificationMethod[]).map((vm) => vm.id).sort();
      expect(doc.verificationMethod!.map((vm) => vm.id).sort()).toEqual(wantIds);
    }
  });

  it.each(supported.filter(([, , doc]) => doc.verificationMethod.some((vm: any) => vm.type === 'JsonWebKey2020')))(
    '%s %s: JsonWebKey output carries the vector JWKs member for member',
    async (_file, did, expected) => {
      const doc = (await jwkResolver.resolve(did)).didDocument!;
      for (const vm of expected.verificationMethod as VerificationMethod[]) {
        const ours = doc.verificationMethod!.find((m) => m.id === vm.id)!;
        expect(ours.type).toBe('JsonWebKey');
        expect(ours.publicKeyJwk).toEqual(vm.publicKeyJwk);
      }
    },
  );

  it('P-521 vectors are reported as FEATURE_NOT_SUPPORTED, not as invalid DIDs', async () => {
    for (const [, did] of vectors.filter(([, d]) => d.startsWith('did:key:z2J9'))) {
      const result = await multikeyResolver.resolve(did);
      expect(errorType(result)).toBe('FEATURE_NOT_SUPPORTED');
      expect(result.didDocument).toBeNull();
    }
  });
});

describe('document shape (did:key v0.7 Document Creation Algorithm)', () => {
  const ed = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';

  it('Ed25519, Multikey: the spec example, with the derived X25519 key under keyAgreement', async () => {
    const result = await multikeyResolver.resolve(ed, { accept: 'application/did+ld+json' });
    const key = `${ed}#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK`;
    const agreement = `${ed}#z6LSj72tK8brWgZja8NLRwPigth2T9QRiG1uH9oKZuKjdh9p`;
    expect(result.didDocument).toEqual({
      '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
      id: ed,
      verificationMethod: [
        { id: key, type: 'Multikey', controller: ed, publicKeyMultibase: 'z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK' },
        { id: agreement, type: 'Multikey', controller: ed, publicKeyMultibase: 'z6LSj72tK8brWgZja8NLRwPigth2T9QRiG1uH9oKZuKjdh9p' },
      ],
      authentication: [key],
      assertionMethod: [key],
      capabilityInvocation: [key],
      capabilityDelegation: [key],
      keyAgreement: [agreement],
    });
    expect(result.didDocumentMetadata).toEqual({});
    expect(result.didResolutionMetadata.didbridgeChanges).toBeUndefined();
  });

  it('enableEncryptionKeyDerivation: false leaves Ed25519 DIDs without keyAgreement', async () => {
    for (const setting of [false, 'false'] as const) {
      const resolver = resolverWith({ enableEncryptionKeyDerivation: setting as boolean });
      const doc = (await resolver.resolve(ed)).didDocument!;
      expect(doc.verificationMethod).toHaveLength(1);
      expect(doc.keyAgreement).toBeUndefined();
      expect(doc.authentication).toEqual([`${ed}#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK`]);
    }
  });

  it('JsonWebKey format uses the JWK context and no publicKeyMultibase', async () => {
    const doc = (await jwkResolver.resolve(ed, { accept: 'application/did+ld+json' })).didDocument!;
    expect(doc['@context']).toEqual(['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/jwk/v1']);
    for (const vm of doc.verificationMethod!) {
      expect(vm.type).toBe('JsonWebKey');
      expect(vm.publicKeyMultibase).toBeUndefined();
      expect(vm.publicKeyJwk?.kty).toBe('OKP');
    }
  });

  it('application/did+json drops @context', async () => {
    const result = await multikeyResolver.resolve(ed, { accept: 'application/did+json' });
    expect(result.didResolutionMetadata.contentType).toBe('application/did+json');
    expect(result.didDocument!['@context']).toBeUndefined();
  });

  it('SM2 (sm2-pub 0x1206): resolves to the GB/T 32918.2 example key, signing relationships only', async () => {
    const sm2 = fixture('sm2.json');
    const doc = (await jwkResolver.resolve(sm2.did)).didDocument as DIDDocument;
    expect(doc.verificationMethod).toHaveLength(1);
    expect(doc.verificationMethod![0]!.publicKeyJwk).toEqual(sm2.publicKeyJwk);
    expect(keysByRelationship((await multikeyResolver.resolve(sm2.did)).didDocument!).authentication).toEqual([
      `SM2:${sm2.publicKeyCompressedHex}`,
    ]);
    expect(doc.keyAgreement).toBeUndefined();
  });

  it('an explicit version 1 (did:key:1:z…) is the same key; the document id is the DID as given', async () => {
    const did = 'did:key:1:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';
    const doc = (await multikeyResolver.resolve(did)).didDocument!;
    expect(doc.id).toBe(did);
    expect(doc.authentication).toEqual([`${did}#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK`]);
  });
});

describe('invalid did:key DIDs → INVALID_DID', () => {
  const ed32 = new Uint8Array(32).fill(9);
  const mb = (bytes: number[] | Uint8Array) => base58btc.encode(Uint8Array.from(bytes));
  const onCurve = p256.getPublicKey(p256.utils.randomPrivateKey(), false);
  // The first x (from 1) with no P-256 point, according to the curve library.
  const offCurve = new Uint8Array(33);
  for (let x = 1; ; x++) {
    offCurve.set([0x02, ...new Uint8Array(30), x >> 8, x & 0xff]);
    try {
      p256.Point.fromBytes(offCurve);
    } catch {
      break;
    }
  }
  const cases: Array<[string, string]> = [
    // did-key-test-suite dids/invalidDid.json: the multibase value does not start with "z"
    ['no "z" multibase prefix (did-key-test-suite)', 'did:key:tKwz7Ge1Yxzr4JHavN33wiwa8y81QdcMRLXQsrH9T53b'],
    ['"z" stripped from a valid DID', 'did:key:6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK'],
    // did-key-test-suite 10-create.js: a version that is not a positive integer
    ['version "-v4" (did-key-test-suite)', 'did:key:-v4:z6MktKwz7Ge1Yxzr4JHavN33wiwa8y81QdcMRLXQsrH9T53b'],
    ['version 0', 'did:key:0:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK'],
    ['an undefined version 2', 'did:key:2:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK'],
    ['two version segments', 'did:key:1:1:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK'],
    // did-key-test-suite dids/incorrectEncoding.json ("=" is not even DID syntax)
    ['base64 padding in the id (did-key-test-suite)', 'did:key:z6MkNCwzLDQsNSw3LDcsNSw1LDAsMyw0LDUsMCwzLDQsMywxLDMsNCw1LDAsMyw0LDUsMCwzLDQsNSw3LDAsMCwxMDA='],
    ['characters outside base58 (0, O, I, l)', 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2d0Il'],
    ['"z" alone', 'did:key:z'],
    ['a header and no key', `did:key:${mb([0xed, 0x01])}`],
    ['an Ed25519 key of 31 bytes (invalidPublicKeyLength)', `did:key:${mb([0xed, 0x01, ...ed32.subarray(1)])}`],
    ['an Ed25519 key of 33 bytes (invalidPublicKeyLength)', `did:key:${mb([0xed, 0x01, ...ed32, 0])}`],
    ['a secp256k1 key of 32 bytes', `did:key:${mb([0xe7, 0x01, ...ed32])}`],
    ['an off-curve P-256 point (invalidPublicKey)', `did:key:${mb([0x80, 0x24, ...offCurve])}`],
    ['an uncompressed P-256 point (v0.7: p256-pub is 33 bytes)', `did:key:${mb([0x80, 0x24, ...onCurve])}`],
    ['a non-key multicodec (sha2-256 0x12)', `did:key:${mb([0x12, ...ed32])}`],
    ['a non-minimal varint header', `did:key:${mb([0xed, 0x81, 0x00, ...ed32])}`],
    ['a DID of another method', 'did:example:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK'],
  ];
  const keyOnly = new Resolver({ adapters: [createKeyAdapter()], cache: false });
  resolvers.closeAfterAll(keyOnly);

  it.each(cases)('%s', async (_name, did) => {
    const result = await multikeyResolver.resolve(did);
    const expected = did.startsWith('did:example:') ? 'METHOD_NOT_SUPPORTED' : 'INVALID_DID';
    expect(errorType(result)).toBe(expected);
    expect(result.didDocument).toBeNull();
    expect(result.didDocumentMetadata).toEqual({});
  });

  it('the Ed25519 neutral point (y = 1) has no X25519 image: INVALID_DID with derivation, resolves without', async () => {
    const neutral = new Uint8Array(32);
    neutral[0] = 1;
    const did = `did:key:${mb([0xed, 0x01, ...neutral])}`;
    expect(errorType(await multikeyResolver.resolve(did))).toBe('INVALID_DID');
    // Ed25519 keys are length-checked only (a point check costs a square root on the hot path).
    const plain = await resolverWith({ enableEncryptionKeyDerivation: false }).resolve(did);
    expect(plain.didResolutionMetadata.error).toBeUndefined();
  });

  it('validate() without resolve() also rejects, with an InvalidDidError', () => {
    const adapter = createKeyAdapter();
    expect(() => adapter.validate!({ did: 'did:key:zz', method: 'key', methodSpecificId: 'zz' })).toThrow(
      expect.objectContaining({ code: 'INVALID_DID' }),
    );
  });

  it('arbitrary method-specific ids never crash the resolver', async () => {
    await fc.assert(
      fc.asyncProperty(fc.stringMatching(/^[A-Za-z0-9._:-]{1,80}$/), async (msid) => {
        const result = await multikeyResolver.resolve(`did:key:${msid}`);
        if (result.didDocument) return result.didResolutionMetadata.error === undefined;
        return ['INVALID_DID', 'FEATURE_NOT_SUPPORTED'].includes(errorType(result) ?? '');
      }),
      { numRuns: 300 },
    );
  });
});

describe('adapter contract', () => {
  it('test identifiers resolve, one per key type', async () => {
    const types = new Set<string>();
    for (const did of KEY_TEST_IDENTIFIERS) {
      const result = await multikeyResolver.resolve(did);
      expect(result.didResolutionMetadata.error, did).toBeUndefined();
      const keys = keysByRelationship(result.didDocument!);
      types.add((keys.authentication ?? keys.keyAgreement)![0]!.split(':')[0]!);
    }
    expect([...types].sort()).toEqual(['Ed25519', 'P-256', 'P-384', 'SM2', 'X25519', 'secp256k1']);
    expect(multikeyResolver.testIdentifiers()).toEqual({ key: [...KEY_TEST_IDENTIFIERS] });
  });

  it('declares itself immutable and not worth caching', () => {
    const adapter = createKeyAdapter();
    expect(adapter.traits).toEqual({
      updatable: false,
      deactivatable: false,
      enumerable: false,
      historyAvailable: false,
      humanReadable: false,
    });
    expect(adapter.capabilities.cacheable).toBe(false);
    expect(adapter.methods).toEqual(['key']);
  });

  it('versionId / versionTime are not supported', async () => {
    const result = await multikeyResolver.resolve(KEY_TEST_IDENTIFIERS[0]!, { versionId: '1' });
    expect(errorType(result)).toBe('FEATURE_NOT_SUPPORTED');
  });

  it('configuration misuse is a TypeError naming the setting', () => {
    expect(() => createKeyAdapter({ publicKeyFormat: 'JsonWebKey2020' as 'JsonWebKey' })).toThrow(/"publicKeyFormat"/);
    expect(() => createKeyAdapter({ enableEncryptionKeyDerivation: 'yes' as unknown as boolean })).toThrow(
      /"enableEncryptionKeyDerivation"/,
    );
    expect(() => createKeyAdapter(null as unknown as KeyAdapterConfig)).toThrow(/"config"/);
    expect(() => createKeyAdapter({ publicKeyFromat: 'JsonWebKey' } as KeyAdapterConfig)).toThrow(/"publicKeyFromat"/);
  });
});
