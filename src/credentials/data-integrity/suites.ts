/**
 * The Data Integrity proof suites, from the Digital Bazaar libraries (jsonld 9, jsonld-signatures 11,
 * @digitalbazaar/data-integrity 2 with the eddsa-rdfc-2022 cryptosuite, @digitalbazaar/ed25519-signature-2020 5), behind
 * a small typed surface. The libraries ship JavaScript with JSDoc only; this module is the one place that imports
 * them untyped.
 *
 * didbridge uses them for the cryptographic part only — canonicalise the document and the proof options with
 * RDFC-1.0, hash, check the Ed25519 signature — and does key selection and authorisation itself through the bridge's
 * resolver (`src/credentials/issuer-key.ts`), so that domestic issuers' keys come from their translated documents and
 * the report can say which check failed.
 *
 * @see https://www.w3.org/TR/vc-di-eddsa/#eddsa-rdfc-2022
 * @see https://www.w3.org/TR/vc-di-eddsa/#ed25519signature2020 (legacy suite, same algorithm with a suite-specific context)
 * @see https://www.w3.org/TR/rdf-canon/
 */
// @ts-expect-error -- untyped ESM package (JSDoc only)
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
// @ts-expect-error -- untyped ESM package (JSDoc only)
import { cryptosuite as eddsaRdfc2022Cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
// @ts-expect-error -- untyped ESM package (JSDoc only)
import { Ed25519Signature2020 } from '@digitalbazaar/ed25519-signature-2020';
// @ts-expect-error -- untyped ESM package (JSDoc only)
import * as vc from '@digitalbazaar/vc';
import type { DocumentLoader } from './document-loader.js';

/** The proof types and cryptosuites this build verifies and signs. */
export const SUPPORTED_SUITES = ['eddsa-rdfc-2022', 'Ed25519Signature2020'] as const;
export type SupportedSuite = (typeof SUPPORTED_SUITES)[number];

/**
 * Suites recognised but not supported (named in reports as FEATURE_NOT_SUPPORTED rather than as an unknown format):
 * the other W3C cryptosuites and the 2018/2019 Linked Data signature types.
 */
export const KNOWN_UNSUPPORTED_SUITES = [
  'ecdsa-rdfc-2019',
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

/** Signs data for a suite: the raw Ed25519 signature over the bytes. */
export interface Ed25519Signer {
  /** The verification method id written into the proof. */
  id: string;
  algorithm: 'Ed25519';
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

function suiteFor(suite: SupportedSuite, signer?: Ed25519Signer, date?: Date): SuiteInstance {
  const common = { ...(signer ? { signer } : {}), ...(date ? { date } : {}) };
  if (suite === 'eddsa-rdfc-2022') return new DataIntegrityProof({ cryptosuite: eddsaRdfc2022Cryptosuite, ...common }) as SuiteInstance;
  return new Ed25519Signature2020(common) as SuiteInstance;
}

/** Human-readable name of the library path, for report details. */
export function suitePath(suite: SupportedSuite): string {
  return suite === 'eddsa-rdfc-2022'
    ? 'jsonld 9 RDFC-1.0 + @digitalbazaar/data-integrity 2 + @digitalbazaar/eddsa-rdfc-2022-cryptosuite 1'
    : 'jsonld 9 RDFC-1.0 + @digitalbazaar/ed25519-signature-2020 5';
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
  signer: Ed25519Signer;
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
