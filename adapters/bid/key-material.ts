/**
 * Reads the verification material of a native verification method, whatever encoding the domestic method used,
 * and decides the key type from the key bytes (never from the declared `type` alone, which lies or is unregistered
 * in domestic documents: domestic-methods.md §10).
 *
 * Encodings read: `publicKeyHex` (raw, or BIF-encoded `b06566…` / `b07a66…`, §4.2-4.3), `publicKeyMultibase`,
 * `publicKeyJwk`, `publicKeyBase58` and `publicKeyPem` (SPKI; RSA for did:vaa, §9). The result is re-encoded as
 * `Multikey` + `publicKeyMultibase` (Ed25519, secp256k1, P-256, P-384, SM2 as `sm2-pub` 0x1206) or, for RSA, which
 * has no Multikey codec didbridge supports, `JsonWebKey` + an RSA `publicKeyJwk`.
 *
 * @see https://www.w3.org/TR/did-core/#verification-material
 * @see https://www.w3.org/TR/cid-1.0/#Multikey
 * @see https://www.w3.org/TR/cid-1.0/#JsonWebKey
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { DidBridgeError, InvalidDidDocumentError } from '../../src/errors.js';
import { lookupVerificationMethodType } from '../../src/keys/aliases.js';
import { base58Bitcoin, decodeBase64Url, readBifPublicKeyHex } from '../../src/keys/codecs.js';
import { KeyMemo, inferKeyType, type KeyTypeInference } from '../../src/keys/detect.js';
import { PRIVATE_JWK_MEMBERS, jwkToPublicKey } from '../../src/keys/jwk.js';
import { decodeMultikey, encodeMultikey, type KeyType, type PublicKey } from '../../src/keys/multikey.js';
import { JWK_CONTEXT_V1, MULTIKEY_CONTEXT_V1, type JsonWebKey, type JsonValue } from '../../src/spec.js';
import { isJsonObject, type MemberIndex } from './members.js';

/** The verification-material members read, in the order they are looked for. */
export const MATERIAL_MEMBERS = [
  'publicKeyMultibase',
  'publicKeyJwk',
  'publicKeyHex',
  'publicKeyBase58',
  'publicKeyPem',
] as const;
export type MaterialMember = (typeof MATERIAL_MEMBERS)[number];

/** Longest PEM text parsed (a 16384-bit RSA SPKI is about 2.9 KB); longer values are refused before parsing. */
export const MAX_PEM_LENGTH = 16 * 1024;

/** Key material decided from the bytes. */
export type KeyMaterial =
  | {
      kind: 'key';
      /** The key, EC points compressed. */
      key: PublicKey;
      inference: KeyTypeInference;
      /** The member it was read from, as written (may carry whitespace). */
      member: string;
      canonicalMember: MaterialMember;
      /** `publicKeyHex` only: whether it had the BIF `B0` header. */
      bifEncoded?: boolean;
    }
  | {
      kind: 'rsa';
      jwk: JsonWebKey;
      member: string;
      canonicalMember: MaterialMember;
      /** The declared type claims another key family than RSA. */
      mismatch: boolean;
    };

/** What the W3C verification method carries for the material: its type, property and value. */
export interface W3cMaterial {
  type: 'Multikey' | 'JsonWebKey';
  property: 'publicKeyMultibase' | 'publicKeyJwk';
  value: string | JsonWebKey;
  /** The JSON-LD context the type needs. */
  context: string;
}

/** The canonical W3C form of decided key material. */
export function w3cMaterial(material: KeyMaterial): W3cMaterial {
  if (material.kind === 'rsa') {
    return { type: 'JsonWebKey', property: 'publicKeyJwk', value: material.jwk, context: JWK_CONTEXT_V1 };
  }
  return { type: 'Multikey', property: 'publicKeyMultibase', value: encodeMultikey(material.key), context: MULTIKEY_CONTEXT_V1 };
}

/** Options of {@link readKeyMaterial}. */
export interface ReadKeyMaterialOptions {
  /** The DID method (selects method-scoped entries of the type alias table). */
  method: string;
  /** The declared `type`, trimmed. */
  declaredType: string | undefined;
  /** What is being read, for messages (e.g. `publicKey did:bid:…#key-1`). */
  label: string;
}

function fail(label: string, message: string, cause?: unknown): never {
  throw new InvalidDidDocumentError(`${label}: ${message}`, cause === undefined ? undefined : { cause });
}

function inferred(publicKey: Uint8Array, options: ReadKeyMaterialOptions, contextKeyType: KeyType | undefined): KeyTypeInference {
  return inferKeyType({
    publicKey,
    ...(options.declaredType === undefined ? {} : { declaredType: options.declaredType }),
    method: options.method,
    ...(contextKeyType === undefined ? {} : { contextKeyType }),
    errorCode: 'INVALID_DID_DOCUMENT',
  });
}

function rethrowLabelled(label: string, err: unknown): never {
  if (err instanceof DidBridgeError) {
    throw new DidBridgeError(err.code, `${label}: ${err.message}`, { cause: err });
  }
  throw err;
}

/** Whether the declared type names a non-RSA key family. */
function declaredNonRsa(declaredType: string | undefined, method: string): boolean {
  if (declaredType === undefined) return false;
  const claims = lookupVerificationMethodType({ name: declaredType, method })?.claims;
  return claims !== undefined && claims !== 'RSA';
}

/** Validates an RSA public JWK (`n`, `e` as canonical base64url, no private members) and returns a clean copy. */
function rsaJwk(jwk: Record<string, unknown>, label: string): JsonWebKey {
  const leaked = PRIVATE_JWK_MEMBERS.filter((m) => Object.prototype.hasOwnProperty.call(jwk, m));
  if (leaked.length > 0) fail(label, `the RSA JWK carries private key material (${leaked.join(', ')})`);
  for (const name of ['n', 'e'] as const) {
    const value = jwk[name];
    if (typeof value !== 'string' || value === '') fail(label, `an RSA JWK needs "${name}" as a base64url string`);
    decodeBase64Url(value, { label: `${label} JWK "${name}"` });
  }
  const n = decodeBase64Url(jwk.n as string);
  // RFC 7518 §6.3.1.1: n is unsigned big-endian without leading zero octets.
  if (n.length === 0 || n[0] === 0) fail(label, 'the RSA modulus "n" has a leading zero octet (RFC 7518 §6.3.1.1)');
  if (n.length < 128) fail(label, `the RSA modulus is ${n.length * 8} bits; at least 1024 are required`);
  return { kty: 'RSA', n: jwk.n as string, e: jwk.e as string };
}

/** Reads an SPKI PEM into key material with node:crypto (no private keys: a PRIVATE KEY block is refused). */
function readPem(text: string, options: ReadKeyMaterialOptions, member: string): KeyMaterial {
  const { label } = options;
  if (text.length > MAX_PEM_LENGTH) fail(label, `publicKeyPem is ${text.length} characters; the limit is ${MAX_PEM_LENGTH}`);
  if (/PRIVATE KEY-----/.test(text)) fail(label, 'publicKeyPem holds a private key; a DID document must never include one');
  let key: KeyObject;
  try {
    key = createPublicKey({ key: text, format: 'pem' });
  } catch (cause) {
    fail(label, `publicKeyPem is not a PEM public key (${(cause as Error).message})`, cause);
  }
  const type = key.asymmetricKeyType;
  if (type === 'rsa') {
    const jwk = key.export({ format: 'jwk' }) as Record<string, unknown>;
    return { kind: 'rsa', jwk: rsaJwk(jwk, label), member, canonicalMember: 'publicKeyPem', mismatch: declaredNonRsa(options.declaredType, options.method) };
  }
  // DER export, not JWK: Node 20's JWK export of Ed25519 keys can deadlock (dependencies.md §2).
  const der = new Uint8Array(key.export({ format: 'der', type: 'spki' }));
  if (type === 'ed25519') {
    return keyFromBytes(der.subarray(der.length - 32), options, member, 'publicKeyPem', 'Ed25519');
  }
  // OpenSSL 3 reports SM2 keys as "ec" on curve "SM2" (older builds said "sm2"; the typings do not know that name).
  if (type === 'ec' || (type as string) === 'sm2') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    const byCurve: Record<string, KeyType> = { prime256v1: 'P-256', secp256k1: 'secp256k1', secp384r1: 'P-384', SM2: 'SM2' };
    const keyType = (type as string) === 'sm2' ? 'SM2' : curve === undefined ? undefined : byCurve[curve];
    if (keyType === undefined) {
      throw new DidBridgeError('FEATURE_NOT_SUPPORTED', `${label}: EC keys on curve ${String(curve)} are not supported`);
    }
    const size = keyType === 'P-384' ? 48 : 32;
    // An SPKI for a named curve ends with the uncompressed point 04‖X‖Y.
    const point = der.subarray(der.length - (2 * size + 1));
    if (point[0] !== 0x04) fail(label, 'publicKeyPem holds a compressed EC point, which SPKI encoders do not produce');
    return keyFromBytes(point, options, member, 'publicKeyPem', keyType);
  }
  throw new DidBridgeError('FEATURE_NOT_SUPPORTED', `${label}: ${String(type)} keys in publicKeyPem are not supported`);
}

function keyFromBytes(
  bytes: Uint8Array,
  options: ReadKeyMaterialOptions,
  member: string,
  canonicalMember: MaterialMember,
  contextKeyType: KeyType | undefined,
  bifEncoded?: boolean,
): KeyMaterial {
  const inference = inferred(bytes, options, contextKeyType);
  return {
    kind: 'key',
    key: inference.publicKey,
    inference,
    member,
    canonicalMember,
    ...(bifEncoded === undefined ? {} : { bifEncoded }),
  };
}

/**
 * Reads the verification material of one native verification method. The first material member found (in
 * {@link MATERIAL_MEMBERS} order) is read; a method with none, or with a value that is no valid key, makes the
 * document invalid.
 *
 * @throws DidBridgeError INVALID_DID_DOCUMENT (naming `options.label`), FEATURE_NOT_SUPPORTED for well-formed keys of
 *   unsupported types
 */
export function readKeyMaterial(entry: MemberIndex, options: ReadKeyMaterialOptions): KeyMaterial {
  const { label } = options;
  const found = MATERIAL_MEMBERS.map((name) => ({ name, member: entry.get(name) })).find((f) => f.member !== undefined);
  if (!found || !found.member) {
    fail(label, `no verification material (expected one of ${MATERIAL_MEMBERS.join(', ')})`);
  }
  const { name, member } = found;
  const raw: JsonValue = member.value;
  try {
    switch (name) {
      case 'publicKeyHex': {
        if (typeof raw !== 'string') fail(label, 'publicKeyHex must be a string');
        const read = readBifPublicKeyHex(raw.trim(), { label: 'publicKeyHex' });
        return keyFromBytes(read.publicKey, options, member.name, name, read.keyType, read.bifEncoded);
      }
      case 'publicKeyMultibase': {
        const key = decodeMultikey(typeof raw === 'string' ? raw.trim() : raw);
        return keyFromBytes(key.bytes, options, member.name, name, key.type);
      }
      case 'publicKeyBase58': {
        if (typeof raw !== 'string') fail(label, 'publicKeyBase58 must be a string');
        return keyFromBytes(base58Bitcoin.decode(raw.trim(), { label: 'publicKeyBase58' }), options, member.name, name, undefined);
      }
      case 'publicKeyJwk': {
        if (!isJsonObject(raw)) fail(label, 'publicKeyJwk must be a JSON object');
        if (raw.kty === 'RSA') {
          return { kind: 'rsa', jwk: rsaJwk(raw, label), member: member.name, canonicalMember: name, mismatch: declaredNonRsa(options.declaredType, options.method) };
        }
        const key = jwkToPublicKey(raw);
        return keyFromBytes(key.bytes, options, member.name, name, key.type);
      }
      case 'publicKeyPem': {
        if (typeof raw !== 'string') fail(label, 'publicKeyPem must be a string');
        return readPem(raw, options, member.name);
      }
    }
  } catch (err) {
    if (err instanceof DidBridgeError && err.message.startsWith(`${label}:`)) throw err;
    rethrowLabelled(label, err);
  }
}

/** Key material with its W3C form, as {@link readW3cKeyMaterial} returns it. */
export interface W3cKeyMaterial {
  material: KeyMaterial;
  w3c: W3cMaterial;
}

/**
 * Key material read from text (hex, Multikey, base58, PEM), with its W3C form, by member name, text, declared type
 * and method: everything the reading depends on (the label only shapes error messages, and errors are not stored).
 * See {@link KeyMemo}: decoding, type inference and Multikey encoding (or node:crypto's PEM parsing, 70% of a did:vaa
 * translation) are done once per key instead of on every translation of a document.
 */
const w3cMaterialMemo = new KeyMemo<W3cKeyMaterial>();

/**
 * {@link readKeyMaterial} and {@link w3cMaterial} in one, memoised by the key's text (see `w3cMaterialMemo`). The
 * result is the caller's to read, not to change; an RSA JWK (which goes into a document) is a fresh copy each time.
 */
export function readW3cKeyMaterial(entry: MemberIndex, options: ReadKeyMaterialOptions): W3cKeyMaterial {
  let found: { name: string; value: JsonValue } | undefined;
  for (const name of MATERIAL_MEMBERS) {
    found = entry.get(name);
    if (found !== undefined) break;
  }
  const text = found !== undefined && typeof found.value === 'string' ? found.value : undefined;
  // The memo context, compared part by part: the member read, the declared type (U+0001 when there is none, which no
  // declared type equals) and the method.
  const member = text === undefined ? '' : found!.name;
  const declaredType = options.declaredType ?? '\u0001';
  let read = text === undefined ? undefined : w3cMaterialMemo.get(text, member, declaredType, options.method);
  if (read === undefined) {
    const material = readKeyMaterial(entry, options);
    read = { material, w3c: w3cMaterial(material) };
    if (text !== undefined) w3cMaterialMemo.set(text, member, read, declaredType, options.method);
  }
  const { material, w3c } = read;
  if (material.kind !== 'rsa') return read;
  // Written out rather than spread (the stored values are frozen; literals are cheaper to build than spread copies).
  const jwk = { ...material.jwk };
  return {
    material: { kind: 'rsa', jwk, member: material.member, canonicalMember: material.canonicalMember, mismatch: material.mismatch },
    w3c: { type: w3c.type, property: w3c.property, value: jwk, context: w3c.context },
  };
}
