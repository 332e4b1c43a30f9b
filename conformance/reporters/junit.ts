/**
 * The JUnit XML reporter, for CI systems that render test results (GitHub, GitLab, Jenkins): one `<testsuite>` per
 * target and one `<testcase>` per check per target, `classname` the target id and `name` the check id with a short
 * form of its statement.
 *
 * - a MUST failure outside the baseline → `<failure>` with every failing outcome and the section URL;
 * - `skip`, `n/a` and baselined failures → `<skipped/>` with the reason;
 * - a SHOULD failure → a passing test case with the finding in `<system-out>`, because SHOULD failures do not fail
 *   a run and a `<failure>` would turn the CI check red;
 * - a target that could not be observed → an extra `<testcase name="(observe)">` with `<error>`.
 *
 * No timestamps or durations are written (`time="0"`), so identical reports give identical bytes.
 * @see https://github.com/testmoapp/junitxml (the de-facto format)
 */
import type { CheckInfo } from '../catalogue.js';
import type { ConformanceReport, ReportedOutcome, TargetCheckResult, TargetReport } from '../run.js';
import { shortStatement } from './text.js';

/**
 * Replaces characters XML 1.0 cannot carry (controls other than tab, newline and carriage return, lone surrogates,
 * U+FFFE and U+FFFF) with a visible `\uXXXX`, so that a hostile document cannot make the report unparseable.
 * @see https://www.w3.org/TR/xml/#charsets
 */
function xmlSafe(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      out += text[i]! + text[i + 1]!; // a valid surrogate pair: a character outside the BMP
      i++;
      continue;
    }
    const allowed =
      c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd);
    out += allowed ? text[i]! : `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return out;
}

function escapeText(text: string): string {
  return xmlSafe(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escapes an attribute value; line breaks become character references so parsers do not fold them to spaces. */
function escapeAttribute(text: string): string {
  return escapeText(text)
    .replace(/"/g, '&quot;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}

function describeOutcome(outcome: ReportedOutcome): string {
  const where = [outcome.observation, outcome.pointer !== undefined ? `at ${outcome.pointer === '' ? '(root)' : outcome.pointer}` : undefined]
    .filter((p) => p !== undefined)
    .join(' ');
  return `${where ? `${where}: ` : ''}${outcome.detail ?? outcome.status}`;
}

function failingLines(result: TargetCheckResult): string[] {
  return result.outcomes.filter((o) => o.status === 'fail').map(describeOutcome);
}

function testcase(target: TargetReport, result: TargetCheckResult, check: CheckInfo | undefined): string {
  const name = check ? `${result.check}: ${shortStatement(check.statement)}` : result.check;
  const open = `    <testcase classname="${escapeAttribute(target.id)}" name="${escapeAttribute(name)}" time="0"`;
  const section = check ? `\n${check.level} ${check.section}` : '';
  if (result.status === 'fail' && result.baselined !== undefined) {
    return `${open}>\n      <skipped message="${escapeAttribute(`baselined: ${result.baselined}`)}"/>\n    </testcase>`;
  }
  if (result.status === 'fail' && result.level === 'MUST') {
    const lines = failingLines(result);
    return (
      `${open}>\n      <failure message="${escapeAttribute(lines[0] ?? 'failed')}" type="MUST">` +
      `${escapeText(lines.join('\n') + section)}</failure>\n    </testcase>`
    );
  }
  if (result.status === 'fail') {
    const text = `${result.level} not met (does not fail the run):\n${failingLines(result).join('\n')}${section}`;
    return `${open}>\n      <system-out>${escapeText(text)}</system-out>\n    </testcase>`;
  }
  if (result.status === 'skip' || result.status === 'n/a') {
    const reason = result.outcomes.find((o) => o.status === result.status)?.detail ?? result.status;
    return `${open}>\n      <skipped message="${escapeAttribute(`${result.status}: ${reason}`)}"/>\n    </testcase>`;
  }
  return `${open}/>`;
}

/** Renders a report as JUnit XML (UTF-8, final newline). */
export function renderJunit(report: ConformanceReport): string {
  const checks = new Map(report.checks.map((c) => [c.id, c]));
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let errors = 0;
  let skipped = 0;
  for (const target of report.targets) {
    const cases = target.results.map((r) => testcase(target, r, checks.get(r.check)));
    const suiteFailures = target.results.filter((r) => r.status === 'fail' && r.level === 'MUST' && r.baselined === undefined).length;
    const suiteSkipped = target.results.filter(
      (r) => r.status === 'skip' || r.status === 'n/a' || (r.status === 'fail' && r.baselined !== undefined),
    ).length;
    let suiteErrors = 0;
    if (target.error !== undefined) {
      suiteErrors = 1;
      cases.unshift(
        `    <testcase classname="${escapeAttribute(target.id)}" name="(observe)" time="0">\n` +
          `      <error message="${escapeAttribute(target.error)}" type="TargetError">${escapeText(target.error)}</error>\n` +
          '    </testcase>',
      );
    }
    const suiteTests = cases.length;
    tests += suiteTests;
    failures += suiteFailures;
    errors += suiteErrors;
    skipped += suiteSkipped;
    const properties = [
      ['kind', target.kind],
      ...(target.title !== undefined ? [['title', target.title]] : []),
      ...(target.spec !== undefined ? [['spec', target.spec]] : []),
    ]
      .map(([k, v]) => `      <property name="${escapeAttribute(k!)}" value="${escapeAttribute(v!)}"/>`)
      .join('\n');
    suites.push(
      `  <testsuite name="${escapeAttribute(target.id)}" tests="${suiteTests}" failures="${suiteFailures}" ` +
        `errors="${suiteErrors}" skipped="${suiteSkipped}" time="0">\n` +
        `    <properties>\n${properties}\n    </properties>\n${cases.join('\n')}\n  </testsuite>`,
    );
  }
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites name="didbridge conformance" tests="${tests}" failures="${failures}" errors="${errors}" ` +
    `skipped="${skipped}" time="0">\n${suites.join('\n')}${suites.length > 0 ? '\n' : ''}</testsuites>\n`
  );
}
