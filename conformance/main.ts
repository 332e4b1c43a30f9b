/**
 * The conformance suite as a standalone command, for CI and for use before `didbridge conformance` is registered:
 * the same options and exit codes as the `conformance` command module (`conformance/command.ts` does the work).
 *
 *   npx tsx conformance/main.ts [--fixtures DIR]... [--library [--offline]] [--driver URL [--profile spec|uniresolver]]
 *     [--cases FILE] [--methods m1,m2] [--baseline FILE] [--report json,junit,md,html] [--out DIR]
 *     [--json FILE] [--junit FILE] [--markdown FILE] [--html FILE] [--timestamps] [--fail-on-stale-baseline]
 *
 * Prints the Markdown report to stdout. Exit codes: 0 pass; 1 a MUST failure outside the baseline, a target that
 * could not be observed, or (with --fail-on-stale-baseline) a baseline entry that no longer fails; 2 usage error.
 * Adapters, emulators and their configuration come from the build and the environment, as for `didbridge serve`.
 */
import { parseArgs } from 'node:util';
import { ADAPTER_FACTORIES, SANDBOX_EMULATORS } from '../adapters/index.js';
import { loadConfig } from '../src/config.js';
import { ConformanceUsageError, parseProfiles, parseReportFormats, runConformanceCommand } from './command.js';

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        fixtures: { type: 'string', multiple: true },
        library: { type: 'boolean', default: false },
        offline: { type: 'boolean', default: false },
        driver: { type: 'string' },
        profile: { type: 'string', multiple: true },
        cases: { type: 'string' },
        methods: { type: 'string', multiple: true },
        baseline: { type: 'string' },
        report: { type: 'string', multiple: true },
        out: { type: 'string' },
        json: { type: 'string' },
        junit: { type: 'string' },
        markdown: { type: 'string' },
        html: { type: 'string' },
        timestamps: { type: 'boolean', default: false },
        'fail-on-stale-baseline': { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }
  try {
    const config = loadConfig({ env: process.env });
    const methods = values.methods?.flatMap((m) => m.split(',')).map((m) => m.trim()).filter((m) => m !== '');
    const paths = {
      ...(values.json ? { json: values.json } : {}),
      ...(values.junit ? { junit: values.junit } : {}),
      ...(values.markdown ? { md: values.markdown } : {}),
      ...(values.html ? { html: values.html } : {}),
    };
    return await runConformanceCommand({
      factories: ADAPTER_FACTORIES,
      emulators: SANDBOX_EMULATORS,
      adapterConfig: config.adapters,
      ...(config.enabledAdapters ? { enabledAdapters: config.enabledAdapters } : {}),
      fixtures: values.fixtures ?? [],
      library: values.library,
      offline: values.offline,
      ...(values.driver !== undefined ? { driver: values.driver } : {}),
      profiles: parseProfiles(values.profile),
      ...(values.cases !== undefined ? { cases: values.cases } : {}),
      ...(methods ? { methods } : {}),
      ...(values.baseline !== undefined ? { baseline: values.baseline } : {}),
      reports: parseReportFormats(values.report),
      out: values.out ?? 'reports/conformance',
      paths,
      print: 'markdown',
      timestamps: values.timestamps,
      failOnStaleBaseline: values['fail-on-stale-baseline'],
    });
  } catch (err) {
    if (err instanceof ConformanceUsageError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  },
);
