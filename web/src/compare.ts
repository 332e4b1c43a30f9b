/**
 * The side-by-side view of a translation: the original upstream record, the W3C DID document and its metadata, and
 * the list of change records. Each change is highlighted where its pointers land, red (`from`) in the original and
 * green (`to`) in the document or metadata; selecting a change in the list (click, Enter or Space) focuses both ends
 * and scrolls them into view. Used by the resolve view and by translated documents of conformance reports.
 */
import { changeMarks, type ChangeView } from './changes.js';
import { h, type Child } from './dom.js';
import { text, type MessageKey } from './i18n.js';
import { renderJson, type JsonView } from './json-view.js';

export interface ComparisonInput {
  /** The upstream record; undefined when there is none (then `noOriginal` explains why). */
  original: unknown;
  /** What to show instead of the original when there is none. */
  noOriginal?: Child;
  didDocument: unknown;
  didDocumentMetadata: unknown;
  /** Shown folded under the metadata, when given. */
  resolutionMetadata?: unknown;
  changes: readonly ChangeView[];
}

const changeClass = (index: number) => `c${index}`;

function pane(kind: string, title: MessageKey, ...body: Child[]): HTMLElement {
  return h('section', { class: `pane pane-${kind}` }, h('h3', {}, text(title)), ...body);
}

/** Marks the elements a pane's pointers land on; returns the change indexes whose pointer was not found. */
function mark(view: JsonView | undefined, marks: Map<string, number[]>, side: 'from' | 'to', changes: readonly ChangeView[]): Set<number> {
  const missing = new Set<number>();
  for (const [pointer, indexes] of marks) {
    const node = view?.nodes.get(pointer);
    if (!node) {
      for (const i of indexes) missing.add(i);
      continue;
    }
    node.classList.add('chg', `chg-${side}`, ...indexes.map(changeClass));
    const existing = node.getAttribute('data-change');
    node.setAttribute('data-change', [existing, ...indexes.map(changeClass)].filter(Boolean).join(' '));
    node.title = [node.title, ...indexes.map((i) => changes[i]!.rule)].filter(Boolean).join(', ');
  }
  return missing;
}

/** Renders the comparison. */
export function renderComparison(input: ComparisonInput): HTMLElement {
  const marks = changeMarks(input.changes);
  const originalView = input.original === undefined ? undefined : renderJson(input.original, { label: 'pane.original' });
  const documentView = renderJson(input.didDocument, { label: 'pane.document' });
  const metadataView = renderJson(input.didDocumentMetadata ?? {}, { label: 'pane.metadata' });
  const missingFrom = mark(originalView, marks.original, 'from', input.changes);
  const missingTo = new Set([...mark(documentView, marks.document, 'to', input.changes), ...mark(metadataView, marks.metadata, 'to', input.changes)]);

  const panes = h(
    'div',
    { class: 'panes' },
    pane('original', 'pane.original', originalView ? originalView.element : h('p', { class: 'note' }, input.noOriginal ?? '')),
    pane('document', 'pane.document', documentView.element),
    pane(
      'metadata',
      'pane.metadata',
      metadataView.element,
      input.resolutionMetadata === undefined
        ? null
        : h('details', { class: 'resolution-metadata' }, h('summary', {}, text('pane.resolutionMetadata')), renderJson(input.resolutionMetadata, { label: 'pane.resolutionMetadata' }).element),
    ),
  );

  const root = h('div', { class: 'comparison' }, panes);
  let selected: number | undefined;
  const select = (index: number | undefined) => {
    for (const el of root.querySelectorAll('.focus')) el.classList.remove('focus');
    for (const button of root.querySelectorAll('button.change-select')) button.setAttribute('aria-pressed', 'false');
    selected = index === selected ? undefined : index;
    if (selected === undefined) return;
    const cls = changeClass(selected);
    const targets = [...root.querySelectorAll(`.chg.${cls}`)];
    for (const el of targets) el.classList.add('focus');
    const item = root.querySelector(`li.change[data-change="${cls}"]`);
    item?.classList.add('focus');
    item?.querySelector('button.change-select')?.setAttribute('aria-pressed', 'true');
    for (const el of targets) el.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  };

  const list = h(
    'ol',
    { class: 'change-list' },
    input.changes.map((c, i) => {
      const notShown = (c.from !== null && missingFrom.has(i)) || (c.to !== null && missingTo.has(i));
      return h(
        'li',
        { class: `change${notShown ? ' chg-missing' : ''}`, 'data-change': changeClass(i) },
        h(
          'button',
          { type: 'button', class: 'change-select', 'aria-pressed': 'false', onclick: () => select(i) },
          h('code', { class: 'rule' }, c.rule),
          ' ',
          h('span', { class: 'ptr ptr-from' }, c.from ?? text('changes.added')),
          ' → ',
          h('span', { class: 'ptr ptr-to' }, c.to ?? text('changes.removed')),
        ),
        h('p', { class: 'reason' }, c.reason, c.spec ? [' ', h('a', { href: c.spec, rel: 'noopener noreferrer', target: '_blank' }, text('changes.spec'))] : null),
        notShown ? h('p', { class: 'note' }, text('changes.notShown')) : null,
      );
    }),
  );
  // A click on a highlighted value selects its (innermost) change.
  panes.addEventListener('click', (event) => {
    const target = (event.target as Element | null)?.closest('.chg');
    const first = target?.getAttribute('data-change')?.split(' ')[0];
    if (first) select(Number(first.slice(1)));
  });

  root.append(
    h(
      'section',
      { class: 'changes' },
      h('h3', {}, text('changes.heading', { count: input.changes.length })),
      input.changes.length === 0 ? h('p', {}, text('changes.none')) : [h('p', { class: 'legend' }, text('changes.legend')), list],
    ),
  );
  return root;
}
