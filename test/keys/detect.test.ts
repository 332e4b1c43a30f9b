import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DidBridgeError } from '../../src/errors.js';
import {
  SM2_VERIFICATION_METHOD_TYPE_NAMES,
  VERIFICATION_METHOD_TYPE_ALIASES,
  decodeDecimalPublicKey,
  decodeHex,
  decodeMultikey,
  decodeWeidPseudoMultibase,
  decompressPoint,
  encodeMultikey,
  generateKeyPair,
  inferKeyType,
  isEd25519Point,
  isOnCurve,
  lookupVerificationMethodType,
  type KeyType,
} from '../../src/keys/index.js';

interface KeyTypeVector {
  id: string;
  section: string;
  method: string;
  declaredType: string;
  key: { encoding: 'hex' | 'decimal' | 'weid-pseudo-multibase'; value: string };
  expected: { type?: KeyType; declaredKeyType?: string; mismatch?: boolean; decidedBy?: string; candidates?: KeyType[]; error?: boolean };
}
const fixture = JSON.parse(readFileSync(new URL('../../fixtures/keys/key-types.json', import.meta.url), 'utf8')) as {
  vectors: KeyTypeVector[];
};

function keyBytes(key: KeyTypeVector['key']): Uint8Array {
  if (key.encoding === 'hex') return decodeHex(key.value);
  if (key.encoding === 'decimal') return decodeDecimalPublicKey(key.value);
  return decodeWeidPseudoMultibase(key.value).publicKey;
}

/** A compressed secp256k1 key whose x also has a point on SM2: the bytes alone cannot tell the curves apart. */
function ambiguousCompressedKey(): Uint8Array {
  for (;;) {
    const bytes = generateKeyPair({ type: 'secp256k1' }).publicKey;
    if (isOnCurve('SM2', bytes)) return bytes;
  }
}

describe('key-type vectors from published documents (fixtures/keys/key-types.json)', () => {
  for (const vector of fixture.vectors) {
    it(`${vector.id} (${vector.section})`, () => {
      const run = () => inferKeyType({ publicKey: keyBytes(vector.key), declaredType: vector.declaredType, method: vector.method });
      if (vector.expected.error) {
        expect(run).toThrow(DidBridgeError);
        return;
      }
      const result = run();
      expect(result.type).toBe(vector.expected.type);
      expect(result.declaredType).toBe(vector.declaredType);
      if (vector.expected.declaredKeyType !== undefined) expect(result.declaredKeyType).toBe(vector.expected.declaredKeyType);
      if (vector.expected.mismatch !== undefined) expect(result.mismatch).toBe(vector.expected.mismatch);
      if (vector.expected.decidedBy !== undefined) expect(result.decidedBy).toBe(vector.expected.decidedBy);
      if (vector.expected.candidates !== undefined) expect(result.candidates).toEqual(vector.expected.candidates);
      // The normalised key is usable as a Multikey and round-trips.
      expect(decodeMultikey(encodeMultikey(result.publicKey))).toEqual(result.publicKey);
    });
  }

  it('records why: the WeIdentity v3 mislabel is named in the reason', () => {
    const v = fixture.vectors.find((x) => x.id === 'weid-v3-mislabelled-secp256k1')!;
    const result = inferKeyType({ publicKey: keyBytes(v.key), declaredType: v.declaredType, method: 'weid' });
    expect(result.reason).toMatch(/secp256k1 only/);
    expect(result.reason).toMatch(/claims Ed25519/);
    expect(result.reason).toMatch(/did:weid/);
    expect(result.alias?.method).toBe('weid');
  });
});

describe('uncompressed points identify their curve', () => {
  for (const type of ['secp256k1', 'SM2', 'P-256'] as const) {
    it(`${type}: 65-byte SEC1 and bare 64-byte X‖Y`, () => {
      const uncompressed = decompressPoint(type, generateKeyPair({ type }).publicKey);
      const a = inferKeyType({ publicKey: uncompressed });
      const b = inferKeyType({ publicKey: uncompressed.subarray(1) });
      expect([a.type, a.form, a.decidedBy]).toEqual([type, 'sec1-uncompressed', 'bytes']);
      expect([b.type, b.form, b.decidedBy]).toEqual([type, 'xy', 'bytes']);
      expect(a.publicKey.bytes.length).toBe(33);
    });
  }

  it('the bytes win over a contradicting context, and the reason says so', () => {
    const uncompressed = decompressPoint('secp256k1', generateKeyPair({ type: 'secp256k1' }).publicKey);
    const result = inferKeyType({ publicKey: uncompressed, contextKeyType: 'SM2' });
    expect(result.type).toBe('secp256k1');
    expect(result.reason).toMatch(/context says SM2, which the bytes rule out/);
  });
});

describe('compressed points need the context or the declared type', () => {
  const bytes = ambiguousCompressedKey();

  it('fits several curves and inference refuses to guess', () => {
    expect(() => inferKeyType({ publicKey: bytes })).toThrow(/valid point on secp256k1, SM2/);
    expect(() => inferKeyType({ publicKey: bytes, errorCode: 'INVALID_VERIFICATION_METHOD' })).toThrow(
      expect.objectContaining({ code: 'INVALID_VERIFICATION_METHOD' }),
    );
  });

  it('the context decides first, then a trustworthy declared type', () => {
    expect(inferKeyType({ publicKey: bytes, contextKeyType: 'SM2' })).toMatchObject({ type: 'SM2', decidedBy: 'context' });
    expect(inferKeyType({ publicKey: bytes, declaredType: 'SM2VerificationKey2019' })).toMatchObject({
      type: 'SM2',
      decidedBy: 'declaredType',
      mismatch: false,
    });
    expect(inferKeyType({ publicKey: bytes, declaredType: 'Secp256k1' })).toMatchObject({ type: 'secp256k1', decidedBy: 'declaredType' });
    // The context outranks the declared type, and the disagreement is a mismatch.
    expect(inferKeyType({ publicKey: bytes, contextKeyType: 'SM2', declaredType: 'EcdsaSecp256k1VerificationKey2019' })).toMatchObject({
      type: 'SM2',
      mismatch: true,
    });
  });

  it('a declared type known to lie for the method is not used to decide', () => {
    expect(() => inferKeyType({ publicKey: bytes, declaredType: 'Ed25519VerificationKey2020', method: 'weid' })).toThrow(DidBridgeError);
  });
});

describe('32-byte keys', () => {
  it('an Ed25519 point is Ed25519 by default and X25519 when the context says so', () => {
    const key = generateKeyPair({ type: 'Ed25519' }).publicKey;
    expect(inferKeyType({ publicKey: key })).toMatchObject({ type: 'Ed25519', decidedBy: 'default', candidates: ['Ed25519', 'X25519'] });
    expect(inferKeyType({ publicKey: key, contextKeyType: 'X25519' })).toMatchObject({ type: 'X25519', decidedBy: 'context' });
    expect(inferKeyType({ publicKey: key, declaredType: 'X25519KeyAgreementKey2020' })).toMatchObject({ type: 'X25519' });
  });

  it('bytes that are no Ed25519 point are X25519, unless something claims Ed25519 (then the key is reported corrupt)', () => {
    let bytes: Uint8Array;
    let i = 0;
    do bytes = Uint8Array.from({ length: 32 }, (_, j) => (j * 7 + i++) & 0xff);
    while (isEd25519Point(bytes));
    expect(inferKeyType({ publicKey: bytes })).toMatchObject({ type: 'X25519', decidedBy: 'bytes' });
    expect(() => inferKeyType({ publicKey: bytes, declaredType: 'Ed25519' })).toThrow(/not a valid Ed25519 point/);
  });

  it('32 bytes under an EC type are rejected rather than re-read as Ed25519', () => {
    const key = generateKeyPair({ type: 'Ed25519' }).publicKey;
    expect(() => inferKeyType({ publicKey: key, declaredType: 'SM2' })).toThrow(/said to be SM2 but has 32 bytes/);
    expect(() => inferKeyType({ publicKey: key, contextKeyType: 'secp256k1' })).toThrow(DidBridgeError);
  });
});

describe('bad input', () => {
  it('unknown lengths, bad prefixes and off-curve points are DidBridgeErrors with a useful message', () => {
    expect(() => inferKeyType({ publicKey: new Uint8Array(20) })).toThrow(/got 20 bytes/);
    expect(() => inferKeyType({ publicKey: new Uint8Array(33).fill(5) })).toThrow(/starts with 0x02, 0x03 or 0x04; got 0x05/);
    expect(() => inferKeyType({ publicKey: Uint8Array.of(4, ...new Uint8Array(64).fill(1)) })).toThrow(/not a point on/);
    expect(() => inferKeyType({ publicKey: new Uint8Array(0) })).toThrow(DidBridgeError);
  });

  it('misuse is a TypeError naming the parameter', () => {
    expect(() => inferKeyType({ publicKey: 'abc' as unknown as Uint8Array })).toThrow(/"publicKey"/);
    expect(() => inferKeyType({ publicKey: new Uint8Array(32), contextKeyType: 'RSA' as KeyType })).toThrow(/"contextKeyType"/);
    expect(() => inferKeyType(undefined as never)).toThrow(/"options"/);
  });

  it('an unknown declared name is reported and not used', () => {
    const result = inferKeyType({ publicKey: generateKeyPair({ type: 'Ed25519' }).publicKey, declaredType: 'FancyKey2031' });
    expect(result.mismatch).toBe(false);
    expect(result.alias).toBeUndefined();
    expect(result.reason).toMatch(/not in the alias table/);
  });
});

describe('VERIFICATION_METHOD_TYPE_ALIASES (domestic-methods.md §10-§11, peers.md §4)', () => {
  it('lists every SM2 name seen in public code and maps each to an SM2 key', () => {
    const seen = ['SM2VerificationKey', 'SM2VerificationKey2019', 'SM2VerificationKey2020', 'SM2VerificationKey2022',
      'SM2VerificationKey2023', 'Sm2VerificationKeyV1', 'sm2p256v1', 'SM2'];
    expect([...SM2_VERIFICATION_METHOD_TYPE_NAMES].sort()).toEqual([...seen].sort());
    for (const name of seen) expect(lookupVerificationMethodType({ name })?.keyType).toBe('SM2');
  });

  it('covers the unregistered domestic spellings of §10 and the registered legacy names', () => {
    const expected: Record<string, KeyType | undefined> = {
      Secp256k1: 'secp256k1', SECP256K1: 'secp256k1', secp256k1: 'secp256k1', Ed25519: 'Ed25519', ED25519: 'Ed25519',
      EcdsaSecp256k1VerificationKey2019: 'secp256k1', Ed25519VerificationKey2018: 'Ed25519', Ed25519VerificationKey2020: 'Ed25519',
      Multikey: undefined, JsonWebKey: undefined, RsaVerificationKey2018: undefined,
    };
    for (const [name, keyType] of Object.entries(expected)) {
      const entry = lookupVerificationMethodType({ name });
      expect(entry, name).toBeDefined();
      expect(entry!.keyType, name).toBe(keyType);
    }
    expect(lookupVerificationMethodType({ name: 'RsaVerificationKey2018' })?.claims).toBe('RSA');
  });

  it('Ed25519VerificationKey2020 implies nothing in did:weid, where it is known to lie', () => {
    expect(lookupVerificationMethodType({ name: 'Ed25519VerificationKey2020', method: 'weid' })).toMatchObject({ keyType: undefined, claims: 'Ed25519', method: 'weid' });
    expect(lookupVerificationMethodType({ name: 'Ed25519VerificationKey2020', method: 'did:weid' })?.method).toBe('weid');
    expect(lookupVerificationMethodType({ name: 'Ed25519VerificationKey2020', method: 'bid' })?.keyType).toBe('Ed25519');
  });

  it('looks names up case-insensitively, preferring the exact spelling, and returns undefined for unknown names', () => {
    expect(lookupVerificationMethodType({ name: 'sm2verificationkey2019' })?.name).toBe('SM2VerificationKey2019');
    expect(lookupVerificationMethodType({ name: 'SECP256K1' })?.name).toBe('SECP256K1');
    expect(lookupVerificationMethodType({ name: 'NoSuchKey' })).toBeUndefined();
    expect(() => lookupVerificationMethodType({ name: 42 as unknown as string })).toThrow(/"name"/);
  });

  it('is well-formed: canonical Multikey everywhere, one entry per name and scope, a source and a note on each', () => {
    const keys = VERIFICATION_METHOD_TYPE_ALIASES.map((e) => `${e.name}@${e.method ?? ''}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const entry of VERIFICATION_METHOD_TYPE_ALIASES) {
      expect(entry.canonical).toBe('Multikey');
      expect(entry.seenIn.length).toBeGreaterThan(0);
      expect(entry.note.length).toBeGreaterThan(10);
      if (entry.keyType !== undefined) expect(entry.claims).toBe(entry.keyType);
    }
    expect(Object.isFrozen(VERIFICATION_METHOD_TYPE_ALIASES)).toBe(true);
  });
});
