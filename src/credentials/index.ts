/**
 * Credential verification: `verify()` and its report, the format-verifier contract, and the JWT / SM2 JWT format.
 * Every export is listed by name.
 *
 * @see ./README.md
 * @packageDocumentation
 */
export { verify, resolveVerifyOptions, defaultFormatVerifiers, defaultStatusCheckers, VERIFY_DEFAULTS, MAX_EMBEDDING_DEPTH } from './verify.js';
export type { VerifyCallOptions } from './verify.js';

export {
  VERIFICATION_ERROR_CODES,
  ReportBuilder,
  check,
  finaliseReport,
  unknownFormatReport,
} from './report.js';
export type {
  CheckName,
  CheckOutcome,
  VerificationCheck,
  VerificationErrorCode,
  VerificationError,
  CredentialFormat,
  ReportIssuer,
  ReportKey,
  VerificationReport,
} from './report.js';

export type {
  FormatVerifier,
  StatusChecker,
  StatusOutcome,
  SubjectBindingPolicy,
  VerifyOptions,
  ResolvedVerifyOptions,
  EmbeddedOptions,
  VerifyContext,
} from './format.js';

export { resolveIssuerKey, verifyWithCandidates, publicKeyOfMethod } from './issuer-key.js';
export type {
  KeyRelationship,
  IssuerKeyRequest,
  CandidateKey,
  IssuerKeyResolution,
  SignatureAttempt,
  KeyVerification,
} from './issuer-key.js';

export {
  DEFAULT_SKEW_SECONDS,
  MAX_SKEW_SECONDS,
  VALIDITY_KIND,
  clockFrom,
  skewFrom,
  isoSeconds,
  readNumericDate,
  readXmlDatetime,
  checkValidityPeriod,
} from './clock.js';
export type { ValiditySource, ValidityKind, ValidityBound, ValidityOutcome } from './clock.js';

export { isCompactJws, prepareInput, wrappedJwt, ENVELOPED_JWT_MEDIA_TYPES } from './detect.js';
export type { PreparedInput } from './detect.js';

export {
  VC_CONTEXT_V1,
  VC_CONTEXT_V2,
  MAX_JWT_LENGTH,
  JWT_ALGORITHMS,
  decodeCompactJws,
  verifyJwsSignature,
  verifyJwt,
  jwtFormatVerifier,
  didJwtResolvable,
} from './jwt.js';
export type { DecodedJws, JwsProblem } from './jwt.js';

export {
  SM2_JWS_ALGORITHM,
  REFUSED_SM2_ALGORITHM_NAMES,
  sm2JwsSigner,
  createSm2Jwt,
  verifySm2JwsSignature,
} from './sm2-jwt.js';
export type { CreateSm2JwtOptions } from './sm2-jwt.js';
