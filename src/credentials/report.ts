/**
 * The verification report: what `verify()` returns for every input, whatever its format. Verification never answers
 * with a bare boolean: the report names the detected format, the issuer and the key the signature was checked
 * with, every check with its outcome and a sentence on what it relied on, and the errors. The CLI and the HTTP
 * driver render this same object.
 *
 * Checks are data: a format verifier appends them in the order it ran them, and `verified` is derived from them by
 * {@link finaliseReport}, never set by hand, so that a report cannot say "verified" next to a failed check.
 *
 * Error codes (`errors[].code`) come from two published vocabularies plus a few of our own, listed in
 * {@link VERIFICATION_ERROR_CODES}: the VC Data Model 2.0 problem types (§7.2), the DID Resolution error names (for
 * failures resolving the issuer), and didbridge names for conditions neither defines (an expired credential).
 *
 * @see https://www.w3.org/TR/vc-data-model-2.0/#verification
 * @see https://www.w3.org/TR/vc-data-model-2.0/#problem-details
 * @see https://w3c.github.io/did-resolution/#errors
 */

/**
 * The checks a report can contain. An open union: format verifiers may add their own names (`disclosure`,
 * `translation`), and renderers print any name.
 *
 * - `format`: the input was recognised and is well formed for its format;
 * - `signature`: the proof (JWS signature, Data Integrity proof, WeIdentity signature) verifies with the key named in
 *   the report;
 * - `issuer-resolution`: the issuer's (or holder's) DID resolved, through the bridge for domestic methods;
 * - `key-authorised`: the key is listed under the verification relationship the proof needs (`assertionMethod` for
 *   credentials, `authentication` for presentations);
 * - `validity-period`: the credential is within its validity period at the verification time, with the skew allowed;
 * - `status`: the credential's status entry (revocation, suspension) was checked;
 * - `holder-binding`: a presentation was signed by its holder, and (by option) credential subjects are the holder;
 * - `schema`: the credential conforms to its declared schema.
 */
export type CheckName =
  | 'format'
  | 'signature'
  | 'issuer-resolution'
  | 'key-authorised'
  | 'validity-period'
  | 'status'
  | 'holder-binding'
  | 'schema'
  | (string & {});

/**
 * The outcome of one check. `fail` makes the report unverified; `warn` does not (it records something a verifier
 * should know, such as an unchecked audience); `skip` says the check did not apply or could not run because an
 * earlier one failed (the detail says which).
 */
export type CheckOutcome = 'pass' | 'fail' | 'skip' | 'warn';

/** One check and what it relied on. */
export interface VerificationCheck {
  name: CheckName;
  outcome: CheckOutcome;
  /** One or two sentences: what was checked, against what, and why it failed when it did. */
  detail: string;
  /** Machine-readable facts behind the outcome (times, the verification path, the status list entry). */
  data?: Record<string, unknown>;
}

/**
 * Codes used in `errors[].code`.
 *
 * From VC Data Model 2.0 §7.2: `PARSING_ERROR` (the input could not be parsed), `CRYPTOGRAPHIC_SECURITY_ERROR` (the
 * proof does not verify, or verifies with a key that may not make it), `MALFORMED_VALUE_ERROR` (a member has the wrong
 * shape), `RANGE_ERROR` (a value is out of its range, e.g. a status list index).
 *
 * From DID Resolution (issuer resolution and key dereferencing): `NOT_FOUND`, `INVALID_DID`, `METHOD_NOT_SUPPORTED`,
 * `INTERNAL_ERROR`, `INVALID_VERIFICATION_METHOD`, `INVALID_RELATIONSHIP_FOR_VERIFICATION_METHOD`,
 * `FEATURE_NOT_SUPPORTED`, and the other DID Resolution names as resolution reports them.
 *
 * didbridge's own, for conditions neither vocabulary names: `UNKNOWN_FORMAT`, `DID_DEACTIVATED`, `EXPIRED`,
 * `NOT_YET_VALID`, `REVOKED`, `SUSPENDED`, `STATUS_UNCHECKED`, `HOLDER_MISMATCH`, `AUDIENCE_MISMATCH`,
 * `CHALLENGE_MISMATCH`, `LIMIT_EXCEEDED`, `CROSS_CHECK_DISAGREEMENT`.
 */
export const VERIFICATION_ERROR_CODES = [
  'PARSING_ERROR',
  'CRYPTOGRAPHIC_SECURITY_ERROR',
  'MALFORMED_VALUE_ERROR',
  'RANGE_ERROR',
  'NOT_FOUND',
  'INVALID_DID',
  'METHOD_NOT_SUPPORTED',
  'INTERNAL_ERROR',
  'INVALID_VERIFICATION_METHOD',
  'INVALID_RELATIONSHIP_FOR_VERIFICATION_METHOD',
  'FEATURE_NOT_SUPPORTED',
  'UNKNOWN_FORMAT',
  'DID_DEACTIVATED',
  'EXPIRED',
  'NOT_YET_VALID',
  'REVOKED',
  'SUSPENDED',
  'STATUS_UNCHECKED',
  'HOLDER_MISMATCH',
  'AUDIENCE_MISMATCH',
  'CHALLENGE_MISMATCH',
  'LIMIT_EXCEEDED',
  'CROSS_CHECK_DISAGREEMENT',
] as const;

/** An error code: one of {@link VERIFICATION_ERROR_CODES}, or another DID Resolution name resolution reported. */
export type VerificationErrorCode = (typeof VERIFICATION_ERROR_CODES)[number] | (string & {});

/** One error: why the report is not verified. Every failed check contributes at least one. */
export interface VerificationError {
  code: VerificationErrorCode;
  message: string;
  /** The check that failed. */
  check?: CheckName;
}

/** The formats a report can name. Open: a format verifier names its own. */
export type CredentialFormat =
  | 'jwt-vc'
  | 'jwt-vp'
  | 'data-integrity'
  | 'data-integrity-vp'
  | 'weid-credential-pojo'
  | 'unknown'
  | (string & {});

/** The issuer (or, for a presentation, the holder) as resolved. */
export interface ReportIssuer {
  /** The DID (or URL) the credential names as its issuer, or the presentation as its holder. */
  id: string;
  /** The DID method the issuer's DID was resolved with (`key`, `bid`, ...). */
  resolvedMethod?: string;
  /**
   * Whether the issuer's DID document was translated by the bridge from a domestic shape (its resolution carried
   * `didbridgeChanges`); then `changes` counts the changes, and the key came from the translated W3C document.
   */
  translated?: boolean;
  /** The number of translation changes (`didResolutionMetadata.didbridgeChanges`), when translated. */
  changes?: number;
}

/** The key the proof was verified with. */
export interface ReportKey {
  /** The verification method's absolute DID URL. */
  verificationMethod: string;
  /** The verification method's `type` as the document declares it (`Multikey`, `JsonWebKey`, ...). */
  type: string;
  /** The key type read from the key material (`Ed25519`, `secp256k1`, `P-256`, `SM2`). */
  keyType: string;
  /** The relationship the key had to be listed under. */
  relationship: 'assertionMethod' | 'authentication';
}

/**
 * The result of verifying one credential or presentation.
 *
 * @example
 * {
 *   verified: false, format: 'jwt-vc',
 *   issuer: { id: 'did:key:z6Mk…', resolvedMethod: 'key', translated: false },
 *   key: { verificationMethod: 'did:key:z6Mk…#z6Mk…', type: 'Multikey', keyType: 'Ed25519', relationship: 'assertionMethod' },
 *   checks: [
 *     { name: 'format', outcome: 'pass', detail: 'compact JWS with a VC Data Model 1.1 "vc" claim' },
 *     { name: 'signature', outcome: 'pass', detail: 'EdDSA signature verified (node:crypto Ed25519)' },
 *     { name: 'validity-period', outcome: 'fail', detail: 'expired at 2024-01-01T00:00:00Z (exp), 300 s skew allowed' },
 *     …
 *   ],
 *   errors: [{ code: 'EXPIRED', message: '…', check: 'validity-period' }],
 * }
 */
export interface VerificationReport {
  /** True when no check failed and the proof was verified. Derived by {@link finaliseReport}. */
  verified: boolean;
  format: CredentialFormat;
  issuer?: ReportIssuer;
  key?: ReportKey;
  checks: VerificationCheck[];
  errors: VerificationError[];
  /** Sentences a verifier should read although they did not fail verification. */
  warnings?: string[];
  /**
   * The credential as verified: for JWTs the decoded payload; for translated formats (WeIdentity) the VC Data Model
   * 2.0 form, in which case a check says so.
   */
  credential?: unknown;
  /** For presentations: the holder and one report per credential inside. */
  presentation?: { holder?: string; credentials: VerificationReport[] };
}

/** Builds a check. */
export function check(
  name: CheckName,
  outcome: CheckOutcome,
  detail: string,
  data?: Record<string, unknown>,
): VerificationCheck {
  return data === undefined ? { name, outcome, detail } : { name, outcome, detail, data };
}

/**
 * Accumulates checks and errors for one report. Format verifiers use it so that every failed check is paired with
 * an error and the verdict is computed in one place.
 *
 * @example
 * const r = new ReportBuilder('jwt-vc')
 * r.pass('format', 'compact JWS')
 * r.fail('signature', 'the EdDSA signature does not verify', 'CRYPTOGRAPHIC_SECURITY_ERROR')
 * return r.finish()
 */
export class ReportBuilder {
  readonly report: VerificationReport;

  constructor(format: CredentialFormat) {
    // Members in their final order (see REPORT_MEMBER_ORDER), so that finishing needs no reordering.
    this.report = { verified: false, format, issuer: undefined, key: undefined, checks: [], errors: [] };
  }

  /** Appends a check (and, for a failure with a code, its error). */
  add(c: VerificationCheck, errorCode?: VerificationErrorCode): this {
    this.report.checks.push(c);
    if (c.outcome === 'fail') {
      this.report.errors.push({ code: errorCode ?? 'MALFORMED_VALUE_ERROR', message: c.detail, check: c.name });
    } else if (c.outcome === 'warn') {
      (this.report.warnings ??= []).push(c.detail);
    }
    return this;
  }

  pass(name: CheckName, detail: string, data?: Record<string, unknown>): this {
    return this.add(check(name, 'pass', detail, data));
  }

  fail(name: CheckName, detail: string, code: VerificationErrorCode, data?: Record<string, unknown>): this {
    return this.add(check(name, 'fail', detail, data), code);
  }

  warn(name: CheckName, detail: string, data?: Record<string, unknown>): this {
    return this.add(check(name, 'warn', detail, data));
  }

  skip(name: CheckName, detail: string, data?: Record<string, unknown>): this {
    return this.add(check(name, 'skip', detail, data));
  }

  /** Whether a check of that name has failed so far. */
  failed(name?: CheckName): boolean {
    return this.report.checks.some((c) => c.outcome === 'fail' && (name === undefined || c.name === name));
  }

  /** Computes `verified` and returns the report. */
  finish(): VerificationReport {
    return finaliseReport(this.report);
  }
}

/**
 * Sets `verified` from the checks: true only when no check failed, a `signature` check passed (a report that never
 * verified a proof is not verified, whatever else passed), and every credential of a presentation is verified.
 * Returns the same object.
 */
export function finaliseReport(report: VerificationReport): VerificationReport {
  const anyFailed = report.checks.some((c) => c.outcome === 'fail');
  const signed = report.checks.some((c) => c.name === 'signature' && c.outcome === 'pass');
  const nested = report.presentation?.credentials ?? [];
  report.verified = !anyFailed && signed && nested.every((r) => r.verified);
  reorder(report);
  if (report.errors.length === 0 && !report.verified) {
    // An unverified report always carries an error: either nothing was proven, or a nested credential failed.
    const bad = nested.findIndex((r) => !r.verified);
    report.errors.push(
      !signed
        ? { code: 'CRYPTOGRAPHIC_SECURITY_ERROR', message: 'no proof was verified', check: 'signature' }
        : {
            code: nested[bad]?.errors[0]?.code ?? 'CRYPTOGRAPHIC_SECURITY_ERROR',
            message: `credential ${bad} of the presentation is not verified`,
          },
    );
  }
  return report;
}

/** The member order of a report, for stable JSON output whatever order a verifier filled it in. */
const REPORT_MEMBER_ORDER = ['verified', 'format', 'issuer', 'key', 'checks', 'errors', 'warnings', 'credential', 'presentation'];

function reorder(report: VerificationReport): void {
  const record = report as unknown as Record<string, unknown>;
  for (const k of ['issuer', 'key']) if (record[k] === undefined) delete record[k];
  const present = Object.keys(record);
  const ordered = [...REPORT_MEMBER_ORDER.filter((k) => present.includes(k)), ...present.filter((k) => !REPORT_MEMBER_ORDER.includes(k))];
  if (ordered.every((k, i) => present[i] === k)) return;
  const values = ordered.map((k) => record[k]);
  for (const k of present) delete record[k];
  ordered.forEach((k, i) => {
    record[k] = values[i];
  });
}

/** A report for input no format verifier recognised (`format: 'unknown'`, a failed `format` check). */
export function unknownFormatReport(detail: string, code: VerificationErrorCode = 'UNKNOWN_FORMAT'): VerificationReport {
  return new ReportBuilder('unknown').fail('format', detail, code).finish();
}
