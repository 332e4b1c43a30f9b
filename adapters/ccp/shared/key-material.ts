/**
 * Verification material of pre-DID-Core documents: reading it in whatever encoding the native document uses and
 * deciding the key type from the key bytes (never from the declared `type` alone, which is unregistered in did:ccp
 * and did:ctid documents: `Secp256k1`, `sm2p256v1`; domestic-methods.md §10), and writing it back for reverse
 * translation.
 *
 * | native member | read as | W3C output |
 * |---|---|---|
 * | `publicKeyHex` (raw SEC1 point or 32-byte key; BIF-prefixed `b06566…`/`b07a66…` tolerated) | key bytes | `Multikey` + `publicKeyMultibase` |
 * | `publicKeyBase58` | key bytes | `Multikey` + `publicKeyMultibase` |
 * | `publicKeyPem` (SPKI) | EC/OKP key, or RSA | `Multikey`, or `JsonWebKey` + RSA `publicKeyJwk` |
 * | `publicKeyMultibase`, `publicKeyJwk`, `blockchainAccountId` | already W3C material | kept as they are |
 *
 * `Multikey` covers Ed25519, X25519, secp256k1, P-256, P-384 and SM2 (`sm2-pub` 0x1206, compressed point); RSA has
 * no Multikey codec didbridge handles, so it becomes a `JsonWebKey`.
 *
 * @see https://www.w3.org/TR/did-core/#verification-material
 * @see https://www.w3.org/TR/cid-1.0/#Multikey
 * @see https://www.w3.org/TR/cid-1.0/#JsonWebKey
 */
import { createPublicKey } from 'node:crypto';
import { DidBridgeError } from '../../../src/errors.js';
import { base58Bitcoin, encodeHex, readBifPublicKeyHex } from '../../../src/keys/codecs.js';
import { decompressPoint, isEcKeyType } from '../../../src/keys/curves.js';
import { KeyMemo, tryInferKeyType, type KeyTypeInference, type KeyTypeProblem } from '../../../src/keys/detect.js';
import { PRIVATE_JWK_MEMBERS, jwkToPublicKey } from '../../../src/keys/jwk.js';
import { decodeMultikey, encodeMultikey, type KeyType, type PublicKey } from '../../../src/keys/multikey.js';
import { JWK_CONTEXT_V1, MULTIKEY_CONTEXT_V1, type JsonObject, type JsonWebKey, type VerificationMethod } from '../../../src/spec.js';
import { isJsonObject } from './json.js';

/** Native material members converted to W3C material, in the order they are looked for. */
export const NATIVE_MATERIAL_MEMBERS = ['publicKeyHex', 'publicKeyBase58', 'publicKeyPem'] as const;

/** W3C material members kept as they are. */
export const W3C_MATERIAL_MEMBERS = ['publicKeyMultibase', 'publicKeyJwk', 'blockchainAccountId'] as const;

/** Longest PEM text parsed (a 16384-bit RSA SPKI is about 2.9 KB); longer values are refused before parsing. */
export const MAX_PEM_LENGTH = 16 * 1024;

/** Longest `publicKeyBase58` decoded (base58 decoding is quadratic). */
export const MAX_BASE58_KEY_LENGTH = 256;

/** The verification material of one native entry, decided. */
export type Material =
  | {
      kind: 'key';
      /** The key, EC points compressed. */
      key: PublicKey;
      /** How the key type was decided (absent for PEM, whose SPKI names the algorithm). */
      inference: KeyTypeInference | undefined;
      /** The native member it was read from. */
      member: (typeof NATIVE_MATERIAL_MEMBERS)[number];
      /** `publicKeyHex` only: whether it carried the BIF `B0` header. */
      bifEncoded: boolean;
    }
  | { kind: 'rsa'; jwk: JsonWebKey; member: 'publicKeyPem' }
  | { kind: 'w3c'; member: (typeof W3C_MATERIAL_MEMBERS)[number] };

/** The W3C form of decided material: the verification-method type, its material member and value, its context. */
export interface W3cMaterial {
  type: 'Multikey' | 'JsonWebKey';
  property: 'publicKeyMultibase' | 'publicKeyJwk';
  value: string | JsonWebKey;
  context: string;
}

/** The canonical W3C form of converted material. */
export function w3cMaterial(material: Extract<Material, { kind: 'key' | 'rsa' }>): W3cMaterial {
  if (material.kind === 'rsa') {
    return { type: 'JsonWebKey', property: 'publicKeyJwk', value: material.jwk, context: JWK_CONTEXT_V1 };
  }
  return { type: 'Multikey', property: 'publicKeyMultibase', value: encodeMultikey(material.key), context: MULTIKEY_CONTEXT_V1 };
}

function fail(message: string): never {
  throw new DidBridgeError('INVALID_DID_DOCUMENT', message);
}

function readPem(text: string, label: string): Extract<Material, { kind: 'key' | 'rsa' }> {
  if (text.length > MAX_PEM_LENGTH) fail(`${label}: publicKeyPem is ${text.length} characters; at most ${MAX_PEM_LENGTH} are read`);
  let jwk: Record<string, unknown>;
  try {
    jwk = createPublicKey({ key: text, format: 'pem' }).export({ format: 'jwk' }) as Record<string, unknown>;
  } catch (cause) {
    throw new DidBridgeError('INVALID_DID_DOCUMENT', `${label}: publicKeyPem is not a PEM public key (SPKI)`, { cause });
  }
  if (jwk.kty === 'RSA' && typeof jwk.n === 'string' && typeof jwk.e === 'string') {
    return { kind: 'rsa', jwk: { kty: 'RSA', n: jwk.n, e: jwk.e }, member: 'publicKeyPem' };
  }
  return { kind: 'key', key: jwkToPublicKey(jwk), inference: undefined, member: 'publicKeyPem', bifEncoded: false };
}

/**
 * Reads the verification material of a native entry (a `publicKey[]` item or a key embedded in a relationship).
 *
 * @param entry the native entry
 * @param method the DID method (selects method-scoped entries of the declared-type alias table)
 * @param label names the entry in error details, e.g. `publicKey[1] (#keys-2)`
 * @throws DidBridgeError INVALID_DID_DOCUMENT when there is no material or it is no valid key (the caller decides
 *   whether that drops the entry or fails the document); FEATURE_NOT_SUPPORTED for key types didbridge lacks
 */
export function readMaterial(entry: JsonObject, method: string, label: string): Material {
  const read = readMaterialOrProblem(entry, method, label);
  if ('problem' in read) throw new DidBridgeError(read.code, read.problem);
  return read;
}

/**
 * {@link readMaterial} with key bytes that are no valid key reported as data (`{ code, problem }`, the labelled message
 * readMaterial throws) instead of thrown: translations expect such keys (they leave them out and say why), and an
 * error built and caught on every translation costs more than reading the key. Malformed encodings still throw.
 */
function readMaterialOrProblem(entry: JsonObject, method: string, label: string): Material | { code: DidBridgeError['code']; problem: string } {
  const declaredType = typeof entry.type === 'string' ? entry.type : undefined;
  for (const member of NATIVE_MATERIAL_MEMBERS) {
    const value = entry[member];
    if (value === undefined) continue;
    if (typeof value !== 'string') fail(`${label}: ${member} must be a string`);
    if (member === 'publicKeyPem') return readPem(value, label);
    let bytes: Uint8Array;
    let bifEncoded = false;
    let bifKeyType: KeyType | undefined;
    if (member === 'publicKeyHex') {
      const read = readBifPublicKeyHex(value.trim(), { label: `${label}: publicKeyHex` });
      bytes = read.publicKey;
      bifEncoded = read.bifEncoded;
      bifKeyType = read.keyType;
    } else {
      bytes = base58Bitcoin.decode(value.trim(), { label: `${label}: publicKeyBase58`, maxLength: MAX_BASE58_KEY_LENGTH });
    }
    let inference: KeyTypeInference | KeyTypeProblem;
    try {
      inference = tryInferKeyType({
        publicKey: bytes,
        ...(declaredType === undefined ? {} : { declaredType }),
        method,
        ...(bifKeyType === undefined ? {} : { contextKeyType: bifKeyType }),
      });
    } catch (err) {
      if (err instanceof DidBridgeError) throw new DidBridgeError(err.code, `${label}: ${err.message}`, { cause: err });
      throw err;
    }
    if ('problem' in inference) return { code: inference.code, problem: `${label}: ${inference.problem}` };
    return { kind: 'key', key: inference.publicKey, inference, member, bifEncoded };
  }
  for (const member of W3C_MATERIAL_MEMBERS) {
    const value = entry[member];
    if (value === undefined) continue;
    // W3C material is kept as it is (DID Core's own checks judge it); only its JSON shape is checked here.
    if (member === 'publicKeyMultibase' && typeof value !== 'string') fail(`${label}: publicKeyMultibase must be a string`);
    if (member === 'publicKeyJwk') {
      if (!isJsonObject(value)) fail(`${label}: publicKeyJwk must be a JSON object`);
      const leaked = PRIVATE_JWK_MEMBERS.filter((m) => m in value);
      if (leaked.length > 0) fail(`${label}: publicKeyJwk carries private key members (${leaked.join(', ')})`);
      if (typeof value.kty !== 'string') fail(`${label}: publicKeyJwk needs "kty" (RFC 7517 §4.1)`);
    }
    if (member === 'blockchainAccountId' && typeof value !== 'string') fail(`${label}: blockchainAccountId must be a string`);
    return { kind: 'w3c', member };
  }
  fail(`${label} has no verification material (${[...NATIVE_MATERIAL_MEMBERS, ...W3C_MATERIAL_MEMBERS].join(', ')})`);
}

/** What {@link readConvertedMaterial} found: the material and, for converted material, its W3C form; or why not. */
export type MaterialReading =
  | { material: Material; w3c: W3cMaterial | undefined; unusable?: undefined }
  | { unusable: { code: DidBridgeError['code']; message: string } };

/**
 * Readings of native material by member, text, declared type and method (see {@link KeyMemo}). A key that is no valid
 * key is remembered too, as its error message without the entry's label, so that a document with a broken key (the
 * did:ccp specification's own example has one) does not throw and catch two errors on every translation. A message
 * that does not start with the label, or repeats it, is not stored.
 */
const readingMemo = new KeyMemo<{ material: Material; w3c: W3cMaterial | undefined } | { code: DidBridgeError['code']; messageAfterLabel: string }>();

/**
 * {@link readMaterial} and {@link w3cMaterial} in one, with a key that is no valid key reported as data (`unusable`:
 * the DidBridgeError's code and message) rather than thrown. Memoised by the key's text (`readingMemo`); the result is
 * the caller's to read, not to change (an RSA JWK, which goes into a document, is a fresh copy each time).
 *
 * The entry's label in messages is `<list>[<index>] (<id>)`, e.g. `publicKey[1] (did:ccp:…#keys-2)`; it is given in
 * parts and written only when a message needs it (a usable key, the common case, needs none).
 * @throws whatever {@link readMaterial} throws that is not a DidBridgeError
 */
export function readConvertedMaterial(entry: JsonObject, method: string, list: string, index: number, id: string): MaterialReading {
  let text: string | undefined;
  // The memo context: the member the key was read from, the declared type (U+0001 when there is none, which no
  // declared type equals) and the method, compared part by part (no lookup text is built per call).
  let member = '';
  let declaredType = '';
  for (const name of NATIVE_MATERIAL_MEMBERS) {
    const value = entry[name];
    if (value === undefined) continue;
    if (typeof value === 'string') {
      text = value;
      member = name;
      declaredType = typeof entry.type === 'string' ? entry.type : '\u0001';
    }
    break;
  }
  const known = text === undefined ? undefined : readingMemo.get(text, member, declaredType, method);
  if (known !== undefined) {
    if ('messageAfterLabel' in known) return { unusable: { code: known.code, message: entryLabel(list, index, id) + known.messageAfterLabel } };
    return fresh(known);
  }
  const label = entryLabel(list, index, id);
  let unusable: { code: DidBridgeError['code']; message: string };
  try {
    const material = readMaterialOrProblem(entry, method, label);
    if ('problem' in material) unusable = { code: material.code, message: material.problem };
    else {
      const reading = { material, w3c: material.kind === 'w3c' ? undefined : w3cMaterial(material) };
      if (text !== undefined) readingMemo.set(text, member, reading, declaredType, method);
      return fresh(reading);
    }
  } catch (err) {
    if (!(err instanceof DidBridgeError)) throw err;
    unusable = { code: err.code, message: err.message };
  }
  const after = unusable.message.slice(label.length);
  if (text !== undefined && unusable.message.startsWith(label) && !after.includes(label)) {
    readingMemo.set(text, member, { code: unusable.code, messageAfterLabel: after }, declaredType, method);
  }
  return { unusable };
}

function entryLabel(list: string, index: number, id: string): string {
  return `${list}[${index}] (${id})`;
}

function fresh(reading: { material: Material; w3c: W3cMaterial | undefined }): MaterialReading {
  if (reading.material.kind !== 'rsa') return reading;
  const jwk = { ...reading.material.jwk };
  return { material: { ...reading.material, jwk }, w3c: { ...reading.w3c!, value: jwk } };
}

/**
 * The public key a W3C verification method carries, when it carries one didbridge can express as bytes
 * (`publicKeyMultibase`, an EC/OKP `publicKeyJwk`, or a legacy `publicKeyHex`); undefined otherwise (RSA JWKs,
 * `blockchainAccountId`, malformed material).
 */
export function publicKeyOf(vm: VerificationMethod): PublicKey | undefined {
  try {
    if (typeof vm.publicKeyMultibase === 'string') return decodeMultikey(vm.publicKeyMultibase);
    if (isJsonObject(vm.publicKeyJwk) && vm.publicKeyJwk.kty !== 'RSA') return jwkToPublicKey(vm.publicKeyJwk);
    if (typeof vm.publicKeyHex === 'string') {
      const material = readMaterial(vm as unknown as JsonObject, '', 'verificationMethod');
      return material.kind === 'key' ? material.key : undefined;
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/**
 * A key as domestic documents write `publicKeyHex`: EC points uncompressed (`04‖X‖Y`, as did:ccp resolve answers and
 * did:ctid documents show them), 32-byte keys raw. Lower-case hex.
 */
export function nativeKeyHex(key: PublicKey): string {
  return encodeHex(isEcKeyType(key.type) ? decompressPoint(key.type, key.bytes) : key.bytes);
}
