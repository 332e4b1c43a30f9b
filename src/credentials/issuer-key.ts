/**
 * Issuer (and holder) key resolution for proofs: resolve the DID through the bridge, find the verification method
 * the proof names (or every method under the relationship), read its key material whatever the encoding, and then
 * try the proof against the candidates in a fixed order so that the report can say which key verified, whether that
 * key may make this kind of proof, and why not.
 *
 * Domestic DIDs resolve through the same Resolver, so a did:bid issuer's key comes from its translated W3C document;
 * the report records the translation (`didResolutionMetadata.didbridgeChanges`).
 *
 * Key material read: `publicKeyMultibase` (Multikey and Ed25519VerificationKey2020), `publicKeyJwk`,
 * `publicKeyBase58` and `publicKeyHex` (legacy and domestic documents; the key type is decided from the bytes with
 * the declared type only breaking ties, see `src/keys/detect.ts`). `blockchainAccountId`-only methods (ES256K-R
 * recovery) are not usable here and are reported as skipped.
 *
 * @see https://www.w3.org/TR/did-core/#verification-methods
 * @see https://www.w3.org/TR/did-core/#assertion (assertionMethod, §5.3.2)
 * @see https://www.w3.org/TR/did-core/#authentication (§5.3.1)
 * @see https://www.w3.org/TR/vc-data-model-2.0/#verification
 */
import { DidBridgeError, parseErrorName, toDidBridgeError } from '../errors.js';
import { base58Bitcoin, decodeHex } from '../keys/codecs.js';
import { inferKeyType } from '../keys/detect.js';
import { jwkToPublicKey } from '../keys/jwk.js';
import { decodeMultikey, type KeyType, type PublicKey } from '../keys/multikey.js';
import { lookupVerificationMethodType } from '../keys/aliases.js';
import type { Resolver } from '../resolver.js';
import type { DIDDocument } from '../spec.js';
import { check, type ReportIssuer, type ReportKey, type VerificationCheck, type VerificationErrorCode } from './report.js';

/** The relationships a credential proof can need. */
export type KeyRelationship = 'assertionMethod' | 'authentication';

/** What to resolve. */
export interface IssuerKeyRequest {
  /** The issuer's (or holder's) DID. A DID URL is reduced to its DID. */
  did: string;
  /**
   * The key the proof names: an absolute DID URL, a relative reference (`#key-1`), or a bare fragment. Absent: every
   * method under `relationship` is a candidate.
   */
  kid?: string;
  relationship: KeyRelationship;
  /** Key types the proof's algorithm can use; methods of other types are not candidates. Absent: any. */
  keyTypes?: readonly KeyType[];
}

/** A key the proof may be verified with. */
export interface CandidateKey {
  /** The verification method's absolute id. */
  id: string;
  /** The declared `type`. */
  type: string;
  publicKey: PublicKey;
  /** Whether the method is listed under the requested relationship. */
  authorised: boolean;
  /** The verification method object as the document gives it (Data Integrity suites may need it). */
  method: Record<string, unknown>;
  /** A string identifying the key material, for caches of prepared keys (e.g. node:crypto KeyObjects). */
  cacheKey: string;
}

/** A result of `resolveIssuerKey`. */
export interface IssuerKeyResolution {
  issuer: ReportIssuer;
  /** The `issuer-resolution` check. */
  resolution: VerificationCheck;
  /** Its error code when it failed. */
  resolutionCode?: VerificationErrorCode;
  didDocument?: DIDDocument;
  relationship: KeyRelationship;
  /**
   * Keys to try, authorised ones first. With `kid`: the method it names, if its key is readable and of a usable
   * type. Without: every readable method of a usable type, those under the relationship first; the others are
   * tried only to explain a failure (a signature made with a key the issuer may not use for this purpose).
   */
  candidates: CandidateKey[];
  /** Methods that were not candidates, and why (unreadable key, wrong key type, not a key). */
  skipped: Array<{ id: string; reason: string }>;
  /** When `kid` was given and names nothing usable: why (a key-authorised failure). */
  kidProblem?: { code: VerificationErrorCode; detail: string };
}

/** A verification attempt with one key. */
export interface SignatureAttempt {
  valid: boolean;
  /** How it was verified (`node:crypto Ed25519`, `@noble/curves secp256k1`, `sm-crypto-v2 SM2 (GB/T 32918.2)`). */
  path: string;
}

/** The `signature` and `key-authorised` checks, and the key that verified. */
export interface KeyVerification {
  signature: VerificationCheck;
  signatureCode?: VerificationErrorCode;
  keyAuthorised: VerificationCheck;
  keyAuthorisedCode?: VerificationErrorCode;
  key?: ReportKey;
}

const RELATIONSHIP_SECTION: Record<KeyRelationship, string> = {
  assertionMethod: 'DID Core §5.3.2',
  authentication: 'DID Core §5.3.1',
};

/** Prepared public keys by material string: decoding base58 and checking points costs more than the lookup. */
const KEY_CACHE_LIMIT = 2048;
const keyCache = new Map<string, PublicKey>();

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function didOf(didUrl: string): string {
  const end = didUrl.search(/[/?#]/);
  return end < 0 ? didUrl : didUrl.slice(0, end);
}

function methodOf(did: string): string | undefined {
  const m = /^did:([a-z0-9]+):/.exec(did);
  return m?.[1];
}

/** Makes a reference absolute against the DID: `#x` → `did#x`; absolute DID URLs unchanged. */
function absolute(ref: string, did: string): string {
  return ref.startsWith('#') || ref.startsWith('?') || ref.startsWith('/') ? did + ref : ref;
}

function materialKey(vm: Record<string, unknown>): string | undefined {
  if (typeof vm.publicKeyMultibase === 'string') return `mb:${vm.publicKeyMultibase}`;
  if (isObject(vm.publicKeyJwk)) {
    const j = vm.publicKeyJwk;
    return `jwk:${String(j.kty)}:${String(j.crv)}:${String(j.x)}:${String(j.y)}`;
  }
  if (typeof vm.publicKeyBase58 === 'string') return `b58:${String(vm.type)}:${vm.publicKeyBase58}`;
  if (typeof vm.publicKeyHex === 'string') return `hex:${String(vm.type)}:${vm.publicKeyHex}`;
  return undefined;
}

/**
 * Reads a verification method's public key, whatever member carries it.
 * @throws DidBridgeError (INVALID_DID_DOCUMENT, FEATURE_NOT_SUPPORTED) when the material is unreadable or unsupported
 */
export function publicKeyOfMethod(vm: Record<string, unknown>, method?: string): PublicKey {
  const cacheKey = materialKey(vm);
  const cached = cacheKey === undefined ? undefined : keyCache.get(cacheKey);
  if (cached) return cached;
  let key: PublicKey;
  if (typeof vm.publicKeyMultibase === 'string') {
    key = decodeMultikey(vm.publicKeyMultibase);
  } else if (vm.publicKeyJwk !== undefined) {
    key = jwkToPublicKey(vm.publicKeyJwk);
  } else if (typeof vm.publicKeyBase58 === 'string' || typeof vm.publicKeyHex === 'string') {
    const bytes =
      typeof vm.publicKeyBase58 === 'string'
        ? base58Bitcoin.decode(vm.publicKeyBase58)
        : decodeHex(String(vm.publicKeyHex).replace(/^0x/i, ''));
    const declared = typeof vm.type === 'string' ? vm.type : undefined;
    const alias = declared === undefined ? undefined : lookupVerificationMethodType({ name: declared, method });
    key = inferKeyType({ publicKey: bytes, declaredType: declared, method, contextKeyType: alias?.keyType }).publicKey;
  } else {
    throw new DidBridgeError(
      'INVALID_DID_DOCUMENT',
      vm.blockchainAccountId !== undefined
        ? 'the verification method has only a blockchainAccountId (key recovery, ES256K-R), which these proofs cannot use'
        : 'the verification method carries no public key (publicKeyMultibase, publicKeyJwk, publicKeyBase58 or publicKeyHex)',
    );
  }
  if (cacheKey !== undefined) {
    if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.delete(keyCache.keys().next().value as string);
    keyCache.set(cacheKey, key);
  }
  return key;
}

/** The verification methods of a document by absolute id: `verificationMethod` plus embedded ones. */
function methodsById(doc: DIDDocument, did: string): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  const add = (vm: unknown) => {
    if (isObject(vm) && typeof vm.id === 'string') {
      const id = absolute(vm.id, typeof doc.id === 'string' ? doc.id : did);
      if (!out.has(id)) out.set(id, vm);
    }
  };
  if (Array.isArray(doc.verificationMethod)) for (const vm of doc.verificationMethod) add(vm);
  for (const rel of ['authentication', 'assertionMethod', 'capabilityInvocation', 'capabilityDelegation'] as const) {
    const entries = doc[rel];
    if (Array.isArray(entries)) for (const e of entries) if (isObject(e)) add(e);
  }
  return out;
}

/** A candidate key from a verification method, or undefined (with the reason in `out.skipped`). */
function candidateFor(
  out: IssuerKeyResolution,
  id: string,
  vm: Record<string, unknown>,
  method: string | undefined,
  keyTypes: readonly KeyType[] | undefined,
  authorised: boolean,
): CandidateKey | undefined {
  let publicKey: PublicKey;
  try {
    publicKey = publicKeyOfMethod(vm, method);
  } catch (err) {
    out.skipped.push({ id, reason: toDidBridgeError(err).message });
    return undefined;
  }
  if (keyTypes !== undefined && !keyTypes.includes(publicKey.type)) {
    out.skipped.push({ id, reason: `a ${publicKey.type} key; the algorithm needs ${keyTypes.join(' or ')}` });
    return undefined;
  }
  return { id, type: typeof vm.type === 'string' ? vm.type : '', publicKey, authorised, method: vm, cacheKey: materialKey(vm) ?? id };
}

/** Whether the method with an absolute id is listed (by reference or embedded) under the relationship. */
function isListed(doc: DIDDocument, relationship: KeyRelationship, id: string, base: string): boolean {
  const entries = Object.prototype.hasOwnProperty.call(doc, relationship) ? doc[relationship] : undefined;
  if (!Array.isArray(entries)) return false;
  for (const e of entries) {
    const ref = typeof e === 'string' ? e : isObject(e) && typeof e.id === 'string' ? e.id : undefined;
    if (ref !== undefined && (ref === id || absolute(ref, base) === id)) return true;
  }
  return false;
}

/** The verification method with an absolute id, in `verificationMethod` or embedded in a relationship. */
function findMethod(doc: DIDDocument, wanted: string, base: string): Record<string, unknown> | undefined {
  if (Array.isArray(doc.verificationMethod)) {
    for (const vm of doc.verificationMethod) if (hasId(vm, wanted, base)) return vm as Record<string, unknown>;
  }
  for (const rel of EMBEDDING_RELATIONSHIPS) {
    const entries = doc[rel];
    if (Array.isArray(entries)) for (const e of entries) if (hasId(e, wanted, base)) return e as Record<string, unknown>;
  }
  return undefined;
}

/** The relationships whose entries may embed verification methods that signing proofs can use. */
const EMBEDDING_RELATIONSHIPS = ['authentication', 'assertionMethod', 'capabilityInvocation', 'capabilityDelegation'] as const;

function hasId(vm: unknown, wanted: string, base: string): boolean {
  return isObject(vm) && typeof vm.id === 'string' && (vm.id === wanted || absolute(vm.id, base) === wanted);
}

/** Absolute ids of the methods listed under a relationship (references and embedded methods). */
function relationshipIds(doc: DIDDocument, relationship: KeyRelationship, did: string): Set<string> {
  const base = typeof doc.id === 'string' ? doc.id : did;
  const out = new Set<string>();
  const entries = Object.prototype.hasOwnProperty.call(doc, relationship) ? doc[relationship] : undefined;
  if (Array.isArray(entries)) {
    for (const e of entries) {
      if (typeof e === 'string') out.add(absolute(e, base));
      else if (isObject(e) && typeof e.id === 'string') out.add(absolute(e.id, base));
    }
  }
  return out;
}

/**
 * Resolves a DID through the resolver and selects candidate keys for a proof. Never throws for bad input: failures
 * are in `resolution` (issuer-resolution) and `kidProblem` (key-authorised).
 *
 * @example
 * const r = await resolveIssuerKey(resolver, { did: 'did:key:z6Mk…', relationship: 'assertionMethod', keyTypes: ['Ed25519'] })
 * r.candidates[0]?.publicKey.type // 'Ed25519'
 */
export async function resolveIssuerKey(resolver: Resolver, request: IssuerKeyRequest): Promise<IssuerKeyResolution> {
  if (!request || typeof request !== 'object') throw new TypeError('"request" must be an object');
  const { relationship, keyTypes } = request;
  if (relationship !== 'assertionMethod' && relationship !== 'authentication') {
    throw new TypeError('"relationship" must be "assertionMethod" or "authentication"');
  }
  const rawDid = typeof request.did === 'string' ? request.did : '';
  const did = didOf(rawDid);
  const issuer: ReportIssuer = { id: rawDid.slice(0, 2048) };
  const base: Omit<IssuerKeyResolution, 'resolution'> = { issuer, relationship, candidates: [], skipped: [] };
  if (!did.startsWith('did:')) {
    return {
      ...base,
      resolution: check('issuer-resolution', 'fail', `the ${relationship === 'authentication' ? 'holder' : 'issuer'} "${rawDid.slice(0, 200)}" is not a DID; only DID issuers can be resolved`),
      resolutionCode: 'INVALID_DID',
    };
  }
  const method = methodOf(did);
  if (method !== undefined) issuer.resolvedMethod = method;
  let result;
  try {
    // The key lookup only reads the document: no copy of a cached one (resolveShared), when the resolver offers it.
    result = await (typeof resolver.resolveShared === 'function' ? resolver.resolveShared(did) : resolver.resolve(did));
  } catch (err) {
    const e = toDidBridgeError(err);
    return { ...base, resolution: check('issuer-resolution', 'fail', `resolving ${did} failed: ${e.message}`), resolutionCode: e.code };
  }
  const meta = result.didResolutionMetadata;
  const changes = Array.isArray(meta.didbridgeChanges) ? meta.didbridgeChanges.length : 0;
  issuer.translated = changes > 0;
  if (changes > 0) issuer.changes = changes;
  if (meta.error) {
    const code = parseErrorName(meta.error) ?? 'INTERNAL_ERROR';
    const detail = typeof meta.error.detail === 'string' ? `: ${meta.error.detail}` : '';
    return {
      ...base,
      resolution: check('issuer-resolution', 'fail', `${did} did not resolve (${code}${detail})`, { error: code }),
      resolutionCode: code,
    };
  }
  if (result.didDocumentMetadata.deactivated === true || !result.didDocument) {
    return {
      ...base,
      resolution: check('issuer-resolution', 'fail', `${did} is deactivated: its keys can no longer be relied on`, { deactivated: true }),
      resolutionCode: 'DID_DEACTIVATED',
    };
  }
  const doc = result.didDocument;
  const translation = issuer.translated
    ? `; the document was translated to DID Core by the bridge (${changes} change(s), see didResolutionMetadata.didbridgeChanges)`
    : '';
  const resolution = check('issuer-resolution', 'pass', `${did} resolved through did:${method ?? '?'}${translation}`, {
    method,
    translated: issuer.translated,
    ...(result.didResolutionMetadata.servedFromCache === true ? { servedFromCache: true } : {}),
  });

  const docId = typeof doc.id === 'string' ? doc.id : did;
  const out: IssuerKeyResolution = { ...base, resolution, didDocument: doc, candidates: [], skipped: [] };

  if (request.kid !== undefined && request.kid !== '') {
    const kid = request.kid;
    let wanted: string | undefined;
    if (kid.startsWith('did:')) {
      if (didOf(kid) !== did && didOf(kid) !== docId) {
        out.kidProblem = {
          code: 'INVALID_VERIFICATION_METHOD',
          detail: `the proof names the key ${kid.slice(0, 200)}, which belongs to another DID than ${did}`,
        };
        return out;
      }
      wanted = kid.startsWith(did) && did !== docId ? docId + kid.slice(did.length) : kid;
    } else if (kid.startsWith('#')) {
      wanted = docId + kid;
    } else {
      // A bare fragment, as some issuers write `kid`.
      wanted = `${docId}#${kid}`;
    }
    const vm = findMethod(doc, wanted, docId);
    if (!vm) {
      out.kidProblem = { code: 'INVALID_VERIFICATION_METHOD', detail: `${did} has no verification method ${wanted.slice(0, 200)} (the proof's key id)` };
      return out;
    }
    const candidate = candidateFor(out, wanted, vm, method, keyTypes, isListed(doc, relationship, wanted, docId));
    if (!candidate) {
      const why = out.skipped[out.skipped.length - 1]?.reason ?? 'unreadable';
      out.kidProblem = { code: 'INVALID_VERIFICATION_METHOD', detail: `the verification method ${wanted.slice(0, 200)} cannot verify this proof: ${why}` };
      return out;
    }
    out.candidates.push(candidate);
    return out;
  }

  const authorised: CandidateKey[] = [];
  const others: CandidateKey[] = [];
  const allowed = relationshipIds(doc, relationship, did);
  for (const [id, vm] of methodsById(doc, did)) {
    const candidate = candidateFor(out, id, vm, method, keyTypes, allowed.has(id));
    if (candidate) (candidate.authorised ? authorised : others).push(candidate);
  }
  out.candidates = [...authorised, ...others];
  return out;
}

/**
 * Tries a proof against the candidates (authorised keys first) and produces the `signature` and `key-authorised`
 * checks. A signature that verifies only with a key outside the relationship passes `signature` and fails
 * `key-authorised` (INVALID_RELATIONSHIP_FOR_VERIFICATION_METHOD), so the report says exactly what is wrong.
 *
 * @param verify checks the proof with one key; it may throw for a malformed signature (treated as not valid)
 */
export async function verifyWithCandidates(options: {
  resolution: IssuerKeyResolution;
  /** The algorithm's name for details (`EdDSA`, `SM2`, `eddsa-rdfc-2022`). */
  algorithm: string;
  verify: (key: CandidateKey) => SignatureAttempt | Promise<SignatureAttempt>;
}): Promise<KeyVerification> {
  const { resolution, algorithm } = options;
  const rel = resolution.relationship;
  if (resolution.resolutionCode !== undefined) {
    return {
      signature: check('signature', 'skip', `not checked: the ${rel === 'authentication' ? 'holder' : 'issuer'} DID did not resolve, so there is no key to check it with`),
      keyAuthorised: check('key-authorised', 'skip', 'not checked: no DID document'),
    };
  }
  if (resolution.kidProblem) {
    return {
      signature: check('signature', 'skip', `not checked: ${resolution.kidProblem.detail}`),
      keyAuthorised: check('key-authorised', 'fail', resolution.kidProblem.detail),
      keyAuthorisedCode: resolution.kidProblem.code,
    };
  }
  const did = resolution.issuer.id;
  if (resolution.candidates.length === 0) {
    const skipped = resolution.skipped.length > 0
      ? `; not usable: ${resolution.skipped.slice(0, 5).map((s) => `${s.id} (${s.reason})`).join('; ')}`
      : '';
    const detail = `${did} has no verification method with a key for ${algorithm}${skipped}`;
    return {
      signature: check('signature', 'fail', detail),
      signatureCode: 'CRYPTOGRAPHIC_SECURITY_ERROR',
      keyAuthorised: check('key-authorised', 'fail', detail),
      keyAuthorisedCode: 'INVALID_VERIFICATION_METHOD',
    };
  }
  const tried: string[] = [];
  for (const candidate of resolution.candidates) {
    let attempt: SignatureAttempt;
    try {
      attempt = await options.verify(candidate);
    } catch (err) {
      tried.push(`${candidate.id} (${toDidBridgeError(err).message})`);
      continue;
    }
    if (!attempt.valid) {
      tried.push(candidate.id);
      continue;
    }
    const key: ReportKey = {
      verificationMethod: candidate.id,
      type: candidate.type,
      keyType: candidate.publicKey.type,
      relationship: rel,
    };
    const signature = check('signature', 'pass', `${algorithm} signature verified with ${candidate.id} (${candidate.publicKey.type}; ${attempt.path})`, {
      algorithm,
      path: attempt.path,
    });
    if (candidate.authorised) {
      return {
        signature,
        key,
        keyAuthorised: check('key-authorised', 'pass', `${candidate.id} is listed under ${rel} (${RELATIONSHIP_SECTION[rel]})`),
      };
    }
    return {
      signature,
      key,
      keyAuthorised: check(
        'key-authorised',
        'fail',
        `${candidate.id} made the signature but is not listed under ${rel} of ${did}: the ${rel === 'authentication' ? 'holder' : 'issuer'} has not authorised it for this purpose (${RELATIONSHIP_SECTION[rel]})`,
      ),
      keyAuthorisedCode: 'INVALID_RELATIONSHIP_FOR_VERIFICATION_METHOD',
    };
  }
  const detail = `the ${algorithm} signature does not verify with any key of ${did} (tried ${tried.slice(0, 5).join(', ')}${tried.length > 5 ? ', …' : ''}): the content was changed after signing or another key signed it`;
  return {
    signature: check('signature', 'fail', detail),
    signatureCode: 'CRYPTOGRAPHIC_SECURITY_ERROR',
    keyAuthorised: check('key-authorised', 'skip', 'not checked: no key of the DID verified the signature'),
  };
}
