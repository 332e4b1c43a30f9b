import { invert } from '@noble/curves/abstract/modular.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToNumberLE, numberToBytesLE } from '@noble/curves/utils.js';
import { bigintFromBytesLE, bigintToBytesLE, invertModulo } from '../../src/keys/modular.js';

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

describe('little-endian byte conversions against @noble/curves', () => {
  it('reads and writes the same integers', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 64 }), (bytes) => {
        const value = bigintFromBytesLE(bytes);
        expect(value).toBe(bytes.length === 0 ? 0n : bytesToNumberLE(bytes));
        if (bytes.length > 0) expect(bigintToBytesLE(value, bytes.length)).toEqual(numberToBytesLE(value, bytes.length));
      }),
      { numRuns: 1000 },
    );
    expect(bigintToBytesLE(0n, 4)).toEqual(new Uint8Array(4));
    expect(bigintToBytesLE(0x0102n, 3)).toEqual(Uint8Array.of(2, 1, 0));
    expect(bigintToBytesLE(0xabcn, 2)).toEqual(Uint8Array.of(0xbc, 0x0a));
  });

  it('refuses values that do not fit', () => {
    expect(() => bigintToBytesLE(256n, 1)).toThrow(RangeError);
    expect(() => bigintToBytesLE(-1n, 4)).toThrow(RangeError);
  });
});
