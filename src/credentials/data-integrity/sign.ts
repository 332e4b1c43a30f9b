/**
 * Signing credentials and presentations with Data Integrity proofs (`eddsa-rdfc-2022`, `Ed25519Signature2020`), for
 * `didbridge issue` and for tests. The signature is computed with @noble/curves Ed25519 from a raw 32-byte private key;
 * canonicalisation and proof assembly are the Digital Bazaar suites', with the offline document loader (the signer's
 * own verification method is served from the key, so nothing is resolved or fetched).
 *
 * @see https://www.w3.org/TR/vc-di-eddsa/#create-proof-eddsa-rdfc-2022
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { encodeMultikey } from '../../keys/multikey.js';
import { CONTEXT_URLS, type ContextDocument } from '../contexts/index.js';
import { createOfflineDocumentLoader } from './document-loader.js';
import { addProof, isSupportedSuite, SUPPORTED_SUITES, type SupportedSuite } from './suites.js';

/** Options of {@link signDataIntegrity}. */
export interface SignDataIntegrityOptions {
  /** The unsigned credential or presentation (VC Data Model 1.1 or 2.0). Not modified. */
  document: Record<string, unknown>;
  /** The 32-byte Ed25519 private key (seed). */
  privateKey: Uint8Array;
  /** The verification method id written into the proof (an absolute DID URL). */
  verificationMethod: string;
  /** `eddsa-rdfc-2022` (default) or `Ed25519Signature2020`. */
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

/**
 * Adds a Data Integrity proof. Credentials get an `assertionMethod` proof, documents whose `type` includes
 * `VerifiablePresentation` an `authentication` proof. For `Ed25519Signature2020` the suite context is appended to
 * `@context` when missing (the suite requires it).
 *
 * @throws TypeError for misuse (wrong key length, unknown suite); Error from the suite library when the document is
 *   not a valid credential (e.g. missing `issuer`) or names a context that is not bundled
 * @example
 * const signed = await signDataIntegrity({ document: credential, privateKey, verificationMethod: `${did}#${fragment}` })
 */
export async function signDataIntegrity(options: SignDataIntegrityOptions): Promise<Record<string, unknown>> {
  if (options === null || typeof options !== 'object') throw new TypeError('"options" must be an object');
  const { document, privateKey, verificationMethod } = options;
  const suite = options.suite ?? 'eddsa-rdfc-2022';
  if (document === null || typeof document !== 'object' || Array.isArray(document)) throw new TypeError('"options.document" must be an object');
  if (!(privateKey instanceof Uint8Array) || privateKey.length !== 32) {
    throw new TypeError('"options.privateKey" must be a 32-byte Ed25519 private key');
  }
  if (typeof verificationMethod !== 'string' || !verificationMethod.startsWith('did:') || !verificationMethod.includes('#')) {
    throw new TypeError('"options.verificationMethod" must be an absolute DID URL with a fragment');
  }
  if (!isSupportedSuite(suite)) throw new TypeError(`"options.suite" must be one of ${SUPPORTED_SUITES.join(', ')}`);
  const publicKey = ed25519.getPublicKey(privateKey);
  const controller = verificationMethod.slice(0, verificationMethod.indexOf('#'));
  const method = {
    '@context': CONTEXT_URLS.multikeyV1,
    id: verificationMethod,
    type: 'Multikey',
    controller,
    publicKeyMultibase: encodeMultikey({ type: 'Ed25519', bytes: publicKey }),
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
    signer: { id: verificationMethod, algorithm: 'Ed25519', sign: async ({ data }) => ed25519.sign(data, privateKey) },
    documentLoader,
    ...(options.created !== undefined ? { created: options.created } : {}),
    ...(isPresentation
      ? { presentation: { ...(options.challenge !== undefined ? { challenge: options.challenge } : {}), ...(options.domain !== undefined ? { domain: options.domain } : {}) } }
      : {}),
  });
}
