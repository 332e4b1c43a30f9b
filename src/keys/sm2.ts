/**
 * SM2 digital signatures (GB/T 32918.2-2016, the same algorithm as GM/T 0003.2-2012) on the recommended curve of
 * GB/T 32918.5-2017, with SM3 (GB/T 32905-2016) as the hash.
 *
 * An SM2 signature is not ECDSA on another curve. The signer hashes `Z_A ‖ M`, where `Z_A` binds the signer's
 * identity: `Z_A = SM3(ENTL_A ‖ ID_A ‖ a ‖ b ‖ x_G ‖ y_G ‖ x_A ‖ y_A)` (GB/T 32918.2 §5.5), and computes
 * `r = (e + x_1) mod n`, `s = (1 + d)⁻¹ (k − r·d) mod n` (§6.1). Two implementations interoperate only if they use
 * the same user id `ID_A`; GM/T 0009-2012 §10 makes `"1234567812345678"` the default, and that is the default here.
 *
 * node:crypto is deliberately not used for signatures: with an SM2-curve key, `crypto.sign('sm3', …)` on Node 20 /
 * OpenSSL 3.0 produces plain ECDSA over SM3(M), without Z and with the ECDSA equations, which no SM2 verifier accepts
 * (dependencies.md, node:crypto row). The scalar arithmetic is sm-crypto-v2's (built on @noble/curves); this module
 * computes `Z` and `e` itself (so user ids may be arbitrary bytes, not only UTF-8 text), validates keys and
 * signatures, and converts between the raw `r ‖ s` and DER encodings.
 *
 * @see ../../docs/sm2.md
 * @see https://openstd.samr.gov.cn/bzgk/gb/ GB/T 32918.2-2016 §5.5 (Z), §6 (signing), §7 (verification)
 * @see https://datatracker.ietf.org/doc/html/draft-shen-sm2-ecdsa-02 (English description of the algorithm)
 */
import { DER } from '@noble/curves/abstract/weierstrass.js';
import { sm2 } from 'sm-crypto-v2';
import { DidBridgeError } from '../errors.js';
import type { ErrorName } from '../spec.js';
import { concatBytes, encodeHex } from './codecs.js';
import { SM2_CURVE_PARAMETERS, decompressPoint, sm2Point } from './curves.js';
import { sm3 } from './hash.js';

/** The default SM2 user id, GM/T 0009-2012 §10 (`ID_A` when the parties agreed on nothing else). */
export const SM2_DEFAULT_USER_ID = '1234567812345678';

/** The longest user id GB/T 32918.2 allows: ENTL_A is the bit length in two bytes, so at most 8191 bytes. */
export const SM2_MAX_USER_ID_BYTES = 8191;

/** How a signature is serialised: `raw` is `r ‖ s`, 32 bytes each; `der` is ASN.1 `SEQUENCE { INTEGER r, INTEGER s }`. */
export type Sm2SignatureEncoding = 'raw' | 'der';

const N = SM2_CURVE_PARAMETERS.n;
const encoder = new TextEncoder();

function fieldBytes(value: bigint): Uint8Array {
  return new Uint8Array(Buffer.from(value.toString(16).padStart(64, '0'), 'hex'));
}

function bytesToBigInt(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt('0x' + encodeHex(bytes));
}

function assertBytes(value: unknown, name: string): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) throw new TypeError(`"${name}" must be a Uint8Array`);
}

function messageBytes(message: unknown): Uint8Array {
  if (message instanceof Uint8Array) return message;
  if (typeof message === 'string') return encoder.encode(message);
  throw new TypeError('"message" must be a Uint8Array or a string (signed as UTF-8)');
}

function userIdBytes(userId: unknown): Uint8Array {
  const bytes =
    userId === undefined
      ? encoder.encode(SM2_DEFAULT_USER_ID)
      : typeof userId === 'string'
        ? encoder.encode(userId)
        : userId instanceof Uint8Array
          ? userId
          : undefined;
  if (!bytes) throw new TypeError('"userId" must be a string (UTF-8) or a Uint8Array');
  if (bytes.length > SM2_MAX_USER_ID_BYTES) {
    throw new TypeError(`"userId" must be at most ${SM2_MAX_USER_ID_BYTES} bytes (ENTL is 16 bits), got ${bytes.length}`);
  }
  return bytes;
}

/**
 * Normalises an SM2 public key to the 65-byte uncompressed SEC1 point `04 ‖ x ‖ y`, checking it is on the curve.
 * Accepts a compressed point (33 bytes), an uncompressed one (65), or the bare `x ‖ y` (64) that WeIdentity uses.
 *
 * @throws DidBridgeError(`errorCode`, default INVALID_DID_DOCUMENT) for a malformed or off-curve key
 */
export function sm2UncompressedPublicKey(publicKey: Uint8Array, errorCode: ErrorName = 'INVALID_DID_DOCUMENT'): Uint8Array {
  assertBytes(publicKey, 'publicKey');
  const sec1 = publicKey.length === 64 ? concatBytes(Uint8Array.of(0x04), publicKey) : publicKey;
  return decompressPoint('SM2', sec1, errorCode);
}

/** Options of `sm2Z`. */
export interface Sm2ZOptions {
  /** The signer's public key, any form `sm2UncompressedPublicKey` accepts. */
  publicKey: Uint8Array;
  /** `ID_A`: a string (hashed as UTF-8) or bytes. Default `SM2_DEFAULT_USER_ID`. */
  userId?: string | Uint8Array;
}

/**
 * `Z_A = SM3(ENTL_A ‖ ID_A ‖ a ‖ b ‖ x_G ‖ y_G ‖ x_A ‖ y_A)`, GB/T 32918.2-2016 §5.5.
 * @example sm2Z({ publicKey }) // 32 bytes, for the default user id
 */
export function sm2Z(options: Sm2ZOptions): Uint8Array {
  if (!options || typeof options !== 'object') throw new TypeError('"options" must be an object');
  const id = userIdBytes(options.userId);
  const point = sm2UncompressedPublicKey(options.publicKey);
  const entl = id.length * 8;
  return sm3(
    concatBytes(
      Uint8Array.of(entl >> 8, entl & 0xff),
      id,
      fieldBytes(SM2_CURVE_PARAMETERS.a),
      fieldBytes(SM2_CURVE_PARAMETERS.b),
      fieldBytes(SM2_CURVE_PARAMETERS.Gx),
      fieldBytes(SM2_CURVE_PARAMETERS.Gy),
      point.subarray(1),
    ),
  );
}

/** Options of `sm2MessageDigest`. */
export interface Sm2DigestOptions extends Sm2ZOptions {
  /** The message; a string is signed as its UTF-8 bytes. */
  message: Uint8Array | string;
}

/** `e = SM3(Z_A ‖ M)`, the value SM2 actually signs (GB/T 32918.2-2016 §6.1 steps A1-A2). */
export function sm2MessageDigest(options: Sm2DigestOptions): Uint8Array {
  if (!options || typeof options !== 'object') throw new TypeError('"options" must be an object');
  return sm3(concatBytes(sm2Z(options), messageBytes(options.message)));
}

function privateScalar(privateKey: unknown): bigint {
  assertBytes(privateKey, 'privateKey');
  if (privateKey.length !== 32) throw new TypeError(`"privateKey" must be 32 bytes, got ${privateKey.length}`);
  const d = bytesToBigInt(privateKey);
  // GB/T 32918.1 §6.1: d ∈ [1, n−2], since signing inverts (1 + d).
  if (d < 1n || d > N - 2n) throw new TypeError('"privateKey" must be an integer in [1, n-2] (GB/T 32918.1 §6.1)');
  return d;
}

/** Options of `sm2PublicKeyFromPrivateKey`. */
export interface Sm2PublicKeyOptions {
  /** Return the 33-byte compressed point instead of the 65-byte uncompressed one. Default false. */
  compressed?: boolean;
}

/**
 * The public key `P = d·G` of an SM2 private key.
 * @throws TypeError unless `privateKey` is 32 bytes encoding d ∈ [1, n−2]
 */
export function sm2PublicKeyFromPrivateKey(privateKey: Uint8Array, options: Sm2PublicKeyOptions = {}): Uint8Array {
  const d = privateScalar(privateKey);
  return sm2Point.BASE.multiply(d).toBytes(options.compressed === true);
}

/** Options of `sm2Sign`. */
export interface Sm2SignOptions {
  /** `ID_A`, default `SM2_DEFAULT_USER_ID`. Record it next to every signature: verifiers need the same value. */
  userId?: string | Uint8Array;
  /** Output encoding, default `raw` (64 bytes `r ‖ s`). */
  encoding?: Sm2SignatureEncoding;
}

/**
 * Signs a message with SM2 (GB/T 32918.2-2016 §6.1), hashing `Z_A ‖ M` with SM3. Signatures are randomised (a fresh
 * `k` per call), so the same input signs differently each time; every signature verifies.
 *
 * @param message the message; a string is signed as UTF-8
 * @param privateKey the 32-byte private scalar d ∈ [1, n−2]
 * @throws TypeError for misuse (wrong types, bad private key, unknown encoding)
 * @example const sig = sm2Sign('hello', privateKey, { encoding: 'der' })
 */
export function sm2Sign(message: Uint8Array | string, privateKey: Uint8Array, options: Sm2SignOptions = {}): Uint8Array {
  const encoding = options.encoding ?? 'raw';
  if (encoding !== 'raw' && encoding !== 'der') throw new TypeError('"encoding" must be "raw" or "der"');
  const d = privateScalar(privateKey);
  const publicKey = sm2Point.BASE.multiply(d).toBytes(false);
  const e = sm2MessageDigest({ message: messageBytes(message), publicKey, userId: options.userId });
  // hash: false because e is already SM3(Z ‖ M); sm-crypto-v2 then runs §6.1 steps A3-A7 on it.
  const rawHex = sm2.doSignature(e, encodeHex(privateKey), { hash: false, der: false });
  const raw = new Uint8Array(Buffer.from(rawHex, 'hex'));
  return encoding === 'raw' ? raw : sm2SignatureToDer(raw);
}

/** Options of `sm2Verify`. */
export interface Sm2VerifyOptions {
  /** `ID_A` the signer used, default `SM2_DEFAULT_USER_ID`. */
  userId?: string | Uint8Array;
  /** The signature's encoding; by default 64 bytes are read as raw and anything else as DER. */
  encoding?: Sm2SignatureEncoding;
  /** DidBridgeError code for a malformed public key (default INVALID_DID_DOCUMENT). */
  errorCode?: ErrorName;
}

/**
 * Verifies an SM2 signature (GB/T 32918.2-2016 §7.1). Returns false for a signature that does not verify, including
 * malformed ones (bad DER, wrong length, r or s outside [1, n−1]); throws for a malformed public key, which is a
 * document problem rather than a failed signature.
 *
 * @param publicKey compressed, uncompressed or bare `x ‖ y` SM2 public key
 * @throws DidBridgeError(`errorCode`) when `publicKey` is not a point on the SM2 curve; TypeError for misuse
 */
export function sm2Verify(
  message: Uint8Array | string,
  signature: Uint8Array,
  publicKey: Uint8Array,
  options: Sm2VerifyOptions = {},
): boolean {
  assertBytes(signature, 'signature');
  const bytes = messageBytes(message);
  const point = sm2UncompressedPublicKey(publicKey, options.errorCode);
  const parsed = parseSm2Signature(signature, options.encoding);
  if (!parsed) return false;
  const { r, s } = parsed;
  // §7.1 B1-B2: r, s ∈ [1, n−1]. §B5: t = r + s mod n must not be 0.
  if (r < 1n || r >= N || s < 1n || s >= N || (r + s) % N === 0n) return false;
  const e = sm2MessageDigest({ message: bytes, publicKey: point, userId: options.userId });
  const rawHex = r.toString(16).padStart(64, '0') + s.toString(16).padStart(64, '0');
  return sm2.doVerifySignature(e, rawHex, encodeHex(point), { hash: false, der: false });
}

/**
 * Reads a signature into `{ r, s }`; undefined when it is malformed. With no `encoding`, 64 bytes are read as raw and
 * anything else as DER. A DER signature can itself be 64 bytes long (when r or s is short), so callers that know the
 * encoding should say so.
 */
export function parseSm2Signature(
  signature: Uint8Array,
  encoding?: Sm2SignatureEncoding,
): { r: bigint; s: bigint } | undefined {
  assertBytes(signature, 'signature');
  if (encoding !== undefined && encoding !== 'raw' && encoding !== 'der') {
    throw new TypeError('"encoding" must be "raw" or "der"');
  }
  const form = encoding ?? (signature.length === 64 ? 'raw' : 'der');
  if (form === 'raw') {
    if (signature.length !== 64) return undefined;
    return { r: bytesToBigInt(signature.subarray(0, 32)), s: bytesToBigInt(signature.subarray(32)) };
  }
  if (signature.length > 80) return undefined;
  try {
    // @noble/curves' DER parser is strict: minimal lengths, no negative or padded integers, no trailing bytes.
    return DER.toSig(signature);
  } catch {
    return undefined;
  }
}

/**
 * Converts a raw `r ‖ s` signature (64 bytes) to DER, as did:ctid proofs carry SM2 signatures (§8).
 * @throws TypeError unless `raw` is 64 bytes
 */
export function sm2SignatureToDer(raw: Uint8Array): Uint8Array {
  assertBytes(raw, 'raw');
  if (raw.length !== 64) throw new TypeError(`"raw" must be 64 bytes (r ‖ s), got ${raw.length}`);
  const hex = DER.hexFromSig({ r: bytesToBigInt(raw.subarray(0, 32)), s: bytesToBigInt(raw.subarray(32)) });
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

/**
 * Converts a DER signature to raw `r ‖ s` (64 bytes).
 * @throws DidBridgeError(`errorCode`, default INVALID_DID_DOCUMENT) for malformed DER or out-of-range integers
 */
export function sm2SignatureFromDer(der: Uint8Array, errorCode: ErrorName = 'INVALID_DID_DOCUMENT'): Uint8Array {
  const parsed = parseSm2Signature(der, 'der');
  if (!parsed || parsed.r >= 1n << 256n || parsed.s >= 1n << 256n) {
    throw new DidBridgeError(errorCode, 'expected a DER SM2 signature, SEQUENCE { INTEGER r, INTEGER s } with r, s < 2^256');
  }
  return concatBytes(fieldBytes(parsed.r), fieldBytes(parsed.s));
}
