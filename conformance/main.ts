/**
 * Command line for CI: runs the catalogue on fixture directories and writes the reports.
 *
 *   npx tsx conformance/main.ts --fixtures fixtures/conformant [--fixtures dir ...] [--baseline file]
 *     [--json out.json] [--junit out.xml] [--markdown out.md] [--timestamps] [--fail-on-stale-baseline]
 *
 * Prints the Markdown summary to stdout and exits 1 when the run fails (a MUST failure outside the baseline, a
 * target error, or, with --fail-on-stale-baseline, a baseline entry that no longer fails); 2 on a usage error.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { Baseline, loadBaseline } from './baseline.js';
import { renderJson } from './reporters/json.js';
import { renderJunit } from './reporters/junit.js';
import { renderMarkdown } from './reporters/markdown.js';
import { runConformance } from './run.js';
import { documentFixtureTargets, type ConformanceTarget } from './targets.js';

async function write(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text, 'utf8');
}

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        fixtures: { type: 'string', multiple: true },
        baseline: { type: 'string' },
        json: { type: 'string' },
        junit: { type: 'string' },
        markdown: { type: 'string' },
        timestamps: { type: 'boolean', default: false },
        'fail-on-stale-baseline': { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }
  const directories = values.fixtures ?? [];
  if (directories.length === 0) {
    process.stderr.write('give at least one --fixtures <directory>\n');
    return 2;
  }
  const targets: ConformanceTarget[] = [];
  for (const directory of directories) targets.push(...(await documentFixtureTargets(directory)));
  const report = await runConformance(targets, {
    baseline: values.baseline ? await loadBaseline(values.baseline) : new Baseline(),
    timestamps: values.timestamps,
    failOnStaleBaseline: values['fail-on-stale-baseline'],
  });
  const markdown = renderMarkdown(report);
  if (values.json) await write(values.json, renderJson(report));
  if (values.junit) await write(values.junit, renderJunit(report));
  if (values.markdown) await write(values.markdown, markdown);
  process.stdout.write(markdown);
  return report.summary.ok ? 0 : 1;
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
