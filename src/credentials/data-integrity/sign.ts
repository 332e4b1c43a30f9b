/**
 * Signing credentials and presentations with Data Integrity proofs (`eddsa-rdfc-2022`, `Ed25519Signature2020`,
 * `ecdsa-rdfc-2019` with P-256 or P-384), for `didbridge issue` and for tests. The signature is computed with
 * @noble/curves from a raw private key (Ed25519; ECDSA with RFC 6979 deterministic nonces, SHA-256 for P-256 and
 * SHA-384 for P-384, IEEE P1363 `r ‖ s`); canonicalisation and proof assembly are the Digital Bazaar suites', with the
 * offline document loader (the signer's own verification method is served from the key, so nothing is resolved or
 * fetched). The private key stays in this process: it is used in memory and written nowhere.
 *
 * Verification goes through another implementation (@digitalbazaar/ecdsa-multikey, i.e. WebCrypto / node:crypto), so a
 * round trip is not a signer agreeing with itself; the W3C vc-di-ecdsa vectors are reproduced byte for byte (tests).
 *
 * @see https://www.w3.org/TR/vc-di-eddsa/#create-proof-eddsa-rdfc-2022
 * @see https://www.w3.org/TR/vc-di-ecdsa/#create-proof-ecdsa-rdfc-2019
 * @see https://www.rfc-editor.org/rfc/rfc6979 (deterministic ECDSA)
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { p256, p384 } from '@noble/curves/nist.js';
import { sha256, sha384 } from '@noble/hashes/sha2.js';
import { encodeMultikey, type PublicKey } from '../../keys/multikey.js';
import { CONTEXT_URLS, type ContextDocument } from '../contexts/index.js';
import { createOfflineDocumentLoader } from './document-loader.js';
import {
  addProof,
  isSupportedSuite,
  SUITE_KEY_TYPES,
  SUPPORTED_SUITES,
  type ProofSigner,
  type SuiteKeyType,
  type SupportedSuite,
} from './suites.js';

/** Private key lengths of the signing key types, in bytes. */
export const PRIVATE_KEY_LENGTH: Readonly<Record<SuiteKeyType, number>> = { Ed25519: 32, 'P-256': 32, 'P-384': 48 };

/** Options of {@link signDataIntegrity}. */
export interface SignDataIntegrityOptions {
  /** The unsigned credential or presentation (VC Data Model 1.1 or 2.0). Not modified. */
  document: Record<string, unknown>;
  /** The private key: the 32-byte Ed25519 seed, or the P-256 (32-byte) / P-384 (48-byte) scalar, big-endian. */
  privateKey: Uint8Array;
  /**
   * The key's type. Default: `Ed25519` for the EdDSA suites; for `ecdsa-rdfc-2019`, the curve the private key's length
   * names (32 bytes P-256, 48 bytes P-384).
   */
  keyType?: SuiteKeyType;
  /** The verification method id written into the proof (an absolute DID URL). */
  verificationMethod: string;
  /**
   * `eddsa-rdfc-2022`, `Ed25519Signature2020` or `ecdsa-rdfc-2019`. Default: `eddsa-rdfc-2022` for Ed25519 keys,
   * `ecdsa-rdfc-2019` for P-256 and P-384 keys.
   */
  suite?: SupportedSuite;
  /** The proof's `created` (XML datetime). Default: now. */
  created?: string;
  /** Presentations (required there): the verifier's challenge; and its domain. The proof purpose is then `authentication`. */
  challenge?: string;
  domain?: string;
  /** Contexts to serve besides the bundled ones. */
  contexts?: ReadonlyMap<string, ContextDocument>;
}

function hasContext(document: Record<string, unknown>, url: string): boolean {
  const c = document['@context'];
  return c === url || (Array.isArray(c) && c.includes(url));
}

/** The public key and the suite signer of a raw private key. The key is captured in the closure, nowhere else. */
function signerFor(keyType: SuiteKeyType, privateKey: Uint8Array, id: string): { publicKey: PublicKey; signer: ProofSigner } {
  if (keyType === 'Ed25519') {
    return {
      publicKey: { type: 'Ed25519', bytes: ed25519.getPublicKey(privateKey) },
      signer: { id, algorithm: 'Ed25519', sign: async ({ data }) => ed25519.sign(data, privateKey) },
    };
  }
  // ECDSA over the suite's data (hash of the canonical proof options ‖ hash of the canonical document) with the
  // curve's hash, as WebCrypto's ECDSA { hash } does on the verifying side (vc-di-ecdsa, "Proof Serialization
  // (ecdsa-rdfc-2019)").
  const [curve, hash] = keyType === 'P-256' ? [p256, sha256] : [p384, sha384];
  let publicKey: Uint8Array;
  try {
    publicKey = curve.getPublicKey(privateKey, true);
  } catch {
    throw new TypeError(`"options.privateKey" is not a valid ${keyType} private key (zero or not below the group order)`);
  }
  return {
    publicKey: { type: keyType, bytes: publicKey },
    signer: {
      id,
      algorithm: keyType,
      // No low-s normalisation: WebCrypto does not normalise either, ECDSA verification accepts both halves, and the
      // W3C P-256 vector has a high s, which only an unnormalised RFC 6979 signer reproduces.
      sign: async ({ data }) => curve.sign(hash(data), privateKey, { prehash: false, lowS: false }).toBytes('compact'),
    },
  };
}

/**
 * Adds a Data Integrity proof. Credentials get an `assertionMethod` proof, documents whose `type` includes
 * `VerifiablePresentation` an `authentication` proof. For `Ed25519Signature2020` the suite context is appended to
 * `@context` when missing (the suite requires it).
 *
 * @throws TypeError for misuse (wrong key length, a key type the suite cannot sign with, unknown suite); Error from the
 *   suite library when the document is not a valid credential (e.g. missing `issuer`) or names a context that is not
 *   bundled
 * @example
 * const signed = await signDataIntegrity({ document: credential, privateKey, verificationMethod: `${did}#${fragment}` })
 * const ecdsa = await signDataIntegrity({ document: credential, privateKey: p384Key, keyType: 'P-384', verificationMethod })
 */
export async function signDataIntegrity(options: SignDataIntegrityOptions): Promise<Record<string, unknown>> {
  if (options === null || typeof options !== 'object') throw new TypeError('"options" must be an object');
  const { document, privateKey, verificationMethod } = options;
  if (document === null || typeof document !== 'object' || Array.isArray(document)) throw new TypeError('"options.document" must be an object');
  if (options.suite !== undefined && !isSupportedSuite(options.suite)) {
    throw new TypeError(`"options.suite" must be one of ${SUPPORTED_SUITES.join(', ')}`);
  }
  if (options.keyType !== undefined && !Object.prototype.hasOwnProperty.call(PRIVATE_KEY_LENGTH, options.keyType)) {
    throw new TypeError(`"options.keyType" must be one of ${Object.keys(PRIVATE_KEY_LENGTH).join(', ')}`);
  }
  if (!(privateKey instanceof Uint8Array)) throw new TypeError('"options.privateKey" must be a Uint8Array');
  const keyType: SuiteKeyType =
    options.keyType ?? (options.suite === 'ecdsa-rdfc-2019' ? (privateKey.length === 48 ? 'P-384' : 'P-256') : 'Ed25519');
  const suite: SupportedSuite = options.suite ?? (keyType === 'Ed25519' ? 'eddsa-rdfc-2022' : 'ecdsa-rdfc-2019');
  if (!(SUITE_KEY_TYPES[suite] as readonly string[]).includes(keyType)) {
    throw new TypeError(`"options.keyType": ${suite} signs with ${SUITE_KEY_TYPES[suite].join(' or ')} keys, not ${keyType}`);
  }
  if (privateKey.length !== PRIVATE_KEY_LENGTH[keyType]) {
    throw new TypeError(`"options.privateKey" must be a ${PRIVATE_KEY_LENGTH[keyType]}-byte ${keyType} private key`);
  }
  if (typeof verificationMethod !== 'string' || !verificationMethod.startsWith('did:') || !verificationMethod.includes('#')) {
    throw new TypeError('"options.verificationMethod" must be an absolute DID URL with a fragment');
  }
  const { publicKey, signer } = signerFor(keyType, privateKey, verificationMethod);
  const controller = verificationMethod.slice(0, verificationMethod.indexOf('#'));
  const method = {
    '@context': CONTEXT_URLS.multikeyV1,
    id: verificationMethod,
    type: 'Multikey',
    controller,
    publicKeyMultibase: encodeMultikey(publicKey),
  };
  const documentLoader = createOfflineDocumentLoader({
    documents: new Map<string, unknown>([
      [verificationMethod, method],
      [controller, { '@context': [CONTEXT_URLS.didV1, CONTEXT_URLS.multikeyV1], id: controller, verificationMethod: [method], assertionMethod: [verificationMethod], authentication: [verificationMethod] }],
    ]),
    ...(options.contexts ? { contexts: options.contexts } : {}),
  });
  let unsigned = structuredClone(document);
  if (suite === 'Ed25519Signature2020' && !hasContext(unsigned, CONTEXT_URLS.ed25519Signature2020V1)) {
    const c = unsigned['@context'];
    unsigned = { ...unsigned, '@context': [...(Array.isArray(c) ? c : [c]), CONTEXT_URLS.ed25519Signature2020V1] };
  }
  const isPresentation = ([] as unknown[]).concat(unsigned.type).includes('VerifiablePresentation');
  if (isPresentation && (typeof options.challenge !== 'string' || options.challenge === '')) {
    // An authentication proof without a challenge can be replayed to any verifier (VC Data Integrity §2.1.2).
    throw new TypeError('"options.challenge" is required to sign a presentation (authentication proofs need a challenge)');
  }
  return addProof({
    suite,
    document: unsigned,
    signer,
    documentLoader,
    ...(options.created !== undefined ? { created: options.created } : {}),
    ...(isPresentation
      ? { presentation: { ...(options.challenge !== undefined ? { challenge: options.challenge } : {}), ...(options.domain !== undefined ? { domain: options.domain } : {}) } }
      : {}),
  });
}
