/**
 * The short-Weierstrass curves didbridge handles public keys on (secp256k1, P-256, P-384, SM2), and SEC1 point
 * compression between their encodings.
 *
 * Point arithmetic is @noble/curves'. SM2 is not shipped by @noble/curves, so it is defined here from the
 * recommended parameters of GB/T 32918.5-2017 (the same values as GM/T 0003.5-2012), with `weierstrassN`, the
 * point-only constructor of `@noble/curves/abstract/weierstrass` (no hash or signing needed for public keys).
 *
 * @see https://www.secg.org/sec1-v2.pdf §2.3.3 (Elliptic-Curve-Point-to-Octet-String) and §2.3.4 (the inverse)
 * @see https://openstd.samr.gov.cn/bzgk/gb/ (GB/T 32918.5-2017, SM2 recommended curve parameters)
 */
import { weierstrassN, type WeierstrassOpts, type WeierstrassPointCons } from '@noble/curves/abstract/weierstrass.js';
import { p256, p384 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { DidBridgeError } from '../errors.js';
import type { ErrorName } from '../spec.js';

/** The elliptic curves (short Weierstrass form) whose public keys are SEC1 points. */
export type EcKeyType = 'secp256k1' | 'P-256' | 'P-384' | 'SM2';

/** Every EC key type, in the order `detectKeyType` tries 33-byte points. */
export const EC_KEY_TYPES: readonly EcKeyType[] = ['secp256k1', 'SM2', 'P-256', 'P-384'];

/**
 * The SM2 recommended curve, GB/T 32918.5-2017 (identical to GM/T 0003.5-2012 and to the curve sm-crypto-v2 uses):
 * y² = x³ + ax + b over F_p, cofactor 1.
 */
export const SM2_CURVE_PARAMETERS: Readonly<WeierstrassOpts<bigint>> = Object.freeze({
  p: 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn,
  a: 0xfffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffcn,
  b: 0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93n,
  n: 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n,
  h: 1n,
  Gx: 0x32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7n,
  Gy: 0xbc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0n,
});

/** SM2 points (GB/T 32918.5-2017 curve) with @noble/curves' point arithmetic. */
export const sm2Point: WeierstrassPointCons<bigint> = weierstrassN<bigint>(SM2_CURVE_PARAMETERS);

const POINTS: Record<EcKeyType, WeierstrassPointCons<bigint>> = {
  secp256k1: secp256k1.Point,
  'P-256': p256.Point,
  'P-384': p384.Point,
  SM2: sm2Point,
};

/** Field element size in bytes: a compressed point is 1 + this, an uncompressed one 1 + 2 × this. */
export const EC_FIELD_BYTES: Readonly<Record<EcKeyType, number>> = {
  secp256k1: 32,
  'P-256': 32,
  'P-384': 48,
  SM2: 32,
};

/** Whether `type` names one of the EC curves this module knows. */
export function isEcKeyType(type: unknown): type is EcKeyType {
  return typeof type === 'string' && Object.prototype.hasOwnProperty.call(POINTS, type);
}

/** The @noble/curves point constructor for a curve (for callers that need arithmetic, e.g. signature checks). */
export function curvePoint(type: EcKeyType): WeierstrassPointCons<bigint> {
  assertEcKeyType(type);
  return POINTS[type];
}

function assertEcKeyType(type: unknown): asserts type is EcKeyType {
  if (!isEcKeyType(type)) {
    throw new TypeError(`"type" must be one of ${Object.keys(POINTS).join(', ')}, got ${JSON.stringify(type)}`);
  }
}

function assertBytes(bytes: unknown): asserts bytes is Uint8Array {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('"bytes" must be a Uint8Array');
}

/**
 * Parses a SEC1 point of `type` (compressed `02|03 ‖ x` or uncompressed `04 ‖ x ‖ y`) and checks that it lies on
 * the curve (and is not the point at infinity). Throws DidBridgeError with `code` otherwise.
 */
function parsePoint(type: EcKeyType, bytes: Uint8Array, code: ErrorName) {
  const size = EC_FIELD_BYTES[type];
  const prefix = bytes[0];
  const compressed = bytes.length === size + 1 && (prefix === 0x02 || prefix === 0x03);
  const uncompressed = bytes.length === 2 * size + 1 && prefix === 0x04;
  if (!compressed && !uncompressed) {
    throw new DidBridgeError(
      code,
      `a ${type} public key must be a SEC1 point of ${size + 1} bytes (02/03 prefix) or ${2 * size + 1} bytes ` +
        `(04 prefix); got ${bytes.length} bytes` +
        (bytes.length > 0 ? ` starting with 0x${(prefix ?? 0).toString(16).padStart(2, '0')}` : ''),
    );
  }
  try {
    // fromBytes rejects coordinates >= p, x with no square root (compressed) and (x, y) off the curve.
    return POINTS[type].fromBytes(bytes);
  } catch (cause) {
    throw new DidBridgeError(code, `the ${type} public key is not a point on the ${type} curve`, { cause });
  }
}

/**
 * Returns the SEC1 compressed form (`02|03 ‖ x`) of a public key point, validating it on the way.
 * Accepts compressed or uncompressed input.
 *
 * @param type the curve
 * @param bytes a SEC1 point
 * @param code the DidBridgeError code for invalid points (default INVALID_DID_DOCUMENT)
 * @throws TypeError for an unknown `type` or non-bytes input; DidBridgeError(`code`) for a bad or off-curve point
 * @example compressPoint('P-256', uncompressed65Bytes) // → 33 bytes
 */
export function compressPoint(type: EcKeyType, bytes: Uint8Array, code: ErrorName = 'INVALID_DID_DOCUMENT'): Uint8Array {
  assertEcKeyType(type);
  assertBytes(bytes);
  return parsePoint(type, bytes, code).toBytes(true);
}

/**
 * Returns the SEC1 uncompressed form (`04 ‖ x ‖ y`) of a public key point, validating it on the way.
 * Decompression solves y² = x³ + ax + b, a modular square root: expect on the order of 100 µs per call.
 *
 * @param type the curve
 * @param bytes a SEC1 point, compressed or uncompressed
 * @param code the DidBridgeError code for invalid points (default INVALID_DID_DOCUMENT)
 * @throws TypeError for an unknown `type` or non-bytes input; DidBridgeError(`code`) for a bad or off-curve point
 */
export function decompressPoint(
  type: EcKeyType,
  bytes: Uint8Array,
  code: ErrorName = 'INVALID_DID_DOCUMENT',
): Uint8Array {
  assertEcKeyType(type);
  assertBytes(bytes);
  return parsePoint(type, bytes, code).toBytes(false);
}

/** Whether `bytes` is a valid SEC1 point (either form) on the curve of `type`. Never throws for bad bytes. */
export function isOnCurve(type: EcKeyType, bytes: Uint8Array): boolean {
  assertEcKeyType(type);
  assertBytes(bytes);
  try {
    parsePoint(type, bytes, 'INVALID_DID_DOCUMENT');
    return true;
  } catch {
    return false;
  }
}
