/**
 * Translation of a WeIdentity `CredentialPojo` into VC Data Model 2.0 JSON, so that a verifier abroad sees a standard
 * credential shape (domestic-methods.md §3.7, "Mapping to VCDM"):
 *
 * | CredentialPojo | VC Data Model 2.0 |
 * |---|---|
 * | `context` (a string, no `@`) | `@context`: credentials v2, then didbridge's WeIdentity context **inline**; the original string in `weidContext` |
 * | `id` (UUID) | `id`: `urn:uuid:<id>` (a URL, §4.4) |
 * | `type` `["VerifiableCredential", "original"]` | `type` `["VerifiableCredential", "WeIdentityCredential"]`; `weidCredentialType` `original` |
 * | `issuer` | `issuer` |
 * | `issuanceDate`, `expirationDate` (epoch seconds) | `validFrom`, `validUntil` (XML Schema datetimes, UTC) |
 * | `claim` | `credentialSubject` (a claim `id` / `weid` that is a DID becomes the subject `id`, and is kept too) |
 * | `cptId` | `credentialSchema`: `{id: "urn:weid:cpt:<cptId>", type: "WeIdentityCpt", cptId}` |
 * | `proof` | `proof`: `{type: "WeIdentityCredentialPojoProof", verificationMethod, created, proofPurpose, signatureType, signatureValue, signatureLayout, salt, undisclosed, original}` |
 *
 * The translation is **not** independently verifiable as a Data Integrity credential: no standard cryptosuite signs a
 * WeIdentity thumbprint. It carries the original proof (`proof.original`) so that the original can be verified again,
 * and the verifier says so in its `translation` check: verification ran over the original, this is a translation.
 *
 * A CPT lives on a consortium chain and has no URL; `urn:weid:cpt:<id>` names it without pretending to be fetchable
 * (VC Data Model 2.0 §4.11 asks for a URL; a URN is the honest choice here).
 *
 * @see https://www.w3.org/TR/vc-data-model-2.0/
 * @see /work/shared/docs/domestic-methods.md §3.7
 */
import { CONTEXT_URLS, DIDBRIDGE_WEID_CONTEXT } from '../contexts/index.js';
import { credentialTypeOf, epochSeconds } from './pojo.js';
import type { SignatureLayout } from './signature.js';

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function xmlDatetime(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.000Z$/, 'Z');
}

/** Options of {@link translateWeidCredential}. */
export interface TranslateWeidOptions {
  /** The signature layout found by verification, recorded in the proof. */
  layout?: SignatureLayout;
  /** Claim paths that were not disclosed (salt `"0"`), recorded in the proof. */
  undisclosed?: readonly string[];
}

/**
 * Translates a CredentialPojo into VC Data Model 2.0 JSON (see the module comment). Members it does not know are
 * carried over under their own names.
 *
 * @example translateWeidCredential(pojo).credentialSubject // the claim
 */
export function translateWeidCredential(credential: Record<string, unknown>, options: TranslateWeidOptions = {}): Record<string, unknown> {
  if (!isObject(credential)) throw new TypeError('"credential" must be an object');
  const claim = isObject(credential.claim) ? credential.claim : {};
  const subjectId = [claim.id, claim.weid].find((v): v is string => typeof v === 'string' && v.startsWith('did:'));
  const out: Record<string, unknown> = {
    '@context': [CONTEXT_URLS.credentialsV2, DIDBRIDGE_WEID_CONTEXT],
  };
  if (typeof credential.id === 'string') out.id = /^[0-9a-f-]{36}$/i.test(credential.id) ? `urn:uuid:${credential.id.toLowerCase()}` : credential.id;
  out.type = ['VerifiableCredential', 'WeIdentityCredential'];
  if (typeof credential.issuer === 'string') out.issuer = credential.issuer;
  const from = epochSeconds(credential.issuanceDate);
  const until = epochSeconds(credential.expirationDate);
  if (from !== undefined) out.validFrom = xmlDatetime(from);
  if (until !== undefined) out.validUntil = xmlDatetime(until);
  out.credentialSubject = subjectId === undefined ? { ...claim } : { id: subjectId, ...claim };
  if (typeof credential.cptId === 'number') {
    out.credentialSchema = { id: `urn:weid:cpt:${credential.cptId}`, type: 'WeIdentityCpt', cptId: credential.cptId };
  }
  const credentialType = credentialTypeOf(credential);
  if (credentialType !== undefined) out.weidCredentialType = credentialType;
  if (typeof credential.context === 'string') out.weidContext = credential.context;
  const known = new Set(['context', 'id', 'type', 'issuer', 'issuanceDate', 'expirationDate', 'claim', 'cptId', 'proof', '$from']);
  for (const [k, v] of Object.entries(credential)) if (!known.has(k) && !(k in out)) out[k] = v;
  if (isObject(credential.proof)) {
    const p = credential.proof;
    const created = epochSeconds(p.created) ?? from;
    const signatureValue = typeof p.signatureValue === 'string' ? p.signatureValue : p.signature;
    const creator = typeof p.creator === 'string' ? p.creator : undefined;
    out.proof = {
      type: 'WeIdentityCredentialPojoProof',
      ...(creator !== undefined ? { verificationMethod: creator } : {}),
      ...(created !== undefined ? { created: xmlDatetime(created) } : {}),
      proofPurpose: 'assertionMethod',
      ...(typeof p.type === 'string' ? { signatureType: p.type } : {}),
      ...(typeof signatureValue === 'string' ? { signatureValue } : {}),
      ...(options.layout ? { signatureLayout: options.layout === 'vrs' ? 'v||r||s' : 'r||s||v' } : {}),
      ...(p.salt !== undefined ? { salt: p.salt } : {}),
      ...(options.undisclosed && options.undisclosed.length > 0 ? { undisclosed: [...options.undisclosed] } : {}),
      original: p,
    };
  }
  return out;
}
