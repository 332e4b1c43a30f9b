/**
 * A conformance report (`didbridge-conformance-report/1`, conformance/reporters/json.ts) read for browsing: checked
 * on the way in (the file comes from the user's disk and may be anything), then summarised as the method × section
 * matrix the HTML reporter draws, with the same statuses, order and section names (`sectionName`, imported from the
 * HTML reporter so both views agree). Pure functions, no DOM: the tests run them in Node.
 *
 * @see ../../conformance/reporters/html.ts
 */
import type { CheckInfo } from '../../conformance/catalogue.js';
import { sectionName } from '../../conformance/reporters/html.js';
import { shortStatement } from '../../conformance/reporters/text.js';
import type { ConformanceReport, TargetCheckResult, TargetReport } from '../../conformance/run.js';

export { sectionName, shortStatement };

/** The report format this console reads. */
export const REPORT_FORMAT = 'didbridge-conformance-report/1';

/** The display status of a result: baselined failures and SHOULD failures are not MUST failures. */
export type CellStatus = 'fail' | 'warn' | 'baselined' | 'pass' | 'skip' | 'n/a';

const SEVERITY: Record<CellStatus, number> = { fail: 5, warn: 4, baselined: 3, pass: 2, skip: 1, 'n/a': 0 };

export const CELL_STATUSES: readonly CellStatus[] = ['fail', 'warn', 'baselined', 'pass', 'skip', 'n/a'];

export function cellStatus(result: TargetCheckResult): CellStatus {
  if (result.status === 'fail') return result.baselined !== undefined ? 'baselined' : result.level === 'MUST' ? 'fail' : 'warn';
  return result.status === 'pass' || result.status === 'skip' ? result.status : 'n/a';
}

export function worst(statuses: Iterable<CellStatus>): CellStatus {
  let out: CellStatus = 'n/a';
  for (const s of statuses) if (SEVERITY[s] > SEVERITY[out]) out = s;
  return out;
}

/** The matrix row of a target: its method, or its kind in parentheses. */
export function rowOf(target: TargetReport): string {
  return target.method !== undefined ? `did:${target.method}` : `(${target.kind})`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Checks that a parsed file is a conformance report this console can show, and returns it typed. Throws Error
 * naming what is wrong.
 */
export function readReport(value: unknown): ConformanceReport {
  if (!isObject(value)) throw new Error('the file does not hold a JSON object');
  if (value.format !== REPORT_FORMAT) throw new Error(`"format" is ${JSON.stringify(value.format ?? null)}, expected "${REPORT_FORMAT}"`);
  if (!Array.isArray(value.checks) || !value.checks.every((c) => isObject(c) && typeof c.id === 'string' && typeof c.section === 'string')) {
    throw new Error('"checks" must be a list of checks with an id and a section');
  }
  if (!Array.isArray(value.targets) || !value.targets.every((t) => isObject(t) && typeof t.id === 'string' && Array.isArray(t.results))) {
    throw new Error('"targets" must be a list of targets with an id and results');
  }
  for (const t of value.targets as Array<Record<string, unknown>>) {
    if (!(t.results as unknown[]).every((r) => isObject(r) && typeof r.check === 'string' && typeof r.status === 'string' && Array.isArray(r.outcomes))) {
      throw new Error(`the results of target ${JSON.stringify(String(t.id).slice(0, 80))} are not check results`);
    }
  }
  if (!isObject(value.summary) || typeof value.summary.ok !== 'boolean' || !isObject(value.summary.counts)) {
    throw new Error('"summary" must say whether the run passed and give its counts');
  }
  return value as unknown as ConformanceReport;
}

/** One cell of the matrix. */
export interface MatrixCell {
  status: CellStatus;
  counts: Record<CellStatus, number>;
}

export interface Matrix {
  /** Row labels: methods first (`did:bid`), then target kinds (`(driver)`), each sorted. */
  rows: string[];
  /** Section names, sorted. */
  sections: string[];
  /** `cells.get(row)!.get(section)!`. */
  cells: Map<string, Map<string, MatrixCell>>;
}

function compareRows(a: string, b: string): number {
  const ak = a.startsWith('(');
  const bk = b.startsWith('(');
  if (ak !== bk) return ak ? 1 : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The method × section matrix: the worst status of the checks citing each section, over each row's targets. */
export function buildMatrix(report: ConformanceReport): Matrix {
  const sections = [...new Set(report.checks.map((c) => sectionName(c.section)))].sort();
  const checkSection = new Map(report.checks.map((c) => [c.id, sectionName(c.section)]));
  const rows = [...new Set(report.targets.map(rowOf))].sort(compareRows);
  const cells = new Map<string, Map<string, MatrixCell>>();
  for (const row of rows) {
    const byRow = new Map<string, MatrixCell>();
    for (const section of sections) byRow.set(section, { status: 'n/a', counts: { fail: 0, warn: 0, baselined: 0, pass: 0, skip: 0, 'n/a': 0 } });
    cells.set(row, byRow);
  }
  for (const target of report.targets) {
    const byRow = cells.get(rowOf(target))!;
    for (const result of target.results) {
      const section = checkSection.get(result.check);
      if (section === undefined) continue;
      const cell = byRow.get(section)!;
      const status = cellStatus(result);
      cell.counts[status]++;
      cell.status = worst([cell.status, status]);
    }
  }
  return { rows, sections, cells };
}

/** A check with the results of the targets of a row (or of every row). */
export interface CheckDrill {
  check: CheckInfo;
  status: CellStatus;
  results: Array<{ target: TargetReport; result: TargetCheckResult; status: CellStatus }>;
}

/** The checks citing `section` (every check when undefined), with the results of the targets in `row` (all rows when undefined). */
export function drillDown(report: ConformanceReport, row?: string, section?: string): CheckDrill[] {
  const out: CheckDrill[] = [];
  for (const check of report.checks) {
    if (section !== undefined && sectionName(check.section) !== section) continue;
    const results = report.targets
      .filter((t) => row === undefined || rowOf(t) === row)
      .flatMap((target) => target.results.filter((r) => r.check === check.id).map((result) => ({ target, result, status: cellStatus(result) })));
    if (row !== undefined && results.length === 0) continue;
    out.push({ check, status: worst(results.map((r) => r.status)), results });
  }
  return out;
}

/** The label of a matrix cell (as in the HTML report): MUST failures and warnings counted, ✓ pass, b, s, ·. */
export function cellLabel(cell: MatrixCell): string {
  switch (cell.status) {
    case 'fail':
      return String(cell.counts.fail);
    case 'warn':
      return String(cell.counts.warn);
    case 'pass':
      return '✓';
    case 'baselined':
      return 'b';
    case 'skip':
      return 's';
    default:
      return '·';
  }
}
