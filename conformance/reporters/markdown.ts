/**
 * The Markdown reporter: a summary fit for a pull-request comment. A verdict line, a table of per-target counts,
 * then the failing MUSTs with links to their spec sections; SHOULD warnings, baselined failures and stale baseline
 * entries follow in collapsed sections so the comment stays short when all is well.
 */
import type { CheckInfo } from '../catalogue.js';
import type { ConformanceReport, ReportedOutcome, ResultCounts, TargetCheckResult } from '../run.js';
import { shortStatement } from './text.js';

/** How many failing outcomes a table cell lists before saying "and N more". */
const MAX_DETAILS_PER_CELL = 3;

/**
 * Escapes text for a Markdown table cell: HTML-significant characters become entities (GitHub renders inline HTML),
 * Markdown punctuation that would start formatting is backslash-escaped, and line breaks become spaces.
 */
function cell(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|~])/g, '\\$1')
    .replace(/\r?\n|\r/g, ' ');
}

/** Inline code for ids: backticks cannot be escaped inside code spans, so ids with one fall back to plain text. */
function code(text: string): string {
  return text.includes('`') || text.includes('|') ? cell(text) : `\`${text}\``;
}

function outcomeText(outcome: ReportedOutcome): string {
  const at = outcome.pointer !== undefined ? (outcome.pointer === '' ? '(root)' : outcome.pointer) : undefined;
  return `${at !== undefined ? `${at}: ` : ''}${outcome.detail ?? outcome.status}`;
}

function detailCell(result: TargetCheckResult): string {
  const failing = result.outcomes.filter((o) => o.status === 'fail');
  const shown = failing.slice(0, MAX_DETAILS_PER_CELL).map((o) => cell(outcomeText(o)));
  if (failing.length > MAX_DETAILS_PER_CELL) shown.push(`and ${failing.length - MAX_DETAILS_PER_CELL} more`);
  return shown.join('<br>');
}

function checkCell(id: string, check: CheckInfo | undefined): string {
  return check ? `[${code(id)}](${check.section})` : code(id);
}

function countsRow(label: string, c: ResultCounts): string {
  return `| ${label} | ${c.pass} | ${c.fail} | ${c.warn} | ${c.baselined} | ${c.skip} | ${c.na} |`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Renders a report as Markdown (final newline). */
export function renderMarkdown(report: ConformanceReport): string {
  const checks = new Map(report.checks.map((c) => [c.id, c]));
  const { summary, baseline } = report;
  const lines: string[] = [];
  const problems: string[] = [];
  if (summary.newMustFailures.length > 0) problems.push(plural(summary.newMustFailures.length, 'new MUST failure'));
  if (summary.targetErrors.length > 0) problems.push(plural(summary.targetErrors.length, 'target error'));
  if (summary.staleBaselineFails) problems.push(plural(baseline.stale.length, 'stale baseline entry', 'stale baseline entries'));
  lines.push(`## didbridge conformance: ${summary.ok ? 'PASS' : `FAIL (${problems.join(', ')})`}`, '');
  lines.push(
    `${plural(summary.checks, 'check')} on ${plural(summary.targets, 'target')}. ` +
      `Baseline: ${plural(baseline.hidden.length, 'failure')} hidden, ` +
      `${plural(baseline.stale.length, 'entry', 'entries')} no longer failing.`,
  );
  if (report.generatedAt) lines.push('', `Generated ${report.generatedAt}.`);
  lines.push('', '| target | pass | fail (MUST) | warn (SHOULD) | baselined | skip | n/a |');
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const target of report.targets) {
    lines.push(countsRow(`${code(target.id)}${target.error !== undefined ? ' (error)' : ''}`, target.counts));
  }
  lines.push(countsRow('**total**', summary.counts));

  const failing = report.targets.flatMap((t) =>
    t.results.filter((r) => r.status === 'fail' && r.level === 'MUST' && r.baselined === undefined).map((r) => ({ t, r })),
  );
  if (failing.length > 0) {
    lines.push('', '### Failing MUSTs', '', '| target | check | statement | found |', '| --- | --- | --- | --- |');
    for (const { t, r } of failing) {
      const check = checks.get(r.check);
      lines.push(`| ${code(t.id)} | ${checkCell(r.check, check)} | ${cell(shortStatement(check?.statement ?? ''))} | ${detailCell(r)} |`);
    }
  }

  const errored = report.targets.filter((t) => t.error !== undefined);
  if (errored.length > 0) {
    lines.push('', '### Targets that could not be observed', '');
    for (const t of errored) lines.push(`- ${code(t.id)}: ${cell(t.error ?? '')}`);
  }

  const warnings = report.targets.flatMap((t) =>
    t.results.filter((r) => r.status === 'fail' && r.level === 'SHOULD' && r.baselined === undefined).map((r) => ({ t, r })),
  );
  if (warnings.length > 0) {
    lines.push('', `<details><summary>${plural(warnings.length, 'SHOULD warning')}</summary>`, '');
    lines.push('| target | check | found |', '| --- | --- | --- |');
    for (const { t, r } of warnings) lines.push(`| ${code(t.id)} | ${checkCell(r.check, checks.get(r.check))} | ${detailCell(r)} |`);
    lines.push('', '</details>');
  }

  if (baseline.hidden.length > 0) {
    lines.push('', `<details><summary>${plural(baseline.hidden.length, 'failure')} hidden by the baseline</summary>`, '');
    lines.push('| target | check | level | reason |', '| --- | --- | --- | --- |');
    for (const h of baseline.hidden) {
      lines.push(`| ${code(h.target)} | ${checkCell(h.check, checks.get(h.check))} | ${h.level} | ${cell(h.reason)} |`);
    }
    lines.push('', '</details>');
  }

  if (baseline.stale.length > 0) {
    lines.push('', '### Baseline entries that no longer fail (remove them)', '');
    for (const s of baseline.stale) lines.push(`- ${code(s.target)} ${checkCell(s.check, checks.get(s.check))}: ${cell(s.reason)}`);
  }
  if (baseline.unused.length > 0) {
    lines.push('', `<details><summary>${plural(baseline.unused.length, 'baseline entry', 'baseline entries')} not used in this run</summary>`, '');
    for (const u of baseline.unused) lines.push(`- ${code(u.target)} ${code(u.check)}: ${cell(u.reason)}`);
    lines.push('', '</details>');
  }
  return `${lines.join('\n')}\n`;
}
