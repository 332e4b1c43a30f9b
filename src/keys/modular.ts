/**
 * Modular inversion for the one place a field inverse sits on a hot path: the Ed25519 → X25519 conversion that
 * did:key performs for every Ed25519 DID it resolves (u = (1 + y) / (1 − y), RFC 7748 §4.1).
 *
 * Why not a library: @noble/curves inverts with the textbook extended Euclid on BigInt (about 150 steps of two
 * BigInt divisions and two multiplications for a 255-bit modulus: ~65 µs on the reference VM, more than the rest of a
 * did:key resolution), and every other JavaScript package measured (@stablelib/ed25519, libsodium-wrappers, ed2curve;
 * docs/BENCHMARKS.md, Driver) is slower still, because each either exponentiates or checks the point as well.
 * node:crypto offers no modular inverse. So this is Lehmer's variant of the same algorithm (Knuth, TAOCP vol. 2,
 * §4.5.2, Algorithm L): the quotient sequence is simulated on the leading 48 bits of the two remainders in ordinary
 * floating-point numbers, whose integers are exact below 2^53, and BigInt arithmetic is applied only once per ~24
 * bits of progress, as one 2×2 matrix. The answer is the same as any extended Euclid's; the tests compare it with
 * @noble/curves' `invert` on random and edge-case inputs.
 */

/** Leading bits simulated in double precision: 48 keeps every intermediate of the inner loop below 2^53. */
const WORD_BITS = 48;

/**
 * The inverse of `value` modulo `modulus`: the x in [1, modulus) with value · x ≡ 1 (mod modulus).
 *
 * @param value any integer; it is reduced modulo `modulus` first
 * @param modulus an integer > 1
 * @throws RangeError when `value` has no inverse (it shares a factor with `modulus`, e.g. it is 0 mod a prime)
 */
export function invertModulo(value: bigint, modulus: bigint): bigint {
  if (typeof value !== 'bigint' || typeof modulus !== 'bigint') throw new TypeError('"value" and "modulus" must be bigints');
  if (modulus <= 1n) throw new RangeError('"modulus" must be greater than 1');
  // Invariants: r0 ≡ s0 · value and r1 ≡ s1 · value (mod modulus); the remainders shrink to gcd, 0.
  let r0 = modulus;
  let r1 = ((value % modulus) + modulus) % modulus;
  let s0 = 0n;
  let s1 = 1n;
  while (r1 !== 0n) {
    const bits = bitLength(r0);
    if (bits <= WORD_BITS) {
      // Both remainders fit in a double exactly: finish in floating point, collecting the matrix that maps (s0, s1).
      const tail = exactEuclid(Number(r0), Number(r1));
      r0 = BigInt(tail.gcd);
      s0 = BigInt(tail.a) * s0 + BigInt(tail.b) * s1;
      break;
    }
    const shift = BigInt(bits - WORD_BITS);
    let x = Number(r0 >> shift);
    let y = Number(r1 >> shift);
    // Knuth's Algorithm L, step L2-L3: follow the quotients while both bounds of the true quotient agree.
    let a = 1;
    let b = 0;
    let c = 0;
    let d = 1;
    for (;;) {
      if (y + c === 0 || y + d === 0) break;
      const q = Math.floor((x + a) / (y + c));
      if (q !== Math.floor((x + b) / (y + d))) break;
      let t = a - q * c;
      a = c;
      c = t;
      t = b - q * d;
      b = d;
      d = t;
      t = x - q * y;
      x = y;
      y = t;
    }
    if (b === 0) {
      // No quotient could be certified from the leading bits (a very large quotient): one full-precision step.
      const q = r0 / r1;
      [r0, r1] = [r1, r0 - q * r1];
      [s0, s1] = [s1, s0 - q * s1];
      continue;
    }
    const A = BigInt(a);
    const B = BigInt(b);
    const C = BigInt(c);
    const D = BigInt(d);
    [r0, r1] = [A * r0 + B * r1, C * r0 + D * r1];
    [s0, s1] = [A * s0 + B * s1, C * s0 + D * s1];
  }
  if (r0 !== 1n) throw new RangeError('the value has no inverse modulo the modulus (they share a factor)');
  const inverse = s0 % modulus;
  return inverse < 0n ? inverse + modulus : inverse;
}

/**
 * Extended Euclid on two exact integers below 2^48 (x ≥ y ≥ 0): the gcd and the coefficients (a, b) with
 * a·x₀ + b·y₀ = gcd in terms of the caller's (s0, s1). Every intermediate stays below 2^49 in magnitude.
 */
function exactEuclid(x: number, y: number): { gcd: number; a: number; b: number } {
  let a = 1;
  let b = 0;
  let c = 0;
  let d = 1;
  while (y !== 0) {
    const q = Math.floor(x / y);
    let t = x - q * y;
    x = y;
    y = t;
    t = a - q * c;
    a = c;
    c = t;
    t = b - q * d;
    b = d;
    d = t;
  }
  return { gcd: x, a, b };
}

/** Number of bits of a positive bigint (0 for 0). */
function bitLength(value: bigint): number {
  // toString(16) is native and linear; the leading digit's width is the only part that varies.
  const hex = value.toString(16);
  return (hex.length - 1) * 4 + (32 - Math.clz32(Number.parseInt(hex[0]!, 16)));
}

/** Two lowercase hex digits per byte value, so that byte ↔ bigint conversions are one native parse or print. */
const HEX_BY_BYTE: readonly string[] = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** The unsigned integer whose little-endian encoding is `bytes` (RFC 7748 §5 and RFC 8032 §5.1.2 use little-endian). */
export function bigintFromBytesLE(bytes: Uint8Array): bigint {
  let hex = '0x';
  for (let i = bytes.length - 1; i >= 0; i--) hex += HEX_BY_BYTE[bytes[i]!]!;
  return hex.length === 2 ? 0n : BigInt(hex);
}

/**
 * The little-endian encoding of `value` in exactly `length` bytes.
 * @throws RangeError when `value` is negative or needs more than `length` bytes
 */
export function bigintToBytesLE(value: bigint, length: number): Uint8Array {
  if (value < 0n) throw new RangeError('"value" must not be negative');
  const hex = value.toString(16);
  if (hex.length > length * 2) throw new RangeError(`"value" does not fit in ${length} bytes`);
  const bytes = new Uint8Array(length);
  // Walk the big-endian hex from its last digit: byte i takes digits [end - 2i - 2, end - 2i).
  for (let i = 0, end = hex.length; i < length && end - 2 * i > 0; i++) {
    const stop = end - 2 * i;
    bytes[i] = Number.parseInt(hex.slice(Math.max(0, stop - 2), stop), 16);
  }
  return bytes;
}
