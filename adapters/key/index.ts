/**
 * The did:key adapter: a DID that is its own public key, expanded into a document with no I/O.
 *
 * `did:key:z<base58btc(varint(multicodec) ‖ key)>` (optionally `did:key:1:z…`, the version the spec allows) becomes
 * one verification method for the key, referenced from the four signing relationships; an X25519 key is referenced
 * from `keyAgreement` only; an Ed25519 key also gets the X25519 key derived from it in `keyAgreement`, unless
 * `enableEncryptionKeyDerivation` is false.
 *
 * Key types: Ed25519, X25519, secp256k1, P-256, P-384 (the did:key v0.7 table) and SM2 (`sm2-pub` 0x1206, a draft
 * multicodec). Registered codecs that are not handled (P-521, RSA, BLS12-381, ...) resolve to FEATURE_NOT_SUPPORTED.
 *
 * @see https://w3c-ccg.github.io/did-method-key/ (v0.7, Document Creation Algorithm)
 */
import type { MethodAdapter, MethodResolution } from '../../src/adapter.js';
import { DidBridgeError, InvalidDidError } from '../../src/errors.js';
import { publicKeyToJwk } from '../../src/keys/jwk.js';
import { decodeMultikey, ed25519ToX25519, encodeMultikey, type PublicKey } from '../../src/keys/multikey.js';
import {
  DID_CORE_CONTEXT_V1,
  JWK_CONTEXT_V1,
  MULTIKEY_CONTEXT_V1,
  type DIDDocument,
  type MethodTraits,
  type VerificationMethod,
} from '../../src/spec.js';
import type { ParsedDid } from '../../src/syntax/did-url.js';

/** Configuration of the did:key adapter (every member optional). */
export interface KeyAdapterConfig {
  /**
   * How verification methods carry the key: `Multikey` with `publicKeyMultibase` (default), or `JsonWebKey` with
   * `publicKeyJwk` (both types of Controlled Identifiers 1.0; the did:key spec's `options.publicKeyFormat`).
   */
  publicKeyFormat?: 'Multikey' | 'JsonWebKey';
  /**
   * Whether an Ed25519 DID also lists the X25519 key derived from it under `keyAgreement`
   * (the did:key spec's `options.enableEncryptionKeyDerivation`; default true, as in the spec's examples).
   */
  enableEncryptionKeyDerivation?: boolean;
}

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
  const keyContext = format === 'Multikey' ? MULTIKEY_CONTEXT_V1 : JWK_CONTEXT_V1;

  const verificationMethod = (id: string, controller: string, key: PublicKey, fingerprint: string): VerificationMethod =>
    format === 'Multikey'
      ? { id, type: 'Multikey', controller, publicKeyMultibase: fingerprint }
      : { id, type: 'JsonWebKey', controller, publicKeyJwk: publicKeyToJwk(key) };

  const buildDocument = ({ did, fingerprint, key }: DecodedKeyDid): DIDDocument => {
    const keyId = `${did}#${fingerprint}`;
    const context = [DID_CORE_CONTEXT_V1, keyContext];
    const method = verificationMethod(keyId, did, key, fingerprint);
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
      document.verificationMethod!.push(verificationMethod(agreementId, did, agreementKey, agreementFingerprint));
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
    capabilities: { cacheable: false, network: false },
    testIdentifiers: () => KEY_TEST_IDENTIFIERS,
    validate(did: ParsedDid): void {
      decodedByDid.set(did, decodeKeyDid(did));
    },
    async resolve(did: ParsedDid): Promise<MethodResolution> {
      const decoded = decodedByDid.get(did) ?? decodeKeyDid(did);
      decodedByDid.delete(did);
      let didDocument: DIDDocument;
      try {
        didDocument = buildDocument(decoded);
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
