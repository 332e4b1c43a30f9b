/**
 * Reading verification material in every encoding the WeIdentity family (did:weid v1/v3, did:tdid) and the W3C
 * documents rendered into it use, and deciding the key type from the key bytes.
 *
 * Members read (domestic-methods.md §3.3-3.5, §6, §10):
 *
 * | member | encoding |
 * |---|---|
 * | `publicKey` | WeIdentity decimal integer of the 64-byte `X‖Y` (v1, v3's extra member, did:tdid) |
 * | `publicKeyMultibase` | WeIdentity v3 pseudo-multibase (`ED 01 01` / `12 06` + ASCII decimal), or a real Multikey |
 * | `publicKeyHex` | raw SEC1 point / 32-byte key in hex (old WeIdentity spec example, legacy W3C documents) |
 * | `publicKeyPem` | SPKI PEM (RSA keys of the old WeIdentity spec; EC and Ed25519 keys are read too) |
 * | `publicKeyJwk` | JWK (W3C documents) |
 * | `publicKeyBase58` | raw key in base58btc (legacy W3C documents) |
 *
 * When an entry carries several of them (v3 carries `publicKeyMultibase` and the decimal `publicKey`), they must
 * denote the same key. The declared `type` never decides the curve: the bytes do, then the pseudo-multibase header
 * or multicodec as context (§3.4).
 *
 * @see https://www.w3.org/TR/did-core/#verification-material
 */
import { createPublicKey } from 'node:crypto';
import { DidBridgeError } from '../../src/errors.js';
import {
  base58Bitcoin,
  decodeDecimalPublicKey,
  decodeHex,
  decodeWeidPseudoMultibase,
  type WeidPseudoMultibase,
  type WeidPseudoMultibaseVariant,
} from '../../src/keys/codecs.js';
import { KeyMemo, inferKeyType, type KeyTypeInference } from '../../src/keys/detect.js';
import { jwkToPublicKey } from '../../src/keys/jwk.js';
import { decodeMultikey, encodeMultikey, samePublicKey, type KeyType, type PublicKey } from '../../src/keys/multikey.js';
import type { JsonObject, JsonWebKey } from '../../src/spec.js';

/** The key members this module reads, in the order they are tried. */
export const KEY_MEMBERS = [
  'publicKeyMultibase',
  'publicKey',
  'publicKeyHex',
  'publicKeyPem',
  'publicKeyJwk',
  'publicKeyBase58',
] as const;
export type KeyMember = (typeof KEY_MEMBERS)[number];

/** How a key was written. */
export type KeyEncoding = 'decimal' | 'weid-pseudo-multibase' | 'multikey' | 'hex' | 'pem' | 'jwk' | 'base58';

/** What {@link readKeyMaterial} found. */
export interface KeyMaterial {
  /** The key (EC points compressed), for every supported key type; undefined for RSA keys. */
  publicKey: PublicKey | undefined;
  /** An RSA public key as a JWK (`{kty: 'RSA', n, e}`); undefined otherwise. */
  rsaJwk: JsonWebKey | undefined;
  /** The members that carried the key, in {@link KEY_MEMBERS} order. */
  members: KeyMember[];
  /** The encoding of each member found. */
  encodings: Partial<Record<KeyMember, KeyEncoding>>;
  /** The WeIdentity pseudo-multibase header variant, when the key was written that way. */
  pseudoVariant: WeidPseudoMultibaseVariant | undefined;
  /** How the key type was decided (undefined for RSA keys). */
  inference: KeyTypeInference | undefined;
}

/** Options of {@link readKeyMaterial}. */
export interface ReadKeyMaterialOptions {
  /** The DID method the entry came from, for method-scoped declared-type aliases (`weid`). */
  method?: string;
  /** What is being read, for error messages (e.g. `/authentication/0`). */
  label: string;
  /**
   * The deployment's key type (WeIdentity `crypto.type`: secp256k1 or SM2), used when the encoding names none and a
   * compressed point fits several curves (§3.4: "decide the curve from deployment configuration or from the prefix
   * bytes, never from type").
   */
  deploymentKeyType?: KeyType;
}

const MAX_PEM_LENGTH = 16 * 1024;

function fail(label: string, message: string, cause?: unknown): never {
  throw new DidBridgeError('INVALID_DID_DOCUMENT', `${label}: ${message}`, cause === undefined ? {} : { cause });
}

/** A key as bytes plus the key type its encoding names (a multicodec, a JWK `crv`, a pseudo-multibase header). */
interface Candidate {
  member: KeyMember;
  encoding: KeyEncoding;
  bytes?: Uint8Array;
  context?: KeyType;
  rsa?: JsonWebKey;
  pseudoVariant?: WeidPseudoMultibaseVariant;
}

function readPem(text: string, label: string): Pick<Candidate, 'bytes' | 'context' | 'rsa'> {
  if (text.length > MAX_PEM_LENGTH) fail(label, `publicKeyPem is longer than ${MAX_PEM_LENGTH} characters`);
  let jwk: Record<string, unknown>;
  try {
    jwk = createPublicKey({ key: text, format: 'pem' }).export({ format: 'jwk' }) as Record<string, unknown>;
  } catch (cause) {
    fail(label, 'publicKeyPem is not a PEM public key (SPKI)', cause);
  }
  if (jwk.kty === 'RSA' && typeof jwk.n === 'string' && typeof jwk.e === 'string') {
    return { rsa: { kty: 'RSA', n: jwk.n, e: jwk.e } };
  }
  const key = jwkToPublicKey(jwk);
  return { bytes: key.bytes, context: key.type };
}

/** The decoded WeIdentity v3 pseudo-multibase value, or undefined when `text` is none (`isWeidPseudoMultibase`). */
function tryDecodeWeidPseudoMultibase(text: string, label: string): WeidPseudoMultibase | undefined {
  try {
    return decodeWeidPseudoMultibase(text, { label });
  } catch {
    return undefined;
  }
}

function candidateFor(member: KeyMember, value: unknown, label: string): Candidate | undefined {
  const where = `${label}/${member}`;
  switch (member) {
    case 'publicKeyMultibase': {
      if (typeof value !== 'string') fail(where, 'publicKeyMultibase must be a string');
      // Decoded once: asking isWeidPseudoMultibase first would decode it twice (base58 and decimal conversion).
      const decoded = tryDecodeWeidPseudoMultibase(value, where);
      if (decoded !== undefined) {
        return { member, encoding: 'weid-pseudo-multibase', bytes: decoded.publicKey, context: decoded.variant, pseudoVariant: decoded.variant };
      }
      const key = decodeMultikey(value);
      return { member, encoding: 'multikey', bytes: key.bytes, context: key.type };
    }
    case 'publicKey': {
      // In v1 `authentication` objects `publicKey` is a key id; only decimal text is a key.
      if (typeof value !== 'string' || !/^[0-9]+$/.test(value)) return undefined;
      return { member, encoding: 'decimal', bytes: decodeDecimalPublicKey(value, { label: where }) };
    }
    case 'publicKeyHex': {
      if (typeof value !== 'string') fail(where, 'publicKeyHex must be a string');
      return { member, encoding: 'hex', bytes: decodeHex(value, { label: where, maxLength: 1024 }) };
    }
    case 'publicKeyPem': {
      if (typeof value !== 'string') fail(where, 'publicKeyPem must be a string');
      return { member, encoding: 'pem', ...readPem(value, where) };
    }
    case 'publicKeyJwk': {
      if (value !== null && typeof value === 'object' && !Array.isArray(value) && (value as JsonObject).kty === 'RSA') {
        const { n, e } = value as JsonObject;
        if (typeof n !== 'string' || typeof e !== 'string' || !/^[A-Za-z0-9_-]+$/.test(n + e)) {
          fail(where, 'an RSA publicKeyJwk needs base64url "n" and "e"');
        }
        if (Object.keys(value).some((k) => ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth'].includes(k))) {
          fail(where, 'publicKeyJwk carries private key members');
        }
        return { member, encoding: 'jwk', rsa: { kty: 'RSA', n, e } };
      }
      const key = jwkToPublicKey(value);
      return { member, encoding: 'jwk', bytes: key.bytes, context: key.type };
    }
    case 'publicKeyBase58': {
      if (typeof value !== 'string') fail(where, 'publicKeyBase58 must be a string');
      return { member, encoding: 'base58', bytes: base58Bitcoin.decode(value, { label: where, maxLength: 256 }) };
    }
  }
}

/**
 * Reads the key an entry carries (a native key entry, an embedded v3 authentication entry, or a W3C verification
 * method) and decides its type from the bytes.
 *
 * @returns undefined when the entry carries no key member at all (e.g. a `blockchainAccountId`-only method)
 * @throws DidBridgeError (INVALID_DID_DOCUMENT) when a key member is malformed, the members disagree, or the bytes are
 *   no valid key; FEATURE_NOT_SUPPORTED for key types didbridge does not handle
 */
export function readKeyMaterial(entry: JsonObject, options: ReadKeyMaterialOptions): KeyMaterial | undefined {
  const { label, method } = options;
  const candidates: Candidate[] = [];
  for (const member of KEY_MEMBERS) {
    if (!Object.prototype.hasOwnProperty.call(entry, member)) continue;
    const candidate = candidateFor(member, entry[member], label);
    if (candidate) candidates.push(candidate);
  }
  if (candidates.length === 0) return undefined;
  const declaredType = typeof entry.type === 'string' ? entry.type : undefined;
  const encodings: Partial<Record<KeyMember, KeyEncoding>> = {};
  for (const c of candidates) encodings[c.member] = c.encoding;
  const members = candidates.map((c) => c.member);

  const rsa = candidates.filter((c) => c.rsa);
  if (rsa.length > 0) {
    if (rsa.length !== candidates.length) fail(label, `${members.join(' and ')} do not denote the same key (RSA and non-RSA)`);
    const first = rsa[0]!.rsa!;
    if (rsa.some((c) => c.rsa!.n !== first.n || c.rsa!.e !== first.e)) fail(label, `${members.join(' and ')} denote different RSA keys`);
    return { publicKey: undefined, rsaJwk: first, members, encodings, pseudoVariant: undefined, inference: undefined };
  }

  let decided: KeyTypeInference | undefined;
  for (const c of candidates) {
    const inference = inferKeyType({
      publicKey: c.bytes!,
      ...(declaredType === undefined ? {} : { declaredType }),
      ...(method === undefined ? {} : { method }),
      ...((c.context ?? options.deploymentKeyType) === undefined ? {} : { contextKeyType: (c.context ?? options.deploymentKeyType)! }),
    });
    if (decided === undefined) decided = inference;
    else if (!samePublicKey(decided.publicKey, inference.publicKey)) {
      fail(label, `${members.join(' and ')} do not denote the same key`);
    }
  }
  const pseudoVariant = candidates.find((c) => c.pseudoVariant)?.pseudoVariant;
  return { publicKey: decided!.publicKey, rsaJwk: undefined, members, encodings, pseudoVariant, inference: decided };
}

/** {@link KeyMaterial} with the key's canonical Multikey encoding (undefined for RSA keys). */
export interface W3cKeyMaterial extends KeyMaterial {
  multikey: string | undefined;
}

/**
 * Key material by every key member's text, the declared type, the method and the deployment's key type: everything
 * {@link readKeyMaterial} reads (see {@link KeyMemo}). Decoding a decimal or pseudo-multibase key, deciding its curve
 * and encoding it as a Multikey are done once per key instead of on every translation. Entries with a non-text key
 * member (a JWK) are read every time.
 */
const w3cKeyMaterialMemo = new KeyMemo<W3cKeyMaterial>();

/**
 * {@link readKeyMaterial} plus the Multikey encoding of the key, memoised (`w3cKeyMaterialMemo`). The result is the
 * caller's to read, not to change; an RSA JWK (which goes into a document) is a fresh copy each time.
 */
export function readW3cKeyMaterial(entry: JsonObject, options: ReadKeyMaterialOptions): W3cKeyMaterial | undefined {
  // Looked up by the first key member's text; the context holds the rest (other key members, type, method, mode).
  let text: string | undefined;
  // Free text (the type, further values) is length-prefixed, so no two entries share a context.
  const type = typeof entry.type === 'string' ? `${entry.type.length}:${entry.type}` : '-';
  let context = `${options.method ?? ''}\u0000${options.deploymentKeyType ?? ''}\u0000${type}`;
  let memoised = true;
  for (const member of KEY_MEMBERS) {
    if (!Object.prototype.hasOwnProperty.call(entry, member)) continue;
    const value = entry[member];
    if (typeof value !== 'string') {
      memoised = false;
      break;
    }
    if (text === undefined) {
      text = value;
      context += `\u0000${member}`;
    } else context += `\u0000${member}\u0000${value.length}:${value}`;
  }
  if (!memoised) text = undefined;
  let read = text === undefined ? undefined : w3cKeyMaterialMemo.get(text, context);
  if (read === undefined) {
    const material = readKeyMaterial(entry, options);
    if (material === undefined) return undefined;
    read = { ...material, multikey: material.publicKey ? encodeMultikey(material.publicKey) : undefined };
    if (text !== undefined) w3cKeyMaterialMemo.set(text, context, read);
  }
  return read.rsaJwk ? { ...read, rsaJwk: { ...read.rsaJwk } } : read;
}
