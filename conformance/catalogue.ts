/**
 * The conformance check model: one catalogue of checks, each tied to one normative statement, run against every
 * target (W3C document fixtures, translated domestic fixtures, the library in-process, a live driver).
 *
 * A check is data plus a pure function. The data (`id`, `section`, `level`, `statement`) is what reports print and
 * what baselines refer to, so ids are stable: rename one only with a baseline migration. The function looks at one
 * observation of its `subject` kind and returns one or more outcomes; it never throws on bad input (bad input is
 * what it is there to report) and never does I/O, so a run is reproducible from the observations alone.
 *
 * @see https://www.w3.org/TR/did-core/#conformance
 */
import type {
  DereferencingOptions,
  DereferencingResult,
  DIDResolutionResult,
  DocumentMediaType,
  ResolutionOptions,
} from '../src/spec.js';

/** The RFC 2119 level of the statement a check tests. Only MUST failures fail a run. */
export type CheckLevel = 'MUST' | 'SHOULD';

/** Result of one look at one value. `skip`: could not be decided here; `n/a`: the statement does not apply. */
export type OutcomeStatus = 'pass' | 'fail' | 'skip' | 'n/a';

/** One outcome of a check. */
export interface CheckOutcome {
  status: OutcomeStatus;
  /** What was found, in words a method author can act on. */
  detail?: string;
  /**
   * JSON pointer (RFC 6901) of the value looked at, into the document; values of the document metadata use the
   * `#metadata/...` form of `src/translation.ts`.
   */
  pointer?: string;
}

/**
 * A document as a check sees it: the value (anything: checks must cope with non-JSON and non-objects), the
 * representation it claims to be in, and its DID document metadata when known.
 * @see https://www.w3.org/TR/did-core/#representations
 */
export interface DocumentUnderTest {
  document: unknown;
  representation: DocumentMediaType;
  /** `didDocumentMetadata`; absent when the target has none (metadata checks are then `n/a`). */
  metadata?: unknown;
}

/** How a target writes error `type`s: `spec` (URLs, DID Resolution §errors) or `uniresolver` (bare tokens). */
export type ErrorProfile = 'spec' | 'uniresolver';

/**
 * Outcome names, as w3c/did-test-suite spells them (`expectedOutcomes`), plus the two DID Resolution errors the
 * suite has no name for. Names ending in `ErrorOutcome` are errors.
 */
export const EXPECTED_OUTCOMES = [
  'defaultOutcome',
  'deactivatedOutcome',
  'invalidDidErrorOutcome',
  'invalidDidUrlErrorOutcome',
  'invalidOptionsErrorOutcome',
  'methodNotSupportedErrorOutcome',
  'notFoundErrorOutcome',
  'representationNotSupportedErrorOutcome',
] as const;
export type ExpectedOutcome = (typeof EXPECTED_OUTCOMES)[number];

/**
 * A resolution as a check sees it (for the resolution checks of DID Resolution §4 and did-test-suite §7.1).
 * @see https://w3c.github.io/did-resolution/#resolving
 */
export interface ResolutionUnderTest {
  did: string;
  options: ResolutionOptions;
  /** The result as received: checks must cope with anything (a live driver can answer any JSON). */
  result: DIDResolutionResult;
  /** What the target expects this input to produce, e.g. `notFoundErrorOutcome` (did-test-suite outcome names). */
  expectedOutcome?: ExpectedOutcome;
}

/**
 * A dereferencing as a check sees it.
 * @see https://w3c.github.io/did-resolution/#dereferencing
 */
export interface DereferencingUnderTest {
  didUrl: string;
  options: DereferencingOptions;
  result: DereferencingResult;
  expectedOutcome?: ExpectedOutcome;
  /**
   * The resolution of the DID of `didUrl` made by the same target, when it made one: the content metadata of a
   * dereferenced DID document must be that resolution's document metadata.
   */
  resolution?: DIDResolutionResult;
}

/**
 * An error object found in a resolution or dereferencing result, with the profile the target was asked to use.
 * @see https://w3c.github.io/did-resolution/#errors
 */
export interface ErrorUnderTest {
  /** The value of `error` as found: an RFC 9457 object, a legacy string, or anything else. */
  error: unknown;
  profile: ErrorProfile;
  /** Which function produced it. */
  operation: 'resolution' | 'dereferencing';
}

/** The driver endpoints an HTTP exchange can be with. */
export type DriverEndpoint = 'identifiers' | 'methods' | 'testIdentifiers' | 'traits' | 'properties';

/**
 * One HTTP exchange with a driver, as recorded by a live target (for the HTTP(S) binding checks).
 * @see https://w3c.github.io/did-resolution/#bindings-https
 */
export interface HttpExchangeUnderTest {
  request: { method: 'GET' | 'POST'; url: string; headers: Record<string, string>; body?: string };
  /** Header names in lower case. */
  response: { status: number; headers: Record<string, string>; body: string };
  expectedOutcome?: ExpectedOutcome;
  /** The endpoint asked. Default `identifiers`. */
  endpoint?: DriverEndpoint;
  /** For `identifiers`: the DID or DID URL asked for (decoded), and whether it is dereferenced. */
  identifier?: string;
  operation?: 'resolve' | 'dereference';
  /** The error profile the exchange asked for. Default `spec`. */
  profile?: ErrorProfile;
}

/** A golden file of a translated fixture (`fixtures/<method>/expected/*.json`). */
export interface GoldenTranslation {
  title?: string;
  /** The upstream file, relative to the method directory (`upstream/01-....json`). */
  input: string;
  /** Path into the upstream JSON to the native document (`["data", "didDocument"]`); empty for the whole file. */
  inputPath: Array<string | number>;
  didDocument: unknown;
  didDocumentMetadata?: unknown;
  /** The set of change-record rules the translation applies, sorted. */
  rules?: string[];
  /** The change list, when the golden pins it: whole records, or `[rule, from, to]` triples. */
  changes?: unknown;
  /** `Translation.preserved`, when the golden pins it. */
  preserved?: unknown;
}

/**
 * A native (upstream) document of a domestic method and what its adapter made of it.
 * @see https://www.w3.org/TR/did-core/#conformance
 */
export interface TranslationUnderTest {
  /** The DID method of the fixture directory. */
  method: string;
  /** The adapter serving the method; undefined when this build has none (the checks then skip). */
  adapter?: string;
  /** Whether the adapter has `recognise` / `translate`. */
  canTranslate: boolean;
  /** The native document (after `inputPath`; inside an envelope the adapter unwraps, see `originalPath`). */
  original: unknown;
  /**
   * When the adapter was given an upstream envelope and its change records point into the document inside it, the
   * JSON pointer of that document within what was given (e.g. `/respBody`).
   */
  originalPath?: string;
  /** `adapter.recognise(original)`; undefined when the adapter has no `recognise`. */
  recognised?: boolean;
  /** What `adapter.translate(original)` returned. */
  translation?: {
    didDocument: unknown;
    didDocumentMetadata: unknown;
    changes: unknown;
    preserved?: unknown;
  };
  /** Why `translate` threw, when it did. */
  error?: string;
  /** The golden file for this document, if there is one. */
  golden?: GoldenTranslation;
  /** Where the golden file is (for messages). */
  goldenLabel?: string;
}

/**
 * What each subject kind hands to its checks. A new subject kind is added here, and a target that produces it
 * declares observations of that kind.
 */
export interface SubjectInputs {
  document: DocumentUnderTest;
  resolution: ResolutionUnderTest;
  dereferencing: DereferencingUnderTest;
  error: ErrorUnderTest;
  http: HttpExchangeUnderTest;
  translation: TranslationUnderTest;
}

/** What a check looks at. */
export type CheckSubject = keyof SubjectInputs;

/** Where a check's `statement` comes from. */
export type StatementSource =
  /** Copied verbatim from the spec at `section`. */
  | 'quoted'
  /** The spec says this in other words or across sentences; `note` says where. */
  | 'paraphrased'
  /** Not written as such in the spec but follows from normative text; `note` gives the reasoning. */
  | 'derived';

/** The description of a check: everything but its function. This is what reports and baselines carry. */
export interface CheckInfo {
  /** Stable id, `<spec>.<area>.<what>`, e.g. `did-core.vm.jwk-no-private`. */
  id: string;
  /** URL of the spec section, with fragment. */
  section: string;
  level: CheckLevel;
  subject: CheckSubject;
  /** The normative sentence(s) tested. */
  statement: string;
  source: StatementSource;
  /** For `paraphrased` and `derived` statements: what the statement rests on; otherwise optional context. */
  note?: string;
}

/** A check: its description and the pure function that applies it to one observation. */
export interface Check<S extends CheckSubject = CheckSubject> extends CheckInfo {
  subject: S;
  /** Applies the check. Returns at least one outcome; never throws, never does I/O. */
  run(input: SubjectInputs[S]): CheckOutcome[];
}

/** Any check, whatever its subject (the catalogue's element type). */
export type AnyCheck = { [S in CheckSubject]: Check<S> }[CheckSubject];

/** The aggregate status of a check over its outcomes. */
export type CheckStatus = OutcomeStatus;

/**
 * Folds outcomes into one status: `fail` if any failed, else `pass` if any passed, else `skip` if any was skipped,
 * else `n/a`. A single failing value therefore fails the check however many others pass.
 */
export function aggregateStatus(outcomes: readonly CheckOutcome[]): CheckStatus {
  let sawPass = false;
  let sawSkip = false;
  for (const o of outcomes) {
    if (o.status === 'fail') return 'fail';
    if (o.status === 'pass') sawPass = true;
    else if (o.status === 'skip') sawSkip = true;
  }
  return sawPass ? 'pass' : sawSkip ? 'skip' : 'n/a';
}

/** The description of a check without its function (for reports). */
export function describeCheck(check: CheckInfo): CheckInfo {
  const info: CheckInfo = {
    id: check.id,
    section: check.section,
    level: check.level,
    subject: check.subject,
    statement: check.statement,
    source: check.source,
  };
  if (check.note !== undefined) info.note = check.note;
  return info;
}

/**
 * Collects the outcomes of one check run, so that a check returns at least one outcome even when it found nothing to
 * look at (`done` then reports `n/a` with the reason given).
 */
export class OutcomeCollector {
  private readonly list: CheckOutcome[] = [];

  pass(pointer?: string, detail?: string): void {
    this.add('pass', pointer, detail);
  }

  fail(pointer: string | undefined, detail: string): void {
    this.add('fail', pointer, detail);
  }

  skip(pointer: string | undefined, detail: string): void {
    this.add('skip', pointer, detail);
  }

  notApplicable(pointer: string | undefined, detail: string): void {
    this.add('n/a', pointer, detail);
  }

  /** The outcomes, or a single `n/a` with `reason` when none were recorded. */
  done(reason: string): CheckOutcome[] {
    return this.list.length > 0 ? this.list : [{ status: 'n/a', detail: reason }];
  }

  private add(status: OutcomeStatus, pointer: string | undefined, detail: string | undefined): void {
    const outcome: CheckOutcome = { status };
    if (detail !== undefined) outcome.detail = detail;
    if (pointer !== undefined) outcome.pointer = pointer;
    this.list.push(outcome);
  }
}

/**
 * Validates a catalogue: ids unique and well-formed, sections absolute URLs with a fragment, statements non-empty,
 * and `paraphrased` / `derived` statements explained. Throws TypeError naming the first offending check.
 */
export function assertCatalogue(checks: readonly CheckInfo[]): void {
  const seen = new Set<string>();
  for (const check of checks) {
    if (!/^[a-z0-9]+(?:[.-][a-z0-9]+)*$/.test(check.id)) {
      throw new TypeError(`check id "${check.id}" must be lower-case words joined by "." and "-"`);
    }
    if (seen.has(check.id)) throw new TypeError(`check id "${check.id}" is used twice`);
    seen.add(check.id);
    let url: URL;
    try {
      url = new URL(check.section);
    } catch {
      throw new TypeError(`check "${check.id}": section "${check.section}" is not a URL`);
    }
    if (url.protocol !== 'https:' || url.hash.length < 2) {
      throw new TypeError(`check "${check.id}": section must be an https URL with a fragment`);
    }
    if (check.statement.trim() === '') throw new TypeError(`check "${check.id}": statement is empty`);
    if (check.source !== 'quoted' && !check.note) {
      throw new TypeError(`check "${check.id}": a ${check.source} statement needs a note saying what it rests on`);
    }
  }
}

/** The result of one check over everything it looked at in one target. */
export interface CheckResult {
  check: string;
  level: CheckLevel;
  section: string;
  statement: string;
  status: CheckStatus;
  outcomes: CheckOutcome[];
}

/**
 * Runs one check on one input. A check that throws or returns nothing has a bug; that is reported as a failing
 * outcome naming the check (so that it fails the run loudly) rather than taken as a verdict on the input.
 */
export function applyCheck<S extends CheckSubject>(check: Check<S>, input: SubjectInputs[S]): CheckOutcome[] {
  try {
    const outcomes = check.run(input);
    if (!Array.isArray(outcomes) || outcomes.length === 0) {
      return [{ status: 'fail', detail: `internal error: check ${check.id} returned no outcome` }];
    }
    return outcomes;
  } catch (err) {
    return [{ status: 'fail', detail: `internal error: check ${check.id} threw: ${(err as Error)?.message ?? String(err)}` }];
  }
}

/** The results whose status is `fail` at MUST level: what a conforming document must not have. */
export function mustFailures(results: readonly CheckResult[]): CheckResult[] {
  return results.filter((r) => r.level === 'MUST' && r.status === 'fail');
}
