/**
 * The did:key adapter: a DID that is its own public key, expanded into a document with no I/O.
 *
 * `did:key:z<base58btc(varint(multicodec) ‖ key)>` (optionally `did:key:1:z…`, the version the spec allows) becomes
 * one verification method for the key, referenced from the four signing relationships; an X25519 key is referenced
 * from `keyAgreement` only; an Ed25519 key also gets the X25519 key derived from it in `keyAgreement`, unless
 * `enableEncryptionKeyDerivation` is false.
 *
 * The did:key resolution options `publicKeyFormat`, `enableExperimentalPublicKeyTypes` and
 * `enableEncryptionKeyDerivation` are honoured per request (declared in `capabilities.options`), over the deployment
 * settings of the same names; see {@link KEY_RESOLUTION_OPTIONS}.
 *
 * Key types: Ed25519, X25519, secp256k1, P-256, P-384 (the did:key v0.7 table) and SM2 (`sm2-pub` 0x1206, a draft
 * multicodec). Registered codecs that are not handled (P-521, RSA, BLS12-381, ...) resolve to FEATURE_NOT_SUPPORTED.
 *
 * @see https://w3c-ccg.github.io/did-method-key/ (v0.7, Document Creation Algorithm)
 */
import { base58btc } from 'multiformats/bases/base58';
import type { MethodAdapter, MethodResolution } from '../../src/adapter.js';
import { DidBridgeError, InvalidDidError } from '../../src/errors.js';
import { publicKeyToJwk } from '../../src/keys/jwk.js';
import {
  decodeMultikey,
  ed25519ToX25519,
  encodeMultikey,
  MULTICODEC_BY_KEY_TYPE,
  type KeyType,
  type PublicKey,
} from '../../src/keys/multikey.js';
import {
  DID_CORE_CONTEXT_V1,
  JWK_CONTEXT_V1,
  MULTIKEY_CONTEXT_V1,
  type DIDDocument,
  type MethodTraits,
  type ResolutionOptions,
  type VerificationMethod,
} from '../../src/spec.js';
import type { ParsedDid } from '../../src/syntax/did-url.js';

/** Configuration of the did:key adapter (every member optional). */
export interface KeyAdapterConfig {
  /**
   * How verification methods carry the key: `Multikey` with `publicKeyMultibase` (default), or `JsonWebKey` with
   * `publicKeyJwk` (both types of Controlled Identifiers 1.0; the did:key spec's `options.publicKeyFormat`).
   * A request's `publicKeyFormat` resolution option overrides it ({@link KEY_RESOLUTION_OPTIONS}).
   */
  publicKeyFormat?: 'Multikey' | 'JsonWebKey';
  /**
   * Whether an Ed25519 DID also lists the X25519 key derived from it under `keyAgreement`
   * (the did:key spec's `options.enableEncryptionKeyDerivation`; default true, as in the spec's examples).
   */
  enableEncryptionKeyDerivation?: boolean;
}

/**
 * The did:key resolution options the adapter honours per request (did:key v0.7, Document Creation Algorithm):
 * - `publicKeyFormat`: the verification method type, one of {@link KEY_PUBLIC_KEY_FORMATS}; a name not in that list
 *   is INVALID_OPTIONS with `methodError: "unsupportedPublicKeyType"`;
 * - `enableExperimentalPublicKeyTypes` (default false): without it, an experimental format (`Ed25519VerificationKey2018`,
 *   `X25519KeyAgreementKey2019`) is INVALID_OPTIONS with `methodError: "invalidPublicKeyType"`;
 * - `enableEncryptionKeyDerivation`: as the deployment setting of that name, for one request.
 *
 * The booleans accept `true` / `false` and, since HTTP query options are strings, `"true"` / `"false"`.
 * @see https://w3c-ccg.github.io/did-method-key/#signature-method-creation-algorithm
 */
export const KEY_RESOLUTION_OPTIONS: readonly string[] = Object.freeze([
  'publicKeyFormat',
  'enableExperimentalPublicKeyTypes',
  'enableEncryptionKeyDerivation',
]);

/** The settings {@link createKeyAdapter} reads. */
export const KEY_ADAPTER_SETTINGS: readonly string[] = Object.freeze(['publicKeyFormat', 'enableEncryptionKeyDerivation']);

/**
 * The whole-DID pattern, also the Universal Resolver `pattern`. Deliberately loose: every `did:key:` DID is routed
 * here so that a malformed one gets a precise INVALID_DID from {@link createKeyAdapter}'s `validate`, as the did:key
 * test suite expects, instead of "method not supported" from a resolver that found no matching driver.
 */
export const KEY_DID_PATTERN = /^did:key:.+$/;

/**
 * DIDs from the w3c-ccg did-method-key test vectors (fixtures/key/, one per key type), plus an SM2 key built from
 * the GB/T 32918.2-2016 Annex A example key pair (fixtures/key/sm2.json).
 */
export const KEY_TEST_IDENTIFIERS: readonly string[] = Object.freeze([
  'did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp', // Ed25519
  'did:key:z6LSeu9HkTHSfLLeUs2nnzUSNedgDUevfNQgQjQC23ZCit6F', // X25519
  'did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme', // secp256k1
  'did:key:zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv', // P-256
  'did:key:z82Lm1MpAkeJcix9K8TMiLd5NMAhnwkjjCBeWHXyu3U4oT2MVJJKXkcVBgjGhnLBn2Kaau9', // P-384
  'did:key:zEPJcGHUVYyrGAXXGQhLF39KAny4ojC9RPmA777H2iVztKwBd', // SM2
]);

/** How a verification method of one format carries its key. */
type KeyMember = 'publicKeyMultibase' | 'publicKeyJwk' | 'publicKeyBase58';

/** The `type` and JSON-LD context of a verification method of one format for one key type. */
interface MethodShape {
  readonly type: string;
  readonly context: string;
}

/** A value of the `publicKeyFormat` option. */
interface PublicKeyFormat {
  readonly member: KeyMember;
  /** Allowed only with `enableExperimentalPublicKeyTypes` (the spec's list of standard formats does not name it). */
  readonly experimental: boolean;
  /** The shape for each key type the format can carry; a key type not listed here cannot be expressed in it. */
  readonly shapes: Readonly<Partial<Record<KeyType, MethodShape>>>;
}

/*
 * Context URLs: the did:key v0.7 Context Creation Algorithm table (Ed25519VerificationKey2020 → ed25519-2020,
 * X25519KeyAgreementKey2020 → x25519-2020, JsonWebKey2020 → jws-2020), and, for the experimental 2018/2019 types,
 * the `@context` of the did-method-key test vectors that use them (fixtures/key/ed25519-x25519.json, x25519.json).
 */
const ED25519_2020_CONTEXT = 'https://w3id.org/security/suites/ed25519-2020/v1';
const X25519_2020_CONTEXT = 'https://w3id.org/security/suites/x25519-2020/v1';
const JWS_2020_CONTEXT = 'https://w3id.org/security/suites/jws-2020/v1';
const ED25519_2018_CONTEXT = 'https://w3id.org/security/suites/ed25519-2018/v1';
const X25519_2019_CONTEXT = 'https://w3id.org/security/suites/x25519-2019/v1';

function everyKeyType(shape: MethodShape): Readonly<Record<KeyType, MethodShape>> {
  const shapes = {} as Record<KeyType, MethodShape>;
  for (const type of Object.keys(MULTICODEC_BY_KEY_TYPE) as KeyType[]) shapes[type] = shape;
  return Object.freeze(shapes);
}

const MULTIKEY_FORMAT: PublicKeyFormat = Object.freeze({
  member: 'publicKeyMultibase',
  experimental: false,
  shapes: everyKeyType({ type: 'Multikey', context: MULTIKEY_CONTEXT_V1 }),
});
const JSON_WEB_KEY_FORMAT: PublicKeyFormat = Object.freeze({
  member: 'publicKeyJwk',
  experimental: false,
  shapes: everyKeyType({ type: 'JsonWebKey', context: JWK_CONTEXT_V1 }),
});
/** The 2020 suites come as a pair: the signing type for Ed25519 keys, the key agreement type for X25519 keys. */
const SUITES_2020_FORMAT: PublicKeyFormat = Object.freeze({
  member: 'publicKeyMultibase',
  experimental: false,
  shapes: Object.freeze({
    Ed25519: { type: 'Ed25519VerificationKey2020', context: ED25519_2020_CONTEXT },
    X25519: { type: 'X25519KeyAgreementKey2020', context: X25519_2020_CONTEXT },
  }),
});
/** The 2018/2019 suites of the did-method-key test vectors, with `publicKeyBase58` (the raw key, no multicodec). */
const SUITES_2018_FORMAT: PublicKeyFormat = Object.freeze({
  member: 'publicKeyBase58',
  experimental: true,
  shapes: Object.freeze({
    Ed25519: { type: 'Ed25519VerificationKey2018', context: ED25519_2018_CONTEXT },
    X25519: { type: 'X25519KeyAgreementKey2019', context: X25519_2019_CONTEXT },
  }),
});

/**
 * The `publicKeyFormat` values the adapter knows. `JsonWebKey` (Controlled Identifiers 1.0, the successor of
 * `JsonWebKey2020`) is treated as standard like `JsonWebKey2020`, since it is also the deployment setting.
 * Either name of a 2020 or 2018/2019 pair selects the pair.
 */
const FORMATS: Readonly<Record<string, PublicKeyFormat>> = Object.freeze({
  Multikey: MULTIKEY_FORMAT,
  JsonWebKey: JSON_WEB_KEY_FORMAT,
  JsonWebKey2020: Object.freeze({
    member: 'publicKeyJwk',
    experimental: false,
    shapes: everyKeyType({ type: 'JsonWebKey2020', context: JWS_2020_CONTEXT }),
  }),
  Ed25519VerificationKey2020: SUITES_2020_FORMAT,
  X25519KeyAgreementKey2020: SUITES_2020_FORMAT,
  Ed25519VerificationKey2018: SUITES_2018_FORMAT,
  X25519KeyAgreementKey2019: SUITES_2018_FORMAT,
});

/** The values of the `publicKeyFormat` resolution option the adapter knows. */
export const KEY_PUBLIC_KEY_FORMATS: readonly string[] = Object.freeze(Object.keys(FORMATS));

/** A did:key error of the Signature / Encryption Method Creation Algorithms, as INVALID_OPTIONS. */
function publicKeyTypeError(methodError: 'unsupportedPublicKeyType' | 'invalidPublicKeyType', message: string): DidBridgeError {
  return new DidBridgeError('INVALID_OPTIONS', `${methodError}: ${message}`, { extensions: { methodError } });
}

/** Reads the `publicKeyFormat` option (with `enableExperimentalPublicKeyTypes`). */
function formatOption(value: unknown, experimentalAllowed: boolean): PublicKeyFormat {
  if (typeof value !== 'string') throw new DidBridgeError('INVALID_OPTIONS', '"publicKeyFormat" must be a string');
  const format = Object.hasOwn(FORMATS, value) ? FORMATS[value] : undefined;
  if (format === undefined) {
    throw publicKeyTypeError(
      'unsupportedPublicKeyType',
      `publicKeyFormat ${JSON.stringify(value.slice(0, 64))} is not supported; supported: ${KEY_PUBLIC_KEY_FORMATS.join(', ')}`,
    );
  }
  if (format.experimental && !experimentalAllowed) {
    throw publicKeyTypeError(
      'invalidPublicKeyType',
      `publicKeyFormat "${value}" is experimental; set enableExperimentalPublicKeyTypes to true to use it`,
    );
  }
  return format;
}

/** Reads a boolean resolution option: a boolean, or its string form from an HTTP query. */
function booleanOption(value: unknown, name: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new DidBridgeError('INVALID_OPTIONS', `"${name}" must be true or false`);
}

/** Stands in for absent options, so that a request without any takes no allocation. */
const NO_OPTIONS: ResolutionOptions = Object.freeze({});

/** A did:key is its key: nothing to update, deactivate, list or look back on, and nothing a person would read. */
const TRAITS: MethodTraits = Object.freeze({
  updatable: false,
  deactivatable: false,
  enumerable: false,
  historyAvailable: false,
  humanReadable: false,
});

const BASE58BTC = /^z[1-9A-HJ-NP-Za-km-z]+$/;

function readBooleanSetting(value: unknown, name: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  // Settings may come from the environment as strings.
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new TypeError(`"${name}" must be a boolean, got ${JSON.stringify(value)}`);
}

/**
 * Splits and checks a did:key method-specific id: `[version ":"] multibaseValue`, where version, if present, must be
 * `1` (the only version defined; the spec requires a positive integer and defaults to 1) and the multibase value is
 * base58btc (`z`). Returns the multibase value.
 */
function multibaseValueOf(did: ParsedDid): string {
  const id = did.methodSpecificId;
  const colon = id.indexOf(':');
  let multibase = id;
  if (colon >= 0) {
    const version = id.slice(0, colon);
    multibase = id.slice(colon + 1);
    if (!/^[0-9]+$/.test(version) || Number(version) < 1) {
      throw new InvalidDidError(`did:key version "${version.slice(0, 20)}" is not a positive integer`);
    }
    if (Number(version) !== 1) {
      throw new InvalidDidError(`did:key version ${version.slice(0, 20)} is not defined; only version 1 exists`);
    }
    if (multibase.includes(':')) throw new InvalidDidError('a did:key has at most one version segment');
  }
  if (!BASE58BTC.test(multibase)) {
    throw new InvalidDidError(
      `the did:key multibase value must be base58btc: "z" followed by base58 characters, got "${multibase.slice(0, 16)}..."`,
    );
  }
  return multibase;
}

/** A decoded did:key: the DID, its multibase value (the key's fingerprint) and the key. */
interface DecodedKeyDid {
  did: string;
  fingerprint: string;
  key: PublicKey;
}

function decodeKeyDid(did: ParsedDid): DecodedKeyDid {
  if (did.method !== 'key') throw new InvalidDidError(`"${did.did.slice(0, 80)}" is not a did:key`);
  const fingerprint = multibaseValueOf(did);
  // decodeMultikey checks the multicodec header, the key length (compressed points only, as the v0.7 length table
  // says) and EC points: did:key's invalidPublicKeyLength / invalidPublicKey, which make the DID invalid.
  // Unsupported but registered codecs stay FEATURE_NOT_SUPPORTED.
  const key = decodeMultikey(fingerprint, { code: 'INVALID_DID', requireCompressed: true });
  return { did: did.did, fingerprint, key };
}

/**
 * Creates the did:key adapter.
 *
 * Resolution does no I/O and needs no cache (`capabilities.cacheable: false`): an Ed25519 document costs a base58
 * decode, and with key derivation one field inversion and a base58 encode; EC keys cost a point decompression.
 *
 * @param config see {@link KeyAdapterConfig}
 * @throws TypeError for a malformed `config`
 * @example
 * const resolver = new Resolver({ adapters: [createKeyAdapter({ publicKeyFormat: 'JsonWebKey' })] })
 * await resolver.resolve('did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp')
 * @see https://w3c-ccg.github.io/did-method-key/#document-creation-algorithm
 */
export function createKeyAdapter(config: KeyAdapterConfig = {}): MethodAdapter {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new TypeError('"config" must be an object');
  }
  // A misspelt setting would otherwise be ignored silently and the default used.
  const unknown = Object.keys(config).filter((name) => !KEY_ADAPTER_SETTINGS.includes(name));
  if (unknown.length > 0) {
    throw new TypeError(
      `unknown did:key adapter setting ${unknown.map((n) => `"${n}"`).join(', ')}; known: ${KEY_ADAPTER_SETTINGS.join(', ')}`,
    );
  }
  const format = config.publicKeyFormat ?? 'Multikey';
  if (format !== 'Multikey' && format !== 'JsonWebKey') {
    throw new TypeError(`"publicKeyFormat" must be "Multikey" or "JsonWebKey", got ${JSON.stringify(format)}`);
  }
  const deriveKeyAgreement = readBooleanSetting(
    config.enableEncryptionKeyDerivation,
    'enableEncryptionKeyDerivation',
    true,
  );
  const defaultFormat = format === 'Multikey' ? MULTIKEY_FORMAT : JSON_WEB_KEY_FORMAT;

  const verificationMethod = (
    id: string,
    controller: string,
    key: PublicKey,
    fingerprint: string,
    publicKeyFormat: PublicKeyFormat,
  ): VerificationMethod => {
    const type = publicKeyFormat.shapes[key.type]!.type;
    switch (publicKeyFormat.member) {
      case 'publicKeyMultibase':
        return { id, type, controller, publicKeyMultibase: fingerprint };
      case 'publicKeyJwk':
        return { id, type, controller, publicKeyJwk: publicKeyToJwk(key) };
      case 'publicKeyBase58':
        return { id, type, controller, publicKeyBase58: base58btc.baseEncode(key.bytes) };
    }
  };

  const buildDocument = (
    { did, fingerprint, key }: DecodedKeyDid,
    publicKeyFormat: PublicKeyFormat,
    deriveKeyAgreement: boolean,
  ): DIDDocument => {
    const shape = publicKeyFormat.shapes[key.type];
    if (shape === undefined) {
      throw publicKeyTypeError('invalidPublicKeyType', `the requested publicKeyFormat cannot express a ${key.type} key`);
    }
    const keyId = `${did}#${fingerprint}`;
    const context = [DID_CORE_CONTEXT_V1, shape.context];
    const method = verificationMethod(keyId, did, key, fingerprint, publicKeyFormat);
    if (key.type === 'X25519') {
      // An X25519 key cannot sign; the spec's X25519 example lists it under keyAgreement only.
      return { '@context': context, id: did, verificationMethod: [method], keyAgreement: [keyId] };
    }
    const document: DIDDocument = {
      '@context': context,
      id: did,
      verificationMethod: [method],
      authentication: [keyId],
      assertionMethod: [keyId],
      capabilityInvocation: [keyId],
      capabilityDelegation: [keyId],
    };
    // Derive Encryption Key Algorithm: only ed25519-pub (0xed) has a defined encryption key (x25519-pub).
    if (deriveKeyAgreement && key.type === 'Ed25519') {
      const agreementKey = ed25519ToX25519(key, { code: 'INVALID_DID' });
      const agreementFingerprint = encodeMultikey(agreementKey);
      const agreementId = `${did}#${agreementFingerprint}`;
      const agreementShape = publicKeyFormat.shapes.X25519;
      if (agreementShape === undefined) {
        throw publicKeyTypeError('invalidPublicKeyType', 'the requested publicKeyFormat cannot express an X25519 key');
      }
      // Context Creation Algorithm: one context per verification method type, without repeats.
      if (agreementShape.context !== shape.context) context.push(agreementShape.context);
      document.verificationMethod!.push(
        verificationMethod(agreementId, did, agreementKey, agreementFingerprint, publicKeyFormat),
      );
      document.keyAgreement = [agreementId];
    }
    return document;
  };

  // validate() and resolve() receive the same ParsedDid from the resolver: keep the decoded key so the hot path
  // decodes base58 once. Weak, so nothing outlives the request.
  const decodedByDid = new WeakMap<ParsedDid, DecodedKeyDid>();

  return {
    id: 'key',
    methods: ['key'],
    identifierPattern: KEY_DID_PATTERN,
    traits: TRAITS,
    // Documents are derived from the identifier: nothing to cache and no network to wait for.
    capabilities: { cacheable: false, network: false, options: KEY_RESOLUTION_OPTIONS },
    testIdentifiers: () => KEY_TEST_IDENTIFIERS,
    validate(did: ParsedDid): void {
      decodedByDid.set(did, decodeKeyDid(did));
    },
    async resolve(did: ParsedDid, options: ResolutionOptions = NO_OPTIONS): Promise<MethodResolution> {
      const decoded = decodedByDid.get(did) ?? decodeKeyDid(did);
      decodedByDid.delete(did);
      // Each option is read once; without any, the deployment's format and derivation setting apply as they are.
      const requestedFormat = options.publicKeyFormat;
      const requestedExperimental = options.enableExperimentalPublicKeyTypes;
      const requestedDerivation = options.enableEncryptionKeyDerivation;
      let publicKeyFormat = defaultFormat;
      let derive = deriveKeyAgreement;
      if (requestedFormat !== undefined || requestedExperimental !== undefined || requestedDerivation !== undefined) {
        const experimentalAllowed = booleanOption(requestedExperimental, 'enableExperimentalPublicKeyTypes', false);
        if (requestedFormat !== undefined) publicKeyFormat = formatOption(requestedFormat, experimentalAllowed);
        derive = booleanOption(requestedDerivation, 'enableEncryptionKeyDerivation', deriveKeyAgreement);
      }
      let didDocument: DIDDocument;
      try {
        didDocument = buildDocument(decoded, publicKeyFormat, derive);
      } catch (err) {
        if (err instanceof DidBridgeError) throw err;
        throw new DidBridgeError('INTERNAL_ERROR', `building the did:key document failed: ${String(err)}`, {
          cause: err,
        });
      }
      return { didDocument, didDocumentMetadata: {}, changes: [] };
    },
  };
}
