/**
 * The contract between the verifier core and format verifiers (JWT VC/VP here; Data Integrity, WeIdentity
 * CredentialPojo and status lists in part B). A format verifier is a small strategy object with a capability
 * predicate (`detect`) and a `verify` that returns a report; the core picks the first verifier that detects the
 * input, and gives it a {@link VerifyContext} with the shared services: the resolver, the clock and skew, issuer key
 * resolution, the validity-period and status checks, and recursion into embedded credentials.
 *
 * Rules for format verifiers (see README.md in this folder):
 * - `detect` is cheap, pure and never throws; `verify` never throws for bad input (a thrown error becomes an
 *   `INTERNAL_ERROR` report, which is a bug in the verifier);
 * - every check the verifier ran goes into the report, including those it skipped and why;
 * - the key comes from `ctx.resolveIssuerKey`, never from the credential itself.
 */
import type { HttpClient } from '../adapter.js';
import type { Resolver } from '../resolver.js';
import type { IssuerKeyRequest, IssuerKeyResolution } from './issuer-key.js';
import type { ValidityBound, ValidityOutcome } from './clock.js';
import type { VerificationCheck, VerificationErrorCode, VerificationReport } from './report.js';

/**
 * A format verifier.
 *
 * @example
 * const myFormat: FormatVerifier = {
 *   id: 'my-format',
 *   detect: (input) => typeof input === 'object' && input !== null && 'myProof' in input,
 *   async verify(input, ctx) { const r = new ReportBuilder('my-format'); …; return r.finish() },
 * }
 */
export interface FormatVerifier {
  /** The format id, used as the report's `format` (`jwt-vc`, `data-integrity`, `weid-credential-pojo`, ...). */
  readonly id: string;
  /** One line for listings (`didbridge verify --help`, `GET /1.0/verify` docs). */
  readonly description?: string;
  /** Whether this verifier handles the input: a string (already trimmed) or a parsed JSON value. Never throws. */
  detect(input: unknown): boolean;
  /** Verifies. Never throws for bad input. */
  verify(input: unknown, ctx: VerifyContext): Promise<VerificationReport>;
}

/** The result of a status check (what a {@link StatusChecker} answers). */
export interface StatusOutcome {
  check: VerificationCheck;
  /** The error code when the check failed (`REVOKED`, `SUSPENDED`, `RANGE_ERROR`, ...). */
  code?: VerificationErrorCode;
}

/**
 * Checks one `credentialStatus` entry (BitstringStatusList, StatusList2021, ...). Part B provides these; the core
 * calls the first checker whose `appliesTo` accepts the entry.
 */
export interface StatusChecker {
  readonly id: string;
  /** Whether this checker understands the entry (usually by its `type`). Never throws. */
  appliesTo(entry: Record<string, unknown>): boolean;
  /**
   * Checks the entry of `credential` (the credential as verified, e.g. the decoded JWT VC). Never throws for bad
   * input: a status list that cannot be fetched or read is a failed `status` check with the reason.
   */
  check(entry: Record<string, unknown>, credential: Record<string, unknown>, ctx: VerifyContext): Promise<StatusOutcome>;
}

/** How strictly a presentation's credentials must be about its holder. */
export type SubjectBindingPolicy = 'off' | 'warn' | 'fail';

/**
 * Options of `verify()`. Every member is optional; the CLI (`--now`, `--skew`, `--config`) and the driver's request
 * body (`options`) map onto these names.
 */
export interface VerifyOptions {
  /**
   * The verification time: a Date, an XML datetime string, epoch seconds, or a function returning a Date.
   * Default: the wall clock.
   */
  now?: Date | string | number | (() => Date);
  /** Clock skew tolerated on validity bounds, seconds (0 to 86400). Default 300. */
  skewSeconds?: number;
  /**
   * What the input must be: `credential`, `presentation`, or `any` (default). A mismatch fails the `format` check
   * (the driver sets it from the body member used: `credential` or `presentation`).
   */
  expect?: 'credential' | 'presentation' | 'any';
  /**
   * Presentations: whether each credential's `credentialSubject.id`, when set, must be the holder. Default `warn`:
   * a mismatch is reported but does not fail (a holder may legitimately present a credential about someone else,
   * e.g. a parent for a child); `fail` makes it fail the `holder-binding` check; `off` does not look.
   */
  subjectBinding?: SubjectBindingPolicy;
  /** Presentations: the audience the verifier expects (JWT `aud`). Unset: an `aud` in the presentation is a warning. */
  audience?: string;
  /** Presentations: the challenge (JWT `nonce`, Data Integrity `challenge`) the verifier issued. */
  challenge?: string;
  /** Data Integrity presentations: the expected `domain`. */
  domain?: string;
  /**
   * A credential with a `credentialStatus` no status checker understands: `fail` (default: the verifier cannot say
   * it is not revoked) or `warn`.
   */
  unknownStatus?: 'fail' | 'warn';
  /** Status checkers (part B's BitstringStatusList / StatusList2021). */
  statusCheckers?: readonly StatusChecker[];
  /**
   * JWTs: also verify with did-jwt-vc (`verifyCredential` / `verifyPresentation`) over the same resolver and record
   * whether it agrees; a disagreement fails the `signature` check. Costs a second verification. Default false.
   */
  crossCheck?: boolean;
  /** SM2 signatures: the signer's user id (GM/T 0009 default `1234567812345678`). */
  sm2UserId?: string;
  /** Largest input accepted, in bytes of its UTF-8 / JSON text. Default 1 MiB. */
  maxInputBytes?: number;
  /** Most credentials verified inside one presentation. Default 50. */
  maxCredentials?: number;
  /** Deadline for the whole verification, ms (resolution and status fetches included). Default 30 000. */
  timeoutMs?: number;
  /** Aborts verification (e.g. the HTTP request went away). */
  signal?: AbortSignal;
}

/** The options after defaults and validation, as format verifiers see them. */
export interface ResolvedVerifyOptions {
  skewSeconds: number;
  expect: 'credential' | 'presentation' | 'any';
  subjectBinding: SubjectBindingPolicy;
  audience: string | undefined;
  challenge: string | undefined;
  domain: string | undefined;
  unknownStatus: 'fail' | 'warn';
  statusCheckers: readonly StatusChecker[];
  crossCheck: boolean;
  sm2UserId: string | undefined;
  maxInputBytes: number;
  maxCredentials: number;
  timeoutMs: number;
}

/** Options of `ctx.verifyEmbedded`. */
export interface EmbeddedOptions {
  /** What the embedded value must be (credentials inside a presentation: `credential`). */
  expect?: 'credential' | 'presentation' | 'any';
}

/** What the core gives a format verifier for one verification. */
export interface VerifyContext {
  readonly resolver: Resolver;
  /** The outbound HTTP client (limits and SSRF guard; pass `untrusted: true` for URLs taken from credentials). */
  readonly http: HttpClient;
  /** The verification time. */
  now(): Date;
  /** Seconds of clock skew tolerated. */
  readonly skewSeconds: number;
  readonly options: ResolvedVerifyOptions;
  /** Aborts when the caller gives up or the deadline passes. */
  readonly signal: AbortSignal;
  /** Nesting depth: 0 for the input, 1 for a credential inside a presentation. */
  readonly depth: number;
  /**
   * Resolves the issuer's (or holder's) DID through the bridge and selects the candidate keys for a proof: the
   * verification method `kid` names, or every method under the relationship. Never throws for bad input.
   */
  resolveIssuerKey(request: IssuerKeyRequest): Promise<IssuerKeyResolution>;
  /** The `validity-period` check over the given bounds at `now()` with the skew. */
  checkValidity(bounds: readonly ValidityBound[]): ValidityOutcome;
  /**
   * The `status` check: `skip` when the credential has no `credentialStatus`; otherwise every entry goes to the
   * first status checker that applies, and an entry no checker understands fails (or warns, per `unknownStatus`).
   */
  checkStatus(credential: Record<string, unknown>): Promise<StatusOutcome>;
  /**
   * Verifies a value embedded in this one (a credential inside a presentation) with the same formats and options,
   * one level deeper. Depth is bounded; too deep is a failed `format` report.
   */
  verifyEmbedded(input: unknown, options?: EmbeddedOptions): Promise<VerificationReport>;
}
