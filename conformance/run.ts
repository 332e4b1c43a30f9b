/**
 * The conformance runner: targets in, one `ConformanceReport` out.
 *
 * The report is deterministic: targets are ordered by id, checks by id, outcomes in the order the checks found them,
 * and there is no timestamp unless `timestamps: true`. Two runs over the same input therefore give the same bytes
 * from every reporter, so reports can be diffed and committed.
 *
 * A run fails (`summary.ok === false`) when a MUST check fails outside the baseline or a target cannot be observed.
 * SHOULD failures are reported as warnings and never fail a run.
 */
import {
  aggregateStatus,
  applyCheck,
  describeCheck,
  type AnyCheck,
  type Check,
  type CheckInfo,
  type CheckLevel,
  type CheckOutcome,
  type CheckStatus,
  type CheckSubject,
} from './catalogue.js';
import { Baseline, type BaselineEntry } from './baseline.js';
import { CATALOGUE, compareIds } from './checks/index.js';
import type { ConformanceTarget, Observation } from './targets.js';

/** An outcome with the observation it came from. */
export interface ReportedOutcome extends CheckOutcome {
  /** The observation's label (e.g. the fixture path, or the DID and options of a resolution). */
  observation?: string;
}

/** One check on one target. */
export interface TargetCheckResult {
  check: string;
  level: CheckLevel;
  status: CheckStatus;
  /** Set when the result is a failure the baseline accepts: the baseline's reason. */
  baselined?: string;
  outcomes: ReportedOutcome[];
}

/** Counts of results. `fail` and `warn` exclude baselined failures, which are counted under `baselined`. */
export interface ResultCounts {
  pass: number;
  /** MUST failures not in the baseline. */
  fail: number;
  /** SHOULD failures not in the baseline. */
  warn: number;
  baselined: number;
  skip: number;
  na: number;
}

/**
 * A translated native document as the report shows it (the HTML report puts the two sides next to each other and
 * highlights each change record's `from` pointer in the original and its `to` pointer in the result).
 */
export interface TranslationView {
  /** The observation label (upstream file and, for a golden file, which). */
  label: string;
  method: string;
  original: unknown;
  didDocument: unknown;
  didDocumentMetadata: unknown;
  changes: unknown;
}

/** Everything about one target. */
export interface TargetReport {
  id: string;
  kind: string;
  title?: string;
  spec?: string;
  /** The DID method the target is about, when it is about one. */
  method?: string;
  /** Why the target could not be observed; its checks are then all `skip`. */
  error?: string;
  results: TargetCheckResult[];
  counts: ResultCounts;
  /** The translations the target observed, for display. */
  translations?: TranslationView[];
}

/** A failing result the baseline hides. */
export interface HiddenFailure extends BaselineEntry {
  level: CheckLevel;
}

/** What the baseline did in this run. */
export interface BaselineReport {
  /** Failures the baseline hid. */
  hidden: HiddenFailure[];
  /** Entries for a check and target that were run and did not fail: remove them. */
  stale: BaselineEntry[];
  /** Entries whose target was not run or whose check is not in the catalogue. */
  unused: BaselineEntry[];
}

/** A MUST failure outside the baseline. */
export interface NewFailure {
  check: string;
  target: string;
}

export interface ReportSummary {
  targets: number;
  checks: number;
  counts: ResultCounts;
  newMustFailures: NewFailure[];
  /** Ids of targets that could not be observed. */
  targetErrors: string[];
  /** Stale baseline entries make the run fail only with `failOnStaleBaseline`. */
  staleBaselineFails: boolean;
  /** Whether the run passes. */
  ok: boolean;
}

/** The outcome of a run. */
export interface ConformanceReport {
  /** Version of this report format. */
  format: 'didbridge-conformance-report/1';
  /** ISO datetime of the run, only with `timestamps: true`. */
  generatedAt?: string;
  /** The checks run, by id. */
  checks: CheckInfo[];
  targets: TargetReport[];
  baseline: BaselineReport;
  summary: ReportSummary;
}

export interface RunOptions {
  /** The checks to run. Default: the whole catalogue. */
  catalogue?: readonly AnyCheck[];
  /** Known deviations. Default: none. */
  baseline?: Baseline;
  /** Record `generatedAt`. Default false, so that reports of identical input are identical. */
  timestamps?: boolean;
  /** The clock for `generatedAt`. */
  now?: () => Date;
  /** Fail the run when baseline entries no longer fail. Default false (they are reported). */
  failOnStaleBaseline?: boolean;
  signal?: AbortSignal;
  /** Told when each target starts and ends, and of the steps targets report (for progress displays). */
  onProgress?: (event: ProgressEvent) => void;
}

/** What the runner tells `onProgress`. */
export type ProgressEvent =
  | { kind: 'target-start'; target: string; index: number; total: number }
  | { kind: 'target-step'; target: string; index: number; total: number; done: number; of: number; label?: string }
  | { kind: 'target-done'; target: string; index: number; total: number; counts: ResultCounts; error?: string };

function translationViews(observations: readonly Observation[]): TranslationView[] {
  const views: TranslationView[] = [];
  for (const o of observations) {
    if (o.subject !== 'translation' || o.input.translation === undefined) continue;
    const t = o.input.translation;
    views.push({
      label: o.label,
      method: o.input.method,
      original: o.input.original,
      didDocument: t.didDocument,
      didDocumentMetadata: t.didDocumentMetadata,
      changes: t.changes,
    });
  }
  return views;
}

function emptyCounts(): ResultCounts {
  return { pass: 0, fail: 0, warn: 0, baselined: 0, skip: 0, na: 0 };
}

function count(counts: ResultCounts, result: TargetCheckResult): void {
  if (result.baselined !== undefined) counts.baselined++;
  else if (result.status === 'fail') {
    if (result.level === 'MUST') counts.fail++;
    else counts.warn++;
  } else if (result.status === 'pass') counts.pass++;
  else if (result.status === 'skip') counts.skip++;
  else counts.na++;
}

function addCounts(into: ResultCounts, from: ResultCounts): void {
  for (const key of Object.keys(into) as Array<keyof ResultCounts>) into[key] += from[key];
}

/** The single n/a outcome of a check whose subject a target gives no observation of, shared (reports never mutate). */
const NO_OBSERVATION = new Map<CheckSubject, readonly ReportedOutcome[]>();
function noObservation(subject: CheckSubject): ReportedOutcome[] {
  let outcomes = NO_OBSERVATION.get(subject);
  if (!outcomes) {
    outcomes = Object.freeze([Object.freeze({ status: 'n/a' as const, detail: `the target gives no ${subject} observation` })]);
    NO_OBSERVATION.set(subject, outcomes);
  }
  return outcomes as ReportedOutcome[];
}

/** A target's observations by subject, so that each check looks only at its own. */
function bySubject(observations: readonly Observation[]): Map<CheckSubject, Observation[]> {
  const out = new Map<CheckSubject, Observation[]>();
  for (const o of observations) {
    const list = out.get(o.subject);
    if (list) list.push(o);
    else out.set(o.subject, [o]);
  }
  return out;
}

/** Runs one check over the observations of its subject. */
function runCheck(check: AnyCheck, observations: ReadonlyMap<CheckSubject, Observation[]>): ReportedOutcome[] {
  const relevant = observations.get(check.subject);
  if (!relevant || relevant.length === 0) return noObservation(check.subject);
  const outcomes: ReportedOutcome[] = [];
  for (const observation of relevant) {
    // The subject was matched above, so the check and the input agree on their subject kind.
    for (const outcome of applyCheck(check as Check<CheckSubject>, observation.input as never)) {
      outcomes.push({ ...outcome, observation: observation.label });
    }
  }
  // A check that applies to some observations says nothing about the others: their n/a outcomes are noise (a
  // library target makes dozens of observations). When it applies to none, one n/a says why.
  const applicable = outcomes.filter((o) => o.status !== 'n/a');
  return applicable.length > 0 ? applicable : outcomes.slice(0, 1);
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Runs the catalogue against every target (in id order, one at a time: live drivers are not to be hammered) and
 * applies the baseline.
 *
 * @example
 * const report = await runConformance(await documentFixtureTargets('fixtures/conformant'), {
 *   baseline: await loadBaseline('conformance/baseline.json'),
 * });
 * process.exitCode = report.summary.ok ? 0 : 1;
 */
export async function runConformance(
  targets: readonly ConformanceTarget[],
  options: RunOptions = {},
): Promise<ConformanceReport> {
  const catalogue = [...(options.catalogue ?? CATALOGUE)].sort((a, b) => compareIds(a.id, b.id));
  const baseline = options.baseline ?? new Baseline();
  const ordered = [...targets].sort((a, b) => compareIds(a.id, b.id));
  for (let i = 1; i < ordered.length; i++) {
    if (ordered[i]!.id === ordered[i - 1]!.id) throw new TypeError(`two targets have the id "${ordered[i]!.id}"`);
  }

  const targetReports: TargetReport[] = [];
  const hidden: HiddenFailure[] = [];
  const stale: BaselineEntry[] = [];
  const newMustFailures: NewFailure[] = [];
  const targetErrors: string[] = [];
  const totals = emptyCounts();

  const hasBaseline = baseline.entries.length > 0;
  const progress = options.onProgress;
  const tell = (event: ProgressEvent): void => {
    try {
      progress?.(event);
    } catch {
      /* a progress display must not break a run */
    }
  };
  for (const [index, target] of ordered.entries()) {
    options.signal?.throwIfAborted();
    const total = ordered.length;
    tell({ kind: 'target-start', target: target.id, index, total });
    let observations: readonly Observation[] = [];
    let error: string | undefined;
    try {
      observations = await target.observe({
        ...(options.signal ? { signal: options.signal } : {}),
        ...(progress
          ? {
              step: (done: number, of: number, label?: string) =>
                tell({ kind: 'target-step', target: target.id, index, total, done, of, ...(label !== undefined ? { label } : {}) }),
            }
          : {}),
      });
    } catch (err) {
      error = messageOf(err) || 'the target could not be observed';
      targetErrors.push(target.id);
    }
    const counts = emptyCounts();
    const grouped = bySubject(observations);
    const results = catalogue.map((check): TargetCheckResult => {
      const outcomes: ReportedOutcome[] =
        error !== undefined ? [{ status: 'skip', detail: `the target could not be observed: ${error}` }] : runCheck(check, grouped);
      const result: TargetCheckResult = { check: check.id, level: check.level, status: aggregateStatus(outcomes), outcomes };
      const entry = hasBaseline ? baseline.find(check.id, target.id) : undefined;
      if (entry && result.status === 'fail') {
        result.baselined = entry.reason;
        hidden.push({ ...entry, level: check.level });
      } else if (entry && error === undefined) {
        stale.push(entry);
      } else if (result.status === 'fail' && check.level === 'MUST') {
        newMustFailures.push({ check: check.id, target: target.id });
      }
      count(counts, result);
      return result;
    });
    addCounts(totals, counts);
    const translations = translationViews(observations);
    // Built member by member in a fixed order: the JSON report's key order is part of its byte-for-byte stability.
    targetReports.push({
      id: target.id,
      kind: target.kind,
      ...(target.title !== undefined ? { title: target.title } : {}),
      ...(target.spec !== undefined ? { spec: target.spec } : {}),
      ...(target.method !== undefined ? { method: target.method } : {}),
      ...(error !== undefined ? { error } : {}),
      results,
      counts,
      ...(translations.length > 0 ? { translations } : {}),
    });
    tell({ kind: 'target-done', target: target.id, index, total, counts, ...(error !== undefined ? { error } : {}) });
  }

  const runTargets = new Set(ordered.map((t) => t.id));
  const checkIds = new Set(catalogue.map((c) => c.id));
  const unused = baseline.entries.filter((e) => !runTargets.has(e.target) || !checkIds.has(e.check));
  unused.sort((a, b) => compareIds(a.target, b.target) || compareIds(a.check, b.check));

  const staleBaselineFails = options.failOnStaleBaseline === true && stale.length > 0;
  return {
    format: 'didbridge-conformance-report/1',
    ...(options.timestamps ? { generatedAt: (options.now ?? (() => new Date()))().toISOString() } : {}),
    checks: catalogue.map(describeCheck),
    targets: targetReports,
    baseline: { hidden, stale, unused },
    summary: {
      targets: ordered.length,
      checks: catalogue.length,
      counts: totals,
      newMustFailures,
      targetErrors,
      staleBaselineFails,
      ok: newMustFailures.length === 0 && targetErrors.length === 0 && !staleBaselineFails,
    },
  };
}
