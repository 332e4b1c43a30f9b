/**
 * The HTML reporter: one self-contained page (inline CSS and JavaScript, nothing fetched), readable offline and as a
 * CI artifact.
 *
 * - a verdict and per-target counts;
 * - a **method × section matrix**: one row per DID method (targets without a method are grouped by kind), one column
 *   per spec section a check cites; each cell shows the worst status of the checks of that section over the
 *   method's targets, and clicking it opens the drill-down of those checks;
 * - a **drill-down per check**: the statement, level and section link, and for each target its status and the
 *   failing (or skipped) outcomes with the observation and JSON pointer;
 * - for each **translated document**, the original beside the W3C result (document and metadata), with every change
 *   record highlighted: its `from` pointer in the original and its `to` pointer in the result. Hovering a change
 *   record (or a highlighted value) focuses the pair.
 *
 * The page is static HTML: everything is visible without scripts (sections are `<details>`); the script only adds
 * the matrix-to-drill-down navigation and the change focus. No timestamps are added beyond the report's own, so the
 * same report gives the same bytes.
 */
import type { CheckInfo, CheckStatus } from '../catalogue.js';
import type { ConformanceReport, ReportedOutcome, TargetCheckResult, TargetReport, TranslationView } from '../run.js';
import { shortStatement } from './text.js';

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** The display status of a result: baselined failures and SHOULD failures are not MUST failures. */
type CellStatus = 'fail' | 'warn' | 'baselined' | 'pass' | 'skip' | 'n/a';

const SEVERITY: Record<CellStatus, number> = { fail: 5, warn: 4, baselined: 3, pass: 2, skip: 1, 'n/a': 0 };

function cellStatus(result: TargetCheckResult): CellStatus {
  if (result.status === 'fail') return result.baselined !== undefined ? 'baselined' : result.level === 'MUST' ? 'fail' : 'warn';
  return result.status as Exclude<CheckStatus, 'fail'>;
}

function worst(statuses: Iterable<CellStatus>): CellStatus {
  let out: CellStatus = 'n/a';
  for (const s of statuses) if (SEVERITY[s] > SEVERITY[out]) out = s;
  return out;
}

/** A short name for a section URL: the spec and the fragment (`did-core#verification-material`). */
export function sectionName(url: string): string {
  try {
    const u = new URL(url);
    const fragment = u.hash.slice(1);
    let spec: string;
    if (u.hostname === 'www.w3.org' && u.pathname.startsWith('/TR/')) spec = u.pathname.split('/')[2] ?? 'w3c';
    else if (u.hostname === 'w3c.github.io') spec = u.pathname.split('/')[1] ?? 'w3c';
    else if (u.hostname === 'github.com') {
      // Repository and file: universal-resolver/openapi.yaml#L233.
      const parts = u.pathname.split('/');
      spec = `${parts[2] ?? 'github'}/${parts[parts.length - 1] ?? ''}`;
    }
    else if (u.hostname === 'www.rfc-editor.org') spec = u.pathname.split('/').pop() ?? 'rfc';
    else spec = u.hostname;
    return `${spec}#${fragment}`;
  } catch {
    return url;
  }
}

/** The matrix row a target belongs to. */
function rowOf(target: TargetReport): string {
  return target.method !== undefined ? `did:${target.method}` : `(${target.kind})`;
}

function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]+/g, '-');
}

function statusBadge(status: CellStatus): string {
  return `<span class="badge s-${slug(status)}">${escapeHtml(status === 'fail' ? 'FAIL (MUST)' : status === 'warn' ? 'warn (SHOULD)' : status)}</span>`;
}

function outcomeLine(outcome: ReportedOutcome): string {
  const parts: string[] = [];
  if (outcome.observation !== undefined) parts.push(`<span class="obs">${escapeHtml(outcome.observation)}</span>`);
  if (outcome.pointer !== undefined) parts.push(`<code>${escapeHtml(outcome.pointer === '' ? '(root)' : outcome.pointer)}</code>`);
  parts.push(escapeHtml(outcome.detail ?? outcome.status));
  return `<li class="o-${slug(outcome.status)}">${parts.join(' ')}</li>`;
}

/** At most this many outcomes of one status are listed per check and target. */
const MAX_OUTCOMES = 25;

function outcomesList(result: TargetCheckResult): string {
  const interesting = result.outcomes.filter((o) => o.status === 'fail' || o.status === 'skip');
  const shown = (interesting.length > 0 ? interesting : result.outcomes.filter((o) => o.status === 'n/a')).slice(0, MAX_OUTCOMES);
  if (shown.length === 0) return '';
  const more = interesting.length > MAX_OUTCOMES ? `<li>and ${interesting.length - MAX_OUTCOMES} more</li>` : '';
  return `<ul class="outcomes">${shown.map(outcomeLine).join('')}${more}</ul>`;
}

function checkDrillDown(check: CheckInfo, targets: readonly TargetReport[]): string {
  const rows = targets
    .map((t) => ({ t, r: t.results.find((r) => r.check === check.id) }))
    .filter((x): x is { t: TargetReport; r: TargetCheckResult } => x.r !== undefined)
    .map(({ t, r }) => {
      const status = cellStatus(r);
      const reason = r.baselined !== undefined ? `<div class="why">baselined: ${escapeHtml(r.baselined)}</div>` : '';
      return (
        `<tr data-row="${escapeHtml(rowOf(t))}" class="r-${slug(status)}"><td><code>${escapeHtml(t.id)}</code></td><td>${statusBadge(status)}</td>` +
        `<td>${reason}${status === 'pass' ? '' : outcomesList(r)}</td></tr>`
      );
    })
    .join('\n');
  const overall = worst(targets.flatMap((t) => t.results.filter((r) => r.check === check.id).map(cellStatus)));
  const note = check.note !== undefined ? `<p class="note">${escapeHtml(check.note)}</p>` : '';
  return (
    `<details class="check" id="check-${slug(check.id)}" data-section="${escapeHtml(sectionName(check.section))}">` +
    `<summary>${statusBadge(overall)} <code>${escapeHtml(check.id)}</code> <span class="lvl">${check.level}</span> ` +
    `${escapeHtml(shortStatement(check.statement))}</summary>` +
    `<blockquote>${escapeHtml(check.statement)}</blockquote>` +
    `<p>Section: <a href="${escapeHtml(check.section)}">${escapeHtml(check.section)}</a> · statement ${escapeHtml(check.source)}</p>${note}` +
    `<table class="targets"><thead><tr><th>target</th><th>status</th><th>found</th></tr></thead><tbody>\n${rows}\n</tbody></table>` +
    '</details>'
  );
}

function matrix(report: ConformanceReport): string {
  const sections = [...new Set(report.checks.map((c) => sectionName(c.section)))].sort();
  const checksBySection = new Map<string, CheckInfo[]>();
  for (const c of report.checks) {
    const name = sectionName(c.section);
    checksBySection.set(name, [...(checksBySection.get(name) ?? []), c]);
  }
  const rows = [...new Set(report.targets.map(rowOf))].sort((a, b) => (a.startsWith('(') === b.startsWith('(') ? (a < b ? -1 : a > b ? 1 : 0) : a.startsWith('(') ? 1 : -1));
  const head = sections.map((s) => `<th class="sec" title="${escapeHtml(s)}"><span>${escapeHtml(s)}</span></th>`).join('');
  const body = rows
    .map((row) => {
      const targets = report.targets.filter((t) => rowOf(t) === row);
      const cells = sections
        .map((section) => {
          const ids = new Set((checksBySection.get(section) ?? []).map((c) => c.id));
          const results = targets.flatMap((t) => t.results.filter((r) => ids.has(r.check)));
          const statuses = results.map(cellStatus);
          const status = worst(statuses);
          const count = (s: CellStatus) => statuses.filter((x) => x === s).length;
          const label = status === 'n/a' ? '·' : status === 'fail' ? String(count('fail')) : status === 'warn' ? String(count('warn')) : status === 'pass' ? '✓' : status === 'baselined' ? 'b' : 's';
          const title = `${row} × ${section}: ${count('pass')} pass, ${count('fail')} fail, ${count('warn')} warn, ${count('baselined')} baselined, ${count('skip')} skip, ${count('n/a')} n/a`;
          return `<td class="cell s-${slug(status)}"><button type="button" data-row="${escapeHtml(row)}" data-section="${escapeHtml(section)}" title="${escapeHtml(title)}">${label}</button></td>`;
        })
        .join('');
      return `<tr><th class="row">${escapeHtml(row)}</th>${cells}</tr>`;
    })
    .join('\n');
  return `<table id="matrix"><thead><tr><th>method \\ section</th>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

// ---------------------------------------------------------------------------------------------------------------
// JSON with pointers, for the translation views

function escapePointerToken(token: string | number): string {
  return String(token).replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * Renders a JSON value as indented HTML where every member and item is a `<span data-p="<pointer>">`, and the
 * spans whose pointer is in `marks` carry the mark's class and title.
 */
export function jsonHtml(value: unknown, base: string, marks: ReadonlyMap<string, { cls: string; title: string }>, indent = 0, depth = 0): string {
  const pad = '  '.repeat(indent);
  const inner = '  '.repeat(indent + 1);
  const wrap = (pointer: string, html: string) => {
    const mark = marks.get(pointer);
    const attrs = mark ? ` class="jv ${mark.cls}" title="${escapeHtml(mark.title)}"` : ' class="jv"';
    return `<span data-p="${escapeHtml(pointer)}"${attrs}>${html}</span>`;
  };
  if (depth > 64) return '<span class="jt">…</span>';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const items = value.map((v, i) => `${inner}${wrap(`${base}/${i}`, jsonHtml(v, `${base}/${i}`, marks, indent + 1, depth + 1))}`);
    return `[\n${items.join(',\n')}\n${pad}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return '{}';
    const items = entries.map(([k, v]) => {
      const pointer = `${base}/${escapePointerToken(k)}`;
      return `${inner}${wrap(pointer, `<span class="jk">${escapeHtml(JSON.stringify(k))}</span>: ${jsonHtml(v, pointer, marks, indent + 1, depth + 1)}`)}`;
    });
    return `{\n${items.join(',\n')}\n${pad}}`;
  }
  const text = value === undefined ? 'undefined' : JSON.stringify(value);
  return `<span class="js">${escapeHtml(text.length > 400 ? `${text.slice(0, 397)}…` : text)}</span>`;
}

interface ChangeRow {
  rule: string;
  from: string | null;
  to: string | null;
  reason: string;
  spec?: string;
}

function readChanges(changes: unknown): ChangeRow[] {
  if (!Array.isArray(changes)) return [];
  return changes
    .filter((c): c is Record<string, unknown> => c !== null && typeof c === 'object' && !Array.isArray(c))
    .map((c) => ({
      rule: typeof c.rule === 'string' ? c.rule : '(no rule)',
      from: typeof c.from === 'string' ? c.from : null,
      to: typeof c.to === 'string' ? c.to : null,
      reason: typeof c.reason === 'string' ? c.reason : '',
      ...(typeof c.spec === 'string' ? { spec: c.spec } : {}),
    }));
}

function translationView(view: TranslationView, index: number): string {
  const changes = readChanges(view.changes);
  const fromMarks = new Map<string, { cls: string; title: string }>();
  const toMarks = new Map<string, { cls: string; title: string }>();
  const add = (map: Map<string, { cls: string; title: string }>, pointer: string, cls: string, rule: string, i: number) => {
    const existing = map.get(pointer);
    map.set(pointer, existing ? { cls: `${existing.cls} c${i}`, title: `${existing.title}, ${rule}` } : { cls: `${cls} c${i}`, title: rule });
  };
  changes.forEach((c, i) => {
    if (c.from !== null) add(fromMarks, c.from, 'chg-from', c.rule, i);
    if (c.to !== null) add(toMarks, c.to, 'chg-to', c.rule, i);
  });
  const rows = changes
    .map(
      (c, i) =>
        `<tr class="change" data-change="c${i}"><td><code>${escapeHtml(c.rule)}</code></td><td><code>${escapeHtml(c.from ?? '—')}</code></td>` +
        `<td><code>${escapeHtml(c.to ?? '—')}</code></td><td>${escapeHtml(c.reason)}${c.spec ? ` <a href="${escapeHtml(c.spec)}">§</a>` : ''}</td></tr>`,
    )
    .join('\n');
  const pane = (title: string, html: string) => `<div class="pane"><h4>${escapeHtml(title)}</h4><pre class="json">${html}</pre></div>`;
  return (
    `<details class="translation" id="translation-${index}"><summary>did:${escapeHtml(view.method)} · ${escapeHtml(view.label)} · ${changes.length} change${changes.length === 1 ? '' : 's'}</summary>` +
    `<div class="panes">${pane('original (upstream)', jsonHtml(view.original, '', fromMarks))}` +
    `${pane('W3C DID document', jsonHtml(view.didDocument, '', toMarks))}` +
    `${pane('DID document metadata', jsonHtml(view.didDocumentMetadata, '#metadata', toMarks))}</div>` +
    `<table class="changes"><thead><tr><th>rule</th><th>from (original)</th><th>to (W3C)</th><th>why</th></tr></thead><tbody>\n${rows}\n</tbody></table>` +
    '</details>'
  );
}

const CSS = `
:root{--fail:#c62828;--warn:#ef8f00;--pass:#2e7d32;--base:#6a1b9a;--skip:#607d8b;--na:#e0e0e0}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:1.5rem;color:#222}
h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem}code{font:12px ui-monospace,monospace}
.verdict{font-weight:600;padding:.4rem .8rem;border-radius:4px;display:inline-block;color:#fff}
.verdict.ok{background:var(--pass)}.verdict.bad{background:var(--fail)}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:2px 6px;vertical-align:top}
#matrix th.sec{height:11rem;white-space:nowrap;vertical-align:bottom;padding:0;width:1.6rem}
#matrix th.sec span{writing-mode:vertical-rl;transform:rotate(180deg);display:inline-block;padding:4px 2px;font-weight:400;font-size:11px}
#matrix th.row{text-align:left;white-space:nowrap}
#matrix td.cell{padding:0;text-align:center}#matrix td.cell button{border:0;width:1.6rem;height:1.6rem;cursor:pointer;font:11px ui-monospace,monospace;color:#fff;background:transparent}
.s-fail{background:var(--fail)}.s-warn{background:var(--warn)}.s-pass{background:var(--pass)}.s-baselined{background:var(--base)}
.s-skip{background:var(--skip)}.s-n-a{background:var(--na)}td.s-n-a button{color:#777!important}
.badge{color:#fff;border-radius:3px;padding:0 5px;font-size:11px;white-space:nowrap}.badge.s-n-a{color:#555}
details{margin:.25rem 0}summary{cursor:pointer}details.check>summary .lvl{font-size:11px;color:#555}
blockquote{margin:.4rem 0 .4rem 1rem;padding-left:.6rem;border-left:3px solid #bbb;color:#333}
.note{color:#555;font-size:12px}.why{color:var(--base)}ul.outcomes{margin:0;padding-left:1.1rem}
.o-fail{color:var(--fail)}.o-skip{color:var(--skip)}.obs{color:#555}
tr.hidden{display:none}.highlight{outline:3px solid #1565c0}
.panes{display:flex;gap:.6rem;align-items:flex-start}.pane{flex:1;min-width:0}
pre.json{background:#fafafa;border:1px solid #ddd;padding:.5rem;overflow:auto;max-height:32rem;font:12px/1.35 ui-monospace,monospace}
.jk{color:#7b1fa2}.js{color:#0d47a1}.chg-from{background:#ffebee;outline:1px solid #e57373}.chg-to{background:#e8f5e9;outline:1px solid #81c784}
.focus{background:#fff59d!important;outline:2px solid #f9a825!important}tr.change{cursor:default}tr.change:hover{background:#fffde7}
#drill h3{font-size:1rem}
`;

const SCRIPT = `
(function () {
  'use strict';
  var drill = document.getElementById('drill');
  var title = document.getElementById('drill-title');
  function show(row, section) {
    var any = false;
    document.querySelectorAll('details.check').forEach(function (d) {
      var match = d.getAttribute('data-section') === section;
      d.hidden = !match;
      if (match) {
        any = true;
        d.open = true;
        d.querySelectorAll('tbody tr').forEach(function (tr) {
          tr.classList.toggle('hidden', tr.getAttribute('data-row') !== row);
        });
      }
    });
    title.textContent = any ? row + ' \\u00d7 ' + section : 'no check';
    drill.scrollIntoView({ block: 'start' });
  }
  document.querySelectorAll('#matrix button').forEach(function (b) {
    b.addEventListener('click', function () { show(b.getAttribute('data-row'), b.getAttribute('data-section')); });
  });
  var all = document.getElementById('show-all');
  if (all) all.addEventListener('click', function () {
    document.querySelectorAll('details.check').forEach(function (d) {
      d.hidden = false;
      d.querySelectorAll('tbody tr').forEach(function (tr) { tr.classList.remove('hidden'); });
    });
    title.textContent = 'all checks';
  });
  function focus(container, cls, on) {
    container.querySelectorAll('.' + cls).forEach(function (el) { el.classList.toggle('focus', on); });
    var row = container.querySelector('tr[data-change="' + cls + '"]');
    if (row) row.classList.toggle('focus', on);
  }
  document.querySelectorAll('details.translation').forEach(function (t) {
    t.querySelectorAll('tr.change').forEach(function (tr) {
      var cls = tr.getAttribute('data-change');
      tr.addEventListener('mouseenter', function () { focus(t, cls, true); });
      tr.addEventListener('mouseleave', function () { focus(t, cls, false); });
    });
  });
})();
`;

/** Renders a report as one self-contained HTML page (final newline). */
export function renderHtml(report: ConformanceReport): string {
  const { summary } = report;
  const checks = [...report.checks];
  const verdict = summary.ok
    ? '<span class="verdict ok">PASS</span>'
    : `<span class="verdict bad">FAIL: ${summary.newMustFailures.length} new MUST failure${summary.newMustFailures.length === 1 ? '' : 's'}, ${summary.targetErrors.length} target error${summary.targetErrors.length === 1 ? '' : 's'}</span>`;
  const countsRow = (label: string, c: TargetReport['counts'], error?: string) =>
    `<tr><td>${label}${error ? ` <span class="o-fail">(could not be observed: ${escapeHtml(error)})</span>` : ''}</td>` +
    `<td>${c.pass}</td><td>${c.fail}</td><td>${c.warn}</td><td>${c.baselined}</td><td>${c.skip}</td><td>${c.na}</td></tr>`;
  const targetsTable =
    '<table id="targets"><thead><tr><th>target</th><th>pass</th><th>fail (MUST)</th><th>warn (SHOULD)</th><th>baselined</th><th>skip</th><th>n/a</th></tr></thead><tbody>\n' +
    report.targets.map((t) => countsRow(`<code>${escapeHtml(t.id)}</code>`, t.counts, t.error)).join('\n') +
    `\n${countsRow('<b>total</b>', summary.counts)}\n</tbody></table>`;
  const translations = report.targets.flatMap((t) => t.translations ?? []);
  const translationsHtml =
    translations.length === 0
      ? '<p>No translated documents in this run.</p>'
      : `<p>Each change record is highlighted on both sides: red in the original at its <code>from</code> pointer, green in the W3C result at its <code>to</code> pointer. Hover a row of the change table to focus it.</p>\n${translations.map(translationView).join('\n')}`;
  const generated = report.generatedAt ? `<p>Generated ${escapeHtml(report.generatedAt)}.</p>` : '';
  return (
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">\n` +
    `<title>didbridge conformance: ${summary.ok ? 'PASS' : 'FAIL'}</title>\n<style>${CSS}</style>\n</head>\n<body>\n` +
    `<h1>didbridge conformance</h1>\n<p>${verdict} ${summary.checks} checks on ${summary.targets} targets.</p>\n${generated}` +
    `<h2>Method × section</h2>\n<p>Worst status of the checks citing each section, over the method's targets (number of MUST failures, ✓ pass, b baselined, s skipped, · not applicable). Click a cell for its checks.</p>\n${matrix(report)}\n` +
    `<h2>Targets</h2>\n${targetsTable}\n` +
    `<h2 id="drill">Checks</h2>\n<p><span id="drill-title">all checks</span> · <button type="button" id="show-all">show all</button></p>\n` +
    `${checks.map((c) => checkDrillDown(c, report.targets)).join('\n')}\n` +
    `<h2>Translated documents</h2>\n${translationsHtml}\n` +
    `<script>${SCRIPT}</script>\n</body>\n</html>\n`
  );
}
