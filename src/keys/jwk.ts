/**
 * Public keys as JSON Web Keys (`publicKeyJwk`), to and from the shared {@link PublicKey} shape.
 *
 * - Ed25519 / X25519: `{ kty: 'OKP', crv, x }` (RFC 8037 §2);
 * - secp256k1 / P-256 / P-384: `{ kty: 'EC', crv, x, y }` (RFC 7518 §6.2.1; secp256k1 per RFC 8812 §3.1);
 * - SM2: `{ kty: 'EC', crv: 'SM2', x, y }` (no registered JOSE name exists; this is the name used by the domestic
 *   methods and by the project's alias table).
 *
 * Private members are refused outright: a JWK that carries one must never end up in a public document.
 *
 * @see https://www.w3.org/TR/did-core/#dfn-publickeyjwk
 * @see https://www.rfc-editor.org/rfc/rfc7517
 */
import { base64url } from 'multiformats/bases/base64';
import { DidBridgeError } from '../errors.js';
import type { ErrorName, JsonWebKey } from '../spec.js';
import { EC_FIELD_BYTES, compressPoint, isEcKeyType, type EcKeyType } from './curves.js';
import { ecCoordinates, type KeyType, type PublicKey } from './multikey.js';

/**
 * JWK members that hold private key material: `d` (EC and OKP private key, RFC 7518 §6.2.2.1 and RFC 8037 §2),
 * `p`, `q`, `dp`, `dq`, `qi`, `oth` (RSA, RFC 7518 §6.3.2) and `k` (symmetric key, RFC 7518 §6.4.1).
 */
export const PRIVATE_JWK_MEMBERS: readonly string[] = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

const OKP_CURVES = new Set<string>(['Ed25519', 'X25519']);
const UNSUPPORTED_CURVES = new Set<string>(['Ed448', 'X448', 'P-521']);

function encode(bytes: Uint8Array): string {
  return base64url.baseEncode(bytes);
}

/** Decodes a base64url JWK member strictly: no padding, no stray bits, exactly `length` bytes. */
function decodeMember(jwk: Record<string, unknown>, name: string, length: number, code: ErrorName, crv: string) {
  const value = jwk[name];
  if (typeof value !== 'string') {
    throw new DidBridgeError(code, `a ${crv} JWK needs "${name}" as a base64url string`);
  }
  let bytes: Uint8Array;
  try {
    bytes = base64url.baseDecode(value);
  } catch (cause) {
    throw new DidBridgeError(code, `JWK member "${name}" is not base64url (RFC 7515 §2, no padding)`, { cause });
  }
  // Re-encoding catches padding and non-zero trailing bits, which the decoder tolerates.
  if (encode(bytes) !== value) {
    throw new DidBridgeError(code, `JWK member "${name}" is not canonical base64url (RFC 7515 §2, no padding)`);
  }
  if (bytes.length !== length) {
    throw new DidBridgeError(code, `JWK member "${name}" of a ${crv} key must be ${length} bytes, got ${bytes.length}`);
  }
  return bytes;
}

/**
 * Expresses a public key as a JWK. EC keys are decompressed to get `y` (a modular square root).
 *
 * @throws TypeError when `key` is not a PublicKey
 * @example publicKeyToJwk({ type: 'Ed25519', bytes }) // → { kty: 'OKP', crv: 'Ed25519', x: '…' }
 * @see https://www.rfc-editor.org/rfc/rfc8037#section-2
 * @see https://www.rfc-editor.org/rfc/rfc7518#section-6.2.1
 */
export function publicKeyToJwk(key: PublicKey): JsonWebKey {
  if (!key || typeof key !== 'object' || !(key.bytes instanceof Uint8Array)) {
    throw new TypeError('"key" must be a PublicKey { type, bytes: Uint8Array }');
  }
  if (key.type === 'Ed25519' || key.type === 'X25519') {
    if (key.bytes.length !== 32) throw new TypeError(`"key.bytes" of an ${key.type} key must be 32 bytes long`);
    return { kty: 'OKP', crv: key.type, x: encode(key.bytes) };
  }
  if (!isEcKeyType(key.type)) throw new TypeError(`"key.type" must be a KeyType, got ${JSON.stringify(key.type)}`);
  const { x, y } = ecCoordinates(key as PublicKey & { type: EcKeyType });
  return { kty: 'EC', crv: key.type, x: encode(x), y: encode(y) };
}

/**
 * Reads a public JWK into a {@link PublicKey}, validating it: private members are refused, `x` (and `y` for EC) must
 * be canonical base64url of the right length, and EC points must lie on the curve. The result is compressed.
 *
 * Throws DidBridgeError with `code` (INVALID_DID_DOCUMENT by default) for an invalid JWK, and FEATURE_NOT_SUPPORTED
 * for a valid one of a type didbridge does not handle (RSA, Ed448, X448, P-521).
 *
 * @param jwk the `publicKeyJwk` value, as parsed from JSON
 * @param code the DidBridgeError code for invalid JWKs
 * @example jwkToPublicKey({ kty: 'EC', crv: 'P-256', x, y }).bytes.length // → 33
 */
export function jwkToPublicKey(jwk: unknown, code: ErrorName = 'INVALID_DID_DOCUMENT'): PublicKey {
  if (jwk === null || typeof jwk !== 'object' || Array.isArray(jwk)) {
    throw new DidBridgeError(code, 'a JWK must be a JSON object');
  }
  const members = jwk as Record<string, unknown>;
  const leaked = PRIVATE_JWK_MEMBERS.filter((m) => Object.prototype.hasOwnProperty.call(members, m));
  if (leaked.length > 0) {
    throw new DidBridgeError(
      code,
      `the JWK carries private key material (${leaked.map((m) => `"${m}"`).join(', ')}); ` +
        'a public key in a DID document must never include it',
    );
  }
  const { kty, crv } = members;
  if (typeof kty !== 'string') throw new DidBridgeError(code, 'a JWK needs "kty" as a string (RFC 7517 §4.1)');
  if (kty === 'RSA') throw new DidBridgeError('FEATURE_NOT_SUPPORTED', 'RSA JWKs are not supported');
  if (kty !== 'OKP' && kty !== 'EC') throw new DidBridgeError(code, `unknown JWK "kty" ${JSON.stringify(kty)}`);
  if (typeof crv !== 'string') throw new DidBridgeError(code, `a ${kty} JWK needs "crv" as a string`);
  if (UNSUPPORTED_CURVES.has(crv)) throw new DidBridgeError('FEATURE_NOT_SUPPORTED', `${crv} keys are not supported`);
  if (kty === 'OKP') {
    if (!OKP_CURVES.has(crv)) throw new DidBridgeError(code, `"crv" ${JSON.stringify(crv)} is not an OKP curve`);
    if (members.y !== undefined) throw new DidBridgeError(code, `an ${crv} JWK has no "y" member (RFC 8037 §2)`);
    return { type: crv as KeyType, bytes: decodeMember(members, 'x', 32, code, crv) };
  }
  if (!isEcKeyType(crv)) throw new DidBridgeError(code, `"crv" ${JSON.stringify(crv)} is not a supported EC curve`);
  const size = EC_FIELD_BYTES[crv];
  const point = new Uint8Array(1 + 2 * size);
  point[0] = 0x04;
  point.set(decodeMember(members, 'x', size, code, crv), 1);
  point.set(decodeMember(members, 'y', size, code, crv), 1 + size);
  return { type: crv, bytes: compressPoint(crv, point, code) };
}
