/**
 * The keys module: public-key shapes (Multikey, JWK, SEC1), the encodings the domestic DID methods use, SM2/SM3,
 * key-type inference, key generation and identifier derivation/validation. Every export is listed by name.
 *
 * @see ../../docs/sm2.md
 * @packageDocumentation
 */
export {
  EC_KEY_TYPES,
  EC_FIELD_BYTES,
  SM2_CURVE_PARAMETERS,
  sm2Point,
  isEcKeyType,
  curvePoint,
  compressPoint,
  decompressPoint,
  isOnCurve,
} from './curves.js';
export type { EcKeyType } from './curves.js';

export {
  MULTICODEC_BY_KEY_TYPE,
  UNSUPPORTED_KEY_MULTICODECS,
  DEFAULT_MAX_MULTIKEY_LENGTH,
  publicKeyLength,
  publicKeyFromBytes,
  encodeMultikey,
  decodeMultikey,
  detectKeyType,
  isEd25519Point,
  ed25519ToX25519,
  samePublicKey,
  ecCoordinates,
} from './multikey.js';
export type { KeyType, PublicKey, DecodeMultikeyOptions, Ed25519ToX25519Options } from './multikey.js';

export { PRIVATE_JWK_MEMBERS, publicKeyToJwk, jwkToPublicKey } from './jwk.js';

export {
  concatBytes,
  bytesEqual,
  encodeHex,
  decodeHex,
  BITCOIN_BASE58_ALPHABET,
  BIF_BASE58_ALPHABET,
  base58Codec,
  base58Bitcoin,
  base58Bif,
  decodeMultibaseBase58btc,
  encodeMultibaseBase58btc,
  encodeBase64Url,
  decodeBase64Url,
  decodeBase64,
  decodeDecimalPublicKey,
  encodeDecimalPublicKey,
  WEID_PSEUDO_MULTICODEC_HEADERS,
  decodeWeidPseudoMultibase,
  isWeidPseudoMultibase,
  encodeWeidPseudoMultibase,
  BIF_KEY_TYPE_TAGS,
  BIF_ENCODING_TAGS,
  BIF_PUBLIC_KEY_PREFIX,
  BIF_PRIVATE_KEY_PREFIX,
  bifKeyTypeFromTag,
  bifEncodingFromTag,
  decodeBifPublicKey,
  encodeBifPublicKey,
  readBifPublicKeyHex,
  decodeBifPrivateKey,
  encodeBifPrivateKey,
} from './codecs.js';
export type {
  DecodeOptions,
  EncodeHexOptions,
  DecodeHexOptions,
  Base58Codec,
  DecodeDecimalOptions,
  WeidPseudoMultibase,
  WeidPseudoMultibaseVariant,
  EncodeWeidPseudoMultibaseOptions,
  BifKeyType,
  BifEncoding,
  BifPublicKey,
  EncodeBifPublicKeyOptions,
  BifPublicKeyHex,
  BifPrivateKey,
} from './codecs.js';

export {
  HASH_NAMES,
  HASH_OUTPUT_BYTES,
  HASH_LABELS,
  SM3_PROVIDER,
  sm3,
  sm3WithSmCrypto,
  sha256,
  keccak256,
  ripemd160,
  isHashName,
  digest,
} from './hash.js';
export type { HashName, HashInput } from './hash.js';

export {
  SM2_DEFAULT_USER_ID,
  SM2_MAX_USER_ID_BYTES,
  sm2UncompressedPublicKey,
  sm2Z,
  sm2MessageDigest,
  sm2PublicKeyFromPrivateKey,
  sm2Sign,
  sm2Verify,
  parseSm2Signature,
  sm2SignatureToDer,
  sm2SignatureFromDer,
} from './sm2.js';
export type {
  Sm2SignatureEncoding,
  Sm2ZOptions,
  Sm2DigestOptions,
  Sm2PublicKeyOptions,
  Sm2SignOptions,
  Sm2VerifyOptions,
} from './sm2.js';

export { VERIFICATION_METHOD_TYPE_ALIASES, SM2_VERIFICATION_METHOD_TYPE_NAMES, lookupVerificationMethodType } from './aliases.js';
export type {
  VerificationMethodTypeAlias,
  VerificationMethodTypeStatus,
  LookupVerificationMethodTypeOptions,
} from './aliases.js';

export { inferKeyType } from './detect.js';
export type { InferKeyTypeOptions, KeyTypeInference, KeyByteForm } from './detect.js';

export { GENERATABLE_KEY_TYPES, generateKeyPair, publicKeyFromPrivateKey } from './generate.js';
export type { GeneratableKeyType, GeneratedKeyPair } from './generate.js';

export {
  DID_DERIVATIONS,
  IDENTIFIER_VALIDATORS,
  deriveDid,
  deriveCcpIdentifier,
  deriveCtidIdentifier,
  weidVerificationMethodFragment,
  weidServiceFragment,
  parseBifIdentifier,
  parseWeidIdentifier,
  parseTdidIdentifier,
  parseCcpIdentifier,
  parseVaaIdentifier,
  parseCtidIdentifier,
  validateIdentifier,
} from './derive.js';
export type {
  DerivationStep,
  DerivedIdentifier,
  DerivedDid,
  DeriveDidOptions,
  IdentifierDerivation,
  IdentifierValidationOptions,
  BifIdentifier,
  ParseBifIdentifierOptions,
  WeidIdentifier,
  TdidIdentifier,
  HashIdentifier,
} from './derive.js';
