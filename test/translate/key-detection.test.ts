/**
 * The fast paths of key-type detection that the translation benchmark led to (src/keys/detect.ts, multikey.ts):
 * point validity by Jacobi symbol and curve equation instead of @noble/curves' point decoding, and the memo of
 * classifications. They must give exactly @noble/curves' answers; these tests compare them on real points of every
 * curve, on random bytes (seeded fast-check) and on the edge encodings.
 */
import fc from 'fast-check';
import { ed25519 } from '@noble/curves/ed25519.js';
import { p256, p384 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { afterEach, describe, expect, it } from 'vitest';
import { compressPoint, isOnCurve, sm2Point, type EcKeyType } from '../../src/keys/curves.js';
import { inferKeyType, keyTypeMemo } from '../../src/keys/detect.js';
import { isEd25519Point, jacobiSymbol } from '../../src/keys/multikey.js';

const SEED = 20261125;
const POINTS = { secp256k1: secp256k1.Point, 'P-256': p256.Point, SM2: sm2Point, 'P-384': p384.Point } as const;

function nobleEd25519(bytes: Uint8Array): boolean {
  try {
    ed25519.Point.fromBytes(bytes);
    return true;
  } catch {
    return false;
  }
}

/** The candidates @noble/curves' decoding gives for key bytes (the reference of `inferKeyType`'s classification). */
function referenceCandidates(bytes: Uint8Array): string[] | undefined {
  const on = (types: EcKeyType[], sec1: Uint8Array) => types.filter((t) => isOnCurve(t, sec1));
  if (bytes.length === 64) return on(['secp256k1', 'SM2', 'P-256'], Uint8Array.of(0x04, ...bytes));
  if (bytes.length === 96) return on(['P-384'], Uint8Array.of(0x04, ...bytes));
  if (bytes.length === 33 || bytes.length === 65) return on(['secp256k1', 'SM2', 'P-256'], bytes);
  if (bytes.length === 49 || bytes.length === 97) return on(['P-384'], bytes);
  return undefined;
}

function candidatesOf(bytes: Uint8Array): string[] {
  try {
    return inferKeyType({ publicKey: bytes }).candidates;
  } catch (err) {
    // No fit at all, or a compressed point on several curves with nothing to choose: the message names them.
    const message = (err as Error).message;
    const several = /valid point on ([\w, -]+); a compressed point/.exec(message);
    return several ? several[1]!.split(', ') : [];
  }
}

afterEach(() => {
  keyTypeMemo.maxEntries = 1024;
  keyTypeMemo.clear();
});

describe('jacobiSymbol', () => {
  it("equals Euler's criterion a^((p-1)/2) mod p on the curve primes", () => {
    const fields = [secp256k1.Point.Fp, p256.Point.Fp, sm2Point.Fp, ed25519.Point.Fp];
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }), fc.integer({ min: 0, max: fields.length - 1 }), (a, i) => {
        const Fp = fields[i]!;
        const euler = Fp.pow(Fp.create(a), (Fp.ORDER - 1n) / 2n);
        const expected = euler === 0n ? 0 : euler === 1n ? 1 : -1;
        expect(jacobiSymbol(a, Fp.ORDER)).toBe(expected);
      }),
      { seed: SEED, numRuns: 300 },
    );
    expect(jacobiSymbol(-1n, 7n)).toBe(-1);
    expect(() => jacobiSymbol(3n, 8n)).toThrow(/"n"/);
  });
});

describe('isEd25519Point', () => {
  it('answers as @noble/curves decodes (RFC 8032 §5.1.3): random bytes, real keys, edge encodings', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (bytes) => {
        expect(isEd25519Point(bytes)).toBe(nobleEd25519(bytes));
      }),
      { seed: SEED, numRuns: 2000 },
    );
    for (let i = 0; i < 20; i++) expect(isEd25519Point(ed25519.getPublicKey(ed25519.utils.randomSecretKey()))).toBe(true);
    const p = ed25519.Point.Fp.ORDER;
    const le = (n: bigint, sign: boolean) => {
      const b = new Uint8Array(32);
      for (let i = 0, x = n; i < 32; i++, x >>= 8n) b[i] = Number(x & 0xffn);
      if (sign) b[31]! |= 0x80;
      return b;
    };
    // y = ±1 give x = 0 (valid only with a clear sign bit); y ≥ p is not canonical.
    for (const y of [0n, 1n, p - 1n, p, p + 1n, (1n << 255n) - 1n]) {
      for (const sign of [false, true]) expect(isEd25519Point(le(y, sign)), `${y} ${sign}`).toBe(nobleEd25519(le(y, sign)));
    }
    expect(isEd25519Point(new Uint8Array(31))).toBe(false);
  });
});

describe('inferKeyType classification', () => {
  it('gives the candidates and compressed key @noble/curves gives, for real points of every curve and their corruptions', () => {
    for (const memo of [0, 1024]) {
      keyTypeMemo.maxEntries = memo;
      keyTypeMemo.clear();
      for (const [type, Point] of Object.entries(POINTS)) {
        for (let i = 1n; i <= 12n; i++) {
          const point = Point.BASE.multiply(i * 7919n + 3n);
          const forms = [point.toBytes(true), point.toBytes(false), point.toBytes(false).subarray(1)];
          const corrupt = point.toBytes(false);
          corrupt[corrupt.length - 1]! ^= 1;
          for (const bytes of [...forms, corrupt, corrupt.subarray(1)]) {
            const expected = referenceCandidates(bytes)!;
            expect(candidatesOf(bytes), `${type} ${bytes.length}`).toStrictEqual(expected);
            if (expected.length === 1) {
              const sec1 = bytes.length === 64 || bytes.length === 96 ? Uint8Array.of(0x04, ...bytes) : bytes;
              expect(inferKeyType({ publicKey: bytes }).publicKey.bytes).toStrictEqual(compressPoint(expected[0] as EcKeyType, sec1));
            }
          }
        }
      }
    }
  });

  it('agrees with @noble/curves on random compressed x values and random X‖Y (memo on and off)', () => {
    for (const memo of [0, 1024]) {
      keyTypeMemo.maxEntries = memo;
      fc.assert(
        fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.constantFrom(0x02, 0x03), (x, prefix) => {
          const bytes = Uint8Array.of(prefix, ...x);
          expect(candidatesOf(bytes)).toStrictEqual(referenceCandidates(bytes));
        }),
        { seed: SEED, numRuns: 150 },
      );
      fc.assert(
        fc.property(fc.uint8Array({ minLength: 64, maxLength: 64 }), (xy) => {
          expect(candidatesOf(xy)).toStrictEqual(referenceCandidates(xy));
        }),
        { seed: SEED, numRuns: 100 },
      );
    }
    // x ≥ p is no field element on any curve.
    expect(candidatesOf(Uint8Array.of(0x02, ...new Uint8Array(32).fill(0xff)))).toStrictEqual([]);
  });

  it('memo hits return the same answer, callers cannot change the memo, and it stays within maxEntries', () => {
    const key = secp256k1.Point.BASE.multiply(12345n).toBytes(false);
    const first = inferKeyType({ publicKey: key });
    first.candidates.push('P-256');
    first.publicKey.bytes.fill(0);
    const second = inferKeyType({ publicKey: key });
    expect(second.candidates).toStrictEqual(['secp256k1']);
    expect(second.publicKey.bytes).toStrictEqual(secp256k1.Point.BASE.multiply(12345n).toBytes(true));
    keyTypeMemo.maxEntries = 4;
    const keys = Array.from({ length: 10 }, (_, i) => secp256k1.Point.BASE.multiply(BigInt(i + 1)).toBytes(false));
    for (const publicKey of keys) inferKeyType({ publicKey });
    expect(keyTypeMemo.size).toBe(4);
    // Evicted entries are recomputed, not lost: every key still classifies.
    for (const publicKey of keys) expect(inferKeyType({ publicKey }).type).toBe('secp256k1');
    expect(keyTypeMemo.size).toBe(4);
    keyTypeMemo.maxEntries = 0;
    keyTypeMemo.clear();
    inferKeyType({ publicKey: keys[0]! });
    expect(keyTypeMemo.size).toBe(0);
  });
});
