/**
 * Public keys as Multikey values: `z` + base58btc(varint(multicodec) ‖ key bytes), the encoding of
 * `publicKeyMultibase` in Controlled Identifiers 1.0 and of the did:key method-specific id.
 *
 * One in-memory shape serves every adapter: {@link PublicKey}, with EC points always SEC1-compressed, so the same key
 * compares equal whether it arrived as a Multikey, a JWK, an uncompressed hex string or a domestic encoding.
 *
 * Varints are `multiformats`'; base58 is ./codecs.ts' (the same answers as multiformats' base58btc, several times
 * faster: every did:key resolution decodes one Multikey and encodes one or two, docs/BENCHMARKS.md, Driver); curve
 * arithmetic is `@noble/curves`'.
 *
 * @see https://www.w3.org/TR/cid-1.0/#Multikey
 * @see https://github.com/multiformats/multicodec/blob/master/table.csv (key codecs; read at commit 45c88b8)
 * @see https://w3c-ccg.github.io/did-method-key/ (v0.7, key lengths per codec)
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToNumberLE } from '@noble/curves/utils.js';
import { varint } from 'multiformats';
import { DidBridgeError } from '../errors.js';
import type { ErrorName } from '../spec.js';
import {
  EC_FIELD_BYTES,
  EC_KEY_TYPES,
  compressPoint,
  decompressPoint,
  isEcKeyType,
  isOnCurve,
  type EcKeyType,
} from './curves.js';
import { BITCOIN_BASE58_TABLES, decodeBase58Digits, encodeBase58Digits } from './codecs.js';
import { montgomeryUFromEdwardsY } from './modular.js';

export { compressPoint, decompressPoint, isOnCurve, type EcKeyType } from './curves.js';

/** The public key types didbridge understands. */
export type KeyType = 'Ed25519' | 'X25519' | EcKeyType;

/**
 * A public key. `bytes` is the raw 32-byte key for Ed25519 and X25519, and the SEC1 compressed point
 * (33 bytes; 49 for P-384) for the EC curves.
 */
export interface PublicKey {
  type: KeyType;
  bytes: Uint8Array;
}

/**
 * Multicodec codes of the supported public key types, from multiformats/multicodec `table.csv`
 * (all with status "draft" there; `sm2-pub` is described as "SM2 public key (compressed)").
 */
export const MULTICODEC_BY_KEY_TYPE: Readonly<Record<KeyType, number>> = {
  Ed25519: 0xed, // ed25519-pub
  X25519: 0xec, // x25519-pub
  secp256k1: 0xe7, // secp256k1-pub
  'P-256': 0x1200, // p256-pub
  'P-384': 0x1201, // p384-pub
  SM2: 0x1206, // sm2-pub
};

const MULTICODEC_NAMES: Readonly<Record<KeyType, string>> = {
  Ed25519: 'ed25519-pub',
  X25519: 'x25519-pub',
  secp256k1: 'secp256k1-pub',
  'P-256': 'p256-pub',
  'P-384': 'p384-pub',
  SM2: 'sm2-pub',
};

const KEY_TYPE_BY_MULTICODEC: ReadonlyMap<number, KeyType> = new Map(
  (Object.entries(MULTICODEC_BY_KEY_TYPE) as Array<[KeyType, number]>).map(([type, code]) => [code, type]),
);

/**
 * Public-key codecs registered in the multicodec table that didbridge recognises but does not handle. A value with
 * one of these headers is well-formed, so it is reported as FEATURE_NOT_SUPPORTED rather than as invalid.
 */
export const UNSUPPORTED_KEY_MULTICODECS: ReadonlyMap<number, string> = new Map([
  [0xea, 'bls12_381-g1-pub'],
  [0xeb, 'bls12_381-g2-pub'],
  [0xee, 'bls12_381-g1g2-pub'],
  [0xef, 'sr25519-pub'],
  [0x1202, 'p521-pub'],
  [0x1203, 'ed448-pub'],
  [0x1204, 'x448-pub'],
  [0x1205, 'rsa-pub'],
  [0x1340, 'bip340-pub'],
  [0xeb51, 'jwk_jcs-pub'],
]);

/**
 * Longest Multikey string decoded, in characters. base58 decoding is quadratic in the length, so the bound keeps a
 * hostile value cheap; 1024 characters covers every supported key (the largest, an uncompressed P-384 point, is
 * 137) and the headers of large unsupported ones (a 4096-bit `rsa-pub` is about 720).
 */
export const DEFAULT_MAX_MULTIKEY_LENGTH = 1024;

/** The byte lengths accepted for the raw key of each type. EC types also accept the uncompressed point. */
export function publicKeyLength(type: KeyType): number {
  if (type === 'Ed25519' || type === 'X25519') return 32;
  if (isEcKeyType(type)) return EC_FIELD_BYTES[type] + 1;
  throw new TypeError(`"type" must be a KeyType, got ${JSON.stringify(type)}`);
}

function isKeyType(type: unknown): type is KeyType {
  return typeof type === 'string' && Object.prototype.hasOwnProperty.call(MULTICODEC_BY_KEY_TYPE, type);
}

function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

/**
 * Builds a {@link PublicKey} from raw bytes read from a document or identifier: checks the length for the type and,
 * for EC curves, that the point is on the curve, and compresses uncompressed points.
 *
 * Ed25519 and X25519 keys are checked for length only: every 32-byte string is an X25519 public key, and deciding
 * whether one is an Ed25519 point costs a field square root (see {@link isEd25519Point} for callers that need it).
 *
 * @param type the key type
 * @param bytes raw key (32 bytes) or SEC1 point (compressed or uncompressed)
 * @param code the DidBridgeError code for invalid keys (default INVALID_DID_DOCUMENT)
 * @example publicKeyFromBytes('secp256k1', uncompressed65) // → { type: 'secp256k1', bytes: <33 bytes> }
 */
export function publicKeyFromBytes(
  type: KeyType,
  bytes: Uint8Array,
  code: ErrorName = 'INVALID_DID_DOCUMENT',
): PublicKey {
  if (!isKeyType(type)) throw new TypeError(`"type" must be a KeyType, got ${JSON.stringify(type)}`);
  if (!(bytes instanceof Uint8Array)) throw new TypeError('"bytes" must be a Uint8Array');
  if (type === 'Ed25519' || type === 'X25519') {
    if (bytes.length !== 32) {
      throw new DidBridgeError(code, `an ${type} public key is 32 bytes long, got ${bytes.length}`);
    }
    return { type, bytes };
  }
  return { type, bytes: compressPoint(type, bytes, code) };
}

/**
 * Encodes a public key as a Multikey value (`z` + base58btc(varint(multicodec) ‖ bytes)).
 * EC keys are written compressed, as the multicodec table defines them; an uncompressed point is compressed (and
 * so validated) first. Compressed points and 32-byte keys are checked for length only.
 *
 * @throws TypeError when `key` is not a PublicKey of a supported type with bytes of a valid length
 * @example encodeMultikey({ type: 'Ed25519', bytes }) // → 'z6Mk…'
 */
export function encodeMultikey(key: PublicKey): string {
  if (!key || typeof key !== 'object' || !isKeyType(key.type) || !(key.bytes instanceof Uint8Array)) {
    throw new TypeError('"key" must be a PublicKey { type, bytes: Uint8Array }');
  }
  let bytes = key.bytes;
  const expected = publicKeyLength(key.type);
  if (bytes.length !== expected) {
    if (isEcKeyType(key.type) && bytes.length === 2 * expected - 1) bytes = compressPoint(key.type, bytes);
    else throw new TypeError(`"key.bytes" of an ${key.type} key must be ${expected} bytes long, got ${bytes.length}`);
  }
  const code = MULTICODEC_BY_KEY_TYPE[key.type];
  const headerLength = varint.encodingLength(code);
  const out = new Uint8Array(headerLength + bytes.length);
  varint.encodeTo(code, out, 0);
  out.set(bytes, headerLength);
  return `z${encodeBase58Digits(out, BITCOIN_BASE58_TABLES.pairs)}`;
}

export interface DecodeMultikeyOptions {
  /** DidBridgeError code for malformed values (default INVALID_DID_DOCUMENT; did:key passes INVALID_DID). */
  code?: ErrorName;
  /** Longest value accepted, in characters (default {@link DEFAULT_MAX_MULTIKEY_LENGTH}). */
  maxLength?: number;
  /**
   * Refuse uncompressed EC points, which the multicodec table does not define (its EC key codecs are "compressed");
   * did:key requires this (v0.7 key length table). Default false: documents in the wild carry uncompressed keys.
   */
  requireCompressed?: boolean;
}

/** The cause of a "not valid base58btc" error: the value's first character outside the alphabet, and where. */
function nonBase58Character(value: string): Error {
  const digits = BITCOIN_BASE58_TABLES.digits;
  for (let i = 1; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 128 || digits[code]! < 0) {
      const character = String.fromCodePoint(value.codePointAt(i)!);
      return new Error(`${JSON.stringify(character)} at offset ${i} is not a base58btc character`);
    }
  }
  return new Error('not base58btc');
}

/**
 * Decodes a Multikey value into a {@link PublicKey}: checks the multibase prefix (`z`, base58btc), the multicodec
 * header (a minimal varint of a supported key codec), the key length, and for EC curves that the point lies on the
 * curve. Uncompressed EC points are accepted and normalised to compressed, unless `requireCompressed` is set.
 *
 * Throws DidBridgeError with the caller's code (INVALID_DID_DOCUMENT by default) for malformed values, and
 * FEATURE_NOT_SUPPORTED for a well-formed value of a registered key codec didbridge does not handle (P-521, RSA,
 * BLS12-381, ...). Ed25519 keys are not checked to be curve points (see {@link publicKeyFromBytes}).
 *
 * @param value the Multikey string, e.g. a `publicKeyMultibase`
 * @param options the error code to use, or {@link DecodeMultikeyOptions}
 * @example decodeMultikey('z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK').type // → 'Ed25519'
 * @see https://w3c-ccg.github.io/did-method-key/#decode-public-key-algorithm
 */
export function decodeMultikey(value: unknown, options: ErrorName | DecodeMultikeyOptions = {}): PublicKey {
  const {
    code = 'INVALID_DID_DOCUMENT',
    maxLength = DEFAULT_MAX_MULTIKEY_LENGTH,
    requireCompressed = false,
  } = typeof options === 'string' ? { code: options } : options;
  if (typeof value !== 'string') {
    throw new DidBridgeError(code, `a Multikey value must be a string, got ${value === null ? 'null' : typeof value}`);
  }
  if (value.length > maxLength) {
    throw new DidBridgeError(code, `a Multikey value is at most ${maxLength} characters long, got ${value.length}`);
  }
  if (value.charCodeAt(0) !== 122 /* z */) {
    throw new DidBridgeError(
      code,
      `a Multikey value must be base58btc multibase (start with "z"), got "${value.slice(0, 12)}..."`,
    );
  }
  const decoded = decodeBase58Digits(value.slice(1), BITCOIN_BASE58_TABLES.digits);
  if (decoded === undefined) {
    throw new DidBridgeError(code, 'the Multikey value is not valid base58btc', { cause: nonBase58Character(value) });
  }
  let codec: number;
  let headerLength: number;
  try {
    [codec, headerLength] = varint.decode(decoded);
  } catch (cause) {
    throw new DidBridgeError(code, 'the Multikey value has no complete multicodec header', { cause });
  }
  // unsigned-varint requires the minimal encoding; a padded header would give one key several encodings.
  if (!Number.isSafeInteger(codec) || varint.encodingLength(codec) !== headerLength) {
    throw new DidBridgeError(code, 'the multicodec header of the Multikey value is not a minimal unsigned varint');
  }
  const type = KEY_TYPE_BY_MULTICODEC.get(codec);
  if (type === undefined) {
    const unsupported = UNSUPPORTED_KEY_MULTICODECS.get(codec);
    if (unsupported !== undefined) {
      throw new DidBridgeError(
        'FEATURE_NOT_SUPPORTED',
        `${unsupported} (${hex(codec)}) keys are not supported; supported: ${[...KEY_TYPE_BY_MULTICODEC.values()].join(', ')}` +
          (codec === 0x1205 ? ' (an SM2 key under 0x1205 is non-conformant: sm2-pub is 0x1206)' : ''),
      );
    }
    throw new DidBridgeError(code, `multicodec ${hex(codec)} is not a supported public key type`);
  }
  const bytes = decoded.subarray(headerLength);
  if (type === 'Ed25519' || type === 'X25519') {
    if (bytes.length !== 32) {
      throw new DidBridgeError(code, `an ${type} public key is 32 bytes long, got ${bytes.length}`);
    }
    return { type, bytes };
  }
  if (requireCompressed && bytes.length !== EC_FIELD_BYTES[type] + 1) {
    throw new DidBridgeError(
      code,
      `a ${MULTICODEC_NAMES[type]} key is a compressed SEC1 point of ${EC_FIELD_BYTES[type] + 1} bytes, got ${bytes.length}`,
    );
  }
  return { type, bytes: compressPoint(type, bytes, code) };
}

/**
 * Best-effort classification of raw public key bytes whose type is unknown or mislabelled.
 *
 * - 32 bytes: Ed25519, unless `hint` is X25519 (nothing in 32 random-looking bytes tells the two apart);
 * - a 33- or 65-byte SEC1 point: the hint if the point is on that curve, else the first of secp256k1, SM2, P-256
 *   on which it is a valid point;
 * - a 49- or 97-byte SEC1 point: P-384 if valid.
 *
 * A 33-byte point may lie on more than one of these curves (each curve has a point for about half of all x
 * values), so a positive answer is only a guess: the hint, or the context the bytes came from (the method, the
 * declared algorithm, a signature that verifies), must decide. Returns undefined when nothing fits.
 *
 * @example detectKeyType(bytes33, 'SM2') // → 'SM2' when the point is on the SM2 curve
 */
export function detectKeyType(bytes: Uint8Array, hint?: KeyType): KeyType | undefined {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('"bytes" must be a Uint8Array');
  if (hint !== undefined && !isKeyType(hint)) throw new TypeError(`"hint" must be a KeyType, got ${JSON.stringify(hint)}`);
  if (bytes.length === 32) return hint === 'X25519' ? 'X25519' : 'Ed25519';
  const candidates: EcKeyType[] = [];
  if (hint !== undefined && isEcKeyType(hint)) candidates.push(hint);
  for (const type of EC_KEY_TYPES) if (!candidates.includes(type)) candidates.push(type);
  for (const type of candidates) {
    const size = EC_FIELD_BYTES[type];
    if ((bytes.length === size + 1 || bytes.length === 2 * size + 1) && isOnCurve(type, bytes)) return type;
  }
  return undefined;
}

/**
 * The Jacobi symbol (a/n) for an odd n > 0: for a prime n it is the Legendre symbol, 1 when `a` is a non-zero square
 * mod n, -1 when it is not a square, 0 when n divides `a`. Computed with the reciprocity algorithm (a few hundred
 * shifts and remainders), several times faster in BigInt than Euler's criterion a^((n-1)/2), which is a full modular
 * exponentiation like the square root it stands in for.
 * @see https://en.wikipedia.org/wiki/Jacobi_symbol#Calculating_the_Jacobi_symbol
 */
export function jacobiSymbol(a: bigint, n: bigint): -1 | 0 | 1 {
  if (n <= 0n || (n & 1n) === 0n) throw new TypeError('"n" must be an odd positive integer');
  a %= n;
  if (a < 0n) a += n;
  let t: -1 | 1 = 1;
  while (a !== 0n) {
    while ((a & 1n) === 0n) {
      a >>= 1n;
      // (2/n) = -1 exactly when n ≡ 3 or 5 (mod 8).
      const r = n & 7n;
      if (r === 3n || r === 5n) t = t === 1 ? -1 : 1;
    }
    const swap = a;
    a = n;
    n = swap;
    // Quadratic reciprocity: the sign flips when both are ≡ 3 (mod 4).
    if ((a & 3n) === 3n && (n & 3n) === 3n) t = t === 1 ? -1 : 1;
    a %= n;
  }
  return n === 1n ? t : 0;
}

const ed25519Field = ed25519.Point.Fp;
const ED25519_P = ed25519Field.ORDER;
const ED25519_D = ed25519.Point.CURVE().d;

/**
 * Whether 32 bytes are the canonical encoding of a point on Ed25519 (RFC 8032 §5.1.3 decoding, as @noble/curves'
 * `Point.fromBytes` without ZIP-215: y < p, x² = (y² - 1)/(d·y² + 1) has a root, and x = 0 comes with a clear sign
 * bit). Instead of computing the root, it asks whether (y² - 1)(d·y² + 1) is a square (a Jacobi symbol): the same
 * answer for a fraction of the cost, which matters because every 32-byte key of every translated document is
 * checked.
 */
export function isEd25519Point(bytes: Uint8Array): boolean {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('"bytes" must be a Uint8Array');
  if (bytes.length !== 32) return false;
  const signBit = (bytes[31]! & 0x80) !== 0;
  const normed = bytes.slice();
  normed[31] = normed[31]! & 0x7f;
  const y = bytesToNumberLE(normed);
  if (y >= ED25519_P) return false;
  const y2 = (y * y) % ED25519_P;
  const u = (y2 - 1n + ED25519_P) % ED25519_P;
  // x = 0: RFC 8032 rejects the encoding whose sign bit says x is odd.
  if (u === 0n) return !signBit;
  const v = (ED25519_D * y2 + 1n) % ED25519_P;
  // u/v is a square exactly when u·v is (v ≠ 0 for every y on Ed25519, since d is not a square).
  return jacobiSymbol(u * v, ED25519_P) === 1;
}

export interface Ed25519ToX25519Options {
  /**
   * Also check that the key is an Ed25519 point, using @noble/curves' `ed25519.utils.toMontgomery` (the current
   * name of `edwardsToMontgomeryPub`). About ten times slower: it decompresses the point. Default false.
   */
  checkPoint?: boolean;
  /** DidBridgeError code when the key cannot be converted (default INVALID_DID_DOCUMENT). */
  code?: ErrorName;
}

/**
 * Converts an Ed25519 public key to the X25519 public key of the same secret (the birational map
 * u = (1 + y) / (1 − y) of RFC 7748 §4.1), as did:key derives its keyAgreement key.
 *
 * By default only y is read (one field inversion and one product, in limbs: `montgomeryUFromEdwardsY`); this gives
 * the same u as `edwardsToMontgomeryPub` for every valid key without paying for point decompression, which matters on
 * the did:key hot path. It rejects non-canonical y (≥ p) and y = 1, whose image is the point at infinity.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7748#section-4.1
 * @see https://w3c-ccg.github.io/did-method-key/#derive-encryption-key-algorithm
 * @example ed25519ToX25519({ type: 'Ed25519', bytes }).type // → 'X25519'
 */
export function ed25519ToX25519(key: PublicKey, options: Ed25519ToX25519Options = {}): PublicKey {
  if (!key || typeof key !== 'object' || key.type !== 'Ed25519' || !(key.bytes instanceof Uint8Array)) {
    throw new TypeError('"key" must be an Ed25519 PublicKey');
  }
  const code = options.code ?? 'INVALID_DID_DOCUMENT';
  if (key.bytes.length !== 32) {
    throw new DidBridgeError(code, `an Ed25519 public key is 32 bytes long, got ${key.bytes.length}`);
  }
  if (options.checkPoint) {
    try {
      return { type: 'X25519', bytes: ed25519.utils.toMontgomery(key.bytes) };
    } catch (cause) {
      throw new DidBridgeError(code, 'the Ed25519 public key is not a point on Ed25519', { cause });
    }
  }
  // RFC 7748 §4.1: u = (1 + y) / (1 − y), computed in limbs with Lehmer's inversion (./modular.ts) rather than the
  // field's BigInt Euclid, because this runs for every Ed25519 did:key resolved (docs/BENCHMARKS.md, Driver).
  const u = montgomeryUFromEdwardsY(key.bytes);
  if (u === 'non-canonical-y') throw new DidBridgeError(code, 'the Ed25519 public key has a non-canonical y (≥ p)');
  if (u === 'neutral-point') {
    throw new DidBridgeError(code, 'the Ed25519 public key is the neutral point (y = 1), which has no X25519 image');
  }
  return { type: 'X25519', bytes: u };
}

/** Whether two public keys are the same key (same type and bytes). */
export function samePublicKey(a: PublicKey, b: PublicKey): boolean {
  if (a.type !== b.type || a.bytes.length !== b.bytes.length) return false;
  for (let i = 0; i < a.bytes.length; i++) if (a.bytes[i] !== b.bytes[i]) return false;
  return true;
}

/**
 * The affine coordinates (x, y) of an EC public key, each as big-endian bytes of the field size (as JWK wants them).
 * @internal shared with `jwk.ts`
 */
export function ecCoordinates(key: PublicKey & { type: EcKeyType }): { x: Uint8Array; y: Uint8Array } {
  const size = EC_FIELD_BYTES[key.type];
  const point = decompressPoint(key.type, key.bytes);
  return { x: point.subarray(1, 1 + size), y: point.subarray(1 + size) };
}
