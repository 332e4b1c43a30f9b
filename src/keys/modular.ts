/**
 * Modular inversion for the one place a field inverse sits on a hot path: the Ed25519 → X25519 conversion that
 * did:key performs for every Ed25519 DID it resolves (u = (1 + y) / (1 − y), RFC 7748 §4.1).
 *
 * Why not a library: @noble/curves inverts with the textbook extended Euclid on BigInt (about 150 steps of two
 * BigInt divisions and two multiplications for a 255-bit modulus: ~65 µs on the reference VM, more than the rest of a
 * did:key resolution), and every other JavaScript package measured (@stablelib/ed25519, libsodium-wrappers, ed2curve;
 * docs/BENCHMARKS.md, Driver) is slower still, because each either exponentiates or checks the point as well.
 * node:crypto offers no modular inverse.
 *
 * So this is Lehmer's variant of the same algorithm (Knuth, TAOCP vol. 2, §4.5.2, Algorithm L) on multi-precision
 * integers kept as arrays of 24-bit limbs in ordinary numbers (integers are exact in a double below 2^53):
 * - the quotient sequence is simulated on the leading 48 bits of the two remainders, and a step is taken only while
 *   both of Knuth's bounds agree on the quotient, so the simulated quotients are the true ones;
 * - the simulation stops before a cofactor of the 2×2 step matrix passes 2^26, so applying the matrix to the limbs
 *   (|cofactor × limb| < 2^50, two of them plus a carry < 2^52) stays exact;
 * - the Bézout cofactors s0, s1 are carried the same way; they are the classical ones, bounded by the modulus in
 *   magnitude, so they need no reduction until the end;
 * - when no quotient can be certified from the leading bits (a huge quotient, e.g. for the value 1), one step is
 *   done in BigInt.
 * The answer is the same as any extended Euclid's; the tests compare it with @noble/curves' `invert` on random and
 * edge-case values for several moduli.
 */

const LIMB_BITS = 24;
const LIMB = 2 ** LIMB_BITS;
/** Hex digits per limb (24 bits). */
const LIMB_HEX = LIMB_BITS / 4;
/** 2^0 … 2^24. */
const POWERS_OF_TWO: readonly number[] = Array.from({ length: LIMB_BITS + 1 }, (_, n) => 2 ** n);
/** Largest step-matrix cofactor allowed, so that cofactor × limb products stay exact. */
const COFACTOR_LIMIT = 2 ** 26;

/**
 * A non-negative integer as little-endian 24-bit limbs; or, for cofactors, with a signed top limb. Plain arrays of
 * small integers (V8 keeps them unboxed; typed arrays measured slower to allocate at this size); the products in
 * `applyStep` are computed in doubles, exact up to 2^53.
 */
type Limbs = number[];

let lastModulus: { value: bigint; size: number; limbs: Limbs } = { value: 0n, size: 0, limbs: [] };

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
  const reduced = value >= 0n && value < modulus ? value : ((value % modulus) + modulus) % modulus;
  // The same few moduli come back on every call (the field of one curve): keep the last one's limbs.
  if (modulus !== lastModulus.value) {
    // One limb of headroom above the modulus for the signed top of the cofactors.
    const size = Math.ceil(modulus.toString(16).length / LIMB_HEX) + 1;
    lastModulus = { value: modulus, size, limbs: toLimbs(modulus, size) };
  }
  const size = lastModulus.size;
  // Invariants: r0 ≡ s0 · value and r1 ≡ s1 · value (mod modulus); the remainders shrink to (gcd, 0).
  let r0 = lastModulus.limbs.slice();
  let r1 = toLimbs(reduced, size);
  let s0: Limbs = new Array<number>(size).fill(0);
  let s1: Limbs = new Array<number>(size).fill(0);
  s1[0] = 1;
  for (;;) {
    const top = topLimb(r0);
    if (top < 0 || isZero(r1)) break;
    // The leading 48 bits of r0 and the same bits of r1 (a shift that leaves r0's top bit at bit 47).
    let x: number;
    let y: number;
    if (top <= 1) {
      x = r0[1]! * LIMB + r0[0]!;
      y = r1[1]! * LIMB + r1[0]!;
    } else {
      const spare = LIMB_BITS - bitLength(r0[top]!);
      // A table, not `2 ** spare`: the exponentiation was a fifth of the whole inversion.
      const scale = POWERS_OF_TWO[spare]!;
      const drop = POWERS_OF_TWO[LIMB_BITS - spare]!;
      x = (r0[top]! * LIMB + r0[top - 1]!) * scale + Math.floor(r0[top - 2]! / drop);
      y = (r1[top]! * LIMB + r1[top - 1]!) * scale + Math.floor(r1[top - 2]! / drop);
    }
    const exact = top <= 1;
    let a = 1;
    let b = 0;
    let c = 0;
    let d = 1;
    for (;;) {
      let q: number;
      if (exact) {
        // The leading bits are the whole numbers: plain Euclid, no bounds to compare.
        if (y === 0) break;
        q = Math.floor(x / y);
      } else {
        // Knuth's Algorithm L, steps L2-L3: the true quotient lies between these two; take it only if they agree.
        if (y + c === 0 || y + d === 0) break;
        q = Math.floor((x + a) / (y + c));
        if (q !== Math.floor((x + b) / (y + d))) break;
      }
      const nextC = a - q * c;
      const nextD = b - q * d;
      if (Math.abs(nextC) > COFACTOR_LIMIT || Math.abs(nextD) > COFACTOR_LIMIT) break;
      a = c;
      c = nextC;
      b = d;
      d = nextD;
      const t = x - q * y;
      x = y;
      y = t;
    }
    if (b === 0) {
      // No step could be certified (or the first quotient is beyond the cofactor limit): one BigInt step.
      const R0 = fromLimbs(r0);
      const R1 = fromLimbs(r1);
      const q = R0 / R1;
      const S0 = fromLimbs(s0);
      const S1 = fromLimbs(s1);
      r0 = toLimbs(R1, size);
      r1 = toLimbs(R0 - q * R1, size);
      s0 = toSignedLimbs(S1, size);
      s1 = toSignedLimbs(S0 - q * S1, size);
      continue;
    }
    applyStep(a, b, c, d, r0, r1);
    applyStep(a, b, c, d, s0, s1);
  }
  if (!isOne(r0)) throw new RangeError('the value has no inverse modulo the modulus (they share a factor)');
  const inverse = fromLimbs(s0) % modulus;
  return inverse < 0n ? inverse + modulus : inverse;
}

/**
 * (u, v) ← (a·u + b·v, c·u + d·v), in place, limb by limb with floor carries, so every limb but the top lands in
 * [0, 2^24) and the top limb carries the sign (remainders are never negative; cofactors alternate in sign).
 */
function applyStep(a: number, b: number, c: number, d: number, u: Limbs, v: Limbs): void {
  let carryU = 0;
  let carryV = 0;
  const last = u.length - 1;
  for (let i = 0; i < last; i++) {
    const ui = u[i]!;
    const vi = v[i]!;
    const tu = a * ui + b * vi + carryU;
    const tv = c * ui + d * vi + carryV;
    carryU = Math.floor(tu / LIMB);
    carryV = Math.floor(tv / LIMB);
    u[i] = tu - carryU * LIMB;
    v[i] = tv - carryV * LIMB;
  }
  const ui = u[last]!;
  const vi = v[last]!;
  u[last] = a * ui + b * vi + carryU;
  v[last] = c * ui + d * vi + carryV;
}

/** Index of the highest non-zero limb, or -1 for zero. */
function topLimb(limbs: Limbs): number {
  for (let i = limbs.length - 1; i >= 0; i--) if (limbs[i] !== 0) return i;
  return -1;
}

function isZero(limbs: Limbs): boolean {
  for (const limb of limbs) if (limb !== 0) return false;
  return true;
}

function isOne(limbs: Limbs): boolean {
  if (limbs[0] !== 1) return false;
  for (let i = 1; i < limbs.length; i++) if (limbs[i] !== 0) return false;
  return true;
}

/** Number of bits of a limb (1..24 for a non-zero limb). */
function bitLength(limb: number): number {
  return 32 - Math.clz32(limb);
}

/** A non-negative bigint as `size` limbs: its hex digits read from the end, six per limb, without substrings. */
function toLimbs(value: bigint, size: number): Limbs {
  const hex = value.toString(16);
  const out: Limbs = new Array<number>(size).fill(0);
  let limb = 0;
  let weight = 1;
  for (let i = hex.length - 1; i >= 0; i--) {
    const code = hex.charCodeAt(i);
    // '0'-'9' are 48-57, 'a'-'f' 97-102 (toString(16) prints lower case).
    out[limb] = out[limb]! + (code <= 57 ? code - 48 : code - 87) * weight;
    weight *= 16;
    if (weight === LIMB) {
      weight = 1;
      if (++limb === size) break;
    }
  }
  return out;
}

/** A possibly negative bigint as limbs whose top limb carries the sign (the shape `applyStep` produces). */
function toSignedLimbs(value: bigint, size: number): Limbs {
  if (value >= 0n) return toLimbs(value, size);
  // value = -(2^(24(size-1))) + (value + 2^(24(size-1))): the low limbs hold the second term, the top limb is -1.
  const offset = 1n << BigInt(LIMB_BITS * (size - 1));
  const out = toLimbs(value + offset, size);
  out[size - 1] = out[size - 1]! - 1;
  return out;
}

/** The bigint of limbs in the shape `applyStep` produces (top limb signed). */
function fromLimbs(limbs: Limbs): bigint {
  const last = limbs.length - 1;
  let low = '0x0';
  for (let i = last - 1; i >= 0; i--) {
    const limb = limbs[i]!;
    low += HEX_BY_BYTE[limb >>> 16]! + HEX_BY_BYTE[(limb >>> 8) & 0xff]! + HEX_BY_BYTE[limb & 0xff]!;
  }
  return (BigInt(limbs[last]!) << BigInt(LIMB_BITS * last)) + BigInt(low);
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
