/**
 * WeIdentity credential signatures: 65 bytes, base64, in one of two layouts (domestic-methods.md §3.7):
 *
 * | layout | recognised by | where |
 * |---|---|---|
 * | `vrs`: `v ‖ r ‖ s`, v = 27/28 | byte 0 is 0x1b / 0x1c | v1-era SDK (`simpleSignatureSerialization`) |
 * | `rsv`: `r ‖ s ‖ v`, v = 0/1 | byte 64 is 0x00 / 0x01 | v3 SDK (`SigBase64Serialization`), lite1 |
 *
 * secp256k1 (ECDSA deployments): ECDSA over the 32-byte Keccak-256 digest of the thumbprint, `v` the recovery id.
 * SM2 (GM deployments): SM2 (GB/T 32918.2, with the signer's Z value) over the 32-byte SM3 digest of the thumbprint,
 * i.e. the digest is the SM2 *message* and SM2 hashes `Z ‖ digest` again, as FISCO BCOS's `CryptoSuite.sign(hash,
 * keyPair)` does; `v` is always 0 and the key cannot be recovered, so it comes from the issuer's document. The user id
 * is the GM/T 0009 default unless the verifier is told otherwise. (Inferred from FISCO BCOS java-sdk behaviour,
 * unconfirmed by an SDK run: fixtures/credentials/weid/KNOWN-GAP.md.)
 *
 * @see /work/shared/docs/domestic-methods.md §3.7, §11
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { decodeBase64 } from '../../keys/codecs.js';
import { sm2Sign, sm2Verify, SM2_DEFAULT_USER_ID } from '../../keys/sm2.js';
import type { WeidProofType } from './pojo.js';

/** A signature layout. */
export type SignatureLayout = 'vrs' | 'rsv';

/** One reading of a 65-byte signature. */
export interface SignatureReading {
  layout: SignatureLayout;
  r: Uint8Array;
  s: Uint8Array;
  /** The recovery id (0 or 1), from v = 27/28 (`vrs`) or v = 0/1 (`rsv`). */
  recovery: number;
}

/**
 * Decodes a base64 signature and reads it in every layout its marker bytes allow (byte 0 for `vrs`, byte 64 for
 * `rsv`; a signature can match both, and then both are tried). Returns `problem` when it is not 65 bytes of base64 or
 * matches neither layout.
 */
export function readWeidSignature(value: unknown): { readings: SignatureReading[]; bytes?: Uint8Array; problem?: string } {
  if (typeof value !== 'string' || value === '') return { readings: [], problem: 'the proof has no signatureValue (or signature) string' };
  let bytes: Uint8Array;
  try {
    bytes = decodeBase64(value);
  } catch {
    return { readings: [], problem: 'the signature is not base64' };
  }
  if (bytes.length !== 65) return { readings: [], bytes, problem: `the signature is ${bytes.length} bytes; WeIdentity signatures are 65 bytes (v, r, s)` };
  const readings: SignatureReading[] = [];
  const first = bytes[0]!;
  const last = bytes[64]!;
  if (first === 27 || first === 28) readings.push({ layout: 'vrs', r: bytes.slice(1, 33), s: bytes.slice(33, 65), recovery: first - 27 });
  if (last === 0 || last === 1) readings.push({ layout: 'rsv', r: bytes.slice(0, 32), s: bytes.slice(32, 64), recovery: last });
  if (readings.length === 0) {
    return {
      readings,
      bytes,
      problem: `neither signature layout fits: byte 0 is ${first} (v‖r‖s needs 27 or 28) and byte 64 is ${last} (r‖s‖v needs 0 or 1)`,
    };
  }
  return { readings, bytes };
}

/** Serialises a signature in a layout (`v` = 27 + recovery for `vrs`, recovery for `rsv`). */
export function writeWeidSignature(options: { r: Uint8Array; s: Uint8Array; recovery: number; layout: SignatureLayout }): Uint8Array {
  const { r, s, recovery, layout } = options;
  if (r.length !== 32 || s.length !== 32) throw new TypeError('"r" and "s" must be 32 bytes each');
  if (recovery !== 0 && recovery !== 1) throw new TypeError('"recovery" must be 0 or 1');
  const out = new Uint8Array(65);
  if (layout === 'vrs') {
    out[0] = 27 + recovery;
    out.set(r, 1);
    out.set(s, 33);
  } else if (layout === 'rsv') {
    out.set(r, 0);
    out.set(s, 32);
    out[64] = recovery;
  } else {
    throw new TypeError('"layout" must be "vrs" or "rsv"');
  }
  return out;
}

/**
 * Recovers the secp256k1 public key (65-byte uncompressed) that made a signature over a digest, or undefined when
 * the signature does not recover (r or s out of range, no such point).
 */
export function recoverSecp256k1(digest: Uint8Array, reading: SignatureReading): Uint8Array | undefined {
  try {
    const signature = secp256k1.Signature.fromCompact(concat(reading.r, reading.s)).addRecoveryBit(reading.recovery);
    return signature.recoverPublicKey(digest).toRawBytes(false);
  } catch {
    return undefined;
  }
}

/**
 * Verifies a secp256k1 reading against a public key (any SEC1 form): ECDSA verification over the digest, accepting
 * high-s values (Java signers do not all normalise s).
 */
export function verifySecp256k1(digest: Uint8Array, reading: SignatureReading, publicKey: Uint8Array): boolean {
  try {
    return secp256k1.verify(concat(reading.r, reading.s), digest, publicKey, { prehash: false, lowS: false });
  } catch {
    return false;
  }
}

/** Verifies an SM2 reading (`r ‖ s`) over the digest as the SM2 message, with the user id (GM/T 0009 default). */
export function verifySm2(digest: Uint8Array, reading: SignatureReading, publicKey: Uint8Array, userId: string = SM2_DEFAULT_USER_ID): boolean {
  return sm2Verify(digest, concat(reading.r, reading.s), publicKey, { userId, encoding: 'raw' });
}

/**
 * Signs a thumbprint digest for a crypto mode and serialises it in a layout (secp256k1: @noble/curves ECDSA with a
 * low s and its recovery id; SM2: sm-crypto-v2 via `src/keys/sm2.ts`, v = 0).
 */
export function signWeidDigest(options: {
  digest: Uint8Array;
  privateKey: Uint8Array;
  proofType: WeidProofType;
  layout: SignatureLayout;
  sm2UserId?: string;
}): Uint8Array {
  const { digest, privateKey, proofType, layout } = options;
  if (!(digest instanceof Uint8Array) || digest.length !== 32) throw new TypeError('"digest" must be 32 bytes');
  if (!(privateKey instanceof Uint8Array) || privateKey.length !== 32) throw new TypeError('"privateKey" must be 32 bytes');
  if (proofType === 'SM2') {
    if (layout !== 'rsv') throw new TypeError('SM2 signatures are written r‖s‖v (v = 0); "layout" must be "rsv"');
    const raw = sm2Sign(digest, privateKey, { encoding: 'raw', ...(options.sm2UserId !== undefined ? { userId: options.sm2UserId } : {}) });
    return writeWeidSignature({ r: raw.slice(0, 32), s: raw.slice(32, 64), recovery: 0, layout });
  }
  if (proofType !== 'Secp256k1') throw new TypeError('"proofType" must be "Secp256k1" or "SM2"');
  const signature = secp256k1.sign(digest, privateKey, { prehash: false, lowS: true });
  const compact = signature.toCompactRawBytes();
  return writeWeidSignature({ r: compact.slice(0, 32), s: compact.slice(32, 64), recovery: signature.recovery, layout });
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
