/**
 * Issuing WeIdentity `CredentialPojo`s (for `didbridge issue` and tests): salts every claim leaf, builds the thumbprint
 * of domestic-methods.md §3.7, signs its digest (secp256k1 with @noble/curves, or SM2 with sm-crypto-v2) and writes
 * the proof as the SDK does (`{created, creator, salt, signatureValue, type}`; lite1: `{signatureValue, type}`).
 * Also selective disclosure: hiding claim fields of an issued credential without breaking its signature.
 *
 * @see /work/shared/docs/domestic-methods.md §3.7
 */
import { randomInt, randomUUID } from 'node:crypto';
import { credentialThumbprint, isSaltedHash, saltedLeafHash, thumbprintDigest, UNDISCLOSED_SALT, WEID_CREDENTIAL_CONTEXT, type WeidProofType } from './pojo.js';
import { signWeidDigest, type SignatureLayout } from './signature.js';

const SALT_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A random 5-character salt, as the SDK makes (`DataToolUtils.getRandomSalt`). */
export function randomSalt(): string {
  let out = '';
  for (let i = 0; i < 5; i++) out += SALT_ALPHABET[randomInt(SALT_ALPHABET.length)];
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A salt for every leaf of a claim, mirroring its structure. */
export function saltsFor(claim: Record<string, unknown>, makeSalt: () => string = randomSalt): Record<string, unknown> {
  const walk = (value: unknown): unknown => {
    if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    if (Array.isArray(value)) return value.map(walk);
    return makeSalt();
  };
  return walk(claim) as Record<string, unknown>;
}

/** Options of {@link signCredentialPojo}. */
export interface SignCredentialPojoOptions {
  /** The issuer's WeID. */
  issuer: string;
  /** The verification method named in `proof.creator` (default `<issuer>#keys-0`). */
  creator?: string;
  cptId: number;
  claim: Record<string, unknown>;
  /** `original` (default, salted) or `lite1`. */
  type?: 'original' | 'lite1';
  /** The 32-byte private key. */
  privateKey: Uint8Array;
  /** `Secp256k1` (ECDSA deployments, default) or `SM2` (GM deployments). */
  proofType?: WeidProofType;
  /** Default: `rsv` (v3 SDK); `vrs` writes the v1-era layout (secp256k1 only). */
  layout?: SignatureLayout;
  /** Epoch seconds. Default: now, and expiration one year later. */
  issuanceDate?: number;
  expirationDate?: number;
  /** Default: a random UUID. */
  id?: string;
  /** Default: the SDK's default context. */
  context?: string;
  /** Salts by claim field (default: random 5-character salts). */
  salt?: Record<string, unknown>;
  /** SM2 user id (default GM/T 0009 `1234567812345678`). */
  sm2UserId?: string;
}

/**
 * Issues a CredentialPojo.
 *
 * @throws TypeError for misuse (bad key, cptId, dates)
 * @example signCredentialPojo({ issuer, cptId: 2000082, claim: { name: 'zhangsan', age: 18 }, privateKey })
 */
export function signCredentialPojo(options: SignCredentialPojoOptions): Record<string, unknown> {
  if (options === null || typeof options !== 'object') throw new TypeError('"options" must be an object');
  const { issuer, claim, privateKey } = options;
  const type = options.type ?? 'original';
  const proofType = options.proofType ?? 'Secp256k1';
  const layout = options.layout ?? 'rsv';
  if (typeof issuer !== 'string' || !issuer.startsWith('did:weid:')) throw new TypeError('"options.issuer" must be a did:weid DID');
  if (!Number.isSafeInteger(options.cptId) || options.cptId < 0) throw new TypeError('"options.cptId" must be a non-negative integer');
  if (!isObject(claim)) throw new TypeError('"options.claim" must be an object');
  if (type !== 'original' && type !== 'lite1') throw new TypeError('"options.type" must be "original" or "lite1"');
  const now = Math.floor(Date.now() / 1000);
  const issuanceDate = options.issuanceDate ?? now;
  const expirationDate = options.expirationDate ?? issuanceDate + 365 * 86_400;
  for (const [name, v] of [['issuanceDate', issuanceDate], ['expirationDate', expirationDate]] as const) {
    if (!Number.isSafeInteger(v) || v < 0) throw new TypeError(`"options.${name}" must be epoch seconds`);
  }
  const salt = type === 'original' ? (options.salt ?? saltsFor(claim)) : undefined;
  const credential: Record<string, unknown> = {
    claim: structuredClone(claim),
    context: options.context ?? WEID_CREDENTIAL_CONTEXT,
    cptId: options.cptId,
    expirationDate,
    id: options.id ?? randomUUID(),
    issuanceDate,
    issuer,
    type: ['VerifiableCredential', type],
  };
  const proof: Record<string, unknown> =
    type === 'original'
      ? { created: issuanceDate, creator: options.creator ?? `${issuer}#keys-0`, salt, type: proofType }
      : { type: proofType };
  const { text } = credentialThumbprint({ credential: { ...credential, proof }, proofType });
  const signature = signWeidDigest({
    digest: thumbprintDigest(proofType, text),
    privateKey,
    proofType,
    layout,
    ...(options.sm2UserId !== undefined ? { sm2UserId: options.sm2UserId } : {}),
  });
  proof.signatureValue = Buffer.from(signature).toString('base64');
  return { ...credential, proof };
}

/**
 * Selective disclosure: replaces the named claim fields (dotted paths, e.g. `degree.name`) with their salted hashes
 * and sets their salts to `"0"`, as a WeIdentity holder does. The signature still verifies, because the thumbprint
 * hashes every leaf anyway.
 *
 * @throws TypeError when a path names no salted leaf
 */
export function hideClaimFields(credential: Record<string, unknown>, paths: readonly string[]): Record<string, unknown> {
  const out = structuredClone(credential) as Record<string, any>;
  const proofType: WeidProofType = out.proof?.type === 'SM2' ? 'SM2' : 'Secp256k1';
  for (const path of paths) {
    const parts = path.split('.');
    let claim = out.claim;
    let salt = out.proof?.salt;
    for (const part of parts.slice(0, -1)) {
      claim = claim?.[part];
      salt = salt?.[part];
    }
    const last = parts[parts.length - 1]!;
    if (!isObject(claim) || !isObject(salt) || typeof salt[last] !== 'string' || !(last in claim)) {
      throw new TypeError(`"${path}" is not a salted claim field`);
    }
    if (salt[last] === UNDISCLOSED_SALT && isSaltedHash(claim[last])) continue;
    claim[last] = saltedLeafHash(proofType, claim[last], salt[last] as string);
    salt[last] = UNDISCLOSED_SALT;
  }
  return out;
}
