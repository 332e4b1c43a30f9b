/**
 * Differential test: for the same did:key DIDs, the did:key adapter and two independent implementations give the
 * same key material per verification relationship.
 *
 * - @digitalbazaar/did-method-key 5.3 (Multikey output): Ed25519 via @digitalbazaar/ed25519-multikey (no key
 *   derivation), P-256 and P-384 via @digitalbazaar/ecdsa-multikey, X25519 via x25519-key-agreement-key-2020; and,
 *   for the derived keyAgreement key, Ed25519VerificationKey2020 through `createFromMultibase`. It has no secp256k1.
 * - key-did-resolver 4 through did-resolver 6 (2018-era output): Ed25519 (with X25519 derivation), secp256k1, P-256,
 *   P-384. It has no X25519 DIDs.
 *
 * Every document is normalised to relationship → sorted "type:hex(compressed key)" with the curve libraries.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { p256, p384 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
// @ts-expect-error -- untyped ESM package (JSDoc only)
import { createFromMultibase, driver as didKeyDriver } from '@digitalbazaar/did-method-key';
// @ts-expect-error -- untyped ESM package (JSDoc only)
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
// @ts-expect-error -- untyped ESM package (JSDoc only)
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
// @ts-expect-error -- untyped ESM package (JSDoc only)
import { Ed25519VerificationKey2020 } from '@digitalbazaar/ed25519-verification-key-2020';
// @ts-expect-error -- untyped ESM package (JSDoc only)
import { X25519KeyAgreementKey2020 } from '@digitalbazaar/x25519-key-agreement-key-2020';
import { Resolver as DidResolver } from 'did-resolver';
import { getResolver as getKeyDidResolver } from 'key-did-resolver';
import { varint } from 'multiformats';
import { base58btc } from 'multiformats/bases/base58';
import { afterAll, describe, expect, it } from 'vitest';
import { KEY_TEST_IDENTIFIERS, createKeyAdapter } from '../../adapters/key/index.js';
import { Resolver } from '../../src/resolver.js';
import { keysByRelationship } from '../helpers/key-normaliser.js';



/** did:key for raw key bytes, built with multiformats directly. */
function didFor(code: number, bytes: Uint8Array): string {
  const header = varint.encodeTo(code, new Uint8Array(varint.encodingLength(code)));
  return `did:key:${base58btc.encode(Uint8Array.from([...header, ...bytes]))}`;
}

/** Vector DIDs plus freshly generated keys, per type. */
function dids(type: 'Ed25519' | 'X25519' | 'secp256k1' | 'P-256' | 'P-384', count = 8): string[] {
  const prefix = { Ed25519: 'z6Mk', X25519: 'z6LS', secp256k1: 'zQ3s', 'P-256': 'zDna', 'P-384': 'z82L' }[type];
  const out = KEY_TEST_IDENTIFIERS.filter((d) => d.startsWith(`did:key:${prefix}`));
  for (let i = 0; i < count; i++) {
    if (type === 'Ed25519') out.push(didFor(0xed, ed25519.getPublicKey(ed25519.utils.randomPrivateKey())));
    if (type === 'X25519') out.push(didFor(0xec, ed25519.utils.toMontgomery(ed25519.getPublicKey(ed25519.utils.randomPrivateKey()))));
    if (type === 'secp256k1') out.push(didFor(0xe7, secp256k1.getPublicKey(secp256k1.utils.randomPrivateKey(), true)));
    if (type === 'P-256') out.push(didFor(0x1200, p256.getPublicKey(p256.utils.randomPrivateKey(), true)));
    if (type === 'P-384') out.push(didFor(0x1201, p384.getPublicKey(p384.utils.randomPrivateKey(), true)));
  }
  return out;
}

const ours = new Resolver({ adapters: [createKeyAdapter()], cache: false });
const oursUnderived = new Resolver({ adapters: [createKeyAdapter({ enableEncryptionKeyDerivation: false })], cache: false });
const oursJwk = new Resolver({ adapters: [createKeyAdapter({ publicKeyFormat: 'JsonWebKey' })], cache: false });
afterAll(async () => {
  await Promise.all([ours.close(), oursUnderived.close(), oursJwk.close()]);
});

async function ourKeys(resolver: Resolver, did: string) {
  const result = await resolver.resolve(did);
  expect(result.didResolutionMetadata.error, did).toBeUndefined();
  return keysByRelationship(result.didDocument!);
}

describe('@digitalbazaar/did-method-key', () => {
  const multikeyDriver = didKeyDriver();
  multikeyDriver.use({ multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519Multikey.from });
  multikeyDriver.use({ multibaseMultikeyHeader: 'zDna', fromMultibase: EcdsaMultikey.from });
  multikeyDriver.use({ multibaseMultikeyHeader: 'z82L', fromMultibase: EcdsaMultikey.from });
  multikeyDriver.use({ multibaseMultikeyHeader: 'z6LS', fromMultibase: X25519KeyAgreementKey2020.from });
  const deriving2020Driver = didKeyDriver();
  deriving2020Driver.use({
    multibaseMultikeyHeader: 'z6Mk',
    fromMultibase: createFromMultibase(Ed25519VerificationKey2020),
  });

  it.each(['Ed25519', 'P-256', 'P-384', 'X25519'] as const)('%s: same keys per relationship (Multikey driver)', async (type) => {
    for (const did of dids(type)) {
      const theirs = keysByRelationship(await multikeyDriver.get({ did }));
      // The Ed25519Multikey driver derives no keyAgreement key ("FIXME" in its helpers), so compare with ours
      // configured the same way.
      const resolver = type === 'Ed25519' ? oursUnderived : ours;
      expect(await ourKeys(resolver, did), did).toEqual(theirs);
      expect(await ourKeys(type === 'Ed25519' ? oursUnderived : oursJwk, did), did).toEqual(theirs);
    }
  });

  it('Ed25519: the derived X25519 keyAgreement key equals Ed25519VerificationKey2020 → X25519KeyAgreementKey2020', async () => {
    for (const did of dids('Ed25519')) {
      const theirs = keysByRelationship(await deriving2020Driver.get({ did }));
      expect(theirs.keyAgreement).toHaveLength(1);
      expect(await ourKeys(ours, did), did).toEqual(theirs);
    }
  });
});

describe('key-did-resolver 4 (through did-resolver 6)', () => {
  const keyDidResolver = new DidResolver(getKeyDidResolver());

  it.each(['Ed25519', 'secp256k1', 'P-256', 'P-384'] as const)('%s: same keys per relationship', async (type) => {
    for (const did of dids(type)) {
      const result = await keyDidResolver.resolve(did);
      expect(result.didResolutionMetadata.error, did).toBeUndefined();
      const theirs = keysByRelationship(result.didDocument as Record<string, any>);
      expect(await ourKeys(ours, did), did).toEqual(theirs);
      expect(await ourKeys(oursJwk, did), did).toEqual(theirs);
    }
  });

  it('both reject an Ed25519 key of the wrong length', async () => {
    const did = didFor(0xed, new Uint8Array(31).fill(1));
    const theirs = await keyDidResolver.resolve(did);
    const mine = await ours.resolve(did);
    expect(theirs.didDocument).toBeNull();
    expect(mine.didDocument).toBeNull();
    expect(mine.didResolutionMetadata.error?.type).toBe('https://www.w3.org/ns/did#INVALID_DID');
  });
});
