/**
 * What `didbridge conformance` does, apart from argument parsing (the yargs module in
 * `src/cli/commands/conformance.ts` is a thin shell over this): build the targets asked for, run the catalogue,
 * write the reports, print a summary, and return the exit code.
 *
 * Exit codes: 0 when no MUST fails outside the baseline (and every target could be observed), 1 otherwise, and
 * usage problems are thrown as {@link ConformanceUsageError} (the CLI answers 2).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve as resolvePath } from 'node:path';
import type { MethodAdapter } from '../src/adapter.js';
import type { AdaptersConfig } from '../adapters/index.js';
import type { UpstreamEmulator } from '../src/sandbox/emulator.js';
import { parseJsonSafe } from '../src/util/json.js';
import { Baseline, loadBaseline } from './baseline.js';
import type { ErrorProfile } from './catalogue.js';
import { buildDidTestSuiteFiles, writeDidTestSuiteExport } from './export/did-test-suite.js';
import { createProgress } from './progress.js';
import { renderHtml } from './reporters/html.js';
import { renderJson } from './reporters/json.js';
import { renderJunit } from './reporters/junit.js';
import { renderMarkdown } from './reporters/markdown.js';
import { runConformance, type ConformanceReport } from './run.js';
import type { ConformanceTarget } from './targets.js';
import type { KnownDids } from './targets/cases.js';
import { driverTargets } from './targets/driver.js';
import { fixtureTargets } from './targets/fixtures.js';
import { libraryTargets } from './targets/library.js';
import { startSandboxedDeployment, type SandboxedDeployment } from './targets/sandboxed.js';

/** A problem with how the command was called (exit code 2). */
export class ConformanceUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConformanceUsageError';
  }
}

/** Report formats and the file each is written to. */
export const REPORT_FILES = { json: 'conformance.json', junit: 'conformance.xml', md: 'conformance.md', html: 'conformance.html' } as const;
export type ReportFormat = keyof typeof REPORT_FILES;

/** Reads `json,junit,md,html` (aliases `markdown`, `xml`). */
export function parseReportFormats(values: readonly string[] | undefined): ReportFormat[] {
  const out = new Set<ReportFormat>();
  for (const value of values ?? []) {
    for (const raw of value.split(',')) {
      const name = raw.trim().toLowerCase();
      if (name === '') continue;
      const format = name === 'markdown' ? 'md' : name === 'xml' ? 'junit' : name;
      if (!(format in REPORT_FILES)) {
        throw new ConformanceUsageError(`unknown report format "${raw.trim()}"; use ${Object.keys(REPORT_FILES).join(', ')}`);
      }
      out.add(format as ReportFormat);
    }
  }
  return [...out];
}

/** Reads `spec`, `uniresolver` or both (comma-separated). */
export function parseProfiles(values: readonly string[] | undefined): ErrorProfile[] {
  const out = new Set<ErrorProfile>();
  for (const value of values ?? []) {
    for (const raw of value.split(',')) {
      const name = raw.trim().toLowerCase();
      if (name === '') continue;
      if (name !== 'spec' && name !== 'uniresolver') throw new ConformanceUsageError(`unknown error profile "${raw.trim()}"; use spec or uniresolver`);
      out.add(name);
    }
  }
  return out.size > 0 ? [...out] : ['spec', 'uniresolver'];
}

/**
 * Reads a cases file: `{ "<method>": { "resolvable": [DIDs], "deactivated": [DIDs], "notFound": [DIDs] } }`, DIDs
 * whose outcome the caller knows (added to what the driver or library finds itself).
 */
export async function loadCasesFile(path: string): Promise<Map<string, KnownDids>> {
  let value: unknown;
  try {
    value = parseJsonSafe(await readFile(path, 'utf8'), {}, 'INVALID_OPTIONS');
  } catch (err) {
    throw new ConformanceUsageError(`--cases ${path}: ${(err as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConformanceUsageError(`--cases ${path}: expected { "<method>": { "resolvable": [...], "deactivated": [...], "notFound": [...] } }`);
  }
  const out = new Map<string, KnownDids>();
  for (const [method, entry] of Object.entries(value as Record<string, unknown>)) {
    if (!/^[a-z0-9]+$/.test(method) || entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      throw new ConformanceUsageError(`--cases ${path}: "${method}" must be a method name mapping to an object`);
    }
    const lists: Record<string, string[]> = {};
    for (const kind of ['resolvable', 'deactivated', 'notFound']) {
      const list = (entry as Record<string, unknown>)[kind] ?? [];
      if (!Array.isArray(list) || list.some((d) => typeof d !== 'string' || !d.startsWith(`did:${method}:`))) {
        throw new ConformanceUsageError(`--cases ${path}: ${method}.${kind} must be an array of did:${method} DIDs`);
      }
      lists[kind] = list as string[];
    }
    out.set(method, { resolvable: lists.resolvable!, deactivated: lists.deactivated!, notFound: lists.notFound! });
  }
  return out;
}

/** What the command needs from the build and the configuration. */
export interface BuildContext {
  factories: Readonly<Record<string, (config?: Record<string, unknown>) => MethodAdapter>>;
  emulators: readonly UpstreamEmulator[];
  adapterConfig?: AdaptersConfig;
  enabledAdapters?: readonly string[];
}

/** Options of {@link runConformanceCommand}. */
export interface ConformanceCommandOptions extends BuildContext {
  fixtures?: readonly string[];
  driver?: string;
  library?: boolean;
  baseline?: string;
  reports?: readonly ReportFormat[];
  out?: string;
  profiles?: readonly ErrorProfile[];
  offline?: boolean;
  methods?: readonly string[];
  timestamps?: boolean;
  failOnStaleBaseline?: boolean;
  /**
   * A cases file (see {@link loadCasesFile}): DIDs whose outcome on the driver under test is known. The library's
   * sandbox knows its own.
   */
  cases?: string;
  /** Explicit paths for reports, in addition to (or instead of) `reports` in `out`. */
  paths?: Partial<Record<ReportFormat, string>>;
  /** What goes to stdout: the short summary (default) or the Markdown report. */
  print?: 'summary' | 'markdown';
  /** Observation labels show fixture paths relative to this directory. Default: the current directory. */
  root?: string;
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
  /** Whether stderr is a terminal (live progress line). Default: `process.stderr.isTTY`. */
  tty?: boolean;
}

function instantiate(context: BuildContext, stderr: (text: string) => void): MethodAdapter[] {
  const ids = context.enabledAdapters ?? Object.keys(context.factories);
  const adapters: MethodAdapter[] = [];
  for (const id of ids) {
    const factory = context.factories[id];
    if (!factory) throw new ConformanceUsageError(`unknown adapter "${id}"; available: ${Object.keys(context.factories).join(', ')}`);
    try {
      adapters.push(factory(context.adapterConfig?.[id]));
    } catch (err) {
      stderr(`conformance: adapter "${id}" refused its configuration, its fixtures run without it: ${(err as Error).message}\n`);
    }
  }
  return adapters;
}

/** A short text summary for stdout: the verdict, counts, and each new MUST failure with its first finding. */
export function summaryText(report: ConformanceReport): string {
  const { summary } = report;
  const c = summary.counts;
  const lines = [
    `didbridge conformance: ${summary.ok ? 'PASS' : 'FAIL'} (${summary.checks} checks, ${summary.targets} targets; ` +
      `${c.pass} pass, ${c.fail} MUST failures, ${c.warn} SHOULD warnings, ${c.baselined} baselined, ${c.skip} skipped)`,
  ];
  for (const id of summary.targetErrors) {
    const target = report.targets.find((t) => t.id === id);
    lines.push(`  target error ${id}: ${target?.error ?? ''}`);
  }
  for (const f of summary.newMustFailures) {
    const result = report.targets.find((t) => t.id === f.target)?.results.find((r) => r.check === f.check);
    const first = result?.outcomes.find((o) => o.status === 'fail');
    const where = first ? `${first.observation ? `${first.observation}: ` : ''}${first.detail ?? ''}` : '';
    lines.push(`  FAIL ${f.check} on ${f.target}${where ? ` — ${where.slice(0, 200)}` : ''}`);
  }
  if (summary.staleBaselineFails) lines.push(`  ${report.baseline.stale.length} stale baseline entries (--fail-on-stale-baseline)`);
  return `${lines.join('\n')}\n`;
}

const RENDERERS: Record<ReportFormat, (r: ConformanceReport) => string> = { json: renderJson, junit: renderJunit, md: renderMarkdown, html: renderHtml };

/** Writes the reports asked for into `out`; returns the paths. */
export async function writeReports(report: ConformanceReport, formats: readonly ReportFormat[], out: string): Promise<string[]> {
  if (formats.length === 0) return [];
  await mkdir(out, { recursive: true });
  const paths: string[] = [];
  for (const format of formats) {
    const path = join(out, REPORT_FILES[format]);
    await writeFile(path, RENDERERS[format](report), 'utf8');
    paths.push(path);
  }
  return paths;
}

/** Runs the command. Returns the exit code (0 or 1); throws ConformanceUsageError for usage problems. */
export async function runConformanceCommand(options: ConformanceCommandOptions): Promise<number> {
  const stdout = options.stdout ?? ((t: string) => void process.stdout.write(t));
  const stderr = options.stderr ?? ((t: string) => void process.stderr.write(t));
  const fixtures = options.fixtures ?? [];
  if (fixtures.length === 0 && !options.driver && !options.library) {
    throw new ConformanceUsageError('name at least one target: --fixtures DIR, --library or --driver URL');
  }
  const reports = options.reports ?? [];
  const out = options.out ?? 'reports/conformance';
  const baseline = options.baseline ? await loadBaseline(options.baseline).catch((err: Error) => {
    throw new ConformanceUsageError(`--baseline ${options.baseline}: ${err.message}`);
  }) : new Baseline();
  const cases = options.cases ? await loadCasesFile(options.cases) : undefined;

  const targets: ConformanceTarget[] = [];
  let deployment: SandboxedDeployment | undefined;
  try {
    if (fixtures.length > 0) {
      const adapters = instantiate(options, stderr);
      for (const dir of fixtures) {
        try {
          targets.push(...(await fixtureTargets(dir, { adapters, ...(options.root ? { root: options.root } : {}) })));
        } catch (err) {
          throw new ConformanceUsageError(`--fixtures ${dir}: ${(err as Error).message}`);
        }
      }
    }
    if (options.library) {
      deployment = await startSandboxedDeployment({
        factories: options.factories,
        emulators: options.emulators,
        ...(options.adapterConfig ? { adapterConfig: options.adapterConfig } : {}),
        ...(options.enabledAdapters ? { enabled: options.enabledAdapters } : {}),
        offline: options.offline === true,
      });
      for (const s of deployment.skipped) stderr(`conformance: library leaves out adapter "${s.adapter}": ${s.reason}\n`);
      // --cases describes the driver under test: the library's sandbox knows its own DIDs.
      const known = deployment.known;
      targets.push(...libraryTargets({ resolver: deployment.resolver, known, ...(options.methods ? { methods: options.methods } : {}) }));
    }
    if (options.driver) {
      try {
        targets.push(
          ...(await driverTargets({
            url: options.driver,
            profiles: options.profiles ?? ['spec', 'uniresolver'],
            ...(options.methods ? { methods: options.methods } : {}),
            ...(cases ? { known: cases } : {}),
          })),
        );
      } catch (err) {
        if (err instanceof TypeError) throw new ConformanceUsageError(`--driver: ${err.message}`);
        throw err;
      }
    }
    const progress = createProgress({ write: stderr, ...(options.tty !== undefined ? { tty: options.tty } : {}) });
    let report: ConformanceReport;
    try {
      report = await runConformance(targets, {
        baseline,
        timestamps: options.timestamps === true,
        failOnStaleBaseline: options.failOnStaleBaseline === true,
        onProgress: progress.onProgress,
      });
    } finally {
      progress.done();
    }
    const written = await writeReports(report, reports, out);
    for (const [format, path] of Object.entries(options.paths ?? {}) as Array<[ReportFormat, string | undefined]>) {
      if (path === undefined) continue;
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, RENDERERS[format](report), 'utf8');
      written.push(path);
    }
    if (options.print === 'markdown') stdout(renderMarkdown(report));
    else {
      stdout(summaryText(report));
      for (const path of written) stdout(`report: ${path}\n`);
    }
    return report.summary.ok ? 0 : 1;
  } finally {
    await deployment?.close();
  }
}

/** Options of {@link exportDidTestSuiteCommand}. */
export interface ExportCommandOptions extends BuildContext {
  out: string;
  offline?: boolean;
  methods?: readonly string[];
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
}

/**
 * `didbridge conformance export did-test-suite --out DIR`: the files of w3c/did-test-suite for every method served,
 * from the sandboxed library. Returns the exit code: 0, or 1 when no method could be exported.
 */
export async function exportDidTestSuiteCommand(options: ExportCommandOptions): Promise<number> {
  const stdout = options.stdout ?? ((t: string) => void process.stdout.write(t));
  const stderr = options.stderr ?? ((t: string) => void process.stderr.write(t));
  const deployment = await startSandboxedDeployment({
    factories: options.factories,
    emulators: options.emulators,
    ...(options.adapterConfig ? { adapterConfig: options.adapterConfig } : {}),
    ...(options.enabledAdapters ? { enabled: options.enabledAdapters } : {}),
    offline: options.offline === true,
  });
  try {
    for (const s of deployment.skipped) stderr(`export: leaves out adapter "${s.adapter}": ${s.reason}\n`);
    const exported = await buildDidTestSuiteFiles({
      resolver: deployment.resolver,
      known: deployment.known,
      ...(options.methods ? { methods: options.methods } : {}),
    });
    for (const s of exported.skipped) stderr(`export: leaves out did:${s.method}: ${s.reason}\n`);
    const written = await writeDidTestSuiteExport(options.out, exported);
    for (const path of written) stdout(`${path}\n`);
    const methods = [...new Set(exported.files.map((f) => f.method))];
    stdout(
      `exported ${methods.length} method${methods.length === 1 ? '' : 's'} (${methods.join(', ')}); run the suite from ` +
        `packages/did-core-test-server of a w3c/did-test-suite checkout:\n  DTS_CONFIG=${resolvePath(options.out, 'dts-config.cjs')} ` +
        `npx jest --setupFiles ${resolvePath(options.out, 'dts-setup.cjs')}\n`,
    );
    return methods.length > 0 ? 0 : 1;
  } finally {
    await deployment.close();
  }
}
