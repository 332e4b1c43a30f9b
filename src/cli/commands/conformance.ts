/**
 * `didbridge conformance`: runs the conformance suite (conformance/) against fixtures, the library in-process and a
 * live driver, and writes the reports.
 *
 *     didbridge conformance [--fixtures DIR]... [--library] [--driver URL] [--baseline FILE]
 *       [--report json,junit,md,html] [--out DIR] [--profile spec|uniresolver] [--offline] [--methods m1,m2]
 *       [--cases FILE] [--timestamps] [--fail-on-stale-baseline]
 *     didbridge conformance export did-test-suite --out DIR [--offline] [--methods m1,m2]
 *
 * Exit codes: 0 when no MUST fails outside the baseline, 1 otherwise (or a target could not be observed), 2 on usage
 * errors. The adapters and sandbox emulators come from the build (`adapters/index.ts`), configured like `serve`.
 * The lead registers `conformanceCommand` in `commands/index.ts`.
 */
import type { Argv, CommandModule } from 'yargs';
import { ADAPTER_FACTORIES, SANDBOX_EMULATORS } from '../../../adapters/index.js';
import {
  ConformanceUsageError,
  exportDidTestSuiteCommand,
  parseProfiles,
  parseReportFormats,
  REPORT_FILES,
  runConformanceCommand,
  type BuildContext,
} from '../../../conformance/command.js';
import { configFromArgs, EXIT, UsageError, type GlobalArgs } from '../runtime.js';

interface ConformanceArgs extends GlobalArgs {
  fixtures?: string[];
  library?: boolean;
  driver?: string;
  baseline?: string;
  report?: string[];
  out?: string;
  profile?: string[];
  offline?: boolean;
  methods?: string[];
  cases?: string;
  timestamps?: boolean;
  failOnStaleBaseline?: boolean;
}

interface ExportArgs extends GlobalArgs {
  format: string;
  out: string;
  offline?: boolean;
  methods?: string[];
}

/** The adapters and emulators of the build, with the configuration's adapter options. */
function buildContext(args: GlobalArgs): BuildContext {
  const config = configFromArgs(args);
  return {
    factories: ADAPTER_FACTORIES,
    emulators: SANDBOX_EMULATORS,
    adapterConfig: config.adapters,
    ...(config.enabledAdapters ? { enabledAdapters: config.enabledAdapters } : {}),
  };
}

function methodList(values: readonly string[] | undefined): string[] | undefined {
  if (values === undefined) return undefined;
  const methods = values.flatMap((v) => v.split(',')).map((m) => m.trim()).filter((m) => m !== '');
  for (const m of methods) if (!/^[a-z0-9]+$/.test(m)) throw new UsageError(`--methods: "${m}" is not a DID method name`);
  return methods;
}

/** Runs a step, turning the suite's usage problems into the CLI's (exit code 2). */
async function asUsage<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof ConformanceUsageError) throw new UsageError(err.message);
    throw err;
  }
}

const exportCommand: CommandModule<GlobalArgs, ExportArgs> = {
  command: 'export <format>',
  describe: 'Export fixtures for another conformance suite (did-test-suite: w3c/did-test-suite method, resolver and dereferencer files)',
  builder: (y: Argv<GlobalArgs>) =>
    y
      .positional('format', { type: 'string', choices: ['did-test-suite'], describe: 'what to export' })
      .option('out', { type: 'string', demandOption: true, describe: 'directory to write the files to' })
      .option('offline', { type: 'boolean', describe: 'only methods that resolve without network (sandboxed, or identifier-derived)' })
      .option('methods', { type: 'string', array: true, describe: 'only these DID methods (comma-separated)' }) as unknown as Argv<ExportArgs>,
  handler: async (args) => {
    const methods = methodList(args.methods);
    process.exitCode = await asUsage(() =>
      exportDidTestSuiteCommand({ ...buildContext(args), out: args.out, offline: args.offline === true, ...(methods ? { methods } : {}) }),
    );
  },
};

export const conformanceCommand: CommandModule<GlobalArgs, ConformanceArgs> = {
  command: 'conformance',
  describe: 'Run the conformance suite (DID Core, DID Resolution, HTTP binding, driver contract) on fixtures, the library or a driver',
  builder: (y: Argv<GlobalArgs>) =>
    y
      .command(exportCommand)
      .option('fixtures', { type: 'string', array: true, describe: 'fixtures directory (repeatable): method dirs with upstream/ and expected/, W3C documents' })
      .option('library', { type: 'boolean', describe: 'the library in-process, domestic upstreams replaced by the sandbox emulators' })
      .option('driver', { type: 'string', describe: 'base URL of a live Universal Resolver driver, e.g. http://127.0.0.1:8080' })
      .option('baseline', { type: 'string', describe: 'known deviations: JSON [{ check, target, reason }]' })
      .option('report', { type: 'string', array: true, describe: `report formats to write (${Object.keys(REPORT_FILES).join(',')})` })
      .option('out', { type: 'string', describe: 'directory for the reports (default reports/conformance)' })
      .option('profile', { type: 'string', array: true, describe: 'error profile(s) to test a driver in: spec, uniresolver (default both)' })
      .option('offline', { type: 'boolean', describe: 'library: leave out adapters that need network (no emulator, not identifier-derived)' })
      .option('methods', { type: 'string', array: true, describe: 'only these DID methods (library and driver)' })
      .option('cases', { type: 'string', describe: 'JSON { method: { resolvable, deactivated, notFound } } of DIDs with known outcomes' })
      .option('timestamps', { type: 'boolean', describe: 'record the run time in the reports (they differ between runs then)' })
      .option('fail-on-stale-baseline', { type: 'boolean', describe: 'fail when a baseline entry no longer fails' }) as unknown as Argv<ConformanceArgs>,
  handler: async (args) => {
    const methods = methodList(args.methods);
    const code = await asUsage(async () =>
      runConformanceCommand({
        ...buildContext(args),
        ...(args.fixtures ? { fixtures: args.fixtures } : {}),
        ...(args.driver !== undefined ? { driver: args.driver } : {}),
        library: args.library === true,
        ...(args.baseline !== undefined ? { baseline: args.baseline } : {}),
        reports: parseReportFormats(args.report),
        out: args.out ?? 'reports/conformance',
        profiles: parseProfiles(args.profile),
        offline: args.offline === true,
        ...(methods ? { methods } : {}),
        ...(args.cases !== undefined ? { cases: args.cases } : {}),
        timestamps: args.timestamps === true,
        failOnStaleBaseline: args.failOnStaleBaseline === true,
      }),
    );
    process.exitCode = code === 0 ? EXIT.OK : EXIT.FAILED;
  },
};
