/**
 * The did:key resolution options (did:key v0.7, w3c-ccg/did-method-key@f5abee8: Document Creation, Signature Method
 * Creation and Encryption Method Creation Algorithms): `publicKeyFormat`, `enableExperimentalPublicKeyTypes` and
 * `enableEncryptionKeyDerivation`, passed per request through the resolver, with their two errors
 * (`unsupportedPublicKeyType`, `invalidPublicKeyType`) as INVALID_OPTIONS carrying `methodError`.
 *
 * Expected documents are the did-method-key test vectors (fixtures/key/, see SOURCE.md) where they use the requested
 * type (JsonWebKey2020, Ed25519VerificationKey2018 / X25519KeyAgreementKey2019), and the spec's own example for the
 * 2020 suites.
 */
import { describe, expect, it } from 'vitest';
import {
  KEY_PUBLIC_KEY_FORMATS,
  KEY_RESOLUTION_OPTIONS,
  KEY_TEST_IDENTIFIERS,
  createKeyAdapter,
} from '../../adapters/key/index.js';
import type { MethodAdapter } from '../../src/adapter.js';
import { Resolver, type ResolutionEvent } from '../../src/resolver.js';
import type { DIDDocument, DIDResolutionResult, ResolutionOptions } from '../../src/spec.js';
import { parseDid } from '../../src/syntax/did-url.js';
import { keyFixture, keyResolvers } from '../helpers/key-resolvers.js';

const fixture = keyFixture;

const ED25519_VECTORS: Record<string, { didDocument: DIDDocument }> = fixture('ed25519-x25519.json');
const X25519_VECTORS: Array<[string, DIDDocument]> = Object.entries(fixture('x25519.json').didDocument);
const x25519VectorsOfType = (type: string) => X25519_VECTORS.filter(([, doc]) => doc.verificationMethod![0]!.type === type);
const NIST_VECTORS: Record<string, { didDocument: DIDDocument }> = fixture('nist-curves.json');
const SECP256K1_VECTORS: Record<string, { didDocument: DIDDocument }> = fixture('secp256k1.json');

/** Vector documents whose verification methods all have `type`. */
function vectorsOfType(vectors: Record<string, { didDocument: DIDDocument }>, type: string): Array<[string, DIDDocument]> {
  return Object.entries(vectors)
    .map(([did, entry]): [string, DIDDocument] => [did, entry.didDocument])
    .filter(([, doc]) => doc.verificationMethod!.every((vm) => vm.type === type));
}

const ED25519_DID = KEY_TEST_IDENTIFIERS[0]!;
const X25519_DID = KEY_TEST_IDENTIFIERS[1]!;
const SECP256K1_DID = KEY_TEST_IDENTIFIERS[2]!;

const resolvers = keyResolvers();
const resolverWith = resolvers.withConfig;

const resolver = resolverWith();

function errorOf(result: DIDResolutionResult): { type: string | undefined; methodError: unknown } {
  const error = result.didResolutionMetadata.error;
  return { type: error?.type.replace('https://www.w3.org/ns/did#', ''), methodError: error?.methodError };
}

async function documentFor(did: string, options: ResolutionOptions, using: Resolver = resolver): Promise<DIDDocument> {
  const result = await using.resolve(did, options);
  expect(result.didResolutionMetadata.error).toBeUndefined();
  return result.didDocument!;
}

describe('publicKeyFormat', () => {
  it('the adapter declares the three options and lists the formats it knows', () => {
    expect(createKeyAdapter().capabilities.options).toEqual([
      'publicKeyFormat',
      'enableExperimentalPublicKeyTypes',
      'enableEncryptionKeyDerivation',
    ]);
    expect(KEY_RESOLUTION_OPTIONS).toEqual(createKeyAdapter().capabilities.options);
    expect([...KEY_PUBLIC_KEY_FORMATS].sort()).toEqual([
      'Ed25519VerificationKey2018',
      'Ed25519VerificationKey2020',
      'JsonWebKey',
      'JsonWebKey2020',
      'Multikey',
      'X25519KeyAgreementKey2019',
      'X25519KeyAgreementKey2020',
    ]);
  });

  it('Multikey per request overrides a JsonWebKey deployment', async () => {
    const jwkDeployment = resolverWith({ publicKeyFormat: 'JsonWebKey' });
    expect((await documentFor(ED25519_DID, {}, jwkDeployment)).verificationMethod![0]!.type).toBe('JsonWebKey');
    const doc = await documentFor(ED25519_DID, { publicKeyFormat: 'Multikey' }, jwkDeployment);
    expect(doc['@context']).toEqual(['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1']);
    expect(doc.verificationMethod!.map((vm) => [vm.type, vm.publicKeyMultibase?.slice(0, 4)])).toEqual([
      ['Multikey', 'z6Mk'],
      ['Multikey', 'z6LS'],
    ]);
  });

  it('JsonWebKey per request: publicKeyJwk, the JWK context, no publicKeyMultibase', async () => {
    const doc = await documentFor(ED25519_DID, { publicKeyFormat: 'JsonWebKey' });
    expect(doc['@context']).toEqual(['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/jwk/v1']);
    for (const vm of doc.verificationMethod!) {
      expect(vm.type).toBe('JsonWebKey');
      expect(vm.publicKeyMultibase).toBeUndefined();
      expect(vm.publicKeyJwk).toMatchObject({ kty: 'OKP' });
    }
  });

  const jwk2020Ed25519 = vectorsOfType(ED25519_VECTORS, 'JsonWebKey2020');
  it.each(jwk2020Ed25519)('JsonWebKey2020, Ed25519 vector %s: the vector document exactly', async (did, expected) => {
    expect(await documentFor(did, { publicKeyFormat: 'JsonWebKey2020' })).toEqual(expected);
  });

  it.each(x25519VectorsOfType('JsonWebKey2020'))('JsonWebKey2020, X25519 vector %s: the vector document exactly', async (did, expected) => {
    expect(await documentFor(did, { publicKeyFormat: 'JsonWebKey2020' })).toEqual(expected);
  });

  const jwk2020Ec = [...vectorsOfType(NIST_VECTORS, 'JsonWebKey2020'), ...vectorsOfType(SECP256K1_VECTORS, 'JsonWebKey2020')]
    // P-521 (z2J9) is not supported by the adapter.
    .filter(([did]) => !did.startsWith('did:key:z2J9'));
  it.each(jwk2020Ec)('JsonWebKey2020, EC vector %s: the vector document without its keyAgreement', async (did, expected) => {
    // The 2020-era vectors also list the signing key under keyAgreement; v0.7 derives an encryption key for
    // ed25519-pub only, so the adapter lists none for EC keys.
    const { keyAgreement, ...signing } = expected;
    expect(keyAgreement).toEqual([expected.verificationMethod![0]!.id]);
    expect(await documentFor(did, { publicKeyFormat: 'JsonWebKey2020' })).toEqual(signing);
  });

  it('JsonWebKey2020 on the test vectors covers Ed25519, X25519, P-256, P-384 and secp256k1', () => {
    expect(jwk2020Ed25519).toHaveLength(1);
    expect(x25519VectorsOfType('JsonWebKey2020')).toHaveLength(1);
    expect(jwk2020Ec.map(([did]) => did.slice(8, 12)).sort()).toEqual(['z82L', 'z82L', 'zDna', 'zDna', 'zQ3s']);
  });

  it('Ed25519VerificationKey2020: the spec example (did:key v0.7 §Example), keyAgreement as a reference', async () => {
    const did = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';
    const agreementId = `${did}#z6LSj72tK8brWgZja8NLRwPigth2T9QRiG1uH9oKZuKjdh9p`;
    const signingId = `${did}#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK`;
    const expected = {
      '@context': [
        'https://www.w3.org/ns/did/v1',
        'https://w3id.org/security/suites/ed25519-2020/v1',
        'https://w3id.org/security/suites/x25519-2020/v1',
      ],
      id: did,
      verificationMethod: [
        {
          id: signingId,
          type: 'Ed25519VerificationKey2020',
          controller: did,
          publicKeyMultibase: 'z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK',
        },
        {
          id: agreementId,
          type: 'X25519KeyAgreementKey2020',
          controller: did,
          publicKeyMultibase: 'z6LSj72tK8brWgZja8NLRwPigth2T9QRiG1uH9oKZuKjdh9p',
        },
      ],
      authentication: [signingId],
      assertionMethod: [signingId],
      capabilityDelegation: [signingId],
      capabilityInvocation: [signingId],
      keyAgreement: [agreementId],
    };
    expect(await documentFor(did, { publicKeyFormat: 'Ed25519VerificationKey2020' })).toEqual(expected);
    // Either name of the 2020 pair selects it.
    expect(await documentFor(did, { publicKeyFormat: 'X25519KeyAgreementKey2020' })).toEqual(expected);
  });

  it('X25519KeyAgreementKey2020 for an X25519 DID: one context, keyAgreement only', async () => {
    const doc = await documentFor(X25519_DID, { publicKeyFormat: 'X25519KeyAgreementKey2020' });
    expect(doc['@context']).toEqual(['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/suites/x25519-2020/v1']);
    expect(doc.verificationMethod).toEqual([
      {
        id: `${X25519_DID}#${X25519_DID.slice(8)}`,
        type: 'X25519KeyAgreementKey2020',
        controller: X25519_DID,
        publicKeyMultibase: X25519_DID.slice(8),
      },
    ]);
    expect(doc.authentication).toBeUndefined();
  });

  it('Ed25519VerificationKey2020 without derivation: the ed25519-2020 context only', async () => {
    const doc = await documentFor(ED25519_DID, {
      publicKeyFormat: 'Ed25519VerificationKey2020',
      enableEncryptionKeyDerivation: 'false',
    });
    expect(doc['@context']).toEqual(['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/suites/ed25519-2020/v1']);
    expect(doc.keyAgreement).toBeUndefined();
  });

  it('a 2020 suite cannot carry a secp256k1 key: INVALID_OPTIONS, methodError invalidPublicKeyType', async () => {
    const result = await resolver.resolve(SECP256K1_DID, { publicKeyFormat: 'Ed25519VerificationKey2020' });
    expect(errorOf(result)).toEqual({ type: 'INVALID_OPTIONS', methodError: 'invalidPublicKeyType' });
    expect(result.didDocument).toBeNull();
  });
});

describe('enableExperimentalPublicKeyTypes', () => {
  const ed2018Documents = Object.entries(ED25519_VECTORS)
    .filter(([, e]) => e.didDocument.verificationMethod![0]!.type === 'Ed25519VerificationKey2018')
    .map(([did, e]): [string, DIDDocument] => [did, e.didDocument]);
  it('the Ed25519VerificationKey2018 vectors are the four Ed25519 seeds, the X25519 ones the three X25519 keys', () => {
    expect(ed2018Documents).toHaveLength(4);
    expect(x25519VectorsOfType('X25519KeyAgreementKey2019')).toHaveLength(3);
  });

  it.each(ed2018Documents)('Ed25519VerificationKey2018, vector %s: the vector document exactly', async (did, expected) => {
    for (const experimental of [true, 'true'] as const) {
      const doc = await documentFor(did, {
        publicKeyFormat: 'Ed25519VerificationKey2018',
        enableExperimentalPublicKeyTypes: experimental,
      });
      expect(doc).toEqual(expected);
    }
  });

  it.each(x25519VectorsOfType('X25519KeyAgreementKey2019'))('X25519KeyAgreementKey2019, vector %s: the vector document exactly', async (did, expected) => {
    const doc = await documentFor(did, {
      publicKeyFormat: 'X25519KeyAgreementKey2019',
      enableExperimentalPublicKeyTypes: 'true',
    });
    expect(doc).toEqual(expected);
  });

  it.each([undefined, false, 'false'])(
    'an experimental format with enableExperimentalPublicKeyTypes=%s: INVALID_OPTIONS, methodError invalidPublicKeyType',
    async (experimental) => {
      const options: ResolutionOptions = { publicKeyFormat: 'Ed25519VerificationKey2018' };
      if (experimental !== undefined) options.enableExperimentalPublicKeyTypes = experimental;
      const result = await resolver.resolve(ED25519_DID, options);
      expect(errorOf(result)).toEqual({ type: 'INVALID_OPTIONS', methodError: 'invalidPublicKeyType' });
      expect(result.didResolutionMetadata.error!.detail).toMatch(/^invalidPublicKeyType: /);
    },
  );

  it('standard formats need no experimental switch, and the switch changes nothing for them', async () => {
    const plain = await documentFor(ED25519_DID, { publicKeyFormat: 'JsonWebKey2020' });
    expect(await documentFor(ED25519_DID, { publicKeyFormat: 'JsonWebKey2020', enableExperimentalPublicKeyTypes: 'true' })).toEqual(
      plain,
    );
    expect(await documentFor(ED25519_DID, { enableExperimentalPublicKeyTypes: 'true' })).toEqual(await documentFor(ED25519_DID, {}));
  });
});

describe('option errors', () => {
  it.each(['unknown', 'multikey', 'EcdsaSecp256k1VerificationKey2019', '', 'toString', '__proto__'])(
    'publicKeyFormat %j: INVALID_OPTIONS, methodError unsupportedPublicKeyType',
    async (format) => {
      for (const enableExperimentalPublicKeyTypes of ['false', 'true']) {
        const result = await resolver.resolve(ED25519_DID, { publicKeyFormat: format, enableExperimentalPublicKeyTypes });
        expect(errorOf(result)).toEqual({ type: 'INVALID_OPTIONS', methodError: 'unsupportedPublicKeyType' });
        expect(result.didResolutionMetadata.error!.detail).toMatch(/^unsupportedPublicKeyType: /);
      }
    },
  );

  it.each([
    { publicKeyFormat: 42 },
    { publicKeyFormat: ['Multikey'] },
    { publicKeyFormat: null },
    { enableExperimentalPublicKeyTypes: 'yes' },
    { enableExperimentalPublicKeyTypes: 1 },
    { enableEncryptionKeyDerivation: 'TRUE' },
    { enableEncryptionKeyDerivation: '' },
    { enableEncryptionKeyDerivation: 0 },
  ] as ResolutionOptions[])('%j: INVALID_OPTIONS without a methodError', async (options) => {
    const result = await resolver.resolve(ED25519_DID, options);
    expect(errorOf(result)).toEqual({ type: 'INVALID_OPTIONS', methodError: undefined });
  });

  it('an invalid DID stays INVALID_DID whatever the options', async () => {
    const result = await resolver.resolve('did:key:zTjsVPtY', { publicKeyFormat: 'unknown' });
    expect(errorOf(result).type).toBe('INVALID_DID');
  });
});

describe('enableEncryptionKeyDerivation per request', () => {
  it.each([false, 'false'])('%j on a deriving deployment: no keyAgreement', async (value) => {
    const doc = await documentFor(ED25519_DID, { enableEncryptionKeyDerivation: value });
    expect(doc.keyAgreement).toBeUndefined();
    expect(doc.verificationMethod).toHaveLength(1);
  });

  it.each([true, 'true'])('%j on a non-deriving deployment: the derived X25519 key', async (value) => {
    const nonDeriving = resolverWith({ enableEncryptionKeyDerivation: false });
    expect((await documentFor(ED25519_DID, {}, nonDeriving)).keyAgreement).toBeUndefined();
    const doc = await documentFor(ED25519_DID, { enableEncryptionKeyDerivation: value }, nonDeriving);
    expect(doc).toEqual(await documentFor(ED25519_DID, {}));
    expect(doc.keyAgreement).toEqual([doc.verificationMethod![1]!.id]);
  });

  it('absent options on the adapter itself (no options argument) give the deployment document', async () => {
    const adapter = createKeyAdapter({ enableEncryptionKeyDerivation: false });
    const viaResolver = await documentFor(ED25519_DID, {}, resolverWith({ enableEncryptionKeyDerivation: false }));
    const direct = await (adapter.resolve as (did: unknown) => ReturnType<MethodAdapter['resolve']>)(parseDid(ED25519_DID));
    expect(direct.didDocument).toEqual(viaResolver);
  });
});

describe('through a caching resolver', () => {
  it('two requests differing only in publicKeyFormat do not share a cached result', async () => {
    // did:key declares cacheable: false; the same adapter with caching on shows the resolver keys its cache on the
    // declared options, so a cacheable deployment of these options could not mix formats up.
    const key = createKeyAdapter();
    const cacheableKey: MethodAdapter = { ...key, capabilities: { ...key.capabilities, cacheable: true } };
    const events: ResolutionEvent[] = [];
    const caching = new Resolver({ adapters: [cacheableKey], onResolved: (e) => events.push(e) });
    resolvers.closeAfterAll(caching);

    const multikey = await caching.resolve(ED25519_DID, { publicKeyFormat: 'Multikey' });
    const jwk = await caching.resolve(ED25519_DID, { publicKeyFormat: 'JsonWebKey2020' });
    const multikeyAgain = await caching.resolve(ED25519_DID, { publicKeyFormat: 'Multikey' });
    const jwkAgain = await caching.resolve(ED25519_DID, { publicKeyFormat: 'JsonWebKey2020' });
    const underived = await caching.resolve(ED25519_DID, { publicKeyFormat: 'JsonWebKey2020', enableEncryptionKeyDerivation: 'false' });

    expect(events.map((e) => e.cache)).toEqual(['miss', 'miss', 'hit', 'hit', 'miss']);
    expect(multikey.didDocument!.verificationMethod![0]!.type).toBe('Multikey');
    expect(jwk.didDocument!.verificationMethod![0]!.type).toBe('JsonWebKey2020');
    expect(multikeyAgain.didDocument).toEqual(multikey.didDocument);
    expect(jwkAgain.didDocument).toEqual(jwk.didDocument);
    expect(underived.didDocument!.keyAgreement).toBeUndefined();
  });

  it('the real (non-caching) did:key adapter receives the option through the resolver', async () => {
    const caching = new Resolver({ adapters: [createKeyAdapter()] });
    resolvers.closeAfterAll(caching);
    const a = await caching.resolve(ED25519_DID, { publicKeyFormat: 'Multikey' });
    const b = await caching.resolve(ED25519_DID, { publicKeyFormat: 'JsonWebKey2020' });
    expect(a.didDocument!.verificationMethod![0]!.type).toBe('Multikey');
    expect(b.didDocument!.verificationMethod![0]!.type).toBe('JsonWebKey2020');
  });
});
