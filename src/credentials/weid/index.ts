/**
 * WeIdentity credentials: the CredentialPojo format verifier, the thumbprint and signature codecs, issuance with
 * selective disclosure, and the VC Data Model 2.0 translation.
 *
 * @see /work/shared/docs/domestic-methods.md §3.7
 * @packageDocumentation
 */
export { weidCredentialFormatVerifier, verifyWeidCredential, isWeidCredential, WEID_CREDENTIAL_FORMAT } from './verify.js';
export {
  UNDISCLOSED_SALT,
  WEID_CREDENTIAL_CONTEXT,
  POJO_MEMBERS,
  weidHash,
  sortedCompactJson,
  saltedLeafHash,
  isSaltedHash,
  hashClaim,
  epochSeconds,
  credentialTypeOf,
  normalisePojo,
  credentialThumbprint,
  thumbprintDigest,
} from './pojo.js';
export type { WeidProofType, WeidCredentialType, DisclosureEntry, Thumbprint } from './pojo.js';
export { readWeidSignature, writeWeidSignature, recoverSecp256k1, verifySecp256k1, verifySm2, signWeidDigest } from './signature.js';
export type { SignatureLayout, SignatureReading } from './signature.js';
export { signCredentialPojo, hideClaimFields, randomSalt, saltsFor } from './sign.js';
export type { SignCredentialPojoOptions } from './sign.js';
export { translateWeidCredential } from './translate.js';
export type { TranslateWeidOptions } from './translate.js';
