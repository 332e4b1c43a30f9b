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

let lastModulus: LimbModulus = { value: 0n, size: 0, limbs: [] };

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
  const inverse = fromLimbs(lehmerInverse(toLimbs(reduced, lastModulus.size), lastModulus)) % modulus;
  return inverse < 0n ? inverse + modulus : inverse;
}

/** A modulus with its limbs, as {@link lehmerInverse} takes it. */
interface LimbModulus {
  value: bigint;
  /** Limbs per number: the modulus's, plus one of headroom for the signed top limb of the cofactors. */
  size: number;
  limbs: Limbs;
}

/**
 * The core of {@link invertModulo}: the Bézout cofactor s with s · value ≡ 1 (mod modulus), in (−modulus, modulus),
 * as signed limbs (the shape `applyStep` produces). `valueLimbs` is the reduced value as `modulus.size` limbs (it is
 * consumed).
 * @throws RangeError when `value` has no inverse
 */
function lehmerInverse(valueLimbs: Limbs, modulus: LimbModulus): Limbs {
  const size = modulus.size;
  // Invariants: r0 ≡ s0 · value and r1 ≡ s1 · value (mod modulus); the remainders shrink to (gcd, 0).
  let r0 = modulus.limbs.slice();
  let r1 = valueLimbs;
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
  return s0;
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

/** Why {@link montgomeryUFromEdwardsY} found no u. */
export type EdwardsYProblem = 'non-canonical-y' | 'neutral-point';

/** p = 2^255 − 19 (the field of Ed25519 and X25519) as limbs, with the headroom limb {@link lehmerInverse} needs. */
const CURVE25519_FIELD: LimbModulus = { value: 2n ** 255n - 19n, size: 12, limbs: toLimbs(2n ** 255n - 19n, 12) };
/** Limbs of a field element (255 bits in 24-bit limbs; the top limb holds 15 bits). */
const FIELD_LIMBS = 11;
/** 2^264 mod p = 2^9 · 19: what a limb-11 carry is worth after folding (264 = 11 · 24 bits, and 2^255 ≡ 19). */
const FOLD_264 = 19 * 2 ** 9;
/** 2^15: bit 255 sits at bit 15 of limb 10. */
const TOP_LIMB_LIMIT = 2 ** 15;

/**
 * The Montgomery u-coordinate that RFC 7748 §4.1 maps an Edwards y to, u = (1 + y) / (1 − y) mod p, for the
 * little-endian 32-byte encoding of an Ed25519 public key (RFC 8032 §5.1.2; bit 255, the sign of x, is ignored):
 * u as 32 little-endian bytes, or why there is none (y ≥ p is not a canonical encoding; y = 1 is the neutral point,
 * whose image is the point at infinity).
 *
 * Why limbs end to end: this runs for every Ed25519 did:key resolved (its keyAgreement key). Going through BigInt
 * (bytes → bigint → limbs for the inversion → bigint → product and remainder → bytes) cost twice the inversion itself;
 * here y is read into 24-bit limbs once, inverted with {@link lehmerInverse}, multiplied and reduced modulo
 * 2^255 − 19 in limbs, and written out. Tested against the BigInt formula and @noble/curves' `toMontgomery`.
 */
export function montgomeryUFromEdwardsY(bytes: Uint8Array): Uint8Array | EdwardsYProblem {
  if (!(bytes instanceof Uint8Array) || bytes.length !== 32) throw new TypeError('"bytes" must be 32 bytes');
  const y = new Array<number>(CURVE25519_FIELD.size).fill(0);
  for (let i = 0; i < 10; i++) y[i] = bytes[3 * i]! | (bytes[3 * i + 1]! << 8) | (bytes[3 * i + 2]! << 16);
  y[10] = bytes[30]! | ((bytes[31]! & 0x7f) << 8);
  if (!lessThanField(y)) return 'non-canonical-y';
  let aboveOne = 0;
  for (let i = 1; i < FIELD_LIMBS; i++) aboveOne |= y[i]!;
  if (aboveOne === 0 && y[0]! <= 1) {
    if (y[0] === 1) return 'neutral-point';
    // y = 0: u = 1 / 1 (and 1 is the one value the Lehmer loop would hand to BigInt).
    const one = new Uint8Array(32);
    one[0] = 1;
    return one;
  }
  // numerator 1 + y (≤ p: it may be p itself, i.e. u = 0); denominator 1 − y ≡ p + 1 − y, in [3, p) for 1 < y < p.
  const numerator = y.slice();
  numerator[0] = numerator[0]! + 1;
  carryThrough(numerator);
  const denominator = new Array<number>(CURVE25519_FIELD.size).fill(0);
  let borrow = 0;
  const p = CURVE25519_FIELD.limbs;
  for (let i = 0; i < FIELD_LIMBS; i++) {
    let limb = p[i]! + (i === 0 ? 1 : 0) - y[i]! - borrow;
    borrow = limb < 0 ? 1 : 0;
    if (borrow) limb += LIMB;
    denominator[i] = limb;
  }
  const inverse = lehmerInverse(denominator, CURVE25519_FIELD);
  // The cofactor lies in (−p, p) with a signed top limb: bring it into [0, p).
  if (inverse[inverse.length - 1]! < 0) {
    let carry = 0;
    for (let i = 0; i < inverse.length; i++) {
      const limb = inverse[i]! + (p[i] ?? 0) + carry;
      carry = limb >= LIMB && i < inverse.length - 1 ? 1 : 0;
      inverse[i] = limb - carry * LIMB;
    }
  }
  return fieldToBytes(multiplyModField(numerator, inverse));
}

/** Whether 11+ non-negative limbs (each < 2^24, limb 10 < 2^15 or more) hold a value below p = 2^255 − 19. */
function lessThanField(limbs: Limbs): boolean {
  const p = CURVE25519_FIELD.limbs;
  for (let i = limbs.length - 1; i >= 0; i--) {
    const a = limbs[i]!;
    const b = p[i] ?? 0;
    if (a !== b) return a < b;
  }
  return false;
}

/** Propagates carries through non-negative limbs so that each below the top is < 2^24 (in place). */
function carryThrough(limbs: Limbs): void {
  let carry = 0;
  for (let i = 0; i < limbs.length; i++) {
    const value = limbs[i]! + carry;
    carry = Math.floor(value / LIMB);
    limbs[i] = value - carry * LIMB;
  }
  if (carry !== 0) limbs[limbs.length - 1] = limbs[limbs.length - 1]! + carry * LIMB;
}

/**
 * a · b mod p for field elements as limbs (a ≤ p, b < p): a schoolbook product by columns (each column is at most
 * 11 products below 2^48 plus a carry, exact in a double), then the limbs from 11 up folded down with
 * 2^264 ≡ 19 · 2^9, then bit 255 and up folded with 2^255 ≡ 19, then one conditional subtraction of p.
 */
function multiplyModField(a: Limbs, b: Limbs): Limbs {
  const product = new Array<number>(2 * FIELD_LIMBS).fill(0);
  let carry = 0;
  for (let k = 0; k < 2 * FIELD_LIMBS - 1; k++) {
    let column = carry;
    const from = k < FIELD_LIMBS ? 0 : k - FIELD_LIMBS + 1;
    const to = k < FIELD_LIMBS ? k : FIELD_LIMBS - 1;
    for (let i = from; i <= to; i++) column += a[i]! * b[k - i]!;
    carry = Math.floor(column / LIMB);
    product[k] = column - carry * LIMB;
  }
  product[2 * FIELD_LIMBS - 1] = carry;
  // Fold limbs 11..21 onto 0..10 (each term < 2^24 · 2^14: exact), then carry; a carry out of limb 10 is worth
  // 2^264 again, so it is folded the same way until none is left (twice at most).
  const r = new Array<number>(FIELD_LIMBS);
  for (let i = 0; i < FIELD_LIMBS; i++) r[i] = product[i]! + FOLD_264 * product[i + FIELD_LIMBS]!;
  let over = 0;
  do {
    r[0] = r[0]! + FOLD_264 * over;
    over = 0;
    for (let i = 0; i < FIELD_LIMBS; i++) {
      const value = r[i]! + over;
      over = Math.floor(value / LIMB);
      r[i] = value - over * LIMB;
    }
  } while (over !== 0);
  // Now r < 2^264: fold bit 255 and up (limb 10 from bit 15) with 2^255 ≡ 19, until r < 2^255.
  while (r[FIELD_LIMBS - 1]! >= TOP_LIMB_LIMIT) {
    const high = Math.floor(r[FIELD_LIMBS - 1]! / TOP_LIMB_LIMIT);
    r[FIELD_LIMBS - 1] = r[FIELD_LIMBS - 1]! - high * TOP_LIMB_LIMIT;
    r[0] = r[0]! + 19 * high;
    let c = 0;
    for (let i = 0; i < FIELD_LIMBS; i++) {
      const value = r[i]! + c;
      c = Math.floor(value / LIMB);
      r[i] = value - c * LIMB;
      if (c === 0) break;
    }
  }
  // r < 2^255; r ≥ p only for r in [p, 2^255), where r − p = r + 19 − 2^255.
  if (!lessThanField(r)) {
    r[0] = r[0]! + 19;
    carryThrough(r);
    r[FIELD_LIMBS - 1] = r[FIELD_LIMBS - 1]! - TOP_LIMB_LIMIT;
  }
  return r;
}

/** A reduced field element (limbs 0..9 < 2^24, limb 10 < 2^15) as 32 little-endian bytes. */
function fieldToBytes(limbs: Limbs): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 10; i++) {
    const limb = limbs[i]!;
    out[3 * i] = limb & 0xff;
    out[3 * i + 1] = (limb >>> 8) & 0xff;
    out[3 * i + 2] = limb >>> 16;
  }
  out[30] = limbs[10]! & 0xff;
  out[31] = limbs[10]! >>> 8;
  return out;
}
