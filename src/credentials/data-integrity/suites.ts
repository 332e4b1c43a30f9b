/**
 * The Data Integrity proof suites, from the Digital Bazaar libraries (jsonld 9, jsonld-signatures 11,
 * @digitalbazaar/data-integrity 2 with the eddsa-rdfc-2022 and ecdsa-rdfc-2019 cryptosuites,
 * @digitalbazaar/ed25519-signature-2020 5), behind a small typed surface. The libraries ship JavaScript with JSDoc only;
 * this module is the one place that imports them untyped.
 *
 * didbridge uses them for the cryptographic part only — canonicalise the document and the proof options with
 * RDFC-1.0, hash, check the signature — and does key selection and authorisation itself through the bridge's
 * resolver (`src/credentials/issuer-key.ts`), so that domestic issuers' keys come from their translated documents and
 * the report can say which check failed.
 *
 * `ecdsa-rdfc-2019` hashes with the key's curve, SHA-256 for P-256 and SHA-384 for P-384 (vc-di-ecdsa, "Hashing
 * (ecdsa-rdfc-2019)"), both for the two canonical forms and inside ECDSA (@digitalbazaar/ecdsa-multikey's WebCrypto
 * verifier picks the hash from the curve); the signature is the 64- or 96-byte IEEE P1363 `r ‖ s`, multibase base58btc.
 *
 * @see https://www.w3.org/TR/vc-di-eddsa/#eddsa-rdfc-2022
 * @see https://www.w3.org/TR/vc-di-eddsa/#ed25519signature2020 (legacy suite, same algorithm with a suite-specific context)
 * @see https://www.w3.org/TR/vc-di-ecdsa/#ecdsa-rdfc-2019
 * @see https://www.w3.org/TR/vc-di-ecdsa/#hashing-ecdsa-rdfc-2019
 * @see https://www.w3.org/TR/rdf-canon/
 */
// @ts-expect-error -- untyped ESM package (JSDoc only)
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
// @ts-expect-error -- untyped ESM package (JSDoc only)
import { cryptosuite as eddsaRdfc2022Cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
// @ts-expect-error -- untyped ESM package (JSDoc only)
import { cryptosuite as ecdsaRdfc2019Cryptosuite } from '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite';
// @ts-expect-error -- untyped ESM package (JSDoc only)
import { Ed25519Signature2020 } from '@digitalbazaar/ed25519-signature-2020';
// @ts-expect-error -- untyped ESM package (JSDoc only)
import * as vc from '@digitalbazaar/vc';
import type { KeyType } from '../../keys/multikey.js';
import type { DocumentLoader } from './document-loader.js';

/** The proof types and cryptosuites this build verifies and signs. */
export const SUPPORTED_SUITES = ['eddsa-rdfc-2022', 'Ed25519Signature2020', 'ecdsa-rdfc-2019'] as const;
export type SupportedSuite = (typeof SUPPORTED_SUITES)[number];

/** The key types a signing algorithm of these suites uses. */
export type SuiteKeyType = 'Ed25519' | 'P-256' | 'P-384';

/**
 * The key types each suite verifies with: the keys the bridge offers the suite library as candidates (a key of
 * another type is skipped with the reason named in the report).
 *
 * @see https://www.w3.org/TR/vc-di-ecdsa/#ecdsa-rdfc-2019 ("P-256 or P-384"; P-521 is not part of the suite)
 */
export const SUITE_KEY_TYPES: Readonly<Record<SupportedSuite, readonly (SuiteKeyType & KeyType)[]>> = {
  'eddsa-rdfc-2022': ['Ed25519'],
  Ed25519Signature2020: ['Ed25519'],
  'ecdsa-rdfc-2019': ['P-256', 'P-384'],
};

/** The hash of `ecdsa-rdfc-2019` for each curve (vc-di-ecdsa #hashing-ecdsa-rdfc-2019): used for the canonical forms and inside ECDSA. */
export const ECDSA_HASH: Readonly<Record<'P-256' | 'P-384', 'SHA-256' | 'SHA-384'>> = { 'P-256': 'SHA-256', 'P-384': 'SHA-384' };

/**
 * Suites recognised but not supported (named in reports as FEATURE_NOT_SUPPORTED rather than as an unknown format):
 * the other W3C cryptosuites and the 2018/2019 Linked Data signature types.
 */
export const KNOWN_UNSUPPORTED_SUITES = [
  'ecdsa-jcs-2019',
  'ecdsa-sd-2023',
  'eddsa-jcs-2022',
  'bbs-2023',
  'Ed25519Signature2018',
  'EcdsaSecp256k1Signature2019',
  'EcdsaSecp256k1RecoverySignature2020',
  'JsonWebSignature2020',
  'RsaSignature2018',
  'BbsBlsSignature2020',
] as const;

/** The suite of a proof: `DataIntegrityProof` names it in `cryptosuite`, legacy proofs in `type`. */
export function suiteOf(proof: Record<string, unknown>): string | undefined {
  if (proof.type === 'DataIntegrityProof') return typeof proof.cryptosuite === 'string' ? proof.cryptosuite : undefined;
  return typeof proof.type === 'string' ? proof.type : undefined;
}

export function isSupportedSuite(suite: unknown): suite is SupportedSuite {
  return typeof suite === 'string' && (SUPPORTED_SUITES as readonly string[]).includes(suite);
}

/**
 * Signs data for a suite: the raw Ed25519 signature over the bytes, or for P-256 / P-384 the IEEE P1363 `r ‖ s` ECDSA
 * signature with SHA-256 / SHA-384 over the bytes (the suite hands over the concatenated hashes of the canonical
 * proof options and document; ECDSA hashes them once more, as WebCrypto's ECDSA does).
 */
export interface ProofSigner {
  /** The verification method id written into the proof. */
  id: string;
  algorithm: SuiteKeyType;
  sign(options: { data: Uint8Array }): Promise<Uint8Array>;
}

interface SuiteInstance {
  verifyProof(options: {
    proof: Record<string, unknown>;
    proofSet?: Array<Record<string, unknown>>;
    document: Record<string, unknown>;
    documentLoader: DocumentLoader;
    purpose?: unknown;
  }): Promise<{ verified: boolean; error?: unknown }>;
}

function suiteFor(suite: SupportedSuite, signer?: ProofSigner, date?: Date): SuiteInstance {
  const common = { ...(signer ? { signer } : {}), ...(date ? { date } : {}) };
  if (suite === 'eddsa-rdfc-2022') return new DataIntegrityProof({ cryptosuite: eddsaRdfc2022Cryptosuite, ...common }) as SuiteInstance;
  if (suite === 'ecdsa-rdfc-2019') return new DataIntegrityProof({ cryptosuite: ecdsaRdfc2019Cryptosuite, ...common }) as SuiteInstance;
  return new Ed25519Signature2020(common) as SuiteInstance;
}

/**
 * Human-readable name of the library path, for report details. For `ecdsa-rdfc-2019` with a key type it names the hash
 * the curve implies (what the suite used for that key).
 */
export function suitePath(suite: SupportedSuite, keyType?: KeyType): string {
  if (suite === 'eddsa-rdfc-2022') return 'jsonld 9 RDFC-1.0 + SHA-256 + Ed25519, @digitalbazaar/data-integrity 2 + @digitalbazaar/eddsa-rdfc-2022-cryptosuite 1';
  if (suite === 'ecdsa-rdfc-2019') {
    const curve = keyType === 'P-256' || keyType === 'P-384' ? `${ECDSA_HASH[keyType]} + ECDSA ${keyType}` : 'SHA-256/SHA-384 + ECDSA P-256/P-384';
    return `jsonld 9 RDFC-1.0 + ${curve}, @digitalbazaar/data-integrity 2 + @digitalbazaar/ecdsa-rdfc-2019-cryptosuite 1 (WebCrypto via @digitalbazaar/ecdsa-multikey)`;
  }
  return 'jsonld 9 RDFC-1.0 + SHA-256 + Ed25519, @digitalbazaar/ed25519-signature-2020 5';
}

/**
 * Checks one proof cryptographically: canonicalises the document (without `proof`) and the proof options, hashes, and
 * verifies the signature with the key the loader returns for `proof.verificationMethod`. Resolves to
 * `{ verified: false, error }` for a bad signature or a document that cannot be canonicalised; never checks who the key
 * belongs to (the caller does).
 */
export async function verifyProofCryptographically(options: {
  suite: SupportedSuite;
  document: Record<string, unknown>;
  proof: Record<string, unknown>;
  proofSet: Array<Record<string, unknown>>;
  documentLoader: DocumentLoader;
}): Promise<{ verified: boolean; error?: Error }> {
  const instance = suiteFor(options.suite);
  const result = await instance.verifyProof({
    proof: options.proof,
    proofSet: options.proofSet,
    document: options.document,
    documentLoader: options.documentLoader,
  });
  const error = result.error;
  return result.verified
    ? { verified: true }
    : { verified: false, error: error instanceof Error ? error : new Error(String(error ?? 'the proof does not verify')) };
}

/**
 * Adds a proof to a credential or presentation with `@digitalbazaar/vc` (`issue` for credentials, `signPresentation`
 * for presentations), which also checks the credential's shape (VC Data Model 1.1 or 2.0).
 */
export async function addProof(options: {
  suite: SupportedSuite;
  document: Record<string, unknown>;
  signer: ProofSigner;
  documentLoader: DocumentLoader;
  presentation?: { challenge?: string; domain?: string };
  /** The proof's `created`, an XML datetime (the library's default is now). */
  created?: string;
}): Promise<Record<string, unknown>> {
  const instance = suiteFor(options.suite, options.signer, options.created === undefined ? undefined : new Date(options.created));
  if (options.presentation) {
    return (await vc.signPresentation({
      presentation: options.document,
      suite: instance,
      documentLoader: options.documentLoader,
      ...(options.presentation.challenge !== undefined ? { challenge: options.presentation.challenge } : {}),
      ...(options.presentation.domain !== undefined ? { domain: options.presentation.domain } : {}),
    })) as Record<string, unknown>;
  }
  return (await vc.issue({ credential: options.document, suite: instance, documentLoader: options.documentLoader })) as Record<
    string,
    unknown
  >;
}
