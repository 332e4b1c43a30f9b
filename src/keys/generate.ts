/**
 * Key-pair generation for the key types the domestic methods sign with (Ed25519, secp256k1, SM2) and P-256 / P-384, for
 * tests, fixtures and `didbridge keys generate`. Randomness is the platform CSPRNG (through @noble/curves and
 * sm-crypto-v2, which both use `crypto.getRandomValues`).
 *
 * Public keys come back in the shared `PublicKey` convention (raw 32 bytes for Ed25519, SEC1 compressed for EC
 * curves); private keys are the raw 32-byte seed (Ed25519) or scalar (EC), never serialised here.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8032#section-5.1.5 (Ed25519 key generation)
 * @see https://www.secg.org/sec1-v2.pdf §3.2.1 (EC key pairs)
 * @see GB/T 32918.1-2016 §6.1 (SM2 key pairs: d ∈ [1, n−2])
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { p256, p384 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sm2 } from 'sm-crypto-v2';
import { SM2_CURVE_PARAMETERS } from './curves.js';
import type { KeyType, PublicKey } from './multikey.js';
import { sm2PublicKeyFromPrivateKey } from './sm2.js';

/** Key types `generateKeyPair` can create. */
export type GeneratableKeyType = 'Ed25519' | 'secp256k1' | 'SM2' | 'P-256' | 'P-384';

/** Every generatable key type (CLI choices). */
export const GENERATABLE_KEY_TYPES: readonly GeneratableKeyType[] = ['Ed25519', 'secp256k1', 'SM2', 'P-256', 'P-384'];

/** A fresh key pair. Keep `privateKey` out of logs, documents and standard output. */
export interface GeneratedKeyPair {
  type: GeneratableKeyType;
  /** 32 bytes: the Ed25519 seed, or the EC private scalar (big-endian). */
  privateKey: Uint8Array;
  /** The public key: raw 32 bytes (Ed25519) or the 33-byte compressed SEC1 point (EC). */
  publicKey: Uint8Array;
}

function assertType(type: unknown): asserts type is GeneratableKeyType {
  if (!GENERATABLE_KEY_TYPES.includes(type as GeneratableKeyType)) {
    throw new TypeError(`"type" must be one of ${GENERATABLE_KEY_TYPES.join(', ')}, got ${JSON.stringify(type)}`);
  }
}

function randomSm2PrivateKey(): Uint8Array {
  // sm-crypto-v2 draws d uniformly from [1, n−1]; SM2 needs d ≤ n−2 because signing inverts 1 + d.
  for (;;) {
    const hex = sm2.generateKeyPairHex().privateKey;
    if (BigInt('0x' + hex) <= SM2_CURVE_PARAMETERS.n - 2n) return new Uint8Array(Buffer.from(hex, 'hex'));
  }
}

/**
 * Generates a key pair.
 * @throws TypeError for an unsupported `type`
 * @example const { privateKey, publicKey } = generateKeyPair({ type: 'SM2' })
 */
export function generateKeyPair(options: { type: GeneratableKeyType }): GeneratedKeyPair {
  if (!options || typeof options !== 'object') throw new TypeError('"options" must be an object');
  const { type } = options;
  assertType(type);
  let privateKey: Uint8Array;
  switch (type) {
    case 'Ed25519':
      privateKey = ed25519.utils.randomSecretKey();
      break;
    case 'secp256k1':
      privateKey = secp256k1.utils.randomSecretKey();
      break;
    case 'P-256':
      privateKey = p256.utils.randomSecretKey();
      break;
    case 'P-384':
      privateKey = p384.utils.randomSecretKey();
      break;
    case 'SM2':
      privateKey = randomSm2PrivateKey();
      break;
  }
  return { type, privateKey, publicKey: publicKeyFromPrivateKey({ type, privateKey }).bytes };
}

/**
 * Computes the public key of a private key (Ed25519 seed or EC scalar), in the `PublicKey` convention.
 * @throws TypeError for an unsupported type or a private key that is not a valid key of that type (32 bytes; 48 for P-384)
 */
export function publicKeyFromPrivateKey(options: { type: GeneratableKeyType; privateKey: Uint8Array }): PublicKey {
  if (!options || typeof options !== 'object') throw new TypeError('"options" must be an object');
  const { type, privateKey } = options;
  assertType(type);
  // A P-384 scalar is 48 bytes; every other type here takes 32.
  const length = type === 'P-384' ? 48 : 32;
  if (!(privateKey instanceof Uint8Array) || privateKey.length !== length) {
    throw new TypeError(`"privateKey" must be a ${length}-byte Uint8Array for ${type}`);
  }
  let bytes: Uint8Array;
  try {
    switch (type) {
      case 'Ed25519':
        bytes = ed25519.getPublicKey(privateKey);
        break;
      case 'secp256k1':
        bytes = secp256k1.getPublicKey(privateKey, true);
        break;
      case 'P-256':
        bytes = p256.getPublicKey(privateKey, true);
        break;
      case 'P-384':
        bytes = p384.getPublicKey(privateKey, true);
        break;
      case 'SM2':
        bytes = sm2PublicKeyFromPrivateKey(privateKey, { compressed: true });
        break;
    }
  } catch (cause) {
    if (cause instanceof TypeError) throw cause;
    throw new TypeError(`"privateKey" is not a valid ${type} private key`, { cause });
  }
  return { type: type as KeyType, bytes };
}
