import { ed25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { describe, expect, it } from 'vitest';
import {
  GENERATABLE_KEY_TYPES,
  SM2_CURVE_PARAMETERS,
  decodeMultikey,
  encodeHex,
  encodeMultikey,
  generateKeyPair,
  inferKeyType,
  isOnCurve,
  publicKeyFromPrivateKey,
  sha256,
  sm2Sign,
  sm2Verify,
  type GeneratableKeyType,
} from '../../src/keys/index.js';

describe('generateKeyPair()', () => {
  it.each(GENERATABLE_KEY_TYPES.map((t) => [t] as const))('%s: private key (48 bytes for P-384, else 32), public key in the PublicKey convention', (type) => {
    const pair = generateKeyPair({ type });
    expect(pair.type).toBe(type);
    expect(pair.privateKey.length).toBe(type === 'P-384' ? 48 : 32);
    expect(pair.publicKey.length).toBe(type === 'Ed25519' ? 32 : type === 'P-384' ? 49 : 33);
    expect(publicKeyFromPrivateKey({ type, privateKey: pair.privateKey }).bytes).toEqual(pair.publicKey);
    const key = { type, bytes: pair.publicKey };
    expect(decodeMultikey(encodeMultikey(key))).toEqual(key);
    if (type !== 'Ed25519') expect(isOnCurve(type, pair.publicKey)).toBe(true);
    expect(inferKeyType({ publicKey: pair.publicKey, contextKeyType: type }).type).toBe(type);
  });

  it('takes a 48-byte scalar for P-384 and refuses the 32-byte one (and the other way round)', () => {
    const pair = generateKeyPair({ type: 'P-384' });
    expect(() => publicKeyFromPrivateKey({ type: 'P-384', privateKey: pair.privateKey.subarray(0, 32) })).toThrow(/48-byte/);
    expect(() => publicKeyFromPrivateKey({ type: 'P-256', privateKey: pair.privateKey })).toThrow(/32-byte/);
  });

  it('never repeats a key', () => {
    const seen = new Set<string>();
    for (const type of GENERATABLE_KEY_TYPES) for (let i = 0; i < 5; i++) seen.add(encodeHex(generateKeyPair({ type }).privateKey));
    expect(seen.size).toBe(GENERATABLE_KEY_TYPES.length * 5);
  });

  it('public keys agree with @noble/curves for Ed25519, secp256k1 and P-256 signing', () => {
    const message = new TextEncoder().encode('didbridge');
    const ed = generateKeyPair({ type: 'Ed25519' });
    expect(ed25519.verify(ed25519.sign(message, ed.privateKey), message, ed.publicKey)).toBe(true);
    const k1 = generateKeyPair({ type: 'secp256k1' });
    const digest = sha256(message);
    expect(secp256k1.verify(secp256k1.sign(digest, k1.privateKey).toCompactRawBytes(), digest, k1.publicKey)).toBe(true);
    const r1 = generateKeyPair({ type: 'P-256' });
    expect(p256.verify(p256.sign(digest, r1.privateKey).toCompactRawBytes(), digest, r1.publicKey)).toBe(true);
  });

  it('SM2 keys are in [1, n-2] and sign', () => {
    for (let i = 0; i < 5; i++) {
      const pair = generateKeyPair({ type: 'SM2' });
      const d = BigInt('0x' + encodeHex(pair.privateKey));
      expect(d >= 1n && d <= SM2_CURVE_PARAMETERS.n - 2n).toBe(true);
      expect(sm2Verify('m', sm2Sign('m', pair.privateKey), pair.publicKey)).toBe(true);
    }
  });

  it('misuse is a TypeError naming the parameter', () => {
    expect(() => generateKeyPair({ type: 'X25519' as GeneratableKeyType })).toThrow(/"type"/);
    expect(() => generateKeyPair(undefined as never)).toThrow(/"options"/);
    expect(() => publicKeyFromPrivateKey({ type: 'SM2', privateKey: new Uint8Array(31) })).toThrow(/"privateKey"/);
    expect(() => publicKeyFromPrivateKey({ type: 'secp256k1', privateKey: new Uint8Array(32) })).toThrow(TypeError);
    expect(() => publicKeyFromPrivateKey({ type: 'SM2', privateKey: new Uint8Array(32) })).toThrow(TypeError);
  });
});
