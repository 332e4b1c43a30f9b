/**
 * The data model of W3C DID Core 1.0 and DID Resolution, in one place.
 *
 * Every structure links to the section it models. Open registries (verification-method types, service types, error
 * names) are unions of known literals plus `(string & {})`, so callers get completion and unknown values still pass.
 *
 * @see https://www.w3.org/TR/did-core/
 * @see https://w3c.github.io/did-resolution/
 */

/** Any JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/**
 * A JSON Web Key as carried in `publicKeyJwk`.
 * @see https://www.w3.org/TR/did-core/#dfn-publickeyjwk
 */
export interface JsonWebKey {
  kty: 'OKP' | 'EC' | 'RSA' | (string & {});
  crv?: 'Ed25519' | 'X25519' | 'secp256k1' | 'P-256' | 'P-384' | 'SM2' | (string & {});
  x?: string;
  y?: string;
  n?: string;
  e?: string;
  kid?: string;
  alg?: string;
  use?: string;
  [member: string]: JsonValue | undefined;
}

/** Verification-method types this project emits or recognises. */
export type VerificationMethodType =
  | 'Multikey'
  | 'JsonWebKey'
  | 'JsonWebKey2020'
  | 'Ed25519VerificationKey2020'
  | 'Ed25519VerificationKey2018'
  | 'X25519KeyAgreementKey2020'
  | 'X25519KeyAgreementKey2019'
  | 'EcdsaSecp256k1VerificationKey2019'
  | 'EcdsaSecp256k1RecoveryMethod2020'
  | (string & {});

/**
 * A verification method.
 * @see https://www.w3.org/TR/did-core/#verification-methods
 */
export interface VerificationMethod {
  id: string;
  type: VerificationMethodType;
  controller: string;
  publicKeyMultibase?: string;
  publicKeyJwk?: JsonWebKey;
  /** @deprecated not in DID Core; accepted on input from legacy documents only. */
  publicKeyBase58?: string;
  /** @deprecated not in DID Core; accepted on input from legacy documents only. */
  publicKeyHex?: string;
  /** @see https://github.com/decentralized-identity/ethr-did-resolver (CAIP-10 account ids) */
  blockchainAccountId?: string;
  [property: string]: JsonValue | JsonWebKey | undefined;
}

/**
 * A verification relationship entry: a reference (DID URL, possibly relative) or an embedded method.
 * @see https://www.w3.org/TR/did-core/#verification-relationships
 */
export type VerificationRelationshipEntry = string | VerificationMethod;

/** The five relationships defined by DID Core §5.3. */
export const VERIFICATION_RELATIONSHIPS = [
  'authentication',
  'assertionMethod',
  'keyAgreement',
  'capabilityInvocation',
  'capabilityDelegation',
] as const;
export type VerificationRelationship = (typeof VERIFICATION_RELATIONSHIPS)[number];

/**
 * A service endpoint value: a URI string, a map, or a set of either.
 * @see https://www.w3.org/TR/did-core/#services
 */
export type ServiceEndpoint = string | JsonObject | Array<string | JsonObject>;

/** @see https://www.w3.org/TR/did-core/#services */
export interface Service {
  id: string;
  type: string | string[];
  serviceEndpoint: ServiceEndpoint;
  [property: string]: JsonValue | undefined;
}

/**
 * A DID document in the abstract data model (with `@context` when produced as JSON-LD).
 * @see https://www.w3.org/TR/did-core/#core-properties
 */
export interface DIDDocument {
  '@context'?: string | JsonObject | Array<string | JsonObject>;
  id: string;
  alsoKnownAs?: string[];
  controller?: string | string[];
  verificationMethod?: VerificationMethod[];
  authentication?: VerificationRelationshipEntry[];
  assertionMethod?: VerificationRelationshipEntry[];
  keyAgreement?: VerificationRelationshipEntry[];
  capabilityInvocation?: VerificationRelationshipEntry[];
  capabilityDelegation?: VerificationRelationshipEntry[];
  service?: Service[];
  [property: string]: unknown;
}

/** The DID Core v1 JSON-LD context. */
export const DID_CORE_CONTEXT_V1 = 'https://www.w3.org/ns/did/v1';
/** The Multikey context (Controlled Identifiers 1.0). */
export const MULTIKEY_CONTEXT_V1 = 'https://w3id.org/security/multikey/v1';
/** The JsonWebKey context (Controlled Identifiers 1.0). */
export const JWK_CONTEXT_V1 = 'https://w3id.org/security/jwk/v1';

/**
 * Media types of DID documents and resolution results.
 * @see https://www.w3.org/TR/did-core/#representations
 * @see https://w3c.github.io/did-resolution/#did-resolution-result
 */
export const MediaType = {
  /** DID 1.1 / DID Resolution CR: the one document media type. */
  Did: 'application/did',
  DidJson: 'application/did+json',
  DidLdJson: 'application/did+ld+json',
  DidResolution: 'application/did-resolution',
  DidUrlDereferencing: 'application/did-url-dereferencing',
  /** The pre-CR full-result type, still sent by older clients and the did-key test suite. */
  LegacyResolution: 'application/ld+json;profile="https://w3id.org/did-resolution"',
  UriList: 'text/uri-list',
  Json: 'application/json',
  LdJson: 'application/ld+json',
} as const;
export type DocumentMediaType = typeof MediaType.Did | typeof MediaType.DidJson | typeof MediaType.DidLdJson;
export const DOCUMENT_MEDIA_TYPES: readonly DocumentMediaType[] = [MediaType.Did, MediaType.DidJson, MediaType.DidLdJson];

/**
 * Error names of DID Resolution. Their URL form is `https://www.w3.org/ns/did#NAME`.
 * @see https://w3c.github.io/did-resolution/#errors
 */
export const ERROR_NAMES = [
  'INVALID_DID',
  'INVALID_DID_URL',
  'INVALID_DID_DOCUMENT',
  'INVALID_OPTIONS',
  'NOT_FOUND',
  'REPRESENTATION_NOT_SUPPORTED',
  'METHOD_NOT_SUPPORTED',
  'FEATURE_NOT_SUPPORTED',
  'INTERNAL_ERROR',
  'INVALID_VERIFICATION_METHOD',
  'INVALID_RELATIONSHIP_FOR_VERIFICATION_METHOD',
] as const;
export type ErrorName = (typeof ERROR_NAMES)[number];
export const ERROR_TYPE_BASE = 'https://www.w3.org/ns/did#';

/**
 * An RFC 9457 problem details object, as DID Resolution carries errors.
 * @see https://w3c.github.io/did-resolution/#errors
 * @see https://www.rfc-editor.org/rfc/rfc9457
 */
export interface ProblemDetails {
  type: string;
  title?: string;
  detail?: string;
  [member: string]: JsonValue | undefined;
}

/**
 * Resolution options.
 * @see https://w3c.github.io/did-resolution/#did-resolution-options
 */
export interface ResolutionOptions {
  accept?: string;
  versionId?: string;
  versionTime?: string;
  /** DID Resolution §caching: bypass any cache. Accepts the string forms used on the wire. */
  noCache?: boolean | 'true' | 'false';
  expandRelativeUrls?: boolean | 'true' | 'false';
  [option: string]: unknown;
}

/**
 * Dereferencing options.
 * @see https://w3c.github.io/did-resolution/#did-url-dereferencing-options
 */
export interface DereferencingOptions extends ResolutionOptions {
  verificationRelationship?: VerificationRelationship | (string & {});
}

/** A recorded change made while translating a document to DID Core; see `src/translation.ts`. */
export interface ChangeRecord {
  /** Stable id of the translation rule, e.g. `bid.publicKey-to-verificationMethod`. */
  rule: string;
  /** JSON pointer into the original (upstream) document, or null if the change adds something new. */
  from: string | null;
  /** JSON pointer into the produced W3C document (or `#metadata/...` for document metadata), or null if removed. */
  to: string | null;
  /** Why the change was needed, citing the DID Core statement it satisfies. */
  reason: string;
  /** Spec section the change serves. */
  spec?: string;
}

/**
 * DID resolution metadata.
 * @see https://w3c.github.io/did-resolution/#did-resolution-metadata
 */
export interface DIDResolutionMetadata {
  contentType?: string;
  error?: ProblemDetails;
  /** Extension (didbridge): the changes made translating the method's document to DID Core. */
  didbridgeChanges?: ChangeRecord[];
  /** Extension: whether the result came from a cache. */
  servedFromCache?: boolean;
  retrieved?: string;
  [property: string]: unknown;
}

/**
 * DID document metadata.
 * @see https://w3c.github.io/did-resolution/#did-document-metadata
 */
export interface DIDDocumentMetadata {
  created?: string;
  updated?: string;
  deactivated?: boolean;
  nextUpdate?: string;
  versionId?: string;
  nextVersionId?: string;
  equivalentId?: string[];
  canonicalId?: string;
  /** Extension (didbridge): the method's cache lifetime in seconds (BID/cndid `extension.ttl`), as a string (§7.3). */
  ttl?: string;
  /**
   * Extension (didbridge): what translation could not place in DID Core, kept for reverse translation, as
   * `{ format: 'application/json', method, shape, data: '<JSON text>' }` (JSON text: no numbers in metadata, §7.3);
   * `data` holds `{ method, shape, document }`, the native document as translated (src/preserved.ts).
   */
  didbridgePreserved?: unknown;
  [property: string]: unknown;
}

/**
 * The result of `resolve`.
 * @see https://w3c.github.io/did-resolution/#did-resolution-result
 */
export interface DIDResolutionResult {
  '@context'?: string | string[];
  didResolutionMetadata: DIDResolutionMetadata;
  didDocument: DIDDocument | null;
  didDocumentMetadata: DIDDocumentMetadata;
}

/**
 * Dereferencing metadata.
 * @see https://w3c.github.io/did-resolution/#did-url-dereferencing-metadata
 */
export interface DereferencingMetadata {
  contentType?: string;
  error?: ProblemDetails;
  [property: string]: unknown;
}

/**
 * The result of `dereference`. Both `contentStream` (the function signature) and `content` (the spec's examples and
 * the Universal Resolver) are filled, because consumers are split between them.
 * @see https://w3c.github.io/did-resolution/#did-url-dereferencing-result
 */
export interface DereferencingResult {
  dereferencingMetadata: DereferencingMetadata;
  contentStream: unknown;
  content?: unknown;
  contentMetadata: DIDDocumentMetadata | Record<string, unknown>;
}

/**
 * Method traits as the Universal Resolver's `/1.0/traits` lists them.
 * @see https://github.com/decentralized-identity/universal-resolver/blob/main/docs/driver-development.md
 */
export interface MethodTraits {
  updatable: boolean;
  deactivatable: boolean;
  enumerable: boolean;
  historyAvailable: boolean;
  humanReadable: boolean;
  [trait: string]: boolean;
}
