import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sm2 as smCryptoV2 } from 'sm-crypto-v2';
import { afterAll, describe, expect, it } from 'vitest';
import { DidBridgeError } from '../../src/errors.js';
import {
  SM2_CURVE_PARAMETERS,
  SM2_DEFAULT_USER_ID,
  compressPoint,
  decodeHex,
  encodeHex,
  generateKeyPair,
  parseSm2Signature,
  sm2MessageDigest,
  sm2PublicKeyFromPrivateKey,
  sm2Sign,
  sm2SignatureFromDer,
  sm2SignatureToDer,
  sm2Verify,
  sm2Z,
} from '../../src/keys/index.js';

/** sm-crypto 0.5.8, the independent (jsbn-based) oracle. CommonJS without types: only what the tests call. */
interface SmCryptoOracle {
  sm2: {
    generateKeyPairHex(): { privateKey: string; publicKey: string };
    doSignature(msg: string | number[], privateKeyHex: string, options: { hash: boolean; der?: boolean; userId?: string; publicKey?: string }): string;
    doVerifySignature(msg: string | number[], signatureHex: string, publicKeyHex: string, options: { hash: boolean; der?: boolean; userId?: string }): boolean;
  };
}
const oracle = createRequire(import.meta.url)('sm-crypto') as SmCryptoOracle;

const openssl = JSON.parse(readFileSync(new URL('../../fixtures/keys/sm2-openssl.json', import.meta.url), 'utf8')) as {
  privateKeyHex: string;
  publicKeyHex: string;
  message: string;
  vectors: Array<{ id: string; userId: string; signatureDerHex: string }>;
};

const N = SM2_CURVE_PARAMETERS.n;
const bytes = (hex: string) => decodeHex(hex);
const fieldHex = (n: bigint) => n.toString(16).padStart(64, '0');

function oracleKeyPair() {
  const pair = oracle.sm2.generateKeyPairHex();
  return { privateKey: bytes(pair.privateKey), publicKey: bytes(pair.publicKey), privateKeyHex: pair.privateKey, publicKeyHex: pair.publicKey };
}

describe('SM2 vectors signed by OpenSSL 3.0 (fixtures/keys/sm2-openssl.json)', () => {
  it('the fixture private key gives the fixture public key', () => {
    expect(encodeHex(sm2PublicKeyFromPrivateKey(bytes(openssl.privateKeyHex)))).toBe(openssl.publicKeyHex);
  });

  for (const vector of openssl.vectors) {
    it(`${vector.id}: verifies under user id ${JSON.stringify(vector.userId)} and under no other`, () => {
      const signature = bytes(vector.signatureDerHex);
      const publicKey = bytes(openssl.publicKeyHex);
      expect(sm2Verify(openssl.message, signature, publicKey, { userId: vector.userId, encoding: 'der' })).toBe(true);
      for (const other of openssl.vectors.filter((v) => v.userId !== vector.userId)) {
        expect(sm2Verify(openssl.message, signature, publicKey, { userId: other.userId })).toBe(false);
      }
    });
  }

  it('the default user id is GM/T 0009\'s 1234567812345678, which OpenSSL only uses when told to', () => {
    expect(SM2_DEFAULT_USER_ID).toBe('1234567812345678');
    const byDefault = openssl.vectors.find((v) => v.userId === SM2_DEFAULT_USER_ID)!;
    const noDistid = openssl.vectors.find((v) => v.userId === '')!;
    expect(sm2Verify(openssl.message, bytes(byDefault.signatureDerHex), bytes(openssl.publicKeyHex))).toBe(true);
    expect(sm2Verify(openssl.message, bytes(noDistid.signatureDerHex), bytes(openssl.publicKeyHex))).toBe(false);
  });
});

describe('cross-check with sm-crypto 0.5.8 (independent implementation)', () => {
  const message = 'didbridge 跨境凭证 verification';

  it('sm-crypto verifies our raw and DER signatures, with the default and with a custom user id', () => {
    const key = oracleKeyPair();
    const raw = sm2Sign(message, key.privateKey);
    expect(raw.length).toBe(64);
    expect(oracle.sm2.doVerifySignature(message, encodeHex(raw), key.publicKeyHex, { hash: true })).toBe(true);
    const der = sm2Sign(message, key.privateKey, { encoding: 'der' });
    expect(der[0]).toBe(0x30);
    expect(oracle.sm2.doVerifySignature(message, encodeHex(der), key.publicKeyHex, { hash: true, der: true })).toBe(true);
    const custom = sm2Sign(message, key.privateKey, { userId: 'ALICE123@YAHOO.COM' });
    expect(oracle.sm2.doVerifySignature(message, encodeHex(custom), key.publicKeyHex, { hash: true, userId: 'ALICE123@YAHOO.COM' })).toBe(true);
    expect(oracle.sm2.doVerifySignature(message, encodeHex(custom), key.publicKeyHex, { hash: true })).toBe(false);
  });

  it('we verify sm-crypto signatures in both encodings, and a different user id fails', () => {
    const key = oracleKeyPair();
    const raw = bytes(oracle.sm2.doSignature(message, key.privateKeyHex, { hash: true }));
    const der = bytes(oracle.sm2.doSignature(message, key.privateKeyHex, { hash: true, der: true }));
    expect(sm2Verify(message, raw, key.publicKey)).toBe(true);
    expect(sm2Verify(message, der, key.publicKey, { encoding: 'der' })).toBe(true);
    expect(sm2Verify(message, raw, key.publicKey, { userId: '1234567812345679' })).toBe(false);
    const withId = bytes(oracle.sm2.doSignature(message, key.privateKeyHex, { hash: true, userId: 'bob' }));
    expect(sm2Verify(message, withId, key.publicKey, { userId: 'bob' })).toBe(true);
    expect(sm2Verify(message, withId, key.publicKey)).toBe(false);
  });

  it('signs binary messages byte for byte (no text conversion)', () => {
    const key = oracleKeyPair();
    const message = Uint8Array.from({ length: 300 }, (_, i) => (i * 37) & 0xff);
    const sig = sm2Sign(message, key.privateKey);
    expect(oracle.sm2.doVerifySignature(Array.from(message), encodeHex(sig), key.publicKeyHex, { hash: true })).toBe(true);
  });

  it('Z matches sm-crypto-v2\'s getZ for the default and a custom user id', () => {
    const key = oracleKeyPair();
    expect(encodeHex(sm2Z({ publicKey: key.publicKey }))).toBe(encodeHex(smCryptoV2.getZ(key.publicKeyHex)));
    expect(encodeHex(sm2Z({ publicKey: key.publicKey, userId: 'alice' }))).toBe(encodeHex(smCryptoV2.getZ(key.publicKeyHex, 'alice')));
  });

  it('e = SM3(Z ‖ M) matches sm-crypto-v2\'s getHash', () => {
    const key = oracleKeyPair();
    const message = new TextEncoder().encode('abc');
    expect(encodeHex(sm2MessageDigest({ message, publicKey: key.publicKey }))).toBe(smCryptoV2.getHash(encodeHex(message), key.publicKeyHex));
  });
});

describe('sm2Sign / sm2Verify', () => {
  const pair = generateKeyPair({ type: 'SM2' });

  it('signatures are randomised, and each one verifies', () => {
    const a = sm2Sign('m', pair.privateKey);
    const b = sm2Sign('m', pair.privateKey);
    expect(encodeHex(a)).not.toBe(encodeHex(b));
    expect(sm2Verify('m', a, pair.publicKey)).toBe(true);
    expect(sm2Verify('m', b, pair.publicKey)).toBe(true);
  });

  it('accepts the public key compressed, uncompressed or as WeIdentity\'s bare X‖Y', () => {
    const sig = sm2Sign('m', pair.privateKey);
    const uncompressed = sm2PublicKeyFromPrivateKey(pair.privateKey);
    expect(compressPoint('SM2', uncompressed)).toEqual(pair.publicKey);
    expect(sm2Verify('m', sig, uncompressed)).toBe(true);
    expect(sm2Verify('m', sig, uncompressed.subarray(1))).toBe(true);
    expect(sm2Verify('m', sig, pair.publicKey)).toBe(true);
  });

  it('a string user id and its UTF-8 bytes are the same id', () => {
    const sig = sm2Sign('m', pair.privateKey, { userId: '张三@example' });
    expect(sm2Verify('m', sig, pair.publicKey, { userId: new TextEncoder().encode('张三@example') })).toBe(true);
  });

  it('rejects a changed message, a changed signature and another key', () => {
    const sig = sm2Sign('message', pair.privateKey);
    expect(sm2Verify('messagE', sig, pair.publicKey)).toBe(false);
    const flipped = new Uint8Array(sig);
    flipped[40]! ^= 1;
    expect(sm2Verify('message', flipped, pair.publicKey)).toBe(false);
    expect(sm2Verify('message', sig, generateKeyPair({ type: 'SM2' }).publicKey)).toBe(false);
  });

  it('returns false for malformed signatures: wrong length, bad DER, r or s out of range', () => {
    const sig = sm2Sign('m', pair.privateKey);
    expect(sm2Verify('m', sig.subarray(0, 63), pair.publicKey)).toBe(false);
    expect(sm2Verify('m', new Uint8Array(0), pair.publicKey)).toBe(false);
    expect(sm2Verify('m', new Uint8Array([...sm2SignatureToDer(sig), 0]), pair.publicKey)).toBe(false);
    expect(sm2Verify('m', new Uint8Array(200).fill(0x30), pair.publicKey)).toBe(false);
    const s = sig.subarray(32);
    expect(sm2Verify('m', new Uint8Array([...new Uint8Array(32), ...s]), pair.publicKey)).toBe(false);
    expect(sm2Verify('m', new Uint8Array([...bytes(fieldHex(N)), ...s]), pair.publicKey)).toBe(false);
    expect(sm2Verify('m', bytes(fieldHex(1n) + fieldHex(N - 1n)), pair.publicKey)).toBe(false);
    expect(sm2Verify('m', sig, pair.publicKey, { encoding: 'der' })).toBe(false);
  });

  it('throws DidBridgeError for a public key off the curve, with the caller\'s code', () => {
    const sig = sm2Sign('m', pair.privateKey);
    const bad = sm2PublicKeyFromPrivateKey(pair.privateKey);
    bad[64]! ^= 1;
    expect(() => sm2Verify('m', sig, bad)).toThrow(DidBridgeError);
    expect(() => sm2Verify('m', sig, bad, { errorCode: 'INVALID_VERIFICATION_METHOD' })).toThrow(
      expect.objectContaining({ code: 'INVALID_VERIFICATION_METHOD' }),
    );
  });

  it('refuses private keys outside [1, n-2] and misuse with TypeError naming the parameter', () => {
    expect(() => sm2Sign('m', new Uint8Array(32))).toThrow(/"privateKey"/);
    expect(() => sm2Sign('m', bytes(fieldHex(N - 1n)))).toThrow(/\[1, n-2\]/);
    expect(() => sm2Sign('m', new Uint8Array(31).fill(1))).toThrow(/32 bytes/);
    expect(() => sm2Sign('m', pair.privateKey, { encoding: 'base64' as 'raw' })).toThrow(/"encoding"/);
    expect(() => sm2Sign(42 as unknown as string, pair.privateKey)).toThrow(/"message"/);
    expect(() => sm2Sign('m', pair.privateKey, { userId: 'x'.repeat(8192) })).toThrow(/"userId"/);
    expect(sm2Verify('m', sm2Sign('m', pair.privateKey, { userId: 'x'.repeat(8191) }), pair.publicKey, { userId: 'x'.repeat(8191) })).toBe(true);
  });
});

describe('signature encodings', () => {
  it('converts raw to DER and back', () => {
    const pair = generateKeyPair({ type: 'SM2' });
    for (let i = 0; i < 10; i++) {
      const raw = sm2Sign(`m${i}`, pair.privateKey);
      const der = sm2SignatureToDer(raw);
      expect(sm2SignatureFromDer(der)).toEqual(raw);
      expect(parseSm2Signature(der, 'der')).toEqual(parseSm2Signature(raw, 'raw'));
    }
  });

  it('reads the DER signature of the did:ctid sample proof (§8)', () => {
    const der = bytes('3046022100a74a1639e3aad5b9333a49214a4ab89364fc310860cd08961c41deb80f5ef712022100d5de2d2fde7212e2fb19aea0bb75f57b9ebd55b6d64516d53df9ef81f397d985');
    const raw = sm2SignatureFromDer(der);
    expect(encodeHex(raw)).toBe(
      'a74a1639e3aad5b9333a49214a4ab89364fc310860cd08961c41deb80f5ef712d5de2d2fde7212e2fb19aea0bb75f57b9ebd55b6d64516d53df9ef81f397d985',
    );
    expect(sm2SignatureToDer(raw)).toEqual(der);
  });

  it('rejects malformed DER with a DidBridgeError and wrong raw lengths with a TypeError', () => {
    expect(() => sm2SignatureFromDer(Uint8Array.of(0x30, 0x02, 0x02, 0x00))).toThrow(DidBridgeError);
    expect(() => sm2SignatureToDer(new Uint8Array(63))).toThrow(TypeError);
    expect(parseSm2Signature(Uint8Array.of(1, 2, 3))).toBeUndefined();
  });
});

describe('node:crypto is not a GB/T 32918 signer (why sm2.ts uses sm-crypto-v2)', () => {
  it('an "ec" key on the SM2 curve signs plain ECDSA, which no SM2 user id verifies', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'SM2' });
    const spki = publicKey.export({ format: 'der', type: 'spki' });
    const point = new Uint8Array(spki.subarray(spki.length - 65));
    const message = new TextEncoder().encode('abc');
    const signature = new Uint8Array(nodeSign('sm3', message, privateKey));
    expect(sm2Verify(message, signature, point, { encoding: 'der' })).toBe(false);
    expect(sm2Verify(message, signature, point, { encoding: 'der', userId: '' })).toBe(false);
  });
});

const hasOpenssl = (() => {
  try {
    return /OpenSSL 3/.test(execFileSync('openssl', ['version'], { encoding: 'utf8' }));
  } catch {
    return false;
  }
})();

describe.skipIf(!hasOpenssl)('OpenSSL 3 verifies our signatures (needs the openssl CLI)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'didbridge-sm2-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('openssl pkeyutl -verify accepts our DER signature under the same distid and rejects it under another', () => {
    const pemPath = join(dir, 'pub.pem');
    // SubjectPublicKeyInfo for an SM2 key: id-ecPublicKey with the SM2 curve OID 1.2.156.10197.1.301.
    const spki = Buffer.concat([Buffer.from('3059301306072a8648ce3d020106082a811ccf5501822d034200', 'hex'), Buffer.from(openssl.publicKeyHex, 'hex')]);
    writeFileSync(pemPath, `-----BEGIN PUBLIC KEY-----\n${spki.toString('base64')}\n-----END PUBLIC KEY-----\n`);
    writeFileSync(join(dir, 'msg'), openssl.message);
    const signature = sm2Sign(openssl.message, bytes(openssl.privateKeyHex), { encoding: 'der', userId: 'didbridge' });
    writeFileSync(join(dir, 'sig.der'), signature);
    const verify = (distid: string) => {
      try {
        execFileSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', pemPath, '-in', join(dir, 'msg'), '-rawin', '-digest', 'sm3',
          '-pkeyopt', `distid:${distid}`, '-sigfile', join(dir, 'sig.der')], { encoding: 'utf8', stdio: 'pipe' });
        return true;
      } catch {
        return false;
      }
    };
    expect(verify('didbridge')).toBe(true);
    expect(verify(SM2_DEFAULT_USER_ID)).toBe(false);
  });
});
