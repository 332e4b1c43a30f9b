/**
 * WeIdentity `CredentialPojo`: reading the JSON the SDK and REST service produce, and the signing input (the salted
 * "thumbprint") of domestic-methods.md §3.7 (`CredentialPojoUtils.getCredentialThumbprintWithoutSig`):
 *
 * 1. the credential as a map, without `proof`;
 * 2. type `original`: every claim leaf replaced, recursively, by `"0x" + hex(H(String(value) + salt))` with the salt of
 *    that field from `proof.salt`; a salt of `"0"` marks an undisclosed field, whose value is already that hash;
 *    type `lite1`: no `context`, `type` becomes the string `"lite1"`, the claim stays raw, there is no salt;
 * 3. compact JSON with object keys sorted (Jackson `SORT_PROPERTIES_ALPHABETICALLY` + `ORDER_MAP_ENTRIES_BY_KEYS`).
 *
 * H is the deployment's hash: Keccak-256 in ECDSA (secp256k1) deployments, SM3 in GM (SM2) deployments. The
 * documentation describes only Keccak-256; SM3 for GM mode is **inferred** (FISCO BCOS GM mode replaces every hash
 * with SM3, addresses included, §3.3) and unconfirmed by a run of the SDK.
 *
 * Normalisations before hashing (what a `toJson()` rendering adds back to the Pojo): `"$from": "toJson"` is dropped and
 * ISO-8601 `issuanceDate` / `expirationDate` / `proof.created` become epoch seconds.
 *
 * Unconfirmed (no SDK run available here, fixtures/credentials/weid/KNOWN-GAP.md): the published samples do not
 * verify under this reconstruction; `String(value)` of non-integer numbers follows JavaScript, which differs from
 * Java's `Double.toString` for large and small magnitudes; claim arrays are hashed element by element when the salt is
 * an array of the same length, and as one leaf (their JSON text) otherwise.
 *
 * @see /work/shared/docs/domestic-methods.md §3.7
 */
import { keccak256, sm3 } from '../../keys/hash.js';
import { encodeHex } from '../../keys/codecs.js';

/** The proof types WeIdentity writes: one per deployment crypto mode. */
export type WeidProofType = 'Secp256k1' | 'SM2';

/** The credential types this verifier handles (`zkp` and `hashTree` are recognised and reported unsupported). */
export type WeidCredentialType = 'original' | 'lite1';

/** The salt WeIdentity writes for a field that is not disclosed. */
export const UNDISCLOSED_SALT = '0';

/** The default `context` of CredentialPojo (`CredentialConstant.DEFAULT_CREDENTIAL_CONTEXT`). */
export const WEID_CREDENTIAL_CONTEXT = 'https://github.com/WeBankBlockchain/WeIdentity/blob/master/context/v1';

/** Top-level members a CredentialPojo carries besides `proof` (the shape table of §3.7). */
export const POJO_MEMBERS = ['context', 'id', 'cptId', 'issuer', 'issuanceDate', 'expirationDate', 'claim', 'type'] as const;

export type JsonLike = null | boolean | number | string | JsonLike[] | { [key: string]: JsonLike };

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The hash of a crypto mode: Keccak-256 (ECDSA) or SM3 (GM). */
export function weidHash(proofType: WeidProofType, data: string | Uint8Array): Uint8Array {
  return proofType === 'SM2' ? sm3(data) : keccak256(data);
}

/**
 * Compact JSON with every object's keys sorted by UTF-16 code units (Java `String.compareTo`, which Jackson's sorted
 * maps use). Arrays keep their order. `undefined` members are dropped, as Jackson's `NON_NULL` inclusion does not
 * apply to them (they do not exist in Java).
 */
export function sortedCompactJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('non-finite numbers have no JSON form');
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) return `[${value.map((v) => sortedCompactJson(v)).join(',')}]`;
  const keys = Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${sortedCompactJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

/** `String.valueOf(value)` as WeIdentity applies it to a claim leaf before salting. */
function leafText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null) return 'null';
  return sortedCompactJson(value);
}

/** The salted hash of one claim leaf: `"0x" + hex(H(String(value) + salt))`. */
export function saltedLeafHash(proofType: WeidProofType, value: unknown, salt: string): string {
  return `0x${encodeHex(weidHash(proofType, leafText(value) + salt))}`;
}

/** Whether a value has the shape of a salted hash (`0x` + 64 hex digits). */
export function isSaltedHash(value: unknown): value is string {
  return typeof value === 'string' && /^0x[0-9a-f]{64}$/i.test(value);
}

/** One claim field and whether it is disclosed, by JSON path (`degree.name`). */
export interface DisclosureEntry {
  path: string;
  disclosed: boolean;
}

/**
 * Replaces claim leaves by their salted hashes (step 2 of the thumbprint), following the salt structure. Returns the
 * hashed claim and which fields were disclosed. WeIdentity salts every leaf it issues, so a leaf without a salt is
 * left as it is and listed in `missing`, which the caller reports.
 */
export function hashClaim(
  claim: Record<string, unknown>,
  salt: unknown,
  proofType: WeidProofType,
): { hashed: Record<string, unknown>; disclosure: DisclosureEntry[]; missing: string[] } {
  const disclosure: DisclosureEntry[] = [];
  const missing: string[] = [];
  const walk = (value: unknown, saltValue: unknown, path: string): unknown => {
    if (isObject(value)) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        out[k] = walk(v, isObject(saltValue) ? saltValue[k] : undefined, path === '' ? k : `${path}.${k}`);
      }
      return out;
    }
    if (Array.isArray(value) && Array.isArray(saltValue) && saltValue.length === value.length) {
      return value.map((v, i) => walk(v, saltValue[i], `${path}[${i}]`));
    }
    if (typeof saltValue !== 'string') {
      missing.push(path);
      return value;
    }
    if (saltValue === UNDISCLOSED_SALT) {
      disclosure.push({ path, disclosed: false });
      return value;
    }
    disclosure.push({ path, disclosed: true });
    return saltedLeafHash(proofType, value, saltValue);
  };
  return { hashed: walk(claim, salt, '') as Record<string, unknown>, disclosure, missing };
}

/** Epoch seconds from a CredentialPojo date: a number, a digit string, or an ISO-8601 string (`toJson()` form). */
export function epochSeconds(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  if (typeof value === 'string') {
    if (/^\d{1,12}$/.test(value)) return Number(value);
    if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/.test(value)) {
      const ms = Date.parse(value);
      if (!Number.isNaN(ms)) return Math.floor(ms / 1000);
    }
  }
  return undefined;
}

/** The credential type of a CredentialPojo (`type[1]`), or undefined. */
export function credentialTypeOf(credential: Record<string, unknown>): string | undefined {
  const type = credential.type;
  if (Array.isArray(type)) return type.find((t): t is string => typeof t === 'string' && t !== 'VerifiableCredential');
  return typeof type === 'string' ? type : undefined;
}

/**
 * The Pojo as the SDK holds it (the map `objToMap` would make): `$from` dropped, dates as epoch seconds. `proof` is
 * kept (callers drop it for the thumbprint).
 */
export function normalisePojo(credential: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(credential)) {
    if (k === '$from') continue;
    out[k] = (k === 'issuanceDate' || k === 'expirationDate') && typeof v === 'string' ? (epochSeconds(v) ?? v) : v;
  }
  return out;
}

/** What {@link credentialThumbprint} computed. */
export interface Thumbprint {
  /** The signing input: sorted compact JSON. */
  text: string;
  /** The claim fields and whether each is disclosed (`original` only). */
  disclosure: DisclosureEntry[];
  /** Claim leaves with no salt (`original` only); a non-empty list makes the credential unverifiable. */
  missingSalts: string[];
}

/**
 * The signing input of a CredentialPojo (see the module comment).
 *
 * @throws TypeError when `credential` has no object `claim`, or the type is neither `original` nor `lite1`
 * @example credentialThumbprint({ credential, proofType: 'Secp256k1' }).text // '{"claim":{"age":"0x…"},"context":…}'
 */
export function credentialThumbprint(options: { credential: Record<string, unknown>; proofType: WeidProofType }): Thumbprint {
  const { credential, proofType } = options;
  if (!isObject(credential) || !isObject(credential.claim)) throw new TypeError('"credential.claim" must be an object');
  const type = credentialTypeOf(credential);
  const { proof, ...rest } = normalisePojo(credential);
  if (type === 'lite1') {
    const { context: _context, ...lite } = rest;
    return { text: sortedCompactJson({ ...lite, type: 'lite1' }), disclosure: [], missingSalts: [] };
  }
  if (type !== 'original') throw new TypeError(`credential type ${JSON.stringify(type ?? null)} has no thumbprint here (original and lite1 only)`);
  const salt = isObject(proof) ? proof.salt : undefined;
  const { hashed, disclosure, missing } = hashClaim(credential.claim, salt, proofType);
  return { text: sortedCompactJson({ ...rest, claim: hashed }), disclosure, missingSalts: missing };
}

/** The digest a WeIdentity signature covers: H(UTF-8 thumbprint), Keccak-256 or SM3. */
export function thumbprintDigest(proofType: WeidProofType, thumbprint: string): Uint8Array {
  return weidHash(proofType, thumbprint);
}
