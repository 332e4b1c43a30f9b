/**
 * The verifier core: `verify()` recognises the input, hands it to the first format verifier that detects it, and
 * gives that verifier the shared services (issuer key resolution through the bridge, the clock and skew, the status
 * hook, recursion into embedded credentials). It never throws for bad input: every outcome is a report, including
 * unknown input (`format: 'unknown'`), a timeout and a verifier bug (an `INTERNAL_ERROR` report).
 *
 * @see ./README.md (the contract with format verifiers)
 * @see https://www.w3.org/TR/vc-data-model-2.0/#verification
 */
import { toDidBridgeError } from '../errors.js';
import type { Resolver } from '../resolver.js';
import { checkValidityPeriod, clockFrom, skewFrom, type ValidityBound, type ValidityOutcome } from './clock.js';
import { prepareInput } from './detect.js';
import type {
  EmbeddedOptions,
  FormatVerifier,
  ResolvedVerifyOptions,
  StatusChecker,
  StatusOutcome,
  VerifyContext,
  VerifyOptions,
} from './format.js';
import { dataIntegrityFormatVerifier } from './data-integrity/verify.js';
import { weidCredentialFormatVerifier } from './weid/verify.js';
import { resolveIssuerKey, type IssuerKeyRequest, type IssuerKeyResolution } from './issuer-key.js';
import { jwtFormatVerifier } from './jwt.js';
import { statusListCheckers } from './status/checkers.js';
import { check, finaliseReport, unknownFormatReport, ReportBuilder, type VerificationReport } from './report.js';

/** Defaults of the limits in {@link VerifyOptions}. */
export const VERIFY_DEFAULTS = Object.freeze({
  maxInputBytes: 1024 * 1024,
  maxCredentials: 50,
  timeoutMs: 30_000,
});

/** How deep presentations may nest credentials (a VP holds VCs; a VC holds nothing verifiable). */
export const MAX_EMBEDDING_DEPTH = 2;

/**
 * The format verifiers `verify()` uses when `formats` is not given, in detection order: JWTs (compact, enveloped or
 * wrapped) first, as their detection is the cheapest and the least ambiguous, then Data Integrity, then WeIdentity
 * CredentialPojo (which has no `@context`, so the two never both detect).
 */
export function defaultFormatVerifiers(): FormatVerifier[] {
  return [jwtFormatVerifier(), dataIntegrityFormatVerifier(), weidCredentialFormatVerifier()];
}

/** The status checkers used when `statusCheckers` is not given: BitstringStatusList and StatusList2021. */
export function defaultStatusCheckers(): StatusChecker[] {
  return statusListCheckers();
}

/**
 * The defaults `verify()` uses, created once: status checkers keep a cache of fetched lists, which must outlive one
 * verification to be of any use.
 */
let sharedFormats: readonly FormatVerifier[] | undefined;
let sharedStatusCheckers: readonly StatusChecker[] | undefined;

function positiveInteger(value: unknown, name: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    throw new TypeError(`"${name}" must be an integer from 1 to ${max}`);
  }
  return value;
}

function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw new TypeError(`"${name}" must be a non-empty string`);
  return value;
}

function oneOf<T extends string>(value: unknown, name: string, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T)) throw new TypeError(`"${name}" must be one of ${allowed.join(', ')}`);
  return value as T;
}

/**
 * Validates and completes verification options.
 * @throws TypeError naming the option for misuse
 */
export function resolveVerifyOptions(options: VerifyOptions): ResolvedVerifyOptions {
  if (options === null || typeof options !== 'object') throw new TypeError('"options" must be an object');
  const statusCheckers = options.statusCheckers ?? (sharedStatusCheckers ??= defaultStatusCheckers());
  if (!Array.isArray(statusCheckers) || statusCheckers.some((c) => !c || typeof c.appliesTo !== 'function' || typeof c.check !== 'function')) {
    throw new TypeError('"statusCheckers" must be an array of StatusChecker');
  }
  if (options.crossCheck !== undefined && typeof options.crossCheck !== 'boolean') throw new TypeError('"crossCheck" must be a boolean');
  return {
    skewSeconds: skewFrom(options.skewSeconds),
    expect: oneOf(options.expect, 'expect', ['credential', 'presentation', 'any'] as const, 'any'),
    subjectBinding: oneOf(options.subjectBinding, 'subjectBinding', ['off', 'warn', 'fail'] as const, 'warn'),
    audience: optionalString(options.audience, 'audience'),
    challenge: optionalString(options.challenge, 'challenge'),
    domain: optionalString(options.domain, 'domain'),
    unknownStatus: oneOf(options.unknownStatus, 'unknownStatus', ['fail', 'warn'] as const, 'fail'),
    statusCheckers,
    crossCheck: options.crossCheck === true,
    sm2UserId: optionalString(options.sm2UserId, 'sm2UserId'),
    maxInputBytes: positiveInteger(options.maxInputBytes, 'maxInputBytes', VERIFY_DEFAULTS.maxInputBytes, 64 * 1024 * 1024),
    maxCredentials: positiveInteger(options.maxCredentials, 'maxCredentials', VERIFY_DEFAULTS.maxCredentials, 10_000),
    timeoutMs: positiveInteger(options.timeoutMs, 'timeoutMs', VERIFY_DEFAULTS.timeoutMs, 3_600_000),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The `status` check over every `credentialStatus` entry. */
async function checkStatus(credential: Record<string, unknown>, ctx: VerifyContext): Promise<StatusOutcome> {
  const raw = isObject(credential) ? credential.credentialStatus : undefined;
  if (raw === undefined) return { check: check('status', 'skip', 'the credential has no credentialStatus') };
  const entries = Array.isArray(raw) ? raw : [raw];
  if (entries.length === 0 || !entries.every(isObject)) {
    return { check: check('status', 'fail', '"credentialStatus" must be an object or an array of objects'), code: 'MALFORMED_VALUE_ERROR' };
  }
  const passed: string[] = [];
  const warnings: string[] = [];
  for (const entry of entries) {
    const checker = ctx.options.statusCheckers.find((c) => {
      try {
        return c.appliesTo(entry);
      } catch {
        return false;
      }
    });
    const type = typeof entry.type === 'string' ? entry.type : JSON.stringify(entry.type ?? null).slice(0, 80);
    if (!checker) {
      const detail = `no status checker understands credentialStatus of type ${type}, so revocation was not checked`;
      if (ctx.options.unknownStatus === 'warn') {
        warnings.push(detail);
        continue;
      }
      return { check: check('status', 'fail', detail, { type }), code: 'STATUS_UNCHECKED' };
    }
    let outcome: StatusOutcome;
    try {
      outcome = await checker.check(entry, credential, ctx);
    } catch (err) {
      outcome = {
        check: check('status', 'fail', `the ${checker.id} status check failed: ${toDidBridgeError(err).message}`),
        code: 'STATUS_UNCHECKED',
      };
    }
    if (outcome.check.outcome === 'fail') return outcome;
    if (outcome.check.outcome === 'warn') warnings.push(outcome.check.detail);
    else passed.push(outcome.check.detail);
    if (entries.length === 1) return outcome;
  }
  if (warnings.length > 0) return { check: check('status', 'warn', [...passed, ...warnings].join('; ')) };
  return { check: check('status', 'pass', passed.join('; ')) };
}

interface CoreState {
  resolver: Resolver;
  formats: readonly FormatVerifier[];
  options: ResolvedVerifyOptions;
  now: () => Date;
  /** The abort signal, created on first use: most verifications never need one, and creating one is not free. */
  signal: () => AbortSignal;
}

/**
 * The context handed to format verifiers. A class, so that one verification allocates one object rather than a
 * closure per service; call its methods on the context (`ctx.checkStatus(...)`), not detached.
 */
class Context implements VerifyContext {
  readonly resolver: Resolver;
  readonly http: VerifyContext['http'];
  readonly now: () => Date;
  readonly skewSeconds: number;
  readonly options: ResolvedVerifyOptions;

  constructor(
    private readonly state: CoreState,
    readonly depth: number,
  ) {
    this.resolver = state.resolver;
    this.http = state.resolver.http;
    this.now = state.now;
    this.skewSeconds = state.options.skewSeconds;
    this.options = state.options;
  }

  get signal(): AbortSignal {
    return this.state.signal();
  }

  resolveIssuerKey(request: IssuerKeyRequest): Promise<IssuerKeyResolution> {
    return resolveIssuerKey(this.resolver, request);
  }

  checkValidity(bounds: readonly ValidityBound[]): ValidityOutcome {
    return checkValidityPeriod({ bounds, now: this.now(), skewSeconds: this.skewSeconds });
  }

  checkStatus(credential: Record<string, unknown>): Promise<StatusOutcome> {
    return checkStatus(credential, this);
  }

  verifyEmbedded(input: unknown, embedded?: EmbeddedOptions): Promise<VerificationReport> {
    if (this.depth + 1 >= MAX_EMBEDDING_DEPTH) {
      return Promise.resolve(unknownFormatReport(`embedded more than ${MAX_EMBEDDING_DEPTH - 1} level(s) deep`, 'LIMIT_EXCEEDED'));
    }
    // The caller's expectation applies to the outer value only; an embedded one is `any` unless the caller says.
    const inner = { ...this.state, options: { ...this.state.options, expect: embedded?.expect ?? 'any' } };
    return dispatch(input, inner, this.depth + 1);
  }
}

async function dispatch(input: unknown, state: CoreState, depth: number): Promise<VerificationReport> {
  const prepared = prepareInput(input, state.options.maxInputBytes);
  if (!prepared.ok) return unknownFormatReport(prepared.detail, 'PARSING_ERROR');
  const value = prepared.value;
  const verifier = state.formats.find((f) => {
    try {
      return f.detect(value);
    } catch {
      return false;
    }
  });
  if (!verifier) {
    return unknownFormatReport(
      `no verifier recognises this ${prepared.kind === 'jwt' ? 'JWT' : 'JSON'} input; formats tried: ${state.formats.map((f) => f.id).join(', ') || 'none'}`,
    );
  }
  const ctx = new Context(state, depth);
  try {
    const report = await verifier.verify(value, ctx);
    if (!report || typeof report !== 'object' || !Array.isArray(report.checks)) {
      return new ReportBuilder(verifier.id).fail('format', `the ${verifier.id} verifier returned no report`, 'INTERNAL_ERROR').finish();
    }
    return finaliseReport(report);
  } catch (err) {
    // A verifier must not throw for input; if one does, say so in the report rather than failing the caller.
    return new ReportBuilder(verifier.id)
      .fail('format', `the ${verifier.id} verifier failed: ${toDidBridgeError(err).message}`, 'INTERNAL_ERROR')
      .finish();
  }
}

/** Options of {@link verify}: verification options plus the resolver and, optionally, the format verifiers. */
export type VerifyCallOptions = VerifyOptions & {
  /** Resolves issuer and holder DIDs (domestic DIDs through the bridge). */
  resolver: Resolver;
  /** Format verifiers in detection order. Default {@link defaultFormatVerifiers}. */
  formats?: readonly FormatVerifier[];
};

/**
 * Verifies a credential or presentation and reports every check.
 *
 * @param input a compact JWT, JSON text, or a parsed JSON credential / presentation
 * @throws TypeError for misuse (no resolver, invalid options); never for bad input
 * @see https://www.w3.org/TR/vc-data-model-2.0/#verification
 * @example
 * const report = await verify(jwt, { resolver, now: '2025-06-01T00:00:00Z' })
 * if (!report.verified) console.log(report.errors)
 */
export async function verify(input: string | object, options: VerifyCallOptions): Promise<VerificationReport> {
  if (options === null || typeof options !== 'object') throw new TypeError('"options" must be an object with a "resolver"');
  const { resolver, formats = (sharedFormats ??= defaultFormatVerifiers()) } = options;
  if (!resolver || typeof resolver.resolve !== 'function') throw new TypeError('"resolver" must be a Resolver');
  if (!Array.isArray(formats) || formats.some((f) => !f || typeof f.detect !== 'function' || typeof f.verify !== 'function')) {
    throw new TypeError('"formats" must be an array of FormatVerifier');
  }
  const resolved = resolveVerifyOptions(options);
  const now = clockFrom(options.now);
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) throw new TypeError('"signal" must be an AbortSignal');

  let controller: AbortController | undefined;
  let stopReason: Error | undefined;
  const signal = () => {
    if (!controller) {
      controller = new AbortController();
      if (stopReason) controller.abort(stopReason);
    }
    return controller.signal;
  };
  let timer: NodeJS.Timeout | undefined;
  let onCallerAbort: (() => void) | undefined;
  try {
    // One promise settled by whichever comes first: the verification, the deadline, or the caller's abort.
    return await new Promise<VerificationReport>((resolve) => {
      const stop = (detail: string) => {
        stopReason = new Error(detail);
        controller?.abort(stopReason);
        resolve(new ReportBuilder('unknown').fail('format', detail, 'INTERNAL_ERROR').finish());
      };
      timer = setTimeout(() => stop(`verification did not finish within ${resolved.timeoutMs} ms`), resolved.timeoutMs);
      timer.unref?.();
      if (options.signal?.aborted) {
        stop('verification was aborted by the caller');
        return;
      }
      if (options.signal) {
        onCallerAbort = () => stop('verification was aborted by the caller');
        options.signal.addEventListener('abort', onCallerAbort, { once: true });
      }
      // dispatch() turns every failure into a report; the rejection handler is for a failure of that guarantee.
      dispatch(input, { resolver, formats, options: resolved, now, signal }, 0).then(resolve, (err: unknown) =>
        resolve(new ReportBuilder('unknown').fail('format', `verification failed: ${toDidBridgeError(err).message}`, 'INTERNAL_ERROR').finish()),
      );
    });
  } finally {
    clearTimeout(timer);
    if (onCallerAbort) options.signal?.removeEventListener('abort', onCallerAbort);
  }
}
