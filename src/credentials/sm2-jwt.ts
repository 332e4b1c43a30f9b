/**
 * JWTs signed with SM2 (GB/T 32918.2-2016) and SM3: `alg: "SM2"`.
 *
 * **The algorithm name.** JOSE has no registered SM2 algorithm: neither RFC 7518 nor the IANA "JSON Web Signature and
 * Encryption Algorithms" registry lists one, and no draft is in progress. ONT ID 2.0 signs with an ad-hoc `"SM"`. We
 * write and accept `"SM2"` only:
 * - `SM` names a family, not an algorithm (SM2 signatures, SM3 hashing and SM4 encryption are all "SM"); a
 *   verifier that guesses the scheme from a vague name is how algorithm confusion starts;
 * - `SM2` names the signature scheme the way `EdDSA` and `ES256` do, and matches the JWK curve name `crv: "SM2"`
 *   the project (and the domestic methods) use for SM2 keys;
 * - the hash is not a parameter: SM2 signatures are defined with SM3.
 *
 * **What is signed.** The JWS signing input `BASE64URL(header) '.' BASE64URL(payload)` as ASCII (RFC 7515 §5.1),
 * hashed the SM2 way: `e = SM3(Z_A ‖ M)` with `Z_A` over the default user id of GM/T 0009-2012 §10,
 * `"1234567812345678"`, unless both sides agree on another (`userId`). The signature is raw `r ‖ s`, 32 bytes each,
 * base64url without padding, as JWS writes ECDSA signatures (RFC 7518 §3.4); DER is refused.
 *
 * did-jwt's algorithm set is closed (no plug-in), so SM2 JWTs are created and verified here with `src/keys/sm2.ts`
 * (sm-crypto-v2 arithmetic); tests cross-check against sm-crypto.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7515#section-5.1
 * @see https://www.iana.org/assignments/jose/jose.xhtml#web-signature-encryption-algorithms
 * @see ../../docs/sm2.md
 */
import { encodeBase64Url } from '../keys/codecs.js';
import { SM2_DEFAULT_USER_ID, sm2Sign, sm2Verify } from '../keys/sm2.js';

/** The `alg` value of SM2 JWTs. */
export const SM2_JWS_ALGORITHM = 'SM2';

/** Algorithm names seen for SM2 elsewhere that we refuse on purpose (see the module comment). */
export const REFUSED_SM2_ALGORITHM_NAMES: readonly string[] = ['SM', 'SM2withSM3', 'SM3withSM2', 'SM2-SM3', 'SM3'];

const encoder = new TextEncoder();

function b64url(bytes: Uint8Array): string {
  return encodeBase64Url(bytes);
}

function jsonSegment(value: unknown): string {
  return b64url(encoder.encode(JSON.stringify(value)));
}

/**
 * A did-jwt style signer (`(data) => Promise<base64url signature>`) that signs with SM2 and SM3, for callers that
 * assemble JWS themselves (part B's `didbridge issue`). did-jwt's own `createJWT` cannot use it: it refuses the alg.
 *
 * @param privateKey the 32-byte SM2 private key d ∈ [1, n−2]
 * @example const sign = sm2JwsSigner(privateKey); const sig = await sign('eyJ….eyJ…')
 */
export function sm2JwsSigner(
  privateKey: Uint8Array,
  options: { userId?: string | Uint8Array } = {},
): (data: string | Uint8Array) => Promise<string> {
  if (!(privateKey instanceof Uint8Array) || privateKey.length !== 32) throw new TypeError('"privateKey" must be a 32-byte Uint8Array');
  return async (data) => b64url(sm2Sign(typeof data === 'string' ? encoder.encode(data) : data, privateKey, { userId: options.userId }));
}

/** Options of {@link createSm2Jwt}. */
export interface CreateSm2JwtOptions {
  /** The claims. Must be a JSON object. */
  payload: Record<string, unknown>;
  /** The 32-byte SM2 private key. Never logged or stored. */
  privateKey: Uint8Array;
  /** Extra protected header members (`kid`, `typ`); `alg` is always `SM2`. */
  header?: Record<string, unknown>;
  /** The SM2 user id; default GM/T 0009 `1234567812345678`. Record it with the token: verifiers need the same. */
  userId?: string | Uint8Array;
}

/**
 * Creates a compact JWS with `alg: "SM2"`.
 *
 * @throws TypeError for misuse (non-object payload, bad private key)
 * @example createSm2Jwt({ payload: { iss: did, vc }, privateKey, header: { kid: `${did}#key-1`, typ: 'JWT' } })
 */
export function createSm2Jwt(options: CreateSm2JwtOptions): string {
  if (!options || typeof options !== 'object') throw new TypeError('"options" must be an object');
  const { payload, privateKey, header = {}, userId } = options;
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) throw new TypeError('"payload" must be a JSON object');
  if (header === null || typeof header !== 'object' || Array.isArray(header)) throw new TypeError('"header" must be an object');
  if (!(privateKey instanceof Uint8Array) || privateKey.length !== 32) throw new TypeError('"privateKey" must be a 32-byte Uint8Array');
  const signingInput = `${jsonSegment({ ...header, alg: SM2_JWS_ALGORITHM })}.${jsonSegment(payload)}`;
  const signature = sm2Sign(encoder.encode(signingInput), privateKey, { userId, encoding: 'raw' });
  return `${signingInput}.${b64url(signature)}`;
}

/**
 * Verifies the signature of an `alg: "SM2"` JWS: 64 raw bytes `r ‖ s` over the signing input.
 * Returns false for a signature of another length (DER is not JWS's encoding) or one that does not verify.
 *
 * @throws DidBridgeError when `publicKey` is not an SM2 point (a document problem, not a bad signature)
 */
export function verifySm2JwsSignature(options: {
  signingInput: string | Uint8Array;
  signature: Uint8Array;
  publicKey: Uint8Array;
  userId?: string | Uint8Array;
}): boolean {
  if (!options || typeof options !== 'object') throw new TypeError('"options" must be an object');
  const { signingInput, signature, publicKey, userId } = options;
  if (!(signature instanceof Uint8Array)) throw new TypeError('"signature" must be a Uint8Array');
  if (signature.length !== 64) return false;
  const message = typeof signingInput === 'string' ? encoder.encode(signingInput) : signingInput;
  return sm2Verify(message, signature, publicKey, { userId: userId ?? SM2_DEFAULT_USER_ID, encoding: 'raw' });
}
