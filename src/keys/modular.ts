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
 * - each round simulates the quotient sequence on the leading 53 bits of the two remainders (one floor division per
 *   step) and keeps a step only while Jebelean's condition certifies it (Jebelean 1993, "Improving the multiprecision
 *   Euclidean algorithm"; the argument is at {@link lehmerInverse}), so the simulated quotients are the true ones;
 *   once the larger remainder fits in 53 bits the simulation is the whole number and needs no certificate;
 * - a step is kept only while the cofactors of the 2×2 step matrix stay within 2^28, so applying the matrix to
 *   the limbs stays exact (see {@link COFACTOR_LIMIT});
 * - the Bézout cofactors s0, s1 are carried the same way; they are the classical ones, bounded by the modulus in
 *   magnitude, so they need no reduction until the end;
 * - the remainders only shrink and the cofactors only grow, so each round touches the limbs that are in use, not all
 *   of them (about half the work of a full-width step);
 * - when no quotient can be certified from the leading bits (a huge quotient, e.g. for the value 1), one step is
 *   done in BigInt.
 * The answer is the same as any extended Euclid's; the tests compare it with @noble/curves' `invert` on random and
 * edge-case values for several moduli, and on pairs built from chosen quotient sequences.
 *
 * `invertModulo` is the general entry (bigint in, bigint out). The did:key conversion itself is
 * `montgomeryUFromEdwardsY`, which stays in limbs around the inversion too (bytes → limbs, the product and the
 * reduction modulo 2^255 − 19, limbs → bytes): the BigInt conversions around an inversion had cost as much as it.
 */

const LIMB_BITS = 24;
const LIMB = 2 ** LIMB_BITS;
/** 2^−24: a carry is `Math.floor(t * INVERSE_LIMB)` (exact: a power-of-two scaling). */
const INVERSE_LIMB = 2 ** -LIMB_BITS;
/** Hex digits per limb (24 bits). */
const LIMB_HEX = LIMB_BITS / 4;
/** 2^0 … 2^29 (the window shifts). A table, not `2 ** n`: the exponentiation was a fifth of the whole inversion. */
const POWERS_OF_TWO: readonly number[] = Array.from({ length: 30 }, (_, n) => 2 ** n);
/** Bits of the leading window each round simulates on: the most a double holds exactly. */
const WINDOW_BITS = 53;
/**
 * Largest step-matrix cofactor allowed. A step matrix [[a, b], [c, d]] of a Euclid run has a, b of opposite signs
 * (and c, d), with |a| ≤ |b| ≤ limit and |c| ≤ |d| ≤ limit; applied to limbs u, v in [0, 2^24), |a·u + b·v| < 2^28 · 2^24
 * = 2^52, each product exact and so their sum; the carry in is below 2^29; so every intermediate is below 2^53. The top
 * limb of a cofactor is signed but kept in [−2^23, 2^23), so |a·u| + |b·v| ≤ 2^52 there too.
 */
const COFACTOR_LIMIT = 2 ** 28;
/** The signed top limb of a cofactor stays in [−2^23, 2^23) (see {@link COFACTOR_LIMIT}). */
const HALF_LIMB = 2 ** (LIMB_BITS - 1);

/**
 * A non-negative integer as little-endian 24-bit limbs; or, for cofactors, with a signed top limb. Plain arrays of
 * small integers (V8 keeps them unboxed; typed arrays measured slower to allocate at this size); the products in
 * `applyToRemainders` and `applyToCofactors` are computed in doubles, exact up to 2^53.
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
 * as `modulus.size` limbs whose top limb carries the sign (the shape `toSignedLimbs` produces). `valueLimbs` is the
 * reduced value as `modulus.size` limbs (it is consumed).
 *
 * Why a kept step is a true Euclid step (Jebelean's condition, argued for this code). A round takes A = r0 > B = r1
 * > 0 and their leading bits x = ⌊A / 2^k⌋, y = ⌊B / 2^k⌋ for one shift k: A = x·2^k + α, B = y·2^k + β with
 * 0 ≤ α, β < 2^k. Euclid on (x, y) gives x_0 = x, x_1 = y, x_{i+1} = x_{i−1} − q_i·x_i = u_{i+1}·x + v_{i+1}·y, and
 * the same matrix on (A, B) gives A_{i+1} = u_{i+1}·A + v_{i+1}·B = x_{i+1}·2^k + u_{i+1}·α + v_{i+1}·β. Every q_i ≥ 1
 * (x ≥ y, then x_{i+1} < x_i), so u_i, v_i alternate in sign with i, u_i and v_i have opposite signs (or one is 0),
 * and |u_i| ≤ |v_i| for i ≥ 1. If q_1 … q_{i−1} are the true quotients, A_{i−1} and A_i are true remainders and q_i
 * is the true next quotient iff 0 ≤ A_{i+1} < A_i (Euclidean division is unique). Now:
 * - A_{i+1} ≥ x_{i+1}·2^k − W·(2^k − 1), W the magnitude of whichever of u_{i+1}, v_{i+1} is negative; so
 *   x_{i+1} + u_{i+1} ≥ 0 and x_{i+1} + v_{i+1} ≥ 0 (i.e. x_{i+1} ≥ W) give A_{i+1} ≥ W ≥ 0;
 * - A_i − A_{i+1} = (x_i − x_{i+1})·2^k + (u_i − u_{i+1})·α + (v_i − v_{i+1})·β, the two differences again of
 *   opposite signs; with D the magnitude of the negative one, (x_i − x_{i+1}) + (u_i − u_{i+1}) ≥ 0 and
 *   (x_i − x_{i+1}) + (v_i − v_{i+1}) ≥ 0 (i.e. x_i − x_{i+1} ≥ D) give A_i − A_{i+1} ≥ D > 0, or, when D = 0,
 *   A_i − A_{i+1} ≥ (x_i − x_{i+1})·2^k > 0.
 * Those four comparisons are the loop's test, so by induction every kept quotient is true and the matrix maps (A, B)
 * to two consecutive true remainders, both > 0. When A < 2^53 the leading bits are all of it (k = 0) and no test is
 * needed. Every value a kept step computes is exact: x, y < 2^53; q·y ≤ x; ⌊x / y⌋ in doubles is the true floor for
 * integers below 2^53 (rounding up to an integer n would need y ≥ 2^53 / n, hence x ≥ (n − 1)·y ≥ 2^53); and a step is
 * kept only with |c| ≤ |d| ≤ COFACTOR_LIMIT, so q·|d| ≤ |d_next| + |b| ≤ 2^29 (a rejected step's values are dropped).
 * @throws RangeError when `value` has no inverse
 */
function lehmerInverse(valueLimbs: Limbs, modulus: LimbModulus): Limbs {
  const size = modulus.size;
  // Invariants: r0 ≡ s0 · value and r1 ≡ s1 · value (mod modulus); the remainders shrink to (gcd, 0). r0 > r1, and
  // neither has a non-zero limb above `top` (r0's highest non-zero limb). s0 and s1 live in their first
  // `cofactorLength` limbs, the last one signed (in [−2^23, 2^23)), and the limbs above are 0.
  let r0 = modulus.limbs.slice();
  let r1 = valueLimbs;
  let s0: Limbs = new Array<number>(size).fill(0);
  let s1: Limbs = new Array<number>(size).fill(0);
  s1[0] = 1;
  let cofactorLength = 1;
  let top = highestNonZeroLimb(r0, size - 1);
  for (;;) {
    if (highestNonZeroLimb(r1, top) < 0) break;
    // The leading bits x = ⌊r0 / 2^k⌋ (2^52 ≤ x < 2^53, or fewer bits when r0 < 2^53 and k = 0) and y = ⌊r1 / 2^k⌋.
    const topBits = bitLength(r0[top]!);
    let x: number;
    let y: number;
    let exact = false;
    if (top <= 1) {
      exact = true;
      x = r0[1]! * LIMB + r0[0]!;
      y = r1[1]! * LIMB + r1[0]!;
    } else if (top === 2 && topBits <= WINDOW_BITS - 2 * LIMB_BITS) {
      exact = true;
      x = (r0[2]! * LIMB + r0[1]!) * LIMB + r0[0]!;
      y = (r1[2]! * LIMB + r1[1]!) * LIMB + r1[0]!;
    } else if (topBits >= WINDOW_BITS - 2 * LIMB_BITS) {
      // Two limbs shifted up by `spare` bits, plus the top `spare` bits of the third.
      const spare = WINDOW_BITS - LIMB_BITS - topBits;
      const scale = POWERS_OF_TWO[spare]!;
      const drop = LIMB_BITS - spare;
      x = (r0[top]! * LIMB + r0[top - 1]!) * scale + (r0[top - 2]! >>> drop);
      y = (r1[top]! * LIMB + r1[top - 1]!) * scale + (r1[top - 2]! >>> drop);
    } else {
      // A short top limb (top ≥ 3 here): three limbs shifted up by `spare` bits, plus the top bits of the fourth.
      const spare = WINDOW_BITS - 2 * LIMB_BITS - topBits;
      const scale = POWERS_OF_TWO[spare]!;
      const drop = LIMB_BITS - spare;
      x = ((r0[top]! * LIMB + r0[top - 1]!) * LIMB + r0[top - 2]!) * scale + (r0[top - 3]! >>> drop);
      y = ((r1[top]! * LIMB + r1[top - 1]!) * LIMB + r1[top - 2]!) * scale + (r1[top - 3]! >>> drop);
    }
    // (a, b) and (c, d): x and y as combinations of the round's starting leading bits.
    let a = 1;
    let b = 0;
    let c = 0;
    let d = 1;
    if (exact) {
      // The leading bits are the whole numbers: plain Euclid, bounded only by the cofactor limit.
      while (y !== 0) {
        const q = Math.floor(x / y);
        const nextD = b - q * d;
        if (nextD > COFACTOR_LIMIT || nextD < -COFACTOR_LIMIT) break;
        const nextC = a - q * c;
        a = c;
        c = nextC;
        b = d;
        d = nextD;
        const nextY = x - q * y;
        x = y;
        y = nextY;
      }
    } else {
      while (y !== 0) {
        const q = Math.floor(x / y);
        const nextD = b - q * d;
        if (nextD > COFACTOR_LIMIT || nextD < -COFACTOR_LIMIT) break;
        const nextC = a - q * c;
        const nextY = x - q * y;
        // Jebelean's condition (argued above): nextY ≥ the negative cofactor's magnitude, and y − nextY ≥ that of
        // the negative cofactor difference.
        const fall = y - nextY;
        if (nextY + nextC < 0 || nextY + nextD < 0 || fall + c - nextC < 0 || fall + d - nextD < 0) break;
        a = c;
        c = nextC;
        b = d;
        d = nextD;
        x = y;
        y = nextY;
      }
    }
    if (b === 0) {
      // No step could be certified (or the first quotient is beyond the cofactor limit): one BigInt step.
      const R0 = fromLimbs(r0);
      const R1 = fromLimbs(r1);
      const q = R0 / R1;
      const S0 = fromLimbs(signAtTop(s0, cofactorLength));
      const S1 = fromLimbs(signAtTop(s1, cofactorLength));
      r0 = toLimbs(R1, size);
      r1 = toLimbs(R0 - q * R1, size);
      s0 = toSignedLimbs(S1, size);
      s1 = toSignedLimbs(S0 - q * S1, size);
      top = highestNonZeroLimb(r0, size - 1);
      cofactorLength = size;
      continue;
    }
    applyToRemainders(a, b, c, d, r0, r1, top);
    cofactorLength = applyToCofactors(a, b, c, d, s0, s1, cofactorLength);
    // The new r0 is a true remainder > 0 (argued above), so this stops at a non-zero limb.
    top = highestNonZeroLimb(r0, top);
  }
  if (!isOne(r0)) throw new RangeError('the value has no inverse modulo the modulus (they share a factor)');
  return signAtTop(s0, cofactorLength);
}

/**
 * A cofactor whose sign sits in limb `length` − 1 (the shape `applyToCofactors` keeps) in the full-width shape, with the
 * sign in the last limb (the one `fromLimbs` reads), in place.
 */
function signAtTop(limbs: Limbs, length: number): Limbs {
  const last = limbs.length - 1;
  let carry = 0;
  for (let i = length - 1; i < last; i++) {
    const limb = limbs[i]! + carry;
    carry = Math.floor(limb * INVERSE_LIMB);
    limbs[i] = limb - carry * LIMB;
  }
  limbs[last] = limbs[last]! + carry;
  return limbs;
}

/**
 * (u, v) ← (a·u + b·v, c·u + d·v) for remainders, in place, over limbs 0..top (the limbs above are 0 in both and
 * stay 0): floor carries leave every limb in [0, 2^24), the top one included, because both results are remainders
 * no larger than u.
 */
function applyToRemainders(a: number, b: number, c: number, d: number, u: Limbs, v: Limbs, top: number): void {
  applyToLowLimbs(a, b, c, d, u, v, top);
  const ui = u[top]!;
  const vi = v[top]!;
  u[top] = a * ui + b * vi + lowCarryU;
  v[top] = c * ui + d * vi + lowCarryV;
}

/** The carries out of the last {@link applyToLowLimbs} (module state, so the hot loop returns two numbers unboxed). */
let lowCarryU = 0;
let lowCarryV = 0;

/**
 * (u, v) ← (a·u + b·v, c·u + d·v) over limbs [0, count), in place, with floor carries that leave each of them in
 * [0, 2^24); the carries out of limb count − 1 are left in `lowCarryU` / `lowCarryV` for the caller's top limb.
 */
function applyToLowLimbs(a: number, b: number, c: number, d: number, u: Limbs, v: Limbs, count: number): void {
  let carryU = 0;
  let carryV = 0;
  for (let i = 0; i < count; i++) {
    const ui = u[i]!;
    const vi = v[i]!;
    const tu = a * ui + b * vi + carryU;
    const tv = c * ui + d * vi + carryV;
    carryU = Math.floor(tu * INVERSE_LIMB);
    carryV = Math.floor(tv * INVERSE_LIMB);
    u[i] = tu - carryU * LIMB;
    v[i] = tv - carryV * LIMB;
  }
  lowCarryU = carryU;
  lowCarryV = carryV;
}

/**
 * (u, v) ← (a·u + b·v, c·u + d·v) for Bézout cofactors, in place, over their first `length` limbs (the last one
 * signed): floor carries leave every limb below the top in [0, 2^24); the top one is carried on into the (zero) limbs
 * above until it lies in [−2^23, 2^23). Returns the new length. It never passes the array: the cofactors stay within
 * the modulus in magnitude, below 2^(24·(size − 1)).
 */
function applyToCofactors(a: number, b: number, c: number, d: number, u: Limbs, v: Limbs, length: number): number {
  let i = length - 1;
  applyToLowLimbs(a, b, c, d, u, v, i);
  let carryU: number;
  let carryV: number;
  const ui = u[i]!;
  const vi = v[i]!;
  let tu = a * ui + b * vi + lowCarryU;
  let tv = c * ui + d * vi + lowCarryV;
  while (tu < -HALF_LIMB || tu >= HALF_LIMB || tv < -HALF_LIMB || tv >= HALF_LIMB) {
    carryU = Math.floor(tu * INVERSE_LIMB);
    carryV = Math.floor(tv * INVERSE_LIMB);
    u[i] = tu - carryU * LIMB;
    v[i] = tv - carryV * LIMB;
    i++;
    tu = carryU;
    tv = carryV;
  }
  u[i] = tu;
  v[i] = tv;
  return i + 1;
}

/** Index of the highest non-zero limb at or below `from`, or −1 if they are all 0. */
function highestNonZeroLimb(limbs: Limbs, from: number): number {
  let i = from;
  while (i >= 0 && limbs[i] === 0) i--;
  return i;
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

/** A possibly negative bigint as limbs whose top limb carries the sign (the shape {@link lehmerInverse} returns). */
function toSignedLimbs(value: bigint, size: number): Limbs {
  if (value >= 0n) return toLimbs(value, size);
  // value = -(2^(24(size-1))) + (value + 2^(24(size-1))): the low limbs hold the second term, the top limb is -1.
  const offset = 1n << BigInt(LIMB_BITS * (size - 1));
  const out = toLimbs(value + offset, size);
  out[size - 1] = out[size - 1]! - 1;
  return out;
}

/** The bigint of limbs in the shape {@link lehmerInverse} returns (top limb signed). */
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
