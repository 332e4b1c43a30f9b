import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { p256, p384 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { readFileSync } from 'node:fs';
import { sm2 } from 'sm-crypto-v2';
import { describe, expect, it } from 'vitest';
import { DidBridgeError } from '../../src/errors.js';
import { PRIVATE_JWK_MEMBERS, jwkToPublicKey, publicKeyToJwk } from '../../src/keys/jwk.js';
import { decodeMultikey, type KeyType, type PublicKey } from '../../src/keys/multikey.js';

const b64u = (b: Uint8Array) => Buffer.from(b).toString('base64url');
const fromHex = (h: string) => Uint8Array.from(Buffer.from(h, 'hex'));
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../fixtures/key/${name}`, import.meta.url), 'utf8'));

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof DidBridgeError) return err.code;
    throw err;
  }
  return undefined;
}

/** A generated EC key: compressed point and the (x, y) coordinates from the uncompressed SEC1 encoding. */
function ecKey(type: Exclude<KeyType, 'Ed25519' | 'X25519'>) {
  let uncompressed: Uint8Array;
  let compressed: Uint8Array;
  if (type === 'SM2') {
    const { publicKey } = sm2.generateKeyPairHex();
    uncompressed = fromHex(publicKey);
    compressed = fromHex(sm2.compressPublicKeyHex(publicKey));
  } else {
    const curve = { secp256k1, 'P-256': p256, 'P-384': p384 }[type];
    const sk = curve.utils.randomPrivateKey();
    uncompressed = curve.getPublicKey(sk, false);
    compressed = curve.getPublicKey(sk, true);
  }
  const size = (uncompressed.length - 1) / 2;
  return { compressed, x: uncompressed.subarray(1, 1 + size), y: uncompressed.subarray(1 + size) };
}

describe('publicKeyToJwk / jwkToPublicKey', () => {
  it('OKP keys (RFC 8037 §2): Ed25519 and X25519 with x only', () => {
    const ed = ed25519.getPublicKey(ed25519.utils.randomPrivateKey());
    const xk = x25519.getPublicKey(x25519.utils.randomPrivateKey());
    expect(publicKeyToJwk({ type: 'Ed25519', bytes: ed })).toEqual({ kty: 'OKP', crv: 'Ed25519', x: b64u(ed) });
    expect(publicKeyToJwk({ type: 'X25519', bytes: xk })).toEqual({ kty: 'OKP', crv: 'X25519', x: b64u(xk) });
    expect(jwkToPublicKey({ kty: 'OKP', crv: 'Ed25519', x: b64u(ed) })).toEqual({ type: 'Ed25519', bytes: ed });
    expect(jwkToPublicKey({ kty: 'OKP', crv: 'X25519', x: b64u(xk), kid: 'k1', use: 'enc' })).toEqual({
      type: 'X25519',
      bytes: xk,
    });
  });

  it.each(['secp256k1', 'P-256', 'P-384', 'SM2'] as const)('EC %s: x and y from the uncompressed point; round trip', (type) => {
    for (let i = 0; i < 5; i++) {
      const { compressed, x, y } = ecKey(type);
      const jwk = publicKeyToJwk({ type, bytes: compressed });
      expect(jwk).toEqual({ kty: 'EC', crv: type, x: b64u(x), y: b64u(y) });
      expect(jwkToPublicKey(jwk)).toEqual({ type, bytes: compressed });
    }
  });

  it('matches the JsonWebKey2020 entries of the did:key test vectors (P-256, P-384, secp256k1, Ed25519, X25519)', () => {
    let checked = 0;
    const vectors = [fixture('nist-curves.json'), fixture('secp256k1.json'), fixture('ed25519-x25519.json')];
    for (const file of vectors) {
      for (const [did, entry] of Object.entries<any>(file)) {
        for (const vm of entry.didDocument.verificationMethod) {
          if (!vm.publicKeyJwk || vm.publicKeyJwk.crv === 'P-521') continue;
          const fingerprint = vm.id.slice(vm.id.indexOf('#') + 1);
          const key = decodeMultikey(fingerprint);
          expect(publicKeyToJwk(key), `${did} ${vm.id}`).toEqual(vm.publicKeyJwk);
          expect(jwkToPublicKey(vm.publicKeyJwk)).toEqual(key);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(7);
  });

  it('SM2: the fixture JWK ({kty: EC, crv: SM2}) is the GB/T 32918.2 example public key', () => {
    const f = fixture('sm2.json');
    const key = jwkToPublicKey(f.publicKeyJwk);
    expect(key).toEqual({ type: 'SM2', bytes: fromHex(f.publicKeyCompressedHex) });
    const full = fromHex(f.publicKeyHex);
    expect(f.publicKeyJwk.x).toBe(b64u(full.subarray(1, 33)));
    expect(f.publicKeyJwk.y).toBe(b64u(full.subarray(33)));
  });

  describe('private key material is refused', () => {
    it('the private JWKs published in the test vectors (with "d") are refused', () => {
      const nist = fixture('nist-curves.json');
      const privateJwks = Object.values<any>(nist)
        .map((e) => e.verificationMethod?.privateKeyJwk)
        .filter((j) => j && j.crv !== 'P-521');
      expect(privateJwks.length).toBeGreaterThan(0);
      for (const jwk of privateJwks) {
        expect(codeOf(() => jwkToPublicKey(jwk))).toBe('INVALID_DID_DOCUMENT');
        expect(() => jwkToPublicKey(jwk)).toThrow(/private key material \("d"\)/);
      }
    });

    it.each(PRIVATE_JWK_MEMBERS)('member "%s"', (member) => {
      const { compressed } = ecKey('P-256');
      const jwk = { ...publicKeyToJwk({ type: 'P-256', bytes: compressed }), [member]: 'AAAA' };
      expect(codeOf(() => jwkToPublicKey(jwk))).toBe('INVALID_DID_DOCUMENT');
      expect(codeOf(() => jwkToPublicKey(jwk, 'INVALID_VERIFICATION_METHOD'))).toBe('INVALID_VERIFICATION_METHOD');
    });

    it('even an empty or null private member counts', () => {
      const ed = ed25519.getPublicKey(ed25519.utils.randomPrivateKey());
      expect(codeOf(() => jwkToPublicKey({ kty: 'OKP', crv: 'Ed25519', x: b64u(ed), d: '' }))).toBe('INVALID_DID_DOCUMENT');
      expect(codeOf(() => jwkToPublicKey({ kty: 'OKP', crv: 'Ed25519', x: b64u(ed), d: null }))).toBe(
        'INVALID_DID_DOCUMENT',
      );
    });
  });

  describe('invalid JWKs', () => {
    const ed = ed25519.getPublicKey(new Uint8Array(32).fill(3));
    const { x, y } = ecKey('P-256');
    const offCurveY = y.slice();
    offCurveY[31]! ^= 1;
    const cases: Array<[string, unknown]> = [
      ['not an object', 'kty=OKP'],
      ['an array', [{ kty: 'OKP' }]],
      ['null', null],
      ['no kty', { crv: 'Ed25519', x: b64u(ed) }],
      ['an unknown kty', { kty: 'oct', x: b64u(ed) }],
      ['no crv', { kty: 'OKP', x: b64u(ed) }],
      ['an OKP crv that is not OKP', { kty: 'OKP', crv: 'P-256', x: b64u(ed) }],
      ['an EC crv that is unknown', { kty: 'EC', crv: 'brainpoolP256r1', x: b64u(x), y: b64u(y) }],
      ['no x', { kty: 'OKP', crv: 'Ed25519' }],
      ['x not a string', { kty: 'OKP', crv: 'Ed25519', x: 12 }],
      ['x of 31 bytes', { kty: 'OKP', crv: 'Ed25519', x: b64u(ed.subarray(1)) }],
      ['x with padding', { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(ed).toString('base64') }],
      ['x in base64 (+ and /) rather than base64url', { kty: 'OKP', crv: 'X25519', x: '+/' + b64u(ed).slice(2) }],
      ['x with non-zero trailing bits', { kty: 'OKP', crv: 'Ed25519', x: b64u(ed).slice(0, -1) + 'B' }],
      ['an OKP key with a y', { kty: 'OKP', crv: 'Ed25519', x: b64u(ed), y: b64u(ed) }],
      ['an EC key without y', { kty: 'EC', crv: 'P-256', x: b64u(x) }],
      ['an EC key with a short y', { kty: 'EC', crv: 'P-256', x: b64u(x), y: b64u(y.subarray(1)) }],
      ['an EC point off the curve', { kty: 'EC', crv: 'P-256', x: b64u(x), y: b64u(offCurveY) }],
      ['a P-256 point labelled secp256k1', { kty: 'EC', crv: 'secp256k1', x: b64u(x), y: b64u(y) }],
    ];
    it.each(cases)('%s → INVALID_DID_DOCUMENT', (_name, jwk) => {
      expect(codeOf(() => jwkToPublicKey(jwk))).toBe('INVALID_DID_DOCUMENT');
    });

    it('RSA, Ed448, X448 and P-521 are well-formed but unsupported → FEATURE_NOT_SUPPORTED', () => {
      expect(codeOf(() => jwkToPublicKey({ kty: 'RSA', n: 'AQAB', e: 'AQAB' }))).toBe('FEATURE_NOT_SUPPORTED');
      expect(codeOf(() => jwkToPublicKey({ kty: 'OKP', crv: 'Ed448', x: 'AA' }))).toBe('FEATURE_NOT_SUPPORTED');
      expect(codeOf(() => jwkToPublicKey({ kty: 'EC', crv: 'P-521', x: 'AA', y: 'AA' }))).toBe('FEATURE_NOT_SUPPORTED');
    });
  });

  it('publicKeyToJwk misuse is a TypeError', () => {
    expect(() => publicKeyToJwk(undefined as unknown as PublicKey)).toThrow(/"key"/);
    expect(() => publicKeyToJwk({ type: 'Ed25519', bytes: new Uint8Array(33) })).toThrow(TypeError);
    expect(() => publicKeyToJwk({ type: 'RSA' as KeyType, bytes: new Uint8Array(33) })).toThrow(/"key.type"/);
  });
});
