import { invert } from '@noble/curves/abstract/modular.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToNumberLE, numberToBytesLE } from '@noble/curves/utils.js';
import { ed25519 } from '@noble/curves/ed25519.js';
import { invertModulo, montgomeryUFromEdwardsY } from '../../src/keys/modular.js';

const ED25519_P = 2n ** 255n - 19n;
const SECP256K1_P = 2n ** 256n - 2n ** 32n - 977n;
const SM2_P = 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn;
const P384_P = 2n ** 384n - 2n ** 128n - 2n ** 96n + 2n ** 32n - 1n;

describe('invertModulo (Lehmer) against @noble/curves invert', () => {
  for (const [name, modulus] of [
    ['2^255-19', ED25519_P],
    ['secp256k1 p', SECP256K1_P],
    ['SM2 p', SM2_P],
    ['P-384 p', P384_P],
  ] as const) {
    it(`agrees on random values modulo ${name}`, () => {
      fc.assert(
        fc.property(fc.bigInt({ min: 1n, max: modulus - 1n }), (value) => {
          const inverse = invertModulo(value, modulus);
          expect(inverse).toBe(invert(value, modulus));
          expect((inverse * value) % modulus).toBe(1n);
        }),
        { numRuns: 2000 },
      );
    });
  }

  it('handles the values whose first quotients are huge (the full-precision fallback) and the edges', () => {
    const values = [1n, 2n, 3n, ED25519_P - 1n, ED25519_P - 2n, (ED25519_P - 1n) / 2n, (ED25519_P + 1n) / 2n,
      2n ** 200n, 2n ** 254n, 2n ** 48n, 2n ** 48n + 1n, 2n ** 47n - 1n, 19n, 38n, 2n ** 128n + 1n];
    for (const value of values) expect(invertModulo(value, ED25519_P)).toBe(invert(value, ED25519_P));
  });

  /**
   * The pair (modulus, value) whose Euclid quotient sequence is exactly `quotients` (the last one ≥ 2, the gcd 1):
   * built from the bottom, r_{i−1} = q_i·r_i + r_{i+1} from (r_n, r_{n+1}) = (1, 0).
   */
  function pairWithQuotients(quotients: readonly bigint[]): { modulus: bigint; value: bigint } {
    let larger = 1n;
    let smaller = 0n;
    for (let i = quotients.length - 1; i >= 0; i--) [larger, smaller] = [quotients[i]! * larger + smaller, larger];
    return { modulus: larger, value: smaller };
  }

  /** Quotients that exercise every path: ones, runs, the 2^24-2^30 band around the cofactor limit, beyond 2^53. */
  const quotient = fc.oneof(
    fc.bigInt({ min: 1n, max: 4n }),
    fc.bigInt({ min: 1n, max: 2n ** 20n }),
    fc.constantFrom(2n ** 24n, 2n ** 26n - 1n, 2n ** 27n, 2n ** 28n - 1n, 2n ** 28n, 2n ** 28n + 1n, 2n ** 29n, 2n ** 52n, 2n ** 53n + 1n),
    fc.bigInt({ min: 2n ** 24n, max: 2n ** 30n }),
    fc.bigInt({ min: 2n ** 30n, max: 2n ** 70n }),
  );
  const quotientSequence = fc
    .array(fc.tuple(quotient, fc.integer({ min: 1, max: 30 })), { minLength: 1, maxLength: 8 })
    .map((runs) => [...runs.flatMap(([q, count]) => Array<bigint>(count).fill(q)), 2n]);

  it('agrees on pairs built from chosen quotient sequences (runs of equal quotients, huge ones, the limits)', () => {
    fc.assert(
      fc.property(quotientSequence, (quotients) => {
        const { modulus, value } = pairWithQuotients(quotients);
        expect(invertModulo(value, modulus)).toBe(invert(value, modulus));
      }),
      { numRuns: 500 },
    );
  });

  it('agrees on values whose quotients modulo a prime start with a long run of one quotient', () => {
    // value ≈ modulus · [0; q, q, q, …] (a ratio of consecutive terms of G_{n+1} = q·G_n + G_{n−1}, to 2^-300 or
    // better), so the first quotients are all q.
    for (const modulus of [ED25519_P, SECP256K1_P, P384_P]) {
      for (const q of [1n, 2n, 3n, 255n, 2n ** 20n, 2n ** 25n, 2n ** 26n, 2n ** 27n, 2n ** 28n, 2n ** 29n, 2n ** 40n]) {
        let previous = 1n;
        let current = q;
        while (current < 2n ** 800n) [previous, current] = [current, q * current + previous];
        const value = (modulus * previous) / current;
        expect(invertModulo(value, modulus)).toBe(invert(value, modulus));
        expect(invertModulo(modulus - value, modulus)).toBe(invert(modulus - value, modulus));
      }
    }
  });

  it('agrees where the cofactor-difference comparison of the certificate is the one that must stop a round', () => {
    // Found by comparing against a build without that comparison (it answered these wrongly); random values hit
    // such a round only about once in 10^4.
    const cases: [bigint, bigint][] = [
      [SECP256K1_P, 0xf62d086e55727d572cc3bd69b3255e6dad3e5c94c1a4acd1de1e8fb4666a4e34n],
      [P384_P, 0xe587c8c2719037115f9b299b6ae272886891c082090cafe126238a3da4e8d78c9fc2ea906c999f0ffebe8eaf07be9841n],
      [P384_P, 0xc191cca5dc2c2582d6716e13a80b20a874243b9a843d991ca7a4503ed4a693546140dfd809a89dcf31b6ff07df957c60n],
    ];
    for (const [modulus, value] of cases) expect(invertModulo(value, modulus)).toBe(invert(value, modulus));
  });

  it('agrees on every power of two and its negation, for each modulus', () => {
    for (const modulus of [ED25519_P, SECP256K1_P, SM2_P, P384_P]) {
      for (let bits = 0n; 2n ** bits < modulus; bits++) {
        for (const value of [2n ** bits, modulus - 2n ** bits]) {
          expect(invertModulo(value, modulus)).toBe(invert(value, modulus));
        }
      }
    }
  });

  it('reduces values outside [0, modulus) first, as the field would', () => {
    expect(invertModulo(-1n, ED25519_P)).toBe(ED25519_P - 1n);
    expect(invertModulo(ED25519_P + 2n, ED25519_P)).toBe(invert(2n, ED25519_P));
    expect(invertModulo(-5n, 97n)).toBe(invert(92n, 97n));
  });

  it('works for small and composite moduli where the inverse exists', () => {
    for (const modulus of [2n, 3n, 97n, 1000n, 2n ** 61n - 1n, 3n * 5n * 7n * 11n]) {
      for (let value = 1n; value < 200n; value++) {
        let expected: bigint | undefined;
        try {
          expected = invert(value, modulus);
        } catch {
          expected = undefined;
        }
        if (expected === undefined) expect(() => invertModulo(value, modulus)).toThrow(RangeError);
        else expect(invertModulo(value, modulus)).toBe(expected);
      }
    }
  });

  it('refuses a value with no inverse and a bad modulus with typed errors', () => {
    expect(() => invertModulo(0n, ED25519_P)).toThrow(RangeError);
    expect(() => invertModulo(ED25519_P, ED25519_P)).toThrow(RangeError);
    expect(() => invertModulo(6n, 9n)).toThrow(/share a factor/);
    expect(() => invertModulo(3n, 1n)).toThrow(RangeError);
    expect(() => invertModulo(3 as unknown as bigint, 7n)).toThrow(TypeError);
  });
});

describe('montgomeryUFromEdwardsY (RFC 7748 §4.1 in limbs)', () => {
  /** u = (1 + y) / (1 − y) mod p in BigInt, the reference. */
  function reference(bytes: Uint8Array): Uint8Array | string {
    const y = bytesToNumberLE(bytes) & (2n ** 255n - 1n);
    if (y >= ED25519_P) return 'non-canonical-y';
    if (y === 1n) return 'neutral-point';
    return numberToBytesLE(((1n + y) * invert((1n - y + ED25519_P) % ED25519_P, ED25519_P)) % ED25519_P, 32);
  }
  const yBytes = (y: bigint, signBit = false) => {
    const bytes = numberToBytesLE(y, 32);
    if (signBit) bytes[31] = bytes[31]! | 0x80;
    return bytes;
  };

  it('agrees with the BigInt formula on random 32-byte inputs (any y, sign bit ignored)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (bytes) => {
        expect(montgomeryUFromEdwardsY(bytes)).toEqual(reference(bytes));
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees with @noble/curves toMontgomery on real Ed25519 public keys', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (secret) => {
        const publicKey = ed25519.getPublicKey(secret);
        expect(montgomeryUFromEdwardsY(publicKey)).toEqual(ed25519.utils.toMontgomery(publicKey));
      }),
      { numRuns: 300 },
    );
  });

  it('gets the edges right: y = 0, 2, p − 1 (u = 0), p − 2, values near 2^255 and every carry pattern', () => {
    const edges = [0n, 2n, 3n, ED25519_P - 1n, ED25519_P - 2n, ED25519_P - 3n, 2n ** 254n, 2n ** 255n - 20n,
      2n ** 240n - 1n, 2n ** 240n, 2n ** 24n - 1n, 2n ** 24n, (ED25519_P + 1n) / 2n, (ED25519_P - 1n) / 2n, 19n,
      2n ** 255n - 2n ** 24n];
    for (const y of edges) {
      for (const signBit of [false, true]) expect(montgomeryUFromEdwardsY(yBytes(y, signBit))).toEqual(reference(yBytes(y)));
    }
    expect(montgomeryUFromEdwardsY(yBytes(0n))).toEqual(numberToBytesLE(1n, 32));
    expect(montgomeryUFromEdwardsY(yBytes(ED25519_P - 1n))).toEqual(new Uint8Array(32));
  });

  it('gets the denominators with huge or repeated quotients right (1 − y a power of two, or ≈ p times a ratio)', () => {
    const denominators: bigint[] = [];
    for (let bits = 1n; bits < 255n; bits++) denominators.push(2n ** bits, ED25519_P - 2n ** bits);
    for (const q of [1n, 2n, 2n ** 26n, 2n ** 28n, 2n ** 29n]) {
      let previous = 1n;
      let current = q;
      while (current < 2n ** 600n) [previous, current] = [current, q * current + previous];
      denominators.push((ED25519_P * previous) / current);
    }
    for (const denominator of denominators) {
      // 1 − y ≡ denominator, so y = p + 1 − denominator (y = 1 is excluded: the denominator is never 0 here).
      const bytes = yBytes((ED25519_P + 1n - denominator) % ED25519_P);
      expect(montgomeryUFromEdwardsY(bytes)).toEqual(reference(bytes));
    }
  });

  it('says why there is no u: y ≥ p (non-canonical) and y = 1 (the neutral point)', () => {
    for (const y of [ED25519_P, ED25519_P + 1n, 2n ** 255n - 1n]) {
      expect(montgomeryUFromEdwardsY(yBytes(y))).toBe('non-canonical-y');
      expect(montgomeryUFromEdwardsY(yBytes(y, true))).toBe('non-canonical-y');
    }
    expect(montgomeryUFromEdwardsY(yBytes(1n))).toBe('neutral-point');
    expect(montgomeryUFromEdwardsY(yBytes(1n, true))).toBe('neutral-point');
  });

  it('refuses anything but 32 bytes with a TypeError', () => {
    expect(() => montgomeryUFromEdwardsY(new Uint8Array(31))).toThrow(TypeError);
    expect(() => montgomeryUFromEdwardsY('x' as unknown as Uint8Array)).toThrow(TypeError);
  });
});
