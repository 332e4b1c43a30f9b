/**
 * Conformance: open a report written by `didbridge conformance` (JSON or HTML), from a file input or by dropping it,
 * and browse it: the verdict and counts, the method × section matrix, the drill-down of the checks behind a cell
 * (statement, level, section link, each target's status and the failing observations), and the translated
 * documents side by side with their change records. Files are read locally; nothing is uploaded.
 */
import type { ConformanceReport } from '../../../conformance/run.js';
import { readChanges } from '../changes.js';
import { renderComparison } from '../compare.js';
import {
  buildMatrix,
  cellLabel,
  drillDown,
  readReport,
  shortStatement,
  type CellStatus,
  type CheckDrill,
} from '../conformance-model.js';
import { h, replaceChildren, type Child } from '../dom.js';
import { bindAttribute, i18n, text, type MessageKey } from '../i18n.js';
import { importHtmlReport } from '../html-report.js';

export interface ConformanceView {
  element: HTMLElement;
  /** Opens a report from its text (the file input and drops call this). */
  open(name: string, content: string): void;
}

/** Largest report file the console opens (reports with many translations are a few MB). */
export const MAX_REPORT_BYTES = 64 * 1024 * 1024;

/** At most this many outcomes of one check and target are listed. */
const MAX_OUTCOMES = 25;

const STATUS_KEYS: Record<CellStatus, MessageKey> = {
  pass: 'conformance.count.pass',
  fail: 'conformance.count.fail',
  warn: 'conformance.count.warn',
  baselined: 'conformance.count.baselined',
  skip: 'conformance.count.skip',
  'n/a': 'conformance.count.na',
};

const slug = (status: string) => status.replace(/[^a-z]/g, '');

function badge(status: CellStatus): HTMLElement {
  const el = h('span', { class: `badge s-${slug(status)}` });
  i18n.bind(el, STATUS_KEYS[status]);
  return el;
}

function summary(report: ConformanceReport): HTMLElement {
  const s = report.summary;
  const counts = s.counts as unknown as Record<string, number>;
  const countKeys: Array<[string, MessageKey]> = [
    ['pass', 'conformance.count.pass'],
    ['fail', 'conformance.count.fail'],
    ['warn', 'conformance.count.warn'],
    ['baselined', 'conformance.count.baselined'],
    ['skip', 'conformance.count.skip'],
    ['na', 'conformance.count.na'],
  ];
  return h(
    'div',
    { class: 'conformance-summary' },
    h('p', { class: `verdict ${s.ok ? 'ok' : 'bad'}`, id: 'conformance-verdict' }, text(s.ok ? 'conformance.pass' : 'conformance.fail')),
    h(
      'p',
      {},
      text('conformance.summary', { checks: s.checks, targets: s.targets }),
      Array.isArray(s.newMustFailures) && s.newMustFailures.length > 0 ? [' · ', text('conformance.newFailures', { count: s.newMustFailures.length })] : null,
      Array.isArray(s.targetErrors) && s.targetErrors.length > 0 ? [' · ', text('conformance.targetErrors', { count: s.targetErrors.length })] : null,
    ),
    h('ul', { class: 'counts' }, countKeys.map(([k, label]) => h('li', { class: `count s-${slug(k === 'na' ? 'n/a' : k)}` }, text(label), ': ', String(counts[k] ?? 0)))),
  );
}

function drillEntry(entry: CheckDrill): HTMLElement {
  const { check } = entry;
  return h(
    'details',
    { class: 'check', open: true, 'data-check': check.id },
    h('summary', {}, badge(entry.status), ' ', h('code', {}, check.id), ' ', h('span', { class: 'level' }, check.level), ' ', shortStatement(check.statement)),
    h('blockquote', {}, check.statement),
    h('p', {}, text('conformance.section'), ': ', h('a', { href: check.section, target: '_blank', rel: 'noopener noreferrer' }, check.section)),
    check.note ? h('p', { class: 'note' }, check.note) : null,
    h(
      'div',
      { class: 'scroll' },
      h(
        'table',
        { class: 'targets' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, text('conformance.target')), h('th', { scope: 'col' }, text('conformance.status')), h('th', { scope: 'col' }, text('conformance.found')))),
        h(
          'tbody',
          {},
          entry.results.map(({ target, result, status }) => {
            const interesting = result.outcomes.filter((o) => o.status === 'fail' || o.status === 'skip');
            const shown = status === 'pass' ? [] : interesting.slice(0, MAX_OUTCOMES);
            return h(
              'tr',
              { class: `r-${slug(status)}` },
              h('td', {}, h('code', {}, target.id)),
              h('td', {}, badge(status)),
              h(
                'td',
                {},
                result.baselined !== undefined ? h('p', { class: 'note' }, text('conformance.baselined', { reason: result.baselined })) : null,
                shown.length > 0
                  ? h(
                      'ul',
                      { class: 'outcomes' },
                      shown.map((o) =>
                        h(
                          'li',
                          { class: `o-${slug(o.status)}` },
                          o.observation !== undefined ? h('span', { class: 'observation' }, o.observation, ' ') : null,
                          o.pointer !== undefined ? h('code', {}, o.pointer === '' ? '(root)' : o.pointer, ' ') : null,
                          o.detail ?? o.status,
                        ),
                      ),
                      interesting.length > MAX_OUTCOMES ? h('li', {}, `+${interesting.length - MAX_OUTCOMES}`) : null,
                    )
                  : null,
              ),
            );
          }),
        ),
      ),
    ),
  );
}

function renderJsonReport(report: ConformanceReport): HTMLElement {
  const matrix = buildMatrix(report);
  const drillTitle = h('h3', { id: 'drill-title', tabindex: -1 });
  const drillBody = h('div', { id: 'drill-body' });
  const showDrill = (row?: string, section?: string) => {
    const entries = drillDown(report, row, section);
    if (row !== undefined && section !== undefined) i18n.bind(drillTitle, 'conformance.drillFor', { row, section });
    else i18n.bind(drillTitle, 'conformance.allChecks', { count: entries.length });
    replaceChildren(drillBody, entries.map(drillEntry));
  };

  const table = h(
    'table',
    { class: 'matrix', id: 'matrix' },
    h('caption', { class: 'visually-hidden' }, text('conformance.matrix')),
    h(
      'thead',
      {},
      h('tr', {}, h('th', { scope: 'col', class: 'corner' }, text('conformance.corner')), matrix.sections.map((s) => h('th', { scope: 'col', class: 'sec', title: s }, h('span', {}, s)))),
    ),
    h(
      'tbody',
      {},
      matrix.rows.map((row) =>
        h(
          'tr',
          {},
          h('th', { scope: 'row', class: 'row' }, row),
          matrix.sections.map((section) => {
            const cell = matrix.cells.get(row)!.get(section)!;
            const button = h(
              'button',
              {
                type: 'button',
                'data-row': row,
                'data-section': section,
                onclick: () => {
                  showDrill(row, section);
                  drillTitle.focus();
                  drillTitle.scrollIntoView({ block: 'start' });
                },
              },
              cellLabel(cell),
            );
            const c = cell.counts;
            const params = { row, section, pass: c.pass, fail: c.fail, warn: c.warn, baselined: c.baselined, skip: c.skip };
            bindAttribute(button, 'title', 'conformance.cellTitle', params);
            bindAttribute(button, 'aria-label', 'conformance.cellTitle', params);
            return h('td', { class: `cell s-${slug(cell.status)}` }, button);
          }),
        ),
      ),
    ),
  );

  const translations = report.targets.flatMap((t) => t.translations ?? []);
  const translationList = translations.map((view) => {
    const changes = readChanges(view.changes);
    const details = h('details', { class: 'translation' }, h('summary', {}, `did:${view.method} · ${view.label} · `, text('changes.heading', { count: changes.length })));
    // Rendered when first opened: a report may hold hundreds of documents.
    details.addEventListener('toggle', () => {
      if (details.open && details.childElementCount === 1) {
        details.append(renderComparison({ original: view.original, didDocument: view.didDocument, didDocumentMetadata: view.didDocumentMetadata, changes }));
      }
    });
    return details;
  });

  showDrill();
  return h(
    'div',
    { class: 'json-report' },
    summary(report),
    h('h3', {}, text('conformance.matrix')),
    h('p', { class: 'hint' }, text('conformance.matrixHint')),
    h('div', { class: 'scroll matrix-scroll' }, table),
    h(
      'section',
      { id: 'drill', class: 'drill', 'aria-labelledby': 'drill-title' },
      drillTitle,
      h('button', { type: 'button', class: 'secondary', id: 'show-all', onclick: () => showDrill() }, text('conformance.showAll')),
      drillBody,
    ),
    h('h3', {}, text('conformance.translations', { count: translations.length })),
    translations.length === 0 ? h('p', {}, text('conformance.noTranslations')) : translationList,
  );
}

export function createConformanceView(): ConformanceView {
  const file = h('input', { id: 'report-file', type: 'file', accept: '.json,.html,.htm,application/json,text/html', 'aria-describedby': 'report-hint' });
  const status = h('div', { id: 'conformance-status', class: 'status', role: 'status', 'aria-live': 'polite' });
  const result = h('div', { id: 'conformance-result' });
  const drop = h(
    'div',
    { class: 'drop-zone', id: 'report-drop' },
    h('label', { for: 'report-file' }, text('conformance.label')),
    file,
    h('p', { id: 'report-hint', class: 'hint' }, text('conformance.hint')),
  );

  const open = (name: string, content: string) => {
    let body: Child;
    try {
      const trimmed = content.trimStart();
      if (trimmed.startsWith('<')) {
        body = [h('p', { class: 'note' }, text('conformance.htmlNote')), importHtmlReport(content)];
      } else {
        body = renderJsonReport(readReport(JSON.parse(content)));
      }
    } catch (err) {
      replaceChildren(result);
      replaceChildren(status, h('span', { class: 'error-text', role: 'alert' }, text('conformance.invalid', { error: err instanceof Error ? err.message : String(err) })));
      return;
    }
    replaceChildren(status, name);
    replaceChildren(result, body);
  };

  const read = async (f: File) => {
    if (f.size > MAX_REPORT_BYTES) {
      replaceChildren(status, h('span', { class: 'error-text', role: 'alert' }, text('conformance.tooLarge', { bytes: f.size, limit: MAX_REPORT_BYTES })));
      return;
    }
    open(f.name, await f.text());
  };
  file.addEventListener('change', () => {
    const f = file.files?.[0];
    if (f) void read(f);
  });
  drop.addEventListener('dragover', (event) => {
    event.preventDefault();
    drop.classList.add('dragging');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('dragging'));
  drop.addEventListener('drop', (event) => {
    event.preventDefault();
    drop.classList.remove('dragging');
    const f = event.dataTransfer?.files?.[0];
    if (f) void read(f);
  });

  return {
    element: h('div', { class: 'view view-conformance' }, h('h2', {}, text('conformance.heading')), drop, status, result),
    open,
  };
}
