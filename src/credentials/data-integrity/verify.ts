/**
 * The Data Integrity format verifier: credentials and presentations secured with embedded proofs (`proof` member),
 * cryptosuites `eddsa-rdfc-2022` and `ecdsa-rdfc-2019` (P-256, P-384) (`DataIntegrityProof`) and the legacy
 * `Ed25519Signature2020`.
 *
 * The verification algorithm of VC Data Integrity §4.4 is split so that each step lands in its own check:
 *
 * | step | check |
 * |---|---|
 * | the document is a VC/VP with a proof of a known suite; its contexts are bundled | `format` |
 * | the verification method's DID resolves (through the bridge) | `issuer-resolution` |
 * | the key the proof names belongs to the issuer (holder) and is under `assertionMethod` (`authentication`) | `key-authorised` |
 * | RDFC-1.0 canonicalisation + SHA-256 + Ed25519, or + SHA-256 / SHA-384 + ECDSA P-256 / P-384, over the proof options and the document | `signature` |
 * | `validFrom` / `validUntil` (2.0), `issuanceDate` / `expirationDate` (1.1) | `validity-period` |
 * | `credentialStatus` | `status` |
 * | presentations: `challenge`, `domain`, holder binding, each credential inside | `challenge`, `domain`, `holder-binding` |
 *
 * Canonicalisation needs every JSON-LD context the document names. They come from the bundle
 * (`src/credentials/contexts/`); nothing is fetched (see `document-loader.ts`), and a context that is not bundled is
 * named in the report.
 *
 * @see https://www.w3.org/TR/vc-data-integrity/#verify-proof
 * @see https://www.w3.org/TR/vc-di-eddsa/#verify-proof-eddsa-rdfc-2022
 * @see https://www.w3.org/TR/vc-di-ecdsa/#verify-proof-ecdsa-rdfc-2019
 * @see https://www.w3.org/TR/vc-data-model-2.0/#verification
 */
import { toDidBridgeError } from '../../errors.js';
import { encodeMultikey } from '../../keys/multikey.js';
import type { ValidityBound } from '../clock.js';
import { readXmlDatetime, VALIDITY_KIND, type ValiditySource } from '../clock.js';
import { bundledContext, CONTEXT_URLS, type ContextDocument } from '../contexts/index.js';
import type { FormatVerifier, VerifyContext } from '../format.js';
import { verifyWithCandidates, type CandidateKey, type KeyRelationship } from '../issuer-key.js';
import { ReportBuilder, type VerificationReport } from '../report.js';
import { createOfflineDocumentLoader, DocumentLoadRefusedError, type DocumentLoadEvent } from './document-loader.js';
import {
  isSupportedSuite,
  KNOWN_UNSUPPORTED_SUITES,
  SUITE_KEY_TYPES,
  SUPPORTED_SUITES,
  suiteOf,
  suitePath,
  verifyProofCryptographically,
  type SupportedSuite,
} from './suites.js';

/** The report formats of this verifier. */
export const DATA_INTEGRITY_FORMAT = 'data-integrity';
export const DATA_INTEGRITY_VP_FORMAT = 'data-integrity-vp';

/** The proof types handled elsewhere (JWT wrappers, WeIdentity translations), which this verifier does not claim. */
const FOREIGN_PROOF_TYPES = new Set(['JwtProof2020', 'WeIdentityCredentialPojoProof']);

/** Most proofs verified on one document (a proof set); more is a failed `format` check. */
export const MAX_PROOFS = 8;

/** Options of {@link dataIntegrityFormatVerifier}. */
export interface DataIntegrityVerifierOptions {
  /** Contexts to accept besides the bundled ones (URL → context document), e.g. a deployment's own vocabulary. */
  contexts?: ReadonlyMap<string, ContextDocument>;
  /** Called for every document the JSON-LD processor asks for (for logs; tests use it to prove nothing is fetched). */
  onDocumentLoad?: (event: DocumentLoadEvent) => void;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function typesOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((t): t is string => typeof t === 'string') : [];
}

function proofsOf(value: Record<string, unknown>): unknown[] {
  const proof = value.proof;
  return proof === undefined ? [] : Array.isArray(proof) ? proof : [proof];
}

function didOf(didUrl: string): string {
  const end = didUrl.search(/[/?#]/);
  return end < 0 ? didUrl : didUrl.slice(0, end);
}

function idOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (isObject(value) && typeof value.id === 'string') return value.id;
  return undefined;
}

/**
 * Whether a value looks like a JSON-LD credential or presentation with an embedded proof that is not a JWT wrapper or
 * a WeIdentity translation. Cheap and pure.
 */
export function isDataIntegrityDocument(input: unknown): input is Record<string, unknown> {
  if (!isObject(input) || input['@context'] === undefined) return false;
  const proofs = proofsOf(input);
  if (proofs.length === 0) return false;
  return proofs.some((p) => isObject(p) && typeof p.type === 'string' && !FOREIGN_PROOF_TYPES.has(p.type));
}

/** The string contexts of a document's top-level `@context` that are neither bundled nor supplied. */
function missingContexts(context: unknown, extra?: ReadonlyMap<string, ContextDocument>): string[] {
  const entries = Array.isArray(context) ? context : [context];
  return entries.filter((c): c is string => typeof c === 'string' && bundledContext(c) === undefined && !extra?.has(c));
}

/** Reads the validity bounds of a VC Data Model 1.1 or 2.0 credential; `bad` names members that are not datetimes. */
function validityBounds(credential: Record<string, unknown>): { bounds: ValidityBound[]; bad: string[] } {
  const bounds: ValidityBound[] = [];
  const bad: string[] = [];
  for (const source of ['validFrom', 'validUntil', 'issuanceDate', 'expirationDate'] as const satisfies readonly ValiditySource[]) {
    const at = readXmlDatetime(credential[source]);
    if (at === null) bad.push(source);
    else if (at !== undefined) bounds.push({ source, kind: VALIDITY_KIND[source], at });
  }
  return { bounds, bad };
}

/** The verification method a suite library is given for a candidate key: always a Multikey, whatever the DID document wrote. */
function multikeyMethod(candidate: CandidateKey, controller: string): Record<string, unknown> {
  return {
    '@context': CONTEXT_URLS.multikeyV1,
    id: candidate.id,
    type: 'Multikey',
    controller,
    publicKeyMultibase: encodeMultikey(candidate.publicKey),
  };
}

/** Checks one proof and adds `issuer-resolution`, `signature` and `key-authorised`. */
async function verifyOneProof(options: {
  document: Record<string, unknown>;
  unsecured: Record<string, unknown>;
  proof: Record<string, unknown>;
  proofSet: Array<Record<string, unknown>>;
  suite: SupportedSuite;
  relationship: KeyRelationship;
  /** The issuer (credentials) or holder (presentations) the key must belong to. */
  expectedController: string | undefined;
  ctx: VerifyContext;
  r: ReportBuilder;
  settings: DataIntegrityVerifierOptions;
}): Promise<void> {
  const { proof, suite, relationship, expectedController, ctx, r } = options;
  const who = relationship === 'authentication' ? 'holder' : 'issuer';
  const vm = idOf(proof.verificationMethod);
  if (vm === undefined || !vm.startsWith('did:')) {
    r.fail('issuer-resolution', `the proof's verificationMethod ${vm === undefined ? 'is missing' : `"${vm.slice(0, 200)}" is not a DID URL`}; only keys of DIDs can be resolved`, vm === undefined ? 'MALFORMED_VALUE_ERROR' : 'INVALID_VERIFICATION_METHOD');
    r.skip('signature', 'not checked: no resolvable verification method');
    return;
  }
  const vmDid = didOf(vm);
  const keys = await ctx.resolveIssuerKey({ did: vmDid, kid: vm, relationship, keyTypes: SUITE_KEY_TYPES[suite] });
  r.add(keys.resolution, keys.resolutionCode);
  r.report.issuer = expectedController !== undefined && expectedController !== vmDid ? { id: expectedController } : keys.issuer;

  const events: DocumentLoadEvent[] = [];
  const onLoad = (event: DocumentLoadEvent) => {
    events.push(event);
    options.settings.onDocumentLoad?.(event);
  };
  const verification = await verifyWithCandidates({
    resolution: keys,
    algorithm: suite,
    verify: async (candidate) => {
      const documentLoader = createOfflineDocumentLoader({
        resolver: ctx.resolver,
        ...(options.settings.contexts ? { contexts: options.settings.contexts } : {}),
        // The suite asks the loader for the key; it gets the candidate the bridge selected, as a Multikey.
        documents: new Map([[vm, multikeyMethod(candidate, vmDid)]]),
        onLoad,
      });
      const result = await verifyProofCryptographically({
        suite,
        document: options.unsecured,
        proof,
        proofSet: options.proofSet,
        documentLoader,
      });
      // A bad signature is "not valid"; anything else (a refused context, a safe-mode canonicalisation error) is a
      // reason the report should give, which verifyWithCandidates records from a throw.
      if (!result.verified && result.error && (isLoaderError(result.error) || result.error.message !== 'Invalid signature.')) {
        throw result.error;
      }
      return { valid: result.verified, path: suitePath(suite, candidate.publicKey.type) };
    },
  });
  const refused = events.filter((e) => e.outcome === 'refused');
  if (refused.length > 0 && verification.signature.outcome !== 'pass') {
    r.fail(
      'signature',
      `the proof could not be checked: ${refused.map((e) => e.detail ?? e.url).join('; ').slice(0, 600)}`,
      'FEATURE_NOT_SUPPORTED',
      { refused: refused.map((e) => e.url) },
    );
  } else {
    r.add(verification.signature, verification.signatureCode);
  }
  if (verification.key) r.report.key = verification.key;

  // The key must belong to the issuer (holder): a valid signature by someone else's key proves nothing about them.
  if (expectedController === undefined) {
    r.fail('key-authorised', `the ${who} is missing, so the key ${vm.slice(0, 200)} cannot be tied to it`, 'MALFORMED_VALUE_ERROR');
  } else if (expectedController !== vmDid) {
    r.fail(
      'key-authorised',
      `the proof's key ${vm.slice(0, 200)} belongs to ${vmDid.slice(0, 200)}, not to the ${who} ${expectedController.slice(0, 200)} (VC Data Model 2.0 §4.7: the ${who} must make the proof)`,
      'INVALID_VERIFICATION_METHOD',
    );
  } else {
    r.add(verification.keyAuthorised, verification.keyAuthorisedCode);
  }
}

function isLoaderError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof DocumentLoadRefusedError) return true;
    const details = (e as { details?: { cause?: unknown } }).details;
    if (details?.cause instanceof DocumentLoadRefusedError) return true;
  }
  return false;
}

/** Verifies a Data Integrity credential or presentation (see the module comment). Never throws for bad input. */
export async function verifyDataIntegrity(
  input: unknown,
  ctx: VerifyContext,
  settings: DataIntegrityVerifierOptions = {},
): Promise<VerificationReport> {
  const types = isObject(input) ? typesOf(input.type) : [];
  const isPresentation = types.includes('VerifiablePresentation');
  const r = new ReportBuilder(isPresentation ? DATA_INTEGRITY_VP_FORMAT : DATA_INTEGRITY_FORMAT);
  if (!isDataIntegrityDocument(input)) {
    return r.fail('format', 'not a JSON-LD credential or presentation with an embedded proof', 'PARSING_ERROR').finish();
  }
  const document = input;
  if (!isPresentation && !types.includes('VerifiableCredential')) {
    return r.fail('format', '"type" must include VerifiableCredential or VerifiablePresentation', 'MALFORMED_VALUE_ERROR').finish();
  }
  const expect = ctx.options.expect;
  if ((expect === 'credential' && isPresentation) || (expect === 'presentation' && !isPresentation)) {
    return r.fail('format', `expected a ${expect}, got a ${isPresentation ? 'presentation' : 'credential'}`, 'MALFORMED_VALUE_ERROR').finish();
  }
  const contexts = Array.isArray(document['@context']) ? document['@context'] : [document['@context']];
  const base = contexts[0];
  if (base !== CONTEXT_URLS.credentialsV2 && base !== CONTEXT_URLS.credentialsV1) {
    return r
      .fail('format', `the first @context must be ${CONTEXT_URLS.credentialsV2} (VC Data Model 2.0) or ${CONTEXT_URLS.credentialsV1} (1.1)`, 'MALFORMED_VALUE_ERROR')
      .finish();
  }
  const missing = missingContexts(document['@context'], settings.contexts);
  if (missing.length > 0) {
    return r
      .fail(
        'format',
        `the @context names ${missing.map((m) => m.slice(0, 200)).join(', ')}, which didbridge does not bundle; contexts are never fetched, so the proof cannot be canonicalised`,
        'FEATURE_NOT_SUPPORTED',
        { contexts: missing.map((m) => m.slice(0, 500)) },
      )
      .finish();
  }
  const proofs = proofsOf(document);
  if (proofs.length > MAX_PROOFS) {
    return r.fail('format', `the document carries ${proofs.length} proofs; the limit is ${MAX_PROOFS}`, 'LIMIT_EXCEEDED').finish();
  }
  if (!proofs.every(isObject)) return r.fail('format', '"proof" must be an object or an array of objects', 'MALFORMED_VALUE_ERROR').finish();
  const proofSet = proofs as Array<Record<string, unknown>>;
  const suites = proofSet.map(suiteOf);
  const unsupported = suites.filter((s) => !isSupportedSuite(s));
  if (unsupported.length > 0) {
    const names = unsupported.map((s) => s ?? '(none)').join(', ');
    const known = unsupported.every((s) => s !== undefined && (KNOWN_UNSUPPORTED_SUITES as readonly string[]).includes(s));
    r.pass('format', `a ${isPresentation ? 'presentation' : 'credential'} with ${proofSet.length} embedded proof(s)`);
    return r
      .fail(
        'signature',
        `${known ? 'the proof suite' : 'the unknown proof suite'} ${names} is not supported; supported: ${SUPPORTED_SUITES.join(', ')}`,
        'FEATURE_NOT_SUPPORTED',
      )
      .finish();
  }
  const { bounds, bad } = isPresentation ? { bounds: [], bad: [] } : validityBounds(document);
  if (bad.length > 0) {
    return r.fail('format', `${bad.join(', ')} must be XML Schema datetimes (VC Data Model 2.0 §4.9)`, 'MALFORMED_VALUE_ERROR').finish();
  }
  const version = base === CONTEXT_URLS.credentialsV2 ? 'VC Data Model 2.0' : 'VC Data Model 1.1';
  r.pass('format', `a ${version} ${isPresentation ? 'presentation' : 'credential'} with ${proofSet.length} embedded proof(s) (${suites.join(', ')}); all ${contexts.length} context(s) bundled`);

  const relationship: KeyRelationship = isPresentation ? 'authentication' : 'assertionMethod';
  const expectedController = idOf(isPresentation ? document.holder : document.issuer);
  const { proof: _proof, ...unsecured } = document;
  for (const proof of proofSet) {
    if (proof.proofPurpose !== relationship) {
      r.fail(
        'signature',
        `the proof's proofPurpose is ${JSON.stringify(proof.proofPurpose ?? null).slice(0, 100)}; a ${isPresentation ? 'presentation' : 'credential'} proof must be for ${relationship} (VC Data Integrity §4.4 step "expected proof purpose")`,
        'CRYPTOGRAPHIC_SECURITY_ERROR',
      );
      continue;
    }
    await verifyOneProof({
      document,
      unsecured,
      proof,
      proofSet,
      suite: suiteOf(proof) as SupportedSuite,
      relationship,
      expectedController,
      ctx,
      r,
      settings,
    });
  }

  if (isPresentation) {
    await verifyPresentationParts(document, proofSet, expectedController, ctx, r);
  } else {
    const validity = ctx.checkValidity(bounds);
    r.add(validity.check, validity.code);
    const status = await ctx.checkStatus(document);
    r.add(status.check, status.code);
  }
  r.report.credential = document;
  return r.finish();
}

function subjectIds(credential: unknown): string[] {
  if (!isObject(credential)) return [];
  const subjects = Array.isArray(credential.credentialSubject) ? credential.credentialSubject : [credential.credentialSubject];
  return subjects.map(idOf).filter((id): id is string => id !== undefined);
}

/** Presentations: challenge and domain (replay protection), the credentials inside, holder binding. */
async function verifyPresentationParts(
  presentation: Record<string, unknown>,
  proofs: Array<Record<string, unknown>>,
  holder: string | undefined,
  ctx: VerifyContext,
  r: ReportBuilder,
): Promise<void> {
  const { challenge, domain, subjectBinding, maxCredentials } = ctx.options;
  const challenges = proofs.map((p) => p.challenge);
  if (challenge !== undefined) {
    if (challenges.every((c) => c === challenge)) r.pass('challenge', 'the proof\'s "challenge" is the expected one');
    else r.fail('challenge', 'the proof\'s "challenge" is not the expected one: the presentation may be replayed', 'CHALLENGE_MISMATCH');
  } else if (challenges.some((c) => c !== undefined)) {
    r.warn('challenge', 'the proof carries a "challenge" but no expected challenge was given, so replay was not checked');
  }
  if (domain !== undefined) {
    const ok = proofs.every((p) => p.domain === domain || (Array.isArray(p.domain) && p.domain.includes(domain)));
    if (ok) r.pass('domain', `the proof's "domain" includes ${domain}`);
    else r.fail('domain', `the proof's "domain" is not ${domain}: the presentation was made for another verifier`, 'AUDIENCE_MISMATCH');
  }
  const raw = presentation.verifiableCredential;
  const entries = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  const reports: VerificationReport[] = [];
  if (entries.length > maxCredentials) {
    r.fail('format', `the presentation carries ${entries.length} credentials; the limit is ${maxCredentials}`, 'LIMIT_EXCEEDED');
  } else {
    for (const entry of entries) reports.push(await ctx.verifyEmbedded(entry, { expect: 'credential' }));
  }
  r.report.presentation = { ...(holder !== undefined ? { holder } : {}), credentials: reports };

  const signed = r.report.key !== undefined && !r.failed('key-authorised') && !r.failed('signature');
  const facts = [
    signed
      ? `signed by the holder ${String(holder).slice(0, 200)} with ${r.report.key!.verificationMethod.slice(0, 200)} (authentication)`
      : `not shown to be signed by the holder${holder ? ` ${holder.slice(0, 200)}` : ''} with an authentication key`,
  ];
  let outcome: 'pass' | 'warn' | 'fail' = signed ? 'pass' : 'fail';
  if (subjectBinding !== 'off' && holder !== undefined) {
    const others: string[] = [];
    reports.forEach((report, index) => {
      const ids = subjectIds(report.credential);
      if (ids.length > 0 && !ids.includes(holder)) others.push(`credential ${index} is about ${ids.join(', ').slice(0, 200)}`);
    });
    if (others.length > 0) {
      facts.push(`${others.join('; ')}, not the holder`);
      if (outcome === 'pass') outcome = subjectBinding === 'fail' ? 'fail' : 'warn';
    } else if (reports.length > 0) {
      facts.push('every credential subject with an id is the holder');
    }
  }
  const detail = facts.join('; ');
  if (outcome === 'pass') r.pass('holder-binding', detail);
  else if (outcome === 'warn') r.warn('holder-binding', detail);
  else r.fail('holder-binding', detail, 'HOLDER_MISMATCH');
}

/**
 * The Data Integrity format verifier for `verify()` (`formats`): JSON-LD credentials and presentations with an
 * embedded `proof` (eddsa-rdfc-2022, ecdsa-rdfc-2019 with P-256 / P-384 keys, Ed25519Signature2020; other suites are
 * recognised and reported as unsupported).
 *
 * @example
 * const report = await verify(credential, { resolver, formats: [jwtFormatVerifier(), dataIntegrityFormatVerifier()] })
 */
export function dataIntegrityFormatVerifier(options: DataIntegrityVerifierOptions = {}): FormatVerifier {
  if (options === null || typeof options !== 'object') throw new TypeError('"options" must be an object');
  if (options.contexts !== undefined && !(options.contexts instanceof Map)) throw new TypeError('"options.contexts" must be a Map');
  if (options.onDocumentLoad !== undefined && typeof options.onDocumentLoad !== 'function') {
    throw new TypeError('"options.onDocumentLoad" must be a function');
  }
  return {
    id: DATA_INTEGRITY_FORMAT,
    description: 'Data Integrity proofs (eddsa-rdfc-2022, ecdsa-rdfc-2019 P-256/P-384, Ed25519Signature2020) on JSON-LD credentials and presentations, with bundled contexts',
    detect: (input) => isDataIntegrityDocument(input),
    verify: async (input, ctx) => {
      try {
        return await verifyDataIntegrity(input, ctx, options);
      } catch (err) {
        // jsonld.js throws for documents it cannot expand (invalid contexts, protected-term redefinitions).
        return new ReportBuilder(DATA_INTEGRITY_FORMAT)
          .fail('format', `the document could not be processed as JSON-LD: ${toDidBridgeError(err).message}`, 'PARSING_ERROR')
          .finish();
      }
    },
  };
}
