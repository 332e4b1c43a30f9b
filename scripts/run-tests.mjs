#!/usr/bin/env node
// `npm test`: lint, type-check, then vitest. CI reads only a closing line of the form
// "N passed, N failed", which vitest does not print, so it is derived from vitest's JSON report.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';

const bin = (name) => new URL(`../node_modules/.bin/${name}`, import.meta.url).pathname;
const run = (label, cmd, args) => {
  const started = Date.now();
  const res = spawnSync(cmd, args, { stdio: 'inherit' });
  console.log(`[${label}] exit ${res.status} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return res.status ?? 1;
};

let failedSteps = 0;
failedSteps += run('lint', bin('eslint'), ['--max-warnings=0', '.']) === 0 ? 0 : 1;
failedSteps += run('typecheck', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']) === 0 ? 0 : 1;
// The web console is type-checked on its own: it needs the DOM.Iterable library the server code must not see.
failedSteps += run('typecheck web', bin('tsc'), ['-p', 'web/tsconfig.json']) === 0 ? 0 : 1;

const report = '.vitest.json';
rmSync(report, { force: true });
const vitestStatus = run('vitest', bin('vitest'), [
  'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2),
]);
let passed = 0;
let failed = 0;
try {
  const json = JSON.parse(readFileSync(report, 'utf8'));
  passed = json.numPassedTests ?? 0;
  failed = json.numFailedTests ?? 0;
  // A suite that fails to load has no failed tests of its own; count it so it cannot pass silently.
  if (failed === 0 && (json.numFailedTestSuites ?? 0) > 0) failed = json.numFailedTestSuites;
} catch (err) {
  console.error(`could not read ${report}: ${err.message}`);
  failed += 1;
}
// Lint and type-check failures count as failures so that the closing line never reads green when they fail.
failed += failedSteps;
console.log(`${passed} passed, ${failed} failed`);
process.exit(vitestStatus !== 0 || failed > 0 ? 1 : 0);
